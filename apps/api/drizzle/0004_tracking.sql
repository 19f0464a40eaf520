CREATE TYPE "public"."assignment_strategy" AS ENUM('ROUND_ROBIN', 'FEWEST_OPEN');--> statement-breakpoint
CREATE TYPE "public"."campaign_status" AS ENUM('DRAFT', 'ACTIVE', 'PAUSED', 'ENDED');--> statement-breakpoint
CREATE TYPE "public"."campaign_type" AS ENUM('CATEGORY', 'ZONE', 'REACTIVATION');--> statement-breakpoint
CREATE TABLE "campaign" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" "campaign_type" NOT NULL,
	"status" "campaign_status" DEFAULT 'DRAFT' NOT NULL,
	"start_at" timestamp(3) with time zone,
	"end_at" timestamp(3) with time zone,
	"segment" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"message_template" text,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "campaign_tenant_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_key" (
	"tenant_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" jsonb,
	"created_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "idempotency_key_tenant_id_scope_key_pk" PRIMARY KEY("tenant_id","scope","key")
);
--> statement-breakpoint
CREATE TABLE "listing_view" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"marketplace_user_id" text,
	"visitor_id" text,
	"campaign_id" uuid,
	"created_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracked_link" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"branch_id" uuid NOT NULL,
	"listing_id" uuid,
	"campaign_id" uuid,
	"source" "lead_source" NOT NULL,
	"label" text,
	"clicks" integer DEFAULT 0 NOT NULL,
	"bot_clicks" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tracked_link_code_key" UNIQUE("code"),
	CONSTRAINT "tracked_link_tenant_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "branch" ADD COLUMN "last_assigned_user_id" uuid;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "ref_code" text;--> statement-breakpoint
ALTER TABLE "tenant" ADD COLUMN "assignment_strategy" "assignment_strategy" DEFAULT 'ROUND_ROBIN' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_link" ADD CONSTRAINT "tracked_link_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_link" ADD CONSTRAINT "tracked_link_tenant_id_branch_id_branch_tenant_id_id_fk" FOREIGN KEY ("tenant_id","branch_id") REFERENCES "public"."branch"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_link" ADD CONSTRAINT "tracked_link_tenant_id_listing_id_listing_tenant_id_id_fk" FOREIGN KEY ("tenant_id","listing_id") REFERENCES "public"."listing"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_link" ADD CONSTRAINT "tracked_link_tenant_id_campaign_id_campaign_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaign"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_tenant_idx" ON "campaign" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "idempotency_key_created_idx" ON "idempotency_key" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "listing_view_listing_idx" ON "listing_view" USING btree ("tenant_id","listing_id","created_at");--> statement-breakpoint
CREATE INDEX "listing_view_campaign_idx" ON "listing_view" USING btree ("tenant_id","campaign_id","created_at");--> statement-breakpoint
CREATE INDEX "tracked_link_tenant_idx" ON "tracked_link" USING btree ("tenant_id","created_at");--> statement-breakpoint
ALTER TABLE "lead" ADD CONSTRAINT "lead_tenant_id_campaign_id_campaign_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaign"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lead_tenant_ref_code_key" ON "lead" USING btree ("tenant_id","ref_code") WHERE "lead"."ref_code" is not null;--> statement-breakpoint
SELECT enable_tenant_rls(t::regclass)
  FROM unnest(ARRAY['campaign', 'idempotency_key', 'listing_view', 'tracked_link']) AS t;--> statement-breakpoint
GRANT USAGE, SELECT ON SEQUENCE listing_view_id_seq TO crm_app;--> statement-breakpoint
-- A visit to /w/{code} names no tenant: this is the one way in, and it yields only what a redirect needs.
CREATE FUNCTION tracked_link_tenant(link_code text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT tenant_id FROM tracked_link WHERE code = link_code $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tracked_link_tenant(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tracked_link_tenant(text) TO crm_app;
