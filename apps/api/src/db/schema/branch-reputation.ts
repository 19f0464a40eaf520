import {
  boolean,
  doublePrecision,
  foreignKey,
  integer,
  pgTable,
  primaryKey,
  smallint,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, tenantIdColumn } from '../columns';
import { branch } from './branch';

/**
 * A branch's response reputation as the marketplace reads it (GET /platform/branch-reputation): the score and
 * its inputs over the window, refreshed each hour by a job per shop (modules/analytics). The feed reads every
 * shop's rows through the SECURITY DEFINER function branch_reputation_page (migration 0023).
 */
export const branchReputation = pgTable(
  'branch_reputation',
  {
    tenantId: tenantIdColumn(),
    branchId: uuid('branch_id').notNull(),
    score: smallint('score'),
    leads: integer('leads').notNull(),
    answered: integer('answered').notNull(),
    answeredOnTime: integer('answered_on_time').notNull(),
    onTimeRate: doublePrecision('on_time_rate'),
    medianMinutes: doublePrecision('median_minutes'),
    p90Minutes: doublePrecision('p90_minutes'),
    targetMinutes: integer('target_minutes').notNull(),
    businessHoursOnly: boolean('business_hours_only').notNull(),
    periodFrom: instant('period_from').notNull(),
    periodTo: instant('period_to').notNull(),
    computedAt: instant('computed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.branchId] }),
    foreignKey({
      columns: [t.tenantId, t.branchId],
      foreignColumns: [branch.tenantId, branch.id],
    }).onDelete('cascade'),
  ],
);
