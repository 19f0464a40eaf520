import { integer, pgTable, uuid } from 'drizzle-orm/pg-core';
import { tenant } from './tenant';

/**
 * The last quote number a shop issued. Taking a number updates this row inside the quote's own transaction,
 * so the row lock serialises concurrent quotes and a rolled-back quote gives its number back: no gaps, no repeats.
 */
export const quoteCounter = pgTable('quote_counter', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenant.id),
  lastNumber: integer('last_number').notNull(),
});
