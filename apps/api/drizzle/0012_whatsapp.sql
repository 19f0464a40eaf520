CREATE TABLE "whatsapp_channel" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"phone_number_id" text NOT NULL,
	"business_account_id" text NOT NULL,
	"access_token_enc" text NOT NULL,
	"app_secret_enc" text NOT NULL,
	"verify_token_hash" text NOT NULL,
	"display_phone_number" text,
	"verified_name" text,
	"quality_rating" text,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"last_error" text,
	"last_tested_at" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "whatsapp_channel_tenant_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "whatsapp_channel_branch_key" UNIQUE("tenant_id","branch_id"),
	CONSTRAINT "whatsapp_channel_status_check" CHECK ("whatsapp_channel"."status" in ('PENDING', 'CONNECTED', 'ERROR'))
);
--> statement-breakpoint
CREATE TABLE "whatsapp_delivery" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"body_sha256" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp(3) with time zone NOT NULL,
	"processed_at" timestamp(3) with time zone,
	"outcome" text,
	"note" text,
	CONSTRAINT "whatsapp_delivery_body_key" UNIQUE("tenant_id","channel_id","body_sha256")
);
--> statement-breakpoint
CREATE TABLE "whatsapp_media" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"content" "bytea" NOT NULL,
	"mime_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_media_message_key" UNIQUE("tenant_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "whatsapp_message" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"wa_message_id" text,
	"customer_wa_id" text,
	"type" text NOT NULL,
	"text" text,
	"template" jsonb,
	"payload" jsonb,
	"status" text NOT NULL,
	"error_code" integer,
	"error_title" text,
	"media_id" text,
	"media_status" text,
	"media_mime_type" text,
	"media_byte_size" integer,
	"sent_by_user_id" uuid,
	"send_attempts" integer DEFAULT 0 NOT NULL,
	"wa_timestamp" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_message_tenant_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "whatsapp_message_direction_check" CHECK ("whatsapp_message"."direction" in ('IN', 'OUT')),
	CONSTRAINT "whatsapp_message_status_check" CHECK ("whatsapp_message"."status" in ('RECEIVED', 'QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED'))
);
--> statement-breakpoint
ALTER TABLE "whatsapp_channel" ADD CONSTRAINT "whatsapp_channel_tenant_id_branch_id_branch_tenant_id_id_fk" FOREIGN KEY ("tenant_id","branch_id") REFERENCES "public"."branch"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_media" ADD CONSTRAINT "whatsapp_media_tenant_id_message_id_whatsapp_message_tenant_id_id_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "public"."whatsapp_message"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_message" ADD CONSTRAINT "whatsapp_message_tenant_id_lead_id_lead_tenant_id_id_fk" FOREIGN KEY ("tenant_id","lead_id") REFERENCES "public"."lead"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "whatsapp_channel_phone_number_key" ON "whatsapp_channel" USING btree ("phone_number_id");--> statement-breakpoint
CREATE INDEX "whatsapp_channel_verify_token_idx" ON "whatsapp_channel" USING btree ("verify_token_hash");--> statement-breakpoint
CREATE INDEX "whatsapp_delivery_pending_idx" ON "whatsapp_delivery" USING btree ("tenant_id","received_at") WHERE "whatsapp_delivery"."processed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "whatsapp_message_wamid_key" ON "whatsapp_message" USING btree ("tenant_id","wa_message_id") WHERE "whatsapp_message"."wa_message_id" is not null;--> statement-breakpoint
CREATE INDEX "whatsapp_message_lead_idx" ON "whatsapp_message" USING btree ("tenant_id","lead_id","created_at","id");--> statement-breakpoint
CREATE INDEX "whatsapp_message_inbound_idx" ON "whatsapp_message" USING btree ("tenant_id","lead_id","created_at") WHERE "whatsapp_message"."direction" = 'IN';--> statement-breakpoint
SELECT enable_tenant_rls(t::regclass)
  FROM unnest(ARRAY['whatsapp_channel', 'whatsapp_delivery', 'whatsapp_message', 'whatsapp_media']) AS t;--> statement-breakpoint
-- Webhooks arrive before the tenant is known: these look-ups route them (by phone number id) and answer Meta's
-- verification (by the verify token's hash). They return only what routing and the signature check need.
CREATE FUNCTION whatsapp_webhook_channels(p_phone_number_ids text[])
  RETURNS TABLE (channel_id uuid, tenant_id uuid, branch_id uuid, phone_number_id text, app_secret_enc text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id, branch_id, phone_number_id, app_secret_enc FROM whatsapp_channel
        WHERE phone_number_id = ANY (p_phone_number_ids) $$;--> statement-breakpoint
CREATE FUNCTION whatsapp_verify_token_known(p_token_hash text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT EXISTS (SELECT 1 FROM whatsapp_channel WHERE verify_token_hash = p_token_hash) $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION whatsapp_webhook_channels(text[]), whatsapp_verify_token_known(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION whatsapp_webhook_channels(text[]), whatsapp_verify_token_known(text) TO crm_app;
