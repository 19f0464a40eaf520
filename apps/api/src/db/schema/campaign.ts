import {
  campaignStatuses,
  campaignTypes,
  type ReactivationSettings,
  type Segment,
} from '@techmarket/contracts';
import { index, jsonb, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { instant, primaryId, tenantIdColumn, timestamps, versionColumn } from '../columns';
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
    id: primaryId(),
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
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    index('campaign_tenant_idx').on(t.tenantId, t.status, t.createdAt),
    unique('campaign_tenant_id_key').on(t.tenantId, t.id),
  ],
);
