import { boolean, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamps, versionColumn } from '../columns';
import { tenant } from './tenant';

/**
 * A shop's tax, quote validity and ticket SLAs. No row means the defaults of the shop's currency
 * (modules/quotes/tax-defaults.ts); the first change writes the row.
 */
export const commerceSettings = pgTable('commerce_settings', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenant.id),
  taxName: text('tax_name').notNull(),
  /** Basis points: 1800 is 18 %. */
  taxRateBps: integer('tax_rate_bps').notNull(),
  pricesIncludeTax: boolean('prices_include_tax').notNull(),
  quoteValidDays: integer('quote_valid_days').notNull(),
  slaHoursHigh: integer('sla_hours_high').notNull(),
  slaHoursMedium: integer('sla_hours_medium').notNull(),
  slaHoursLow: integer('sla_hours_low').notNull(),
  ...timestamps(),
  version: versionColumn(),
});
