import { foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn } from '../columns';
import { lead } from './lead';

/** The lead's history and audit trail; append-only. */
export const leadEvent = pgTable(
  'lead_event',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    leadId: uuid('lead_id').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    actorUserId: uuid('actor_user_id'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'lead_event_pkey', columns: [t.tenantId, t.id] }),
    index('lead_event_lead_idx').on(t.tenantId, t.leadId, t.createdAt, t.id),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
  ],
);
