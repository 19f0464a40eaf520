import { assignmentStrategies } from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import { check, integer, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { primaryId, timestamps } from '../columns';

export const assignmentStrategyEnum = pgEnum('assignment_strategy', assignmentStrategies);

export const tenant = pgTable(
  'tenant',
  {
    id: primaryId(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    defaultCurrency: text('default_currency').notNull().default('PEN'),
    timezone: text('timezone').notNull().default('America/Lima'),
    /** How a new lead picks its seller among those on shift. */
    assignmentStrategy: assignmentStrategyEnum('assignment_strategy').notNull().default('ROUND_ROBIN'),
    /** Months after a lead closes before its customer's personal data is anonymised; null keeps it. */
    retentionMonths: integer('retention_months'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('tenant_slug_key').on(t.slug),
    check(
      'tenant_retention_months_range',
      sql`${t.retentionMonths} is null or ${t.retentionMonths} between 1 and 240`,
    ),
  ],
);
