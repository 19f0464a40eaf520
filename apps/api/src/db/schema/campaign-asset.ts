import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { campaign } from './campaign';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** What a campaign asset document holds: copy texts, or an image's description (the bytes live beside it). */
export interface CampaignAssetDocument {
  title?: string;
  text?: string;
  language?: string;
  channel?: string;
  alt?: string;
  filename?: string;
}

/**
 * The specification's `campaign_assets` collection: one JSONB document per asset. Images keep their bytes in
 * the same row (bytea, at most 2 MB): stored, backed up, isolated per tenant and rolled back with everything
 * else, and readable by every stateless instance without a shared disk.
 */
export const campaignAsset = pgTable(
  'campaign_asset',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    campaignId: uuid('campaign_id').notNull(),
    kind: text('kind').$type<'COPY' | 'IMAGE'>().notNull(),
    document: jsonb('document').$type<CampaignAssetDocument>().notNull(),
    content: bytea('content'),
    contentType: text('content_type'),
    byteSize: integer('byte_size'),
    sha256: text('sha256'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'campaign_asset_pkey', columns: [t.tenantId, t.id] }),
    index('campaign_asset_campaign_idx').on(t.tenantId, t.campaignId, t.createdAt),
    check('campaign_asset_kind_check', sql`${t.kind} in ('COPY', 'IMAGE')`),
    check('campaign_asset_size_check', sql`${t.byteSize} is null or ${t.byteSize} <= 2097152`),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaign.tenantId, campaign.id] }),
  ],
);
