CREATE TABLE "push_preference" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"lead_assigned" boolean DEFAULT true NOT NULL,
	"customer_replied" boolean DEFAULT true NOT NULL,
	"task_due" boolean DEFAULT true NOT NULL,
	"escalation" boolean DEFAULT true NOT NULL,
	"quote_decided" boolean DEFAULT true NOT NULL,
	"quiet_from" text,
	"quiet_to" text,
	"time_zone" text,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_preference_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id"),
	CONSTRAINT "push_preference_quiet_both" CHECK (("push_preference"."quiet_from" is null) = ("push_preference"."quiet_to" is null))
);
--> statement-breakpoint
CREATE TABLE "push_subscription" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"language" text DEFAULT 'es-419' NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_subscription_tenant_endpoint_key" UNIQUE("tenant_id","endpoint"),
	CONSTRAINT "push_subscription_endpoint_length" CHECK (char_length("push_subscription"."endpoint") <= 2048)
);
--> statement-breakpoint
CREATE TABLE "push_vapid_key" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"public_key" text NOT NULL,
	"private_key_sealed" text NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_vapid_key_single" CHECK ("push_vapid_key"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "push_preference" ADD CONSTRAINT "push_preference_tenant_id_user_id_app_user_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_subscription" ADD CONSTRAINT "push_subscription_tenant_id_user_id_app_user_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "push_subscription_user_idx" ON "push_subscription" USING btree ("tenant_id","user_id");--> statement-breakpoint
SELECT enable_tenant_rls(t::regclass) FROM unnest(ARRAY['push_subscription', 'push_preference']) AS t;--> statement-breakpoint
-- The VAPID key belongs to the server, not to a shop: the app reads it and writes it once, never changes it.
GRANT SELECT, INSERT ON push_vapid_key TO crm_app;--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON push_vapid_key FROM crm_app;
