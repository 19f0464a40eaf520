import type { ShopFacts } from '@techmarket/contracts';
import { jsonb, pgTable, uuid } from 'drizzle-orm/pg-core';
import { timestamps, versionColumn } from '../columns';
import { tenant } from './tenant';

/** The facts a shop gives its customers (delivery, payment, warranty, repairs) as the assistant answers them. */
export type StoredShopFacts = Pick<ShopFacts, 'delivery' | 'pickup' | 'payment' | 'warranty' | 'repair'>;

/**
 * What a shop says of itself for the assistant's replies (modules/assistant/shop-facts.service.ts). No row means
 * nothing said yet; the first save writes it. Branch addresses are keyed by branch id (a branch's hours stay on
 * the branch).
 */
export const shopFacts = pgTable('shop_facts', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenant.id),
  facts: jsonb('facts').$type<StoredShopFacts>().notNull(),
  branchAddresses: jsonb('branch_addresses').$type<Record<string, string>>().notNull().default({}),
  ...timestamps(),
  version: versionColumn(),
});
