import { assignmentStrategies } from '@techmarket/contracts';
import { pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
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
    ...timestamps(),
  },
  (t) => [uniqueIndex('tenant_slug_key').on(t.slug)],
);
