import type { BusinessHours, LeadStatus, Task, TaskStatus } from '@techmarket/contracts';
import { and, asc, eq, gte, inArray, isNotNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import {
  appUser,
  branch,
  campaignSend,
  contact,
  followupPolicy,
  lead,
  leadEvent,
  task,
  tenant,
  userBranch,
} from '../../db/schema';
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

/*
 * The engine's ways in. Each condition repeats the predicate of its partial index (db/schema/lead.ts) word for
 * word, so the planner can prove the index applies; every operator in them is LEAKPROOF, so the indexes also
 * serve under row-level security.
 */
const ENGINE_CODES = sql`(0, 1, 2, 3)`;
const unseen = sql`(${lead.statusCode} in ${ENGINE_CODES} or ${lead.followupStageAt} is not null) and ${lead.followupStageAt} is distinct from ${lead.statusChangedAt}`;
const engineStatus = sql`${lead.statusCode} in ${ENGINE_CODES}`;
const unstamped = sql`${lead.firstResponseAt} is not null and ${lead.firstResponseBusinessSeconds} is null`;

export interface TaskFilter {
  branchIds: BranchScope;
  assigneeUserId?: string | undefined;
  status?: TaskStatus | undefined;
  leadId?: string | undefined;
  dueFrom?: string | undefined;
  dueBefore?: string | undefined;
}

export interface BookmarkUpdate {
  id: string;
  stageAt: string;
  dueAt: string | null;
}

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createFollowupsRepository() {
  return {
    async getPolicy(tx: Tx, tenantId: string) {
      const [row] = await tx.select().from(followupPolicy).where(eq(followupPolicy.tenantId, tenantId));
      return row ?? null;
    },

    /**
     * Writes the policy: inserts the first one, else updates it when its version is the one expected (any, when
     * null). Null when the version moved on.
     */
    async savePolicy(
      tx: Tx,
      values: typeof followupPolicy.$inferInsert & { tenantId: string },
      expectedVersion: number | null,
      at: string,
    ) {
      const { tenantId, ...changes } = values;
      const [row] = await tx
        .insert(followupPolicy)
        .values({ ...values, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({
          target: followupPolicy.tenantId,
          set: { ...changes, updatedAt: at, version: sql`${followupPolicy.version} + 1` },
          ...(expectedVersion === null ? {} : { setWhere: eq(followupPolicy.version, expectedVersion) }),
        })
        .returning();
      return row ?? null;
    },

    /** Makes the engine look at every open lead of the shop again (after its rules changed). */
    async forgetBookmarks(tx: Tx, tenantId: string) {
      await tx
        .update(lead)
        .set({ followupStageAt: null, followupDueAt: null })
        .where(and(eq(lead.tenantId, tenantId), engineStatus, isNotNull(lead.followupStageAt)));
    },

    async tenantTimezone(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({ timezone: tenant.timezone })
        .from(tenant)
        .where(eq(tenant.id, tenantId));
      return row?.timezone ?? null;
    },

    async branches(tx: Tx, tenantId: string) {
      return tx
        .select({
          id: branch.id,
          name: branch.name,
          timezone: branch.timezone,
          hours: branch.businessHours,
          countryCode: branch.countryCode,
        })
        .from(branch)
        .where(eq(branch.tenantId, tenantId))
        .orderBy(asc(branch.name), asc(branch.id)) as Promise<
        { id: string; name: string; timezone: string; hours: BusinessHours; countryCode: string | null }[]
      >;
    },

    /** Serialises engine passes over one shop: a second engine waits, then finds the work done. */
    async lockTenantEngine(tx: Tx, tenantId: string) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`followups:${tenantId}`}, 0))`);
    },

    /**
     * The leads the engine must look at: unseen in their current stage, or with a rule due by `now`. Each half
     * reads its partial index; a lead in both comes once.
     */
    async candidates(tx: Tx, tenantId: string, now: string, limit: number) {
      const columns = {
        id: lead.id,
        branchId: lead.branchId,
        status: lead.status,
        statusChangedAt: lead.statusChangedAt,
        lastActivityAt: lead.lastActivityAt,
        assignedToUserId: lead.assignedToUserId,
        version: lead.version,
        followupStageAt: lead.followupStageAt,
        contactName: contact.name,
        contactPhone: contact.phone,
        contactOptedOut: sql<boolean>`${contact.optedOutAt} is not null`,
      };
      const fresh = await tx
        .select(columns)
        .from(lead)
        .innerJoin(contact, joinContact)
        .where(and(eq(lead.tenantId, tenantId), unseen))
        .orderBy(asc(lead.statusChangedAt))
        .limit(limit);
      const due = await tx
        .select(columns)
        .from(lead)
        .innerJoin(contact, joinContact)
        .where(and(eq(lead.tenantId, tenantId), engineStatus, lte(lead.followupDueAt, now)))
        .orderBy(asc(lead.followupDueAt))
        .limit(limit);
      const byId = new Map(fresh.map((row) => [row.id, row]));
      for (const row of due) if (!byId.has(row.id)) byId.set(row.id, row);
      return [...byId.values()];
    },

    /** The latest customer message of each lead, for "QUOTED with no customer reply". */
    async lastCustomerMessages(tx: Tx, tenantId: string, leadIds: string[]) {
      if (leadIds.length === 0) return new Map<string, string>();
      const rows = await tx
        .select({ leadId: leadEvent.leadId, at: sql<string>`max(${leadEvent.createdAt})` })
        .from(leadEvent)
        .where(
          and(
            eq(leadEvent.tenantId, tenantId),
            inArray(leadEvent.leadId, leadIds),
            eq(leadEvent.type, 'MESSAGE_RECEIVED'),
          ),
        )
        .groupBy(leadEvent.leadId);
      return new Map(rows.map((r) => [r.leadId, new Date(r.at).toISOString()]));
    },

    /**
     * The engine's bookmarks: the stage each lead was evaluated in, and when to look again. Guarded by the
     * stage, so a lead that moved meanwhile stays unseen and is evaluated again in its new stage.
     */
    async setBookmarks(tx: Tx, tenantId: string, updates: BookmarkUpdate[]) {
      if (updates.length === 0) return;
      const rows = sql.join(
        updates
          .toSorted((a, b) => a.id.localeCompare(b.id))
          .map((u) => sql`(${u.id}::uuid, ${u.stageAt}::timestamptz, ${u.dueAt}::timestamptz)`),
        sql`, `,
      );
      await tx.execute(sql`
        update ${lead} set followup_stage_at = v.stage_at, followup_due_at = v.due_at
        from (values ${rows}) as v(id, stage_at, due_at)
        where ${lead.tenantId} = ${tenantId} and ${lead.id} = v.id and ${lead.statusChangedAt} = v.stage_at`);
    },

    /**
     * The engine's open tasks of leads that have left the stage the task fired for: done when a person moved
     * the lead on (the move answered the alert), cancelled when it went DORMANT. Done at the time of the move.
     */
    async closeTasksOfPastStages(tx: Tx, tenantId: string, leadIds: string[], at: string) {
      if (leadIds.length === 0) return 0;
      const closed = await tx.execute(sql`
        update ${task} set
          status = case when ${lead.status} = 'DORMANT' then 'CANCELLED' else 'DONE' end,
          completed_at = case when ${lead.status} = 'DORMANT' then null else ${lead.statusChangedAt} end,
          updated_at = ${at}::timestamptz,
          version = ${task.version} + 1
        from ${lead}
        where ${task.tenantId} = ${tenantId} and ${inArray(task.leadId, leadIds)} and ${task.status} = 'OPEN'
          and ${task.stageAt} is not null and ${lead.tenantId} = ${task.tenantId} and ${lead.id} = ${task.leadId}
          and ${lead.statusChangedAt} <> ${task.stageAt}`);
      return closed.rowCount ?? 0;
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
    /** The engine's follow-ups that went out by themselves as a WhatsApp template: done at once, with a note. */
    async completeSentFollowUps(tx: Tx, tenantId: string, notes: { id: string; note: string }[], at: string) {
      for (const { id, note } of notes) {
        await tx
          .update(task)
          .set({ status: 'DONE', completedAt: at, note, updatedAt: at, version: sql`${task.version} + 1` })
          .where(and(eq(task.tenantId, tenantId), eq(task.id, id), eq(task.status, 'OPEN')));
      }
    },

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

    /** The open alert of the lead's current stage follows the lead to its new seller. */
    async handOverAlert(
      tx: Tx,
      tenantId: string,
      leadId: string,
      stageAt: string,
      toUserId: string,
      at: string,
    ) {
      await tx
        .update(task)
        .set({ assigneeUserId: toUserId, updatedAt: at, version: sql`${task.version} + 1` })
        .where(
          and(
            eq(task.tenantId, tenantId),
            eq(task.leadId, leadId),
            eq(task.kind, 'NEW_LEAD_ALERT'),
            eq(task.status, 'OPEN'),
            eq(task.stageAt, stageAt),
          ),
        );
    },

    /** Active managers and owners with their branches: who an escalation, or an unassigned lead's alert, goes to. */
    async managers(tx: Tx, tenantId: string) {
      const rows = await tx
        .select({ id: appUser.id, role: appUser.role, branchId: userBranch.branchId })
        .from(appUser)
        .leftJoin(
          userBranch,
          and(eq(userBranch.tenantId, appUser.tenantId), eq(userBranch.userId, appUser.id)),
        )
        .where(
          and(
            eq(appUser.tenantId, tenantId),
            inArray(appUser.role, ['OWNER', 'MANAGER']),
            eq(appUser.active, true),
          ),
        )
        .orderBy(asc(appUser.id));
      const users = new Map<string, { id: string; role: 'OWNER' | 'MANAGER'; branchIds: string[] }>();
      for (const row of rows) {
        const user = users.get(row.id) ?? {
          id: row.id,
          role: row.role as 'OWNER' | 'MANAGER',
          branchIds: [],
        };
        if (row.branchId) user.branchIds.push(row.branchId);
        users.set(row.id, user);
      }
      return [...users.values()];
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

    /** Answered leads whose response time has not been measured in business time yet. */
    async unstampedResponses(tx: Tx, tenantId: string, limit: number) {
      return tx
        .select({
          id: lead.id,
          branchId: lead.branchId,
          createdAt: lead.createdAt,
          firstResponseAt: lead.firstResponseAt,
        })
        .from(lead)
        .where(and(eq(lead.tenantId, tenantId), unstamped))
        .limit(limit);
    },

    async stampResponses(tx: Tx, tenantId: string, stamps: { id: string; seconds: number }[]) {
      if (stamps.length === 0) return;
      const rows = sql.join(
        stamps
          .toSorted((a, b) => a.id.localeCompare(b.id))
          .map((s) => sql`(${s.id}::uuid, ${s.seconds}::int)`),
        sql`, `,
      );
      await tx.execute(sql`
        update ${lead} set first_response_business_seconds = v.seconds
        from (values ${rows}) as v(id, seconds)
        where ${lead.tenantId} = ${tenantId} and ${lead.id} = v.id`);
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

export type FollowupsRepository = ReturnType<typeof createFollowupsRepository>;
export type TaskRow = NonNullable<Awaited<ReturnType<FollowupsRepository['findTask']>>>;
