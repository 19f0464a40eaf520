-- What a lead is worth, kept on the lead row so the board's column heads and the revenue figures read it without a
-- join: its accepted quote's total, else its product's price, else what a person typed (which wins until a quote
-- is accepted). value_source says which.
ALTER TABLE "lead" ADD COLUMN "value" bigint;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "value_currency" text;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "value_source" text;--> statement-breakpoint
ALTER TABLE "lead" ADD CONSTRAINT "lead_value_check" CHECK (("lead"."value" is null) = ("lead"."value_currency" is null) and ("lead"."value" is null or ("lead"."value" >= 0 and "lead"."value_source" in ('QUOTE', 'LISTING', 'MANUAL'))));--> statement-breakpoint
-- Open leads valued at their product's price, found when the price changes (text and smallint comparisons are
-- LEAKPROOF: index conditions under row-level security).
CREATE INDEX "lead_listing_value_idx" ON "lead" USING btree ("tenant_id","listing_id") WHERE "lead"."value_source" = 'LISTING' and "lead"."status_code" in (0, 1, 2, 3, 6);--> statement-breakpoint
-- Won leads by the time they were won: the revenue figures of a period.
CREATE INDEX "lead_won_idx" ON "lead" USING btree ("tenant_id","status_changed_at") WHERE "lead"."status_code" = 4;--> statement-breakpoint
-- Campaign revenue: a campaign's won leads.
CREATE INDEX "lead_campaign_won_idx" ON "lead" USING btree ("tenant_id","campaign_id","status_changed_at") WHERE "lead"."status_code" = 4 and "lead"."campaign_id" is not null;--> statement-breakpoint
-- The automatic value of a lead that has none set (a new lead; a hand value cleared): its accepted quote's total,
-- else its product's price. A trigger, so every way a lead is written (capture, manual entry, imports) values it.
CREATE FUNCTION lead_fill_value() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.value_source IS NULL THEN
    NEW.value := NULL;
    NEW.value_currency := NULL;
    IF TG_OP = 'UPDATE' THEN
      SELECT q.total, q.currency, 'QUOTE' INTO NEW.value, NEW.value_currency, NEW.value_source
        FROM quote q
       WHERE q.tenant_id = NEW.tenant_id AND q.lead_id = NEW.id AND q.status = 'ACCEPTED'
       ORDER BY q.decided_at DESC NULLS LAST, q.id DESC
       LIMIT 1;
    END IF;
    IF NEW.value_source IS NULL AND NEW.listing_id IS NOT NULL THEN
      SELECT l.price, l.currency, 'LISTING' INTO NEW.value, NEW.value_currency, NEW.value_source
        FROM listing l
       WHERE l.tenant_id = NEW.tenant_id AND l.id = NEW.listing_id;
    END IF;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "lead_value_fill" BEFORE INSERT OR UPDATE OF "value_source" ON "lead"
  FOR EACH ROW EXECUTE FUNCTION lead_fill_value();--> statement-breakpoint
-- An accepted quote is what the sale is worth, whatever was typed by hand before.
CREATE FUNCTION quote_accepted_lead_value() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE lead SET value = NEW.total, value_currency = NEW.currency, value_source = 'QUOTE'
   WHERE tenant_id = NEW.tenant_id AND id = NEW.lead_id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "quote_accepted_value" AFTER INSERT OR UPDATE OF "status" ON "quote"
  FOR EACH ROW WHEN (NEW.status = 'ACCEPTED') EXECUTE FUNCTION quote_accepted_lead_value();--> statement-breakpoint
-- A product's new price reaches the open leads valued at it; closed leads keep what they were won or lost at.
CREATE FUNCTION listing_price_lead_value() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE lead SET value = NEW.price, value_currency = NEW.currency
   WHERE tenant_id = NEW.tenant_id AND listing_id = NEW.id
     AND value_source = 'LISTING' AND status_code IN (0, 1, 2, 3, 6);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "listing_price_value" AFTER UPDATE OF "price", "currency" ON "listing"
  FOR EACH ROW WHEN (OLD.price IS DISTINCT FROM NEW.price OR OLD.currency IS DISTINCT FROM NEW.currency)
  EXECUTE FUNCTION listing_price_lead_value();--> statement-breakpoint
-- Leads stored before: their accepted quote's total, else their product's price.
UPDATE lead SET value = q.total, value_currency = q.currency, value_source = 'QUOTE'
  FROM (SELECT DISTINCT ON (tenant_id, lead_id) tenant_id, lead_id, total, currency
          FROM quote WHERE status = 'ACCEPTED'
         ORDER BY tenant_id, lead_id, decided_at DESC NULLS LAST, id DESC) q
 WHERE lead.tenant_id = q.tenant_id AND lead.id = q.lead_id;--> statement-breakpoint
UPDATE lead SET value = l.price, value_currency = l.currency, value_source = 'LISTING'
  FROM listing l
 WHERE lead.value_source IS NULL AND l.tenant_id = lead.tenant_id AND l.id = lead.listing_id;--> statement-breakpoint
-- The response reputation of every branch, as the marketplace reads it (GET /platform/branch-reputation):
-- refreshed each hour by a job per shop.
CREATE TABLE "branch_reputation" (
	"tenant_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"score" smallint,
	"leads" integer NOT NULL,
	"answered" integer NOT NULL,
	"answered_on_time" integer NOT NULL,
	"on_time_rate" double precision,
	"median_minutes" double precision,
	"p90_minutes" double precision,
	"target_minutes" integer NOT NULL,
	"business_hours_only" boolean NOT NULL,
	"period_from" timestamp(3) with time zone NOT NULL,
	"period_to" timestamp(3) with time zone NOT NULL,
	"computed_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "branch_reputation_tenant_id_branch_id_pk" PRIMARY KEY("tenant_id","branch_id")
);
--> statement-breakpoint
ALTER TABLE "branch_reputation" ADD CONSTRAINT "branch_reputation_tenant_id_branch_id_branch_tenant_id_id_fk" FOREIGN KEY ("tenant_id","branch_id") REFERENCES "public"."branch"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
SELECT enable_tenant_rls('branch_reputation'::regclass);--> statement-breakpoint
-- The marketplace's feed names no tenant: this is its one way in, a page of every shop's rows after a cursor,
-- and the route lets only the platform key call it.
CREATE FUNCTION branch_reputation_page(after_tenant uuid, after_branch uuid, page_size integer)
  RETURNS SETOF branch_reputation
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT * FROM branch_reputation
         WHERE after_tenant IS NULL OR (tenant_id, branch_id) > (after_tenant, after_branch)
         ORDER BY tenant_id, branch_id
         LIMIT page_size $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION branch_reputation_page(uuid, uuid, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION branch_reputation_page(uuid, uuid, integer) TO crm_app;
