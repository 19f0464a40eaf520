import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { primaryId, timestamps } from '../columns';

export const tenant = pgTable(
  'tenant',
  {
    id: primaryId(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    defaultCurrency: text('default_currency').notNull().default('PEN'),
    timezone: text('timezone').notNull().default('America/Lima'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('tenant_slug_key').on(t.slug)],
);
