ALTER TABLE "campaign_send" ADD COLUMN "replied_at" timestamp(3) with time zone;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD COLUMN "reply_lead_id" uuid;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD CONSTRAINT "campaign_send_tenant_id_reply_lead_id_lead_tenant_id_id_fk" FOREIGN KEY ("tenant_id","reply_lead_id") REFERENCES "public"."lead"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_send_task_key" ON "campaign_send" USING btree ("tenant_id","task_id");