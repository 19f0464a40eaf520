CREATE TABLE "lead_ai_assistance" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"result" jsonb NOT NULL,
	"trace" jsonb NOT NULL,
	"latency_ms" integer NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "lead_ai_assistance_tenant_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "lead_ai_feedback" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"assistance_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"final_text" text,
	"created_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "classified_by" text DEFAULT 'DEFAULT' NOT NULL;--> statement-breakpoint
ALTER TABLE "lead_ai_assistance" ADD CONSTRAINT "lead_ai_assistance_tenant_id_lead_id_lead_tenant_id_id_fk" FOREIGN KEY ("tenant_id","lead_id") REFERENCES "public"."lead"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_ai_feedback" ADD CONSTRAINT "lead_ai_feedback_tenant_id_assistance_id_lead_ai_assistance_tenant_id_id_fk" FOREIGN KEY ("tenant_id","assistance_id") REFERENCES "public"."lead_ai_assistance"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_ai_feedback" ADD CONSTRAINT "lead_ai_feedback_tenant_id_lead_id_lead_tenant_id_id_fk" FOREIGN KEY ("tenant_id","lead_id") REFERENCES "public"."lead"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_ai_assistance_lead_idx" ON "lead_ai_assistance" USING btree ("tenant_id","lead_id","created_at");--> statement-breakpoint
CREATE INDEX "lead_ai_feedback_assistance_idx" ON "lead_ai_feedback" USING btree ("tenant_id","assistance_id");--> statement-breakpoint
CREATE INDEX "lead_ai_feedback_created_idx" ON "lead_ai_feedback" USING btree ("tenant_id","created_at");--> statement-breakpoint
SELECT enable_tenant_rls(t::regclass) FROM unnest(ARRAY['lead_ai_assistance', 'lead_ai_feedback']) AS t;
