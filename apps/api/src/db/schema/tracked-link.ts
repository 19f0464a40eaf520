import {
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
import { rowId, tenantIdColumn, timestamps } from '../columns';
import { branch } from './branch';
import { campaign } from './campaign';
import { leadSourceEnum } from './enums';
import { listing } from './listing';
import { tenant } from './tenant';

/** A short link (/w/{code}) for QR codes, flyers and social bios; a visit is a tracked WhatsApp click. */
export const trackedLink = pgTable(
  'tracked_link',
  {
    id: rowId(),
    tenantId: tenantIdColumn().references(() => tenant.id),
    /** Global: the public URL carries no tenant. */
    code: text('code').notNull(),
    branchId: uuid('branch_id').notNull(),
    listingId: uuid('listing_id'),
    campaignId: uuid('campaign_id'),
    source: leadSourceEnum('source').notNull(),
    label: text('label'),
    clicks: integer('clicks').notNull().default(0),
    /** Link-preview crawlers (WhatsApp, Facebook, Slack…): counted, never a lead. */
    botClicks: integer('bot_clicks').notNull().default(0),
    active: boolean('active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ name: 'tracked_link_pkey', columns: [t.tenantId, t.id] }),
    // code: unique across shops through its look-up table (lookups.ts, migration 0031), kept by a trigger.
    uniqueIndex('tracked_link_tenant_code_key').on(t.tenantId, t.code),
    index('tracked_link_tenant_idx').on(t.tenantId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
    foreignKey({ columns: [t.tenantId, t.listingId], foreignColumns: [listing.tenantId, listing.id] }),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaign.tenantId, campaign.id] }),
  ],
);
