ALTER TABLE "tenant" ADD COLUMN "retention_months" integer;--> statement-breakpoint
ALTER TABLE "tenant" ADD CONSTRAINT "tenant_retention_months_range" CHECK ("tenant"."retention_months" is null or "tenant"."retention_months" between 1 and 240);--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "erased_at" timestamp(3) with time zone;--> statement-breakpoint
CREATE TABLE "privacy_audit" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_user_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_audit_action_check" CHECK ("privacy_audit"."action" in ('EXPORT', 'ERASE', 'RETENTION_ERASE'))
);
--> statement-breakpoint
ALTER TABLE "privacy_audit" ADD CONSTRAINT "privacy_audit_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "privacy_audit_contact_idx" ON "privacy_audit" USING btree ("tenant_id","contact_id","created_at");--> statement-breakpoint
-- The retention sweep looks for closed leads by when they closed.
CREATE INDEX "lead_tenant_closed_idx" ON "lead" USING btree ("tenant_id","status_changed_at") WHERE "lead"."status" in ('WON', 'LOST');--> statement-breakpoint
SELECT enable_tenant_rls('privacy_audit'::regclass);--> statement-breakpoint
-- The audit trail is written once and kept: the app may add to it, never rewrite or remove it.
REVOKE UPDATE, DELETE, TRUNCATE ON privacy_audit FROM crm_app;
