import type { LeadStatus, Task, TaskStatus } from '@techmarket/contracts';
import { and, asc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { campaignSend, contact, lead, task, tenant } from '../../db/schema';
import type { Tx } from '../../platform/db';

/** Which leads a caller may see: null is the whole tenant, otherwise only these branches. */
export type BranchScope = readonly string[] | null;

/** A task as the wire shows it, with the lead it is about (status and contact), read in one query. */
const taskWithLead = {
  id: task.id,
  tenantId: task.tenantId,
  leadId: task.leadId,
  branchId: task.branchId,
  assigneeUserId: task.assigneeUserId,
  kind: task.kind,
  title: task.title,
  note: task.note,
  suggestedMessage: task.suggestedMessage,
  dueAt: task.dueAt,
  status: task.status,
  ruleKey: task.ruleKey,
  completedAt: task.completedAt,
  createdByUserId: task.createdByUserId,
  createdAt: task.createdAt,
  updatedAt: task.updatedAt,
  version: task.version,
  leadStatus: lead.status,
  contact: { id: contact.id, name: contact.name, phone: contact.phone },
  sendCampaignId: campaignSend.campaignId,
  sendRefCode: campaignSend.refCode,
};

/** The wire's shape: the lead nested (Drizzle nests one level, so the row comes flat). */
const toTask = <
  R extends {
    leadId: string;
    leadStatus: LeadStatus;
    contact: Task['lead']['contact'];
    sendCampaignId: string | null;
    sendRefCode: string | null;
  },
>({
  leadStatus,
  contact: leadContact,
  sendCampaignId,
  sendRefCode,
  ...row
}: R) => ({
  ...row,
  lead: { id: row.leadId, status: leadStatus, contact: leadContact },
  campaignRef: sendCampaignId && sendRefCode ? { campaignId: sendCampaignId, refCode: sendRefCode } : null,
});

const joinLead = and(eq(lead.tenantId, task.tenantId), eq(lead.id, task.leadId));
const joinContact = and(eq(contact.tenantId, lead.tenantId), eq(contact.id, lead.contactId));
/** The reactivation message a task hands out, if any: at most one (unique by task), found by its index. */
const joinSend = and(eq(campaignSend.tenantId, task.tenantId), eq(campaignSend.taskId, task.id));

export interface TaskFilter {
  branchIds: BranchScope;
  assigneeUserId?: string | undefined;
  status?: TaskStatus | undefined;
  leadId?: string | undefined;
  dueFrom?: string | undefined;
  dueBefore?: string | undefined;
}

/** Tasks: the engine's alerts and people's reminders. Every function takes the tenant first; RLS is the second wall. */
export function createTasksRepository() {
  return {
    async tenantTimezone(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({ timezone: tenant.timezone })
        .from(tenant)
        .where(eq(tenant.id, tenantId));
      return row?.timezone ?? null;
    },
    /** Inserts the engine's tasks; a rule key already taken (another engine, an earlier pass) is skipped. */
    async insertRuleTasks(tx: Tx, rows: (typeof task.$inferInsert)[]) {
      if (rows.length === 0) return [];
      const sorted = rows.toSorted((a, b) => (a.ruleKey ?? '').localeCompare(b.ruleKey ?? ''));
      return tx
        .insert(task)
        .values(sorted)
        .onConflictDoNothing({ target: [task.tenantId, task.ruleKey] })
        .returning({ id: task.id, leadId: task.leadId, ruleKey: task.ruleKey, kind: task.kind });
    },

    /**
     * Closes those of the tasks still open: DONE (the customer answered what they were about) or CANCELLED (the
     * contact opted out of it); returns how many.
     */
    async closeOpenTasks(
      tx: Tx,
      tenantId: string,
      taskIds: string[],
      status: 'DONE' | 'CANCELLED',
      at: string,
    ) {
      if (taskIds.length === 0) return 0;
      const rows = await tx
        .update(task)
        .set({
          status,
          completedAt: status === 'DONE' ? at : null,
          updatedAt: at,
          version: sql`${task.version} + 1`,
        })
        .where(and(eq(task.tenantId, tenantId), inArray(task.id, taskIds), eq(task.status, 'OPEN')))
        .returning({ id: task.id });
      return rows.length;
    },
    /** Cancels every open task of the lead; returns how many. */
    async cancelOpenTasksOfLead(tx: Tx, tenantId: string, leadId: string, at: string) {
      const rows = await tx
        .update(task)
        .set({ status: 'CANCELLED', completedAt: null, updatedAt: at, version: sql`${task.version} + 1` })
        .where(and(eq(task.tenantId, tenantId), eq(task.leadId, leadId), eq(task.status, 'OPEN')))
        .returning({ id: task.id });
      return rows.length;
    },
    /** Marks up to `limit` open tasks that came due as reminded, and answers their ids. */
    async takeDueReminders(tx: Tx, tenantId: string, now: string, limit: number) {
      const rows = await tx.execute<{ id: string }>(sql`
        update ${task} set reminded_at = ${now}::timestamptz
        where ${task.tenantId} = ${tenantId} and ${task.id} in (
          select ${task.id} from ${task}
          where ${task.tenantId} = ${tenantId} and ${task.status} = 'OPEN' and ${task.remindedAt} is null
            and ${task.dueAt} <= ${now}::timestamptz
          order by ${task.dueAt} limit ${limit} for update skip locked)
        returning ${task.id}`);
      return rows.rows.map((r) => r.id);
    },
    /** The lead a task is about, as far as the task rules need it. */
    async findLead(tx: Tx, tenantId: string, leadId: string, scope: BranchScope) {
      const [row] = await tx
        .select({ id: lead.id, branchId: lead.branchId, status: lead.status })
        .from(lead)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId), inBranches(scope)));
      return row ?? null;
    },

    async insertTask(tx: Tx, values: typeof task.$inferInsert) {
      const [row] = await tx.insert(task).values(values).returning({ id: task.id });
      if (!row) throw new Error('task insert returned nothing');
      return row.id;
    },

    async updateTask(
      tx: Tx,
      tenantId: string,
      taskId: string,
      expectedVersion: number,
      changes: Partial<typeof task.$inferInsert>,
      at: string,
    ) {
      const [row] = await tx
        .update(task)
        .set({ ...changes, updatedAt: at, version: sql`${task.version} + 1` })
        .where(and(eq(task.tenantId, tenantId), eq(task.id, taskId), eq(task.version, expectedVersion)))
        .returning({ id: task.id });
      return row !== undefined;
    },

    async findTask(tx: Tx, tenantId: string, taskId: string, scope: BranchScope) {
      const [row] = await tx
        .select(taskWithLead)
        .from(task)
        .innerJoin(lead, joinLead)
        .innerJoin(contact, joinContact)
        .leftJoin(campaignSend, joinSend)
        .where(and(eq(task.tenantId, tenantId), eq(task.id, taskId), inTaskBranches(scope)));
      return row ? toTask(row) : null;
    },

    async tasksByIds(tx: Tx, tenantId: string, ids: string[]) {
      if (ids.length === 0) return [];
      const rows = await tx
        .select(taskWithLead)
        .from(task)
        .innerJoin(lead, joinLead)
        .innerJoin(contact, joinContact)
        .leftJoin(campaignSend, joinSend)
        .where(and(eq(task.tenantId, tenantId), inArray(task.id, ids)));
      return rows.map(toTask);
    },

    /** One page of tasks, soonest due first, after the cursor; one row more tells whether a page follows. */
    async listTasks(
      tx: Tx,
      tenantId: string,
      filter: TaskFilter,
      after: { dueAt: string; id: string } | null,
      limit: number,
    ) {
      const rows = await tx
        .select(taskWithLead)
        .from(task)
        .innerJoin(lead, joinLead)
        .innerJoin(contact, joinContact)
        .leftJoin(campaignSend, joinSend)
        .where(
          and(
            eq(task.tenantId, tenantId),
            inTaskBranches(filter.branchIds),
            filter.assigneeUserId ? eq(task.assigneeUserId, filter.assigneeUserId) : undefined,
            filter.status ? eq(task.status, filter.status) : undefined,
            filter.leadId ? eq(task.leadId, filter.leadId) : undefined,
            filter.dueFrom ? gte(task.dueAt, filter.dueFrom) : undefined,
            filter.dueBefore ? lt(task.dueAt, filter.dueBefore) : undefined,
            after
              ? sql`(${task.dueAt}, ${task.id}) > (${after.dueAt}::timestamptz, ${after.id}::uuid)`
              : undefined,
          ),
        )
        .orderBy(asc(task.dueAt), asc(task.id))
        .limit(limit + 1);
      return rows.map(toTask);
    },

    /** Open and overdue tasks per lead, for the inbox's badges. */
    async countsByLead(tx: Tx, tenantId: string, leadIds: string[], scope: BranchScope, now: string) {
      return tx
        .select({
          leadId: task.leadId,
          open: sql<number>`count(*)::int`,
          overdue: sql<number>`(count(*) filter (where ${task.dueAt} < ${now}::timestamptz))::int`,
        })
        .from(task)
        .where(
          and(
            eq(task.tenantId, tenantId),
            inArray(task.leadId, leadIds),
            eq(task.status, 'OPEN'),
            inTaskBranches(scope),
          ),
        )
        .groupBy(task.leadId);
    },
  };
}

function inBranches(scope: BranchScope): SQL | undefined {
  return scope === null ? undefined : inArray(lead.branchId, [...scope]);
}

function inTaskBranches(scope: BranchScope): SQL | undefined {
  if (scope === null) return undefined;
  const [only] = scope;
  return scope.length === 1 && only !== undefined
    ? eq(task.branchId, only)
    : inArray(task.branchId, [...scope]);
}

export type TasksRepository = ReturnType<typeof createTasksRepository>;
export type TaskRow = NonNullable<Awaited<ReturnType<TasksRepository['findTask']>>>;
