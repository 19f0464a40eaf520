import { and, desc, eq, gte, notInArray, sql } from 'drizzle-orm';
import { lead } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';

/** The lock that makes a contact's conversation at a branch one lead. */
const openLeadLock = (tenantId: string, contactId: string, branchId: string) =>
  `lead-open:${tenantId}:${contactId}:${branchId}`;

/**
 * The statements of a click or message finding its lead (capture.ts): the open-lead locks and the lead's reference
 * code. Every function takes the tenant first.
 */
export function createCaptureRepository() {
  return {
    /**
     * The contact's open lead at the branch (active since `since`, or any when null), after taking the lock that
     * makes it one conversation per contact and branch: concurrent clicks and messages wait here and then find it.
     */
    async lockOpenLead(
      tx: Tx,
      key: { tenantId: string; contactId: string; branchId: string; since: string | null },
    ) {
      const { tenantId, contactId, branchId, since } = key;
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${openLeadLock(tenantId, contactId, branchId)}, 0))`,
      );
      const [open] = await tx
        .select({ id: lead.id, refCode: lead.refCode })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            eq(lead.contactId, contactId),
            eq(lead.branchId, branchId),
            notInArray(lead.status, ['WON', 'LOST']),
            since === null ? undefined : gte(lead.lastActivityAt, since),
          ),
        )
        .orderBy(desc(lead.lastActivityAt))
        .limit(1);
      return open ?? null;
    },

    /**
     * lockOpenLead for several contacts, each at a branch, with no time limit: every lock in one statement (sorted,
     * so two batches never wait on each other's second lock), then every open lead in one more. Keyed
     * `${contactId}:${branchId}`; a pair with no open lead is absent (and stays so while the lock is held).
     */
    async lockOpenLeads(tx: Tx, tenantId: string, pairs: readonly { contactId: string; branchId: string }[]) {
      const found = new Map<string, { id: string; refCode: string | null }>();
      const unique = new Map(pairs.map((pair) => [`${pair.contactId}:${pair.branchId}`, pair]));
      if (unique.size === 0) return found;
      const keys = [...unique.values()].map((p) => openLeadLock(tenantId, p.contactId, p.branchId)).sort();
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(t.k, 0))
          from unnest(${sql.param(keys)}::text[]) with ordinality as t(k, i) order by t.i`,
      );
      const list = [...unique.values()];
      const rows = await tx
        .selectDistinctOn([lead.contactId, lead.branchId], {
          id: lead.id,
          refCode: lead.refCode,
          contactId: lead.contactId,
          branchId: lead.branchId,
        })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            sql`(${lead.contactId}, ${lead.branchId}) in (select * from unnest(${sql.param(list.map((p) => p.contactId))}::uuid[], ${sql.param(list.map((p) => p.branchId))}::uuid[]))`,
            notInArray(lead.status, ['WON', 'LOST']),
          ),
        )
        .orderBy(lead.contactId, lead.branchId, desc(lead.lastActivityAt));
      for (const row of rows)
        found.set(`${row.contactId}:${row.branchId}`, { id: row.id, refCode: row.refCode });
      return found;
    },

    /**
     * Gives the lead this reference code unless another lead of the tenant has it: false then, and the caller
     * draws another. An update cannot skip a clash as an insert can; a savepoint keeps the transaction alive.
     */
    async setRefCodeUnlessTaken(tx: Tx, tenantId: string, leadId: string, code: string) {
      try {
        await tx.transaction((savepoint) =>
          savepoint
            .update(lead)
            .set({ refCode: code })
            .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId))),
        );
        return true;
      } catch (error) {
        if (isUniqueViolation(error, 'lead_tenant_ref_code_key')) return false;
        throw error;
      }
    },
  };
}

export type CaptureRepository = ReturnType<typeof createCaptureRepository>;
