import { foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn } from '../columns';
import { appUser } from './app-user';
import { lead } from './lead';

export const leadNote = pgTable(
  'lead_note',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    leadId: uuid('lead_id').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    text: text('text').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'lead_note_pkey', columns: [t.tenantId, t.id] }),
    index('lead_note_lead_idx').on(t.tenantId, t.leadId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
    foreignKey({ columns: [t.tenantId, t.authorUserId], foreignColumns: [appUser.tenantId, appUser.id] }),
  ],
);
