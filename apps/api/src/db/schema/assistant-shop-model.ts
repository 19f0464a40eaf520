import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn } from '../columns';
import { lead } from './lead';

/**
 * What a shop's sellers said a lead is: a person set its type or priority (CORRECTION), or rejected or edited the
 * assistant's suggestion (FEEDBACK). One row per lead, its latest label; `text` is the customer's first message.
 */
export const assistantShopExample = pgTable(
  'assistant_shop_example',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    leadId: uuid('lead_id').notNull(),
    text: text('text').notNull(),
    leadType: text('lead_type').$type<'SALE' | 'SERVICE'>().notNull(),
    priority: text('priority').$type<'HIGH' | 'MEDIUM' | 'LOW'>().notNull(),
    source: text('source').$type<'CORRECTION' | 'FEEDBACK'>().notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'assistant_shop_example_pkey', columns: [t.tenantId, t.id] }),
    unique('assistant_shop_example_lead_key').on(t.tenantId, t.leadId),
    index('assistant_shop_example_updated_idx').on(t.tenantId, t.updatedAt),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }).onDelete(
      'cascade',
    ),
    check('assistant_shop_example_lead_type_check', sql`${t.leadType} IN ('SALE', 'SERVICE')`),
    check('assistant_shop_example_priority_check', sql`${t.priority} IN ('HIGH', 'MEDIUM', 'LOW')`),
    check('assistant_shop_example_source_check', sql`${t.source} IN ('CORRECTION', 'FEEDBACK')`),
  ],
);

/** How a version scored on the shop's newest examples, and the reading it was compared with. */
export interface ShopModelScores {
  candidate: { examples: number; leadType: number; priority: number; both: number };
  baseline: { examples: number; leadType: number; priority: number; both: number };
  /** The version in use when it was trained; null: the shared model alone. */
  baselineVersion: number | null;
}

/** The versions of a shop's own layer over the shared model (tenant-layer.ts); at most one active. */
export const assistantShopModel = pgTable(
  'assistant_shop_model',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    version: integer('version').notNull(),
    weights: jsonb('weights').$type<unknown>().notNull(),
    examples: integer('examples').notNull(),
    corrections: integer('corrections').notNull(),
    heldOut: integer('held_out').notNull(),
    scores: jsonb('scores').$type<ShopModelScores>().notNull(),
    reason: text('reason').notNull(),
    active: boolean('active').notNull().default(false),
    activatedAt: instant('activated_at'),
    activatedByUserId: uuid('activated_by_user_id'),
    trainedThrough: instant('trained_through').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'assistant_shop_model_pkey', columns: [t.tenantId, t.id] }),
    unique('assistant_shop_model_version_key').on(t.tenantId, t.version),
    uniqueIndex('assistant_shop_model_active_key').on(t.tenantId).where(sql`${t.active}`),
  ],
);
