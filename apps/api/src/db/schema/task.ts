import type { TaskKind, TaskStatus } from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { appUser } from './app-user';
import { branch } from './branch';
import { lead } from './lead';

/**
 * A thing to do about a lead, by a person, by a time: the follow-up engine's alerts and follow-ups, and the
 * reminders people set themselves. Kind and status are text with a check rather than enums: text equality is
 * LEAKPROOF, so under row-level security the task indexes can seek on them (see db/schema/lead.ts).
 */
export const task = pgTable(
  'task',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    leadId: uuid('lead_id').notNull(),
    /** The lead's branch, copied so a seller's tasks are found by branch like their leads. */
    branchId: uuid('branch_id').notNull(),
    assigneeUserId: uuid('assignee_user_id'),
    kind: text('kind').$type<TaskKind>().notNull(),
    title: text('title').notNull(),
    note: text('note'),
    suggestedMessage: text('suggested_message'),
    dueAt: instant('due_at').notNull(),
    status: text('status').$type<TaskStatus>().notNull().default('OPEN'),
    /**
     * The engine's tasks: `<rule>:<lead id>:<the lead's status_changed_at>`. Unique per tenant, so a rule fires
     * once per lead and stage entry however many engines run at once (INSERT ... ON CONFLICT DO NOTHING).
     */
    ruleKey: text('rule_key'),
    /** The engine's tasks: the lead's status_changed_at the rule fired for; the task closes when the lead moves on. */
    stageAt: instant('stage_at'),
    completedAt: instant('completed_at'),
    /** When the assignee was told the task came due (the `task.due` live event); null: not yet. */
    remindedAt: instant('reminded_at'),
    createdByUserId: uuid('created_by_user_id'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'task_pkey', columns: [t.tenantId, t.id] }),
    unique('task_rule_key').on(t.tenantId, t.ruleKey),
    index('task_assignee_idx').on(t.tenantId, t.assigneeUserId, t.status, t.dueAt, t.id),
    index('task_status_idx').on(t.tenantId, t.status, t.dueAt, t.id),
    index('task_branch_idx').on(t.tenantId, t.branchId, t.status, t.dueAt, t.id),
    index('task_lead_idx').on(t.tenantId, t.leadId, t.status),
    // Tasks still to be announced: only open ones not yet reminded, so the reminder pass reads only those due.
    index('task_reminder_idx')
      .on(t.tenantId, t.dueAt)
      .where(sql`${t.status} = 'OPEN' and ${t.remindedAt} is null`),
    check('task_kind_check', sql`${t.kind} in ('NEW_LEAD_ALERT', 'ESCALATION', 'FOLLOW_UP', 'REMINDER')`),
    check('task_status_check', sql`${t.status} in ('OPEN', 'DONE', 'CANCELLED')`),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
    foreignKey({ columns: [t.tenantId, t.assigneeUserId], foreignColumns: [appUser.tenantId, appUser.id] }),
    foreignKey({ columns: [t.tenantId, t.createdByUserId], foreignColumns: [appUser.tenantId, appUser.id] }),
  ],
);
