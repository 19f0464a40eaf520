import { sql } from 'drizzle-orm';
import { date, foreignKey, integer, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { instant, tenantIdColumn } from '../columns';
import { campaign } from './campaign';

/**
 * A campaign's funnel per day, the day in the shop's time zone. Written by the attribution counters: straight
 * from each event without Redis, or folded from Redis by the worker (absolute values, so a fold repeats safely).
 */
export const campaignMetricDaily = pgTable(
  'campaign_metric_daily',
  {
    tenantId: tenantIdColumn(),
    campaignId: uuid('campaign_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    impressions: integer('impressions').notNull().default(0),
    clicks: integer('clicks').notNull().default(0),
    leads: integer('leads').notNull().default(0),
    wins: integer('wins').notNull().default(0),
    updatedAt: instant('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.campaignId, t.day] }),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaign.tenantId, campaign.id] }),
  ],
);

/**
 * Each lead a campaign won, once: a lead announced WON again (a note, a reassignment) or reopened and won
 * again is still one win. The insert that creates the row is the one that counts the win.
 */
export const campaignWin = pgTable(
  'campaign_win',
  {
    tenantId: tenantIdColumn(),
    campaignId: uuid('campaign_id').notNull(),
    leadId: uuid('lead_id').notNull(),
    wonAt: instant('won_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.campaignId, t.leadId] }),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaign.tenantId, campaign.id] }),
  ],
);
