-- Customers: tags and notes a person edits, the fuzzy name match of the duplicates (pg_trgm, trusted since
-- PostgreSQL 13, so the database owner creates it), tickets opened for a customer without a lead, quotes made
-- from a ticket, and free-text quote lines (labour) that no listing backs.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- IF NOT EXISTS: the imports' migration adds the same tags column; either may run first.
ALTER TABLE "contact" ADD COLUMN IF NOT EXISTS "tags" text[] DEFAULT '{}'::text[] NOT NULL,
  ADD COLUMN IF NOT EXISTS "notes" text;--> statement-breakpoint
-- The last 8 digits of the E.164 phone: one number written with two country codes is one person.
CREATE INDEX "contact_tenant_phone_tail_idx" ON "contact" USING btree ("tenant_id", right("phone", 8)) WHERE "phone" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket" ALTER COLUMN "lead_id" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "ticket_tenant_contact_idx" ON "ticket" USING btree ("tenant_id","contact_id");--> statement-breakpoint
ALTER TABLE "quote" ADD COLUMN "ticket_id" uuid;--> statement-breakpoint
ALTER TABLE "quote" ADD CONSTRAINT "quote_tenant_id_ticket_id_ticket_tenant_id_id_fk" FOREIGN KEY ("tenant_id","ticket_id") REFERENCES "public"."ticket"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "quote_tenant_contact_idx" ON "quote" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "quote_tenant_ticket_idx" ON "quote" USING btree ("tenant_id","ticket_id") WHERE "ticket_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "quote_item" ALTER COLUMN "listing_id" DROP NOT NULL,
  ALTER COLUMN "stock_at_quote" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "quote_item" ADD CONSTRAINT "quote_item_line_source" CHECK (("quote_item"."listing_id" IS NULL) = ("quote_item"."stock_at_quote" IS NULL));
