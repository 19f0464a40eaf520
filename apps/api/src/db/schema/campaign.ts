import {
  type AutomaticTemplate,
  campaignStatuses,
  campaignTypes,
  type ReactivationSettings,
  type Segment,
} from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { tenant } from './tenant';

export const campaignTypeEnum = pgEnum('campaign_type', campaignTypes);
export const campaignStatusEnum = pgEnum('campaign_status', campaignStatuses);

/**
 * A marketing campaign. Tracking needs it now (clicks and views name their campaign); the campaigns
 * module owns its life cycle, segments and metrics.
 */
export const campaign = pgTable(
  'campaign',
  {
    id: rowId(),
    tenantId: tenantIdColumn().references(() => tenant.id),
    name: text('name').notNull(),
    type: campaignTypeEnum('type').notNull(),
    status: campaignStatusEnum('status').notNull().default('DRAFT'),
    startAt: instant('start_at'),
    endAt: instant('end_at'),
    segment: jsonb('segment').$type<Segment | Record<string, never>>().notNull().default({}),
    messageTemplate: text('message_template'),
    /** REACTIVATION campaigns: the frequency cap and quiet hours of their personal links. */
    reactivation: jsonb('reactivation').$type<ReactivationSettings>(),
    /** REACTIVATION campaigns: the approved template sent by itself at branches with a WhatsApp channel. */
    whatsappTemplate: jsonb('whatsapp_template').$type<AutomaticTemplate>(),
    /** REACTIVATION campaigns: picks up each lead the follow-up engine moves to DORMANT. */
    standing: boolean('standing').notNull().default(false),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'campaign_pkey', columns: [t.tenantId, t.id] }),
    index('campaign_tenant_idx').on(t.tenantId, t.status, t.createdAt),
    // One standing campaign per shop among those not ENDED: the engine hands each dormant lead to one.
    uniqueIndex('campaign_standing_key').on(t.tenantId).where(sql`${t.standing} and ${t.status} <> 'ENDED'`),
  ],
);
