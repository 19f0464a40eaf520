import type {
  createListingBody,
  Listing,
  listingsQuery,
  updateListingBody,
  upsertListingBody,
} from '@techmarket/contracts';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock';
import { idCursor, paginate } from '../../platform/cursor';
import type { Database, Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import { AppError, invalidField, notFound } from '../../platform/errors';
import type { IdentityService } from '../identity';
import { createCatalogRepository, type ListingBySku, type ListingRow } from './catalog.repository';

/**
 * The catalog: a minimal mirror of the marketplace items a shop sells, so leads, quotes and
 * campaigns can name a product and its price. Listings are deactivated, never deleted: old leads
 * and quotes keep pointing at them.
 */

const toListing = (row: ListingRow): Listing => ({
  id: row.id,
  tenantId: row.tenantId,
  branchId: row.branchId,
  title: row.title,
  category: row.category,
  price: row.price,
  currency: row.currency,
  stock: row.stock,
  sku: row.sku,
  active: row.active,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  version: row.version,
});

export interface CatalogDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  branches: Pick<IdentityService, 'findBranch'>;
}

export function createCatalogService({ database, branches }: CatalogDeps) {
  const repo = createCatalogRepository();

  async function assertBranch(tx: Tx, tenantId: string, branchId: string | null | undefined) {
    if (branchId && !(await branches.findBranch(tx, tenantId, branchId))) {
      throw invalidField('branchId', 'no such branch in this tenant', 'NOT_FOUND_IN_SHOP');
    }
  }

  const translateSkuConflict = (error: unknown): never => {
    if (isUniqueViolation(error, 'listing_tenant_sku_key')) {
      throw new AppError('CONFLICT', 'Another listing already has this SKU', {
        errors: [{ path: 'sku', message: 'already used', code: 'ALREADY_USED' }],
      });
    }
    throw error;
  };

  return {
    async list(tenantId: string, query: z.output<typeof listingsQuery>) {
      const rows = await database.withTenant(tenantId, (tx) =>
        repo.list(tx, tenantId, {
          ...query,
          afterId: query.cursor ? idCursor.decode(query.cursor).id : undefined,
        }),
      );
      const page = paginate(rows, query.limit, idCursor, (row) => ({ id: row.id }));
      return { items: page.rows.map(toListing), nextCursor: page.nextCursor };
    },

    async get(tenantId: string, listingId: string) {
      const row = await database.withTenant(tenantId, (tx) => repo.get(tx, tenantId, listingId));
      if (!row) throw notFound('Listing');
      return toListing(row);
    },

    create: (tenantId: string, input: z.output<typeof createListingBody>) =>
      database
        .withTenant(tenantId, async (tx) => {
          await assertBranch(tx, tenantId, input.branchId);
          return toListing(
            await repo.insert(tx, {
              tenantId,
              branchId: input.branchId ?? null,
              title: input.title,
              category: input.category,
              price: input.price,
              currency: input.currency,
              stock: input.stock,
              sku: input.sku ?? null,
            }),
          );
        })
        .catch(translateSkuConflict),

    update: (tenantId: string, listingId: string, input: z.output<typeof updateListingBody>) =>
      database
        .withTenant(tenantId, async (tx) => {
          if (!(await repo.get(tx, tenantId, listingId))) throw notFound('Listing');
          await assertBranch(tx, tenantId, input.branchId);
          const { version, ...changes } = input;
          const row = await repo.update(tx, tenantId, listingId, changes, version);
          if (!row)
            throw new AppError('VERSION_CONFLICT', 'The listing was changed by someone else; reload it');
          return toListing(row);
        })
        .catch(translateSkuConflict),

    /**
     * The marketplace's copy of a listing, by SKU: created the first time, updated after (200 either way, with
     * `created` telling which). Keeps the catalog in sync without the CRM's ids.
     */
    upsertBySku: (tenantId: string, sku: string, input: z.output<typeof upsertListingBody>) =>
      database.withTenant(tenantId, async (tx) => {
        await assertBranch(tx, tenantId, input.branchId);
        const [result] = await repo.upsertBySku(tx, tenantId, [{ ...input, sku }]);
        const row = result && (await repo.get(tx, tenantId, result.id));
        if (!row || !result) throw new Error('listing upsert returned nothing');
        return { listing: toListing(row), created: result.inserted };
      }),

    /** For the imports: listings by SKU in the caller's transaction (each SKU once per call). */
    upsertManyBySku: (tx: Tx, tenantId: string, rows: readonly ListingBySku[]) =>
      repo.upsertBySku(tx, tenantId, rows),

    /** For other modules, inside their own transaction. */
    findListing: (tx: Tx, tenantId: string, listingId: string) => repo.get(tx, tenantId, listingId),
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
