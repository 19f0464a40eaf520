CREATE TABLE "followup_policy" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"new_lead_alert_minutes" integer DEFAULT 60 NOT NULL,
	"quoted_follow_up_days" integer DEFAULT 2 NOT NULL,
	"dormant_after_days" integer DEFAULT 21 NOT NULL,
	"business_hours_only" boolean DEFAULT true NOT NULL,
	"reassign_after_minutes" integer,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"assignee_user_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"note" text,
	"suggested_message" text,
	"due_at" timestamp(3) with time zone NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"rule_key" text,
	"completed_at" timestamp(3) with time zone,
	"reminded_at" timestamp(3) with time zone,
	"created_by_user_id" uuid,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "task_rule_key" UNIQUE("tenant_id","rule_key"),
	CONSTRAINT "task_tenant_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "task_kind_check" CHECK ("task"."kind" in ('NEW_LEAD_ALERT', 'ESCALATION', 'FOLLOW_UP', 'REMINDER')),
	CONSTRAINT "task_status_check" CHECK ("task"."status" in ('OPEN', 'DONE', 'CANCELLED'))
);
--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "followup_stage_at" timestamp(3) with time zone;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "followup_due_at" timestamp(3) with time zone;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "first_response_business_seconds" integer;--> statement-breakpoint
ALTER TABLE "followup_policy" ADD CONSTRAINT "followup_policy_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_tenant_id_lead_id_lead_tenant_id_id_fk" FOREIGN KEY ("tenant_id","lead_id") REFERENCES "public"."lead"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_tenant_id_branch_id_branch_tenant_id_id_fk" FOREIGN KEY ("tenant_id","branch_id") REFERENCES "public"."branch"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_tenant_id_assignee_user_id_app_user_tenant_id_id_fk" FOREIGN KEY ("tenant_id","assignee_user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_tenant_id_created_by_user_id_app_user_tenant_id_id_fk" FOREIGN KEY ("tenant_id","created_by_user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_assignee_idx" ON "task" USING btree ("tenant_id","assignee_user_id","status","due_at","id");--> statement-breakpoint
CREATE INDEX "task_status_idx" ON "task" USING btree ("tenant_id","status","due_at","id");--> statement-breakpoint
CREATE INDEX "task_branch_idx" ON "task" USING btree ("tenant_id","branch_id","status","due_at","id");--> statement-breakpoint
CREATE INDEX "task_lead_idx" ON "task" USING btree ("tenant_id","lead_id","status");--> statement-breakpoint
CREATE INDEX "task_reminder_idx" ON "task" USING btree ("tenant_id","due_at") WHERE "task"."status" = 'OPEN' and "task"."reminded_at" is null;--> statement-breakpoint
CREATE INDEX "lead_followup_unseen_idx" ON "lead" USING btree ("tenant_id","status_changed_at") WHERE "lead"."status_code" in (0, 1, 2, 3) and "lead"."followup_stage_at" is distinct from "lead"."status_changed_at";--> statement-breakpoint
CREATE INDEX "lead_followup_due_idx" ON "lead" USING btree ("tenant_id","followup_due_at") WHERE "lead"."status_code" in (0, 1, 2, 3);--> statement-breakpoint
CREATE INDEX "lead_first_response_unstamped_idx" ON "lead" USING btree ("tenant_id","first_response_at") WHERE "lead"."first_response_at" is not null and "lead"."first_response_business_seconds" is null;--> statement-breakpoint
SELECT enable_tenant_rls(t::regclass) FROM unnest(ARRAY['followup_policy', 'task']) AS t;
