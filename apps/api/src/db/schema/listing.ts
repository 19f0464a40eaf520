import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { branch } from './branch';
import { tenant } from './tenant';

/** A minimal mirror of the marketplace catalog items a shop sells. Prices in minor units. */
export const listing = pgTable(
  'listing',
  {
    id: rowId(),
    tenantId: tenantIdColumn().references(() => tenant.id),
    branchId: uuid('branch_id'),
    title: text('title').notNull(),
    category: text('category').notNull(),
    price: bigint('price', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    stock: integer('stock').notNull().default(0),
    sku: text('sku'),
    active: boolean('active').notNull().default(true),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'listing_pkey', columns: [t.tenantId, t.id] }),
    index('listing_tenant_idx').on(t.tenantId, t.active, t.category),
    uniqueIndex('listing_tenant_sku_key').on(t.tenantId, t.sku).where(sql`${t.sku} is not null`),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
  ],
);
