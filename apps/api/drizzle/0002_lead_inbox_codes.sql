DROP INDEX "lead_inbox_priority_idx";--> statement-breakpoint
DROP INDEX "lead_inbox_status_idx";--> statement-breakpoint
DROP INDEX "lead_inbox_branch_idx";--> statement-breakpoint
DROP INDEX "lead_inbox_assignee_idx";--> statement-breakpoint
-- One ALTER TABLE, so the table is rewritten once for both stored columns.
ALTER TABLE "lead" ADD COLUMN "priority_rank" smallint GENERATED ALWAYS AS (CASE priority WHEN 'HIGH' THEN 0 WHEN 'MEDIUM' THEN 1 WHEN 'LOW' THEN 2 END) STORED NOT NULL,
  ADD COLUMN "status_code" smallint GENERATED ALWAYS AS (CASE status WHEN 'NEW' THEN 0 WHEN 'CONTACTED' THEN 1 WHEN 'QUALIFIED' THEN 2 WHEN 'QUOTED' THEN 3 WHEN 'WON' THEN 4 WHEN 'LOST' THEN 5 WHEN 'DORMANT' THEN 6 END) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "lead_inbox_priority_idx" ON "lead" USING btree ("tenant_id","priority_rank","created_at","id");--> statement-breakpoint
CREATE INDEX "lead_inbox_status_idx" ON "lead" USING btree ("tenant_id","status_code","priority_rank","created_at","id");--> statement-breakpoint
CREATE INDEX "lead_inbox_branch_idx" ON "lead" USING btree ("tenant_id","branch_id","priority_rank","created_at","id");--> statement-breakpoint
CREATE INDEX "lead_inbox_assignee_idx" ON "lead" USING btree ("tenant_id","assigned_to_user_id","priority_rank","created_at","id");