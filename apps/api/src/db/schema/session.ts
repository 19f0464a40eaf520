import { foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn } from '../columns';
import { appUser } from './app-user';

/** Server-side sessions: the client holds a random token, the table only its sha256, so a leak of rows grants nothing. */
export const session = pgTable(
  'session',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: instant('created_at').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [
    primaryKey({ name: 'session_pkey', columns: [t.tenantId, t.id] }),
    // token_hash: unique across shops through its look-up table (lookups.ts, migration 0031), kept by a trigger.
    index('session_user_idx').on(t.tenantId, t.userId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [appUser.tenantId, appUser.id] }).onDelete(
      'cascade',
    ),
  ],
);
