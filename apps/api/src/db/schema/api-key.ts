import { apiKeyScopes } from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import { foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps } from '../columns';
import { appUser } from './app-user';
import { tenant } from './tenant';

/** Tenant API keys for server-to-server calls. Only a sha256 of the secret is kept; the key is shown once. */
export const apiKey = pgTable(
  'api_key',
  {
    id: rowId(),
    tenantId: tenantIdColumn().references(() => tenant.id),
    name: text('name').notNull(),
    /** The first characters of the key, shown in lists so an owner can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    createdByUserId: uuid('created_by_user_id').notNull(),
    /** What the key may do (see apiKeyScopes in the contracts); keys made before scopes hold every scope. */
    scopes: text('scopes', { enum: apiKeyScopes })
      .array()
      .notNull()
      .default(
        sql`array['tracking:write','leads:read','analytics:read','shop:read','campaigns:read','consent:write']::text[]`,
      ),
    /** After this instant the key is refused like a revoked one; null: it never expires. */
    expiresAt: instant('expires_at'),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ name: 'api_key_pkey', columns: [t.tenantId, t.id] }),
    // key_hash: unique across shops through its look-up table (lookups.ts, migration 0031), kept by a trigger.
    index('api_key_tenant_idx').on(t.tenantId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.createdByUserId], foreignColumns: [appUser.tenantId, appUser.id] }),
  ],
);
