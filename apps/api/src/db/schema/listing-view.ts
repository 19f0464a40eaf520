import { bigserial, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, tenantIdColumn } from '../columns';

/**
 * A marketplace page view of a listing: campaign impressions and the "viewed and did not buy" segment.
 * Written at high volume, so it is lean: a bigserial key, no foreign keys (the service checks the listing
 * and campaign belong to the tenant before inserting).
 */
export const listingView = pgTable(
  'listing_view',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    tenantId: tenantIdColumn(),
    listingId: uuid('listing_id').notNull(),
    marketplaceUserId: text('marketplace_user_id'),
    visitorId: text('visitor_id'),
    campaignId: uuid('campaign_id'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    // Partitioned by month of created_at (migration 0028, platform/partitions.ts): the key holds the partition key.
    primaryKey({ name: 'listing_view_pkey', columns: [t.tenantId, t.id, t.createdAt] }),
    index('listing_view_listing_idx').on(t.tenantId, t.listingId, t.createdAt),
    index('listing_view_campaign_idx').on(t.tenantId, t.campaignId, t.createdAt),
  ],
);
