import { and, asc, eq, gt, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import { listing } from '../../db/schema';
import type { Tx } from '../../platform/db';

export type ListingRow = typeof listing.$inferSelect;

export interface ListingFilter {
  active?: boolean | undefined;
  category?: string | undefined;
  branchId?: string | undefined;
  q?: string | undefined;
  id?: string[] | undefined;
  afterId?: string | undefined;
  limit: number;
}

export function createCatalogRepository() {
  return {
    async list(tx: Tx, tenantId: string, filter: ListingFilter) {
      const conditions: (SQL | undefined)[] = [eq(listing.tenantId, tenantId)];
      if (filter.active !== undefined) conditions.push(eq(listing.active, filter.active));
      if (filter.category) conditions.push(eq(listing.category, filter.category));
      // A listing without a branch is sold by every branch.
      if (filter.branchId)
        conditions.push(or(eq(listing.branchId, filter.branchId), sql`${listing.branchId} is null`));
      if (filter.q) {
        const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        conditions.push(or(ilike(listing.title, pattern), ilike(listing.sku, pattern)));
      }
      if (filter.id) conditions.push(inArray(listing.id, filter.id));
      if (filter.afterId) conditions.push(gt(listing.id, filter.afterId));
      return tx
        .select()
        .from(listing)
        .where(and(...conditions))
        .orderBy(asc(listing.id))
        .limit(filter.limit + 1);
    },
    async get(tx: Tx, tenantId: string, listingId: string) {
      const [row] = await tx
        .select()
        .from(listing)
        .where(and(eq(listing.tenantId, tenantId), eq(listing.id, listingId)));
      return row ?? null;
    },
    async insert(tx: Tx, row: typeof listing.$inferInsert) {
      const [created] = await tx.insert(listing).values(row).returning();
      if (!created) throw new Error('listing insert returned nothing');
      return created;
    },
    async update(
      tx: Tx,
      tenantId: string,
      listingId: string,
      changes: Partial<typeof listing.$inferInsert>,
      expectedVersion?: number,
    ) {
      const conditions = [eq(listing.tenantId, tenantId), eq(listing.id, listingId)];
      if (expectedVersion !== undefined) conditions.push(eq(listing.version, expectedVersion));
      const [row] = await tx
        .update(listing)
        .set({ ...changes, version: sql`${listing.version} + 1`, updatedAt: sql`now()` })
        .where(and(...conditions))
        .returning();
      return row ?? null;
    },
  };
}
