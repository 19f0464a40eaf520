import { and, asc, eq, gt, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import { newId } from '../../db/columns';
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

/** A listing as a file or the marketplace has it, keyed by SKU. */
export interface ListingBySku {
  sku: string;
  title: string;
  category: string;
  price: number;
  currency: string;
  stock: number;
  branchId?: string | null | undefined;
  active?: boolean | undefined;
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
    /**
     * Creates or updates listings by SKU in one statement (one SKU once per call: the caller keeps the last).
     * `inserted` tells a new listing from an updated one (xmax is 0 only on a row this statement inserted). A
     * listing's branch and active flag change only when given.
     */
    async upsertBySku(tx: Tx, tenantId: string, rows: readonly ListingBySku[]) {
      if (rows.length === 0) return [];
      const result = await tx.execute<{ id: string; sku: string; inserted: boolean }>(sql`
        insert into listing (id, tenant_id, sku, title, category, price, currency, stock, branch_id, active)
        select v.id, ${tenantId}::uuid, v.sku, v.title, v.category, v.price, v.currency, v.stock, v.branch_id,
               coalesce(v.active, true)
          from unnest(${sql.param(rows.map(() => newId()))}::uuid[], ${sql.param(rows.map((r) => r.sku))}::text[],
                      ${sql.param(rows.map((r) => r.title))}::text[], ${sql.param(rows.map((r) => r.category))}::text[],
                      ${sql.param(rows.map((r) => r.price))}::bigint[], ${sql.param(rows.map((r) => r.currency))}::text[],
                      ${sql.param(rows.map((r) => r.stock))}::int[],
                      ${sql.param(rows.map((r) => r.branchId ?? null))}::uuid[],
                      ${sql.param(rows.map((r) => r.active ?? null))}::boolean[])
            as v(id, sku, title, category, price, currency, stock, branch_id, active)
        on conflict (tenant_id, sku) where sku is not null do update
           set title = excluded.title, category = excluded.category, price = excluded.price,
               currency = excluded.currency, stock = excluded.stock,
               branch_id = case when ${sql.param(rows.some((r) => r.branchId !== undefined))}
                                then excluded.branch_id else listing.branch_id end,
               active = case when ${sql.param(rows.some((r) => r.active !== undefined))}
                             then excluded.active else listing.active end,
               version = listing.version + 1, updated_at = now()
        returning id, sku, (xmax = 0) as inserted`);
      return result.rows;
    },
  };
}
