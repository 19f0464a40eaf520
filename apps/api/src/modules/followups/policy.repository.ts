import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { followupPolicy, lead } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { engineStatus } from './engine.repository';

/** The shop's follow-up policy. Every function takes the tenant first; RLS is the second wall. */
export function createPolicyRepository() {
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
  };
}
