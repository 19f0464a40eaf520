import { emptyShopFacts, type ShopFacts, type UpdateShopFactsInput } from '@techmarket/contracts';
import type { StoredShopFacts } from '../../db/schema';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, invalidField, notFound } from '../../platform/errors';
import { createShopFactsRepository } from './shop-facts.repository';

/**
 * What a shop tells its customers (delivery zones and prices, pick-up, payment methods, warranty, repair times,
 * each branch's address): said once by the owner or a manager, read by the assistant for every reply. A fact
 * nobody gave stays unknown (null or empty), and the replies then leave it to the seller.
 */
export interface ShopFactsDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
}

export function createShopFactsService({ database, clock }: ShopFactsDeps) {
  const repo = createShopFactsRepository();

  /** The facts in force, inside the caller's transaction. */
  async function read(tx: Tx, tenantId: string, options: { lock?: boolean } = {}): Promise<ShopFacts> {
    const currency = await repo.tenantCurrency(tx, tenantId);
    if (!currency) throw notFound('Tenant');
    const row = await repo.find(tx, tenantId, options);
    const addresses = row?.branchAddresses ?? {};
    const branches = (await repo.activeBranches(tx, tenantId)).map((b) => ({
      ...b,
      address: addresses[b.branchId] ?? null,
    }));
    return {
      currency: currency as ShopFacts['currency'],
      ...(row?.facts ?? emptyShopFacts()),
      branches,
      version: row?.version ?? 0,
      updatedAt: row?.updatedAt ?? null,
    };
  }

  return {
    read,

    get: (tenantId: string) => database.withTenant(tenantId, (tx) => read(tx, tenantId)),

    /** Replaces what the shop said (a full description, as the settings screen sends it). */
    update: (tenantId: string, input: UpdateShopFactsInput) =>
      database.withTenant(tenantId, async (tx) => {
        const current = await read(tx, tenantId, { lock: true });
        if (input.version !== undefined && input.version !== current.version)
          throw new AppError(
            'VERSION_CONFLICT',
            `version ${input.version} is stale (now ${current.version})`,
          );
        const known = new Set(current.branches.map((b) => b.branchId));
        input.branches.forEach((b, index) => {
          if (!known.has(b.branchId))
            throw invalidField(
              `branches.${index}.branchId`,
              'no active branch of this shop',
              'NOT_FOUND_IN_SHOP',
            );
        });
        const facts: StoredShopFacts = {
          delivery: input.delivery,
          pickup: input.pickup,
          payment: input.payment,
          warranty: input.warranty,
          repair: input.repair,
        };
        const branchAddresses = Object.fromEntries(
          input.branches.flatMap((b) => (b.address ? [[b.branchId, b.address] as const] : [])),
        );
        const at = clock.now().toISOString();
        await repo.upsert(tx, { tenantId, facts, branchAddresses, createdAt: at, updatedAt: at });
        return read(tx, tenantId);
      }),
  };
}

export type ShopFactsService = ReturnType<typeof createShopFactsService>;
