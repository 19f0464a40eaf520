import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant, tenantIdColumn } from '../columns';

/** The first answer to a request sent with an Idempotency-Key, replayed for retries for 24 hours. */
export const idempotencyKey = pgTable(
  'idempotency_key',
  {
    tenantId: tenantIdColumn(),
    /** The operation, e.g. "whatsapp-click": one key may be reused across operations. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** sha256 of the request body: the same key with another body is the caller's mistake. */
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.scope, t.key] }),
    // For the hourly purge across tenants; the one index here not led by tenant_id, by design.
    index('idempotency_key_created_idx').on(t.createdAt),
  ],
);
