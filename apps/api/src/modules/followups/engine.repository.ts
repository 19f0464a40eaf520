import type { BusinessHours } from '@techmarket/contracts';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { appUser, branch, contact, lead, leadEvent, task, userBranch } from '../../db/schema';
import type { Tx } from '../../platform/db';

const joinContact = and(eq(contact.tenantId, lead.tenantId), eq(contact.id, lead.contactId));

/*
 * The engine's ways in. Each condition repeats the predicate of its partial index (db/schema/lead.ts) word for
 * word, so the planner can prove the index applies; every operator in them is LEAKPROOF, so the indexes also
 * serve under row-level security.
 */
const ENGINE_CODES = sql`(0, 1, 2, 3)`;
const unseen = sql`(${lead.statusCode} in ${ENGINE_CODES} or ${lead.followupStageAt} is not null) and ${lead.followupStageAt} is distinct from ${lead.statusChangedAt}`;
/** Open leads (also how the policy makes the engine forget its bookmarks). */
export const engineStatus = sql`${lead.statusCode} in ${ENGINE_CODES}`;
const unstamped = sql`${lead.firstResponseAt} is not null and ${lead.firstResponseBusinessSeconds} is null`;

export interface BookmarkUpdate {
  id: string;
  stageAt: string;
  dueAt: string | null;
}

/** What the engine reads and writes in a pass. Every function takes the tenant first; RLS is the second wall. */
export function createEngineRepository() {
  return {
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
    /** The engine's follow-ups that went out by themselves as a WhatsApp template: done at once, with a note. */
    async completeSentFollowUps(tx: Tx, tenantId: string, notes: { id: string; note: string }[], at: string) {
      for (const { id, note } of notes) {
        await tx
          .update(task)
          .set({ status: 'DONE', completedAt: at, note, updatedAt: at, version: sql`${task.version} + 1` })
          .where(and(eq(task.tenantId, tenantId), eq(task.id, id), eq(task.status, 'OPEN')));
      }
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
  };
}

export type EngineRepository = ReturnType<typeof createEngineRepository>;
