import { foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn } from '../columns';
import { lead } from './lead';

/** The lead's history and audit trail; append-only, partitioned by month (README, "Growing past one database"). */
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
    // Partitioned by month of created_at (migration 0028, platform/partitions.ts): the key holds the partition key.
    primaryKey({ name: 'lead_event_pkey', columns: [t.tenantId, t.id, t.createdAt] }),
    index('lead_event_lead_idx').on(t.tenantId, t.leadId, t.createdAt, t.id),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
  ],
);
