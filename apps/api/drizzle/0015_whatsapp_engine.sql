ALTER TABLE "campaign_send" DROP CONSTRAINT "campaign_send_contact_key";--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "whatsapp_template" jsonb;--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "standing" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD COLUMN "whatsapp_message_id" uuid;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD COLUMN "send_after" timestamp(3) with time zone;--> statement-breakpoint
ALTER TABLE "followup_policy" ADD COLUMN "quoted_follow_up_template" jsonb;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD CONSTRAINT "campaign_send_tenant_id_whatsapp_message_id_whatsapp_message_tenant_id_id_fk" FOREIGN KEY ("tenant_id","whatsapp_message_id") REFERENCES "public"."whatsapp_message"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_standing_key" ON "campaign" USING btree ("tenant_id") WHERE "campaign"."standing" and "campaign"."status" <> 'ENDED';--> statement-breakpoint
CREATE INDEX "campaign_send_waiting_idx" ON "campaign_send" USING btree ("tenant_id","campaign_id","send_after") WHERE "campaign_send"."send_after" is not null;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD CONSTRAINT "campaign_send_lead_key" UNIQUE("tenant_id","campaign_id","contact_id","lead_id");