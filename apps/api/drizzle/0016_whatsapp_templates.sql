CREATE TABLE "whatsapp_template" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"status" text NOT NULL,
	"category" text,
	"components" jsonb NOT NULL,
	"synced_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "whatsapp_template_key" UNIQUE("tenant_id","channel_id","name","language")
);
--> statement-breakpoint
ALTER TABLE "whatsapp_template" ADD CONSTRAINT "whatsapp_template_tenant_id_channel_id_whatsapp_channel_tenant_id_id_fk" FOREIGN KEY ("tenant_id","channel_id") REFERENCES "public"."whatsapp_channel"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
SELECT enable_tenant_rls('whatsapp_template'::regclass);