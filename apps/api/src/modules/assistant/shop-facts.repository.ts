import { and, asc, eq, sql } from 'drizzle-orm';
import { branch, shopFacts, tenant } from '../../db/schema';
import type { Tx } from '../../platform/db';

/** The shop's facts and what they hang on (its currency, its branches). Every query takes the tenant first. */
export function createShopFactsRepository() {
  return {
    async find(tx: Tx, tenantId: string, options: { lock?: boolean } = {}) {
      const query = tx.select().from(shopFacts).where(eq(shopFacts.tenantId, tenantId));
      const [row] = options.lock ? await query.for('update') : await query;
      return row ?? null;
    },

    async tenantCurrency(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({ currency: tenant.defaultCurrency })
        .from(tenant)
        .where(eq(tenant.id, tenantId));
      return row?.currency ?? null;
    },

    /** The shop's active branches, oldest first (the first is the one made at signup). */
    activeBranches: (tx: Tx, tenantId: string) =>
      tx
        .select({
          branchId: branch.id,
          name: branch.name,
          zone: branch.zone,
          timezone: branch.timezone,
          businessHours: branch.businessHours,
        })
        .from(branch)
        .where(and(eq(branch.tenantId, tenantId), eq(branch.active, true)))
        .orderBy(asc(branch.createdAt), asc(branch.id)),

    async upsert(tx: Tx, values: typeof shopFacts.$inferInsert) {
      const { tenantId: _tenant, createdAt: _created, ...changes } = values;
      const [row] = await tx
        .insert(shopFacts)
        .values(values)
        .onConflictDoUpdate({
          target: shopFacts.tenantId,
          set: { ...changes, version: sql`${shopFacts.version} + 1` },
        })
        .returning();
      if (!row) throw new Error(`shop facts of ${values.tenantId} not written`);
      return row;
    },
  };
}
