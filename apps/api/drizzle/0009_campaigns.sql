CREATE TABLE "campaign_metric_daily" (
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"day" date NOT NULL,
	"impressions" integer DEFAULT 0 NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"leads" integer DEFAULT 0 NOT NULL,
	"wins" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_metric_daily_tenant_id_campaign_id_day_pk" PRIMARY KEY("tenant_id","campaign_id","day")
);
--> statement-breakpoint
CREATE TABLE "campaign_win" (
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"won_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "campaign_win_tenant_id_campaign_id_lead_id_pk" PRIMARY KEY("tenant_id","campaign_id","lead_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_send" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"task_id" uuid,
	"ref_code" text NOT NULL,
	"message" text NOT NULL,
	"whatsapp_url" text NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "campaign_send_contact_key" UNIQUE("tenant_id","campaign_id","contact_id"),
	CONSTRAINT "campaign_send_ref_code_key" UNIQUE("tenant_id","ref_code")
);
--> statement-breakpoint
CREATE TABLE "campaign_asset" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"document" jsonb NOT NULL,
	"content" "bytea",
	"content_type" text,
	"byte_size" integer,
	"sha256" text,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "campaign_asset_tenant_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "campaign_asset_kind_check" CHECK ("campaign_asset"."kind" in ('COPY', 'IMAGE')),
	CONSTRAINT "campaign_asset_size_check" CHECK ("campaign_asset"."byte_size" is null or "campaign_asset"."byte_size" <= 2097152)
);
--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "reactivation" jsonb;--> statement-breakpoint
ALTER TABLE "campaign_metric_daily" ADD CONSTRAINT "campaign_metric_daily_tenant_id_campaign_id_campaign_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaign"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_win" ADD CONSTRAINT "campaign_win_tenant_id_campaign_id_campaign_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaign"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD CONSTRAINT "campaign_send_tenant_id_campaign_id_campaign_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaign"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD CONSTRAINT "campaign_send_tenant_id_contact_id_contact_tenant_id_id_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contact"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD CONSTRAINT "campaign_send_tenant_id_lead_id_lead_tenant_id_id_fk" FOREIGN KEY ("tenant_id","lead_id") REFERENCES "public"."lead"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_send" ADD CONSTRAINT "campaign_send_tenant_id_task_id_task_tenant_id_id_fk" FOREIGN KEY ("tenant_id","task_id") REFERENCES "public"."task"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_asset" ADD CONSTRAINT "campaign_asset_tenant_id_campaign_id_campaign_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaign"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_send_contact_idx" ON "campaign_send" USING btree ("tenant_id","contact_id","created_at");--> statement-breakpoint
CREATE INDEX "campaign_asset_campaign_idx" ON "campaign_asset" USING btree ("tenant_id","campaign_id","created_at");--> statement-breakpoint
SELECT enable_tenant_rls(t::regclass)
  FROM unnest(ARRAY['campaign_metric_daily', 'campaign_win', 'campaign_send', 'campaign_asset']) AS t;
