import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn } from '../columns';
import { tenant } from './tenant';

/**
 * Who exported or erased a customer's data, and when: the record the data-protection laws ask a shop to keep.
 * Append-only (the app role may not update or delete it). RETENTION_ERASE rows have no actor: the daily job.
 */
export const privacyAudit = pgTable(
  'privacy_audit',
  {
    id: rowId(),
    tenantId: tenantIdColumn().references(() => tenant.id),
    contactId: uuid('contact_id').notNull(),
    action: text('action').$type<'EXPORT' | 'ERASE' | 'RETENTION_ERASE'>().notNull(),
    actorUserId: uuid('actor_user_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: instant('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'privacy_audit_pkey', columns: [t.tenantId, t.id] }),
    index('privacy_audit_contact_idx').on(t.tenantId, t.contactId, t.createdAt),
    check('privacy_audit_action_check', sql`${t.action} in ('EXPORT', 'ERASE', 'RETENTION_ERASE')`),
  ],
);
