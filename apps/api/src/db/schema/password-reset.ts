import { foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn } from '../columns';
import { appUser } from './app-user';

/**
 * A one-time link an owner (or a manager, for a seller) hands to a person to set a new password. Only the
 * sha256 of the token is kept; it works once (`used_at`), until `expires_at`, and a newer link for the same
 * person replaces it.
 */
export const passwordReset = pgTable(
  'password_reset',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdByUserId: uuid('created_by_user_id').notNull(),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
  },
  (t) => [
    primaryKey({ name: 'password_reset_pkey', columns: [t.tenantId, t.id] }),
    // token_hash: unique across shops through its look-up table (lookups.ts, migration 0031), kept by a trigger.
    index('password_reset_user_idx').on(t.tenantId, t.userId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [appUser.tenantId, appUser.id] }).onDelete(
      'cascade',
    ),
  ],
);
