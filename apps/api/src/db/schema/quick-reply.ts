import { sql } from 'drizzle-orm';
import { check, foreignKey, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { appUser } from './app-user';

/**
 * A shop's saved answer (modules/quick-replies): a short title to find it by and a text with variables
 * ({nombre}, {producto}, {precio}) that the seller's composer fills from the lead before sending.
 */
export const quickReply = pgTable(
  'quick_reply',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    title: text('title').notNull(),
    text: text('text').notNull(),
    createdByUserId: uuid('created_by_user_id'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'quick_reply_pkey', columns: [t.tenantId, t.id] }),
    unique('quick_reply_tenant_title_key').on(t.tenantId, t.title),
    check('quick_reply_title_length', sql`char_length(${t.title}) between 1 and 60`),
    check('quick_reply_text_length', sql`char_length(${t.text}) between 1 and 1000`),
    foreignKey({ columns: [t.tenantId, t.createdByUserId], foreignColumns: [appUser.tenantId, appUser.id] }),
  ],
);
