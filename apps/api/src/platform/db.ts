import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from '../db/schema';

export type Schema = typeof schema;
export type Db = NodePgDatabase<Schema>;
/** A transaction bound to one tenant: the only handle services give repositories. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');
export const APP_ROLE = 'crm_app';

export interface Database {
  db: Db;
  pool: pg.Pool;
  /** Runs fn in one transaction with row-level security scoped to tenantId. */
  withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A transaction with no tenant: RLS hides every tenant-owned row; only the auth look-up functions see through. */
  withoutTenant<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// An idle client lost its connection (restart, failover, test teardown); the pool replaces it on next use.
const ignoreIdleClientError = () => undefined;

export interface DatabaseOptions {
  /** The owner connection (migrations, seeding). */
  ownerUrl: string;
  /** A restricted login role; when absent the owner connection switches to crm_app on connect. */
  appUrl?: string | undefined;
  poolSize?: number;
}

export function createDatabase({ ownerUrl, appUrl, poolSize = 20 }: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: appUrl ?? ownerUrl,
    max: poolSize,
    // Superusers and table owners bypass RLS; starting every session as crm_app makes the policies apply to
    // every query, from the first one (a startup parameter, so no query can run before the switch).
    ...(appUrl ? {} : { options: `-c role=${APP_ROLE}` }),
  });
  pool.on('error', ignoreIdleClientError);
  const db = drizzle(pool, { schema, casing: 'snake_case' });

  return {
    db,
    pool,
    withTenant: (tenantId, fn) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
        return fn(tx);
      }),
    withoutTenant: (fn) => db.transaction(fn),
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}

/** Applies the committed migrations as the owner. Serialised by an advisory lock so N instances can start at once. */
export async function runMigrations(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7310421)');
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock(7310421)').catch(() => undefined);
    await client.end();
  }
}

/** A Drizzle handle on the owner connection, for seeding and benchmarks only: it sees every tenant. */
export function createOwnerDb(ownerUrl: string, max = 5) {
  const pool = new pg.Pool({ connectionString: ownerUrl, max });
  pool.on('error', ignoreIdleClientError);
  return { db: drizzle(pool, { schema, casing: 'snake_case' }), pool };
}
