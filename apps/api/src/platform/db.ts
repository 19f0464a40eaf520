import {
  createTableRelationsHelpers,
  type ExtractTablesWithRelations,
  extractTablesRelationalConfig,
  type SQLWrapper,
} from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle, type NodePgDatabase, NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import * as schema from '../db/schema';
import { migrationsFolder } from './assets';
import { connectionErrorGuard, isNoConnectionSlot } from './db-errors';
import { dbNoSlotTotal, dbSlotWaitsTotal, observePool } from './metrics';

export type Schema = typeof schema;
export type Db = NodePgDatabase<Schema>;
/** A transaction bound to one tenant: the only handle services give repositories. */
export type Tx = NodePgTransaction<Schema, ExtractTablesWithRelations<Schema>>;
/** What can run one statement: a transaction, or the pool in autocommit. */
export type Queryable = Pick<Db, 'execute'>;

export const APP_ROLE = 'crm_app';

export interface Database {
  db: Db;
  pool: pg.Pool;
  /** Runs fn in one transaction with row-level security scoped to tenantId. */
  withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * The same on a second, smaller pool: for a transaction held open while the request's own work runs on the
   * main pool (an Idempotency-Key waiting for its answer), so that holding it can never starve that work.
   */
  withTenantAside<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A transaction with no tenant: RLS hides every tenant-owned row; only the auth look-up functions see through. */
  withoutTenant<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A read of one statement under tenantId's row-level security, sent together with its transaction as one
   * message (`begin; set_config; <statement>; commit`): one round trip instead of three. For hot, single-query
   * reads such as the inbox; a second statement in fn throws. Parameters travel inlined as literals.
   */
  readWithTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * The same for one write statement (an `insert … returning`): it commits in the same message, so a hot write
   * such as a webhook's stored delivery costs one round trip.
   */
  writeWithTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * One write statement given as SQL text, every value already escaped into it by the caller (pg's
   * `escapeLiteral`), sent with its transaction and tenant in one message as writeWithTenant sends its statement,
   * but with no query builder on the way: for the hottest write, the webhook's stored deliveries, where building
   * the statement cost about a tenth of the API's CPU. Answers the statement's rows.
   */
  writeSqlWithTenant<R>(tenantId: string, text: string): Promise<R[]>;
  /**
   * One read under tenantId's row-level security, handed back in batches of rows (arrays, in the
   * statement's column order) from a server-side cursor, so a result
   * of a million rows never sits in memory (exports). The transaction stays open, holding one connection, until
   * the caller has taken every batch or stops early (`break`, `return()` or an error), which rolls it back.
   * The next batch is asked for as soon as one is handed over, so PostgreSQL produces it while the caller writes
   * this one. `text`: every value as PostgreSQL's text, unparsed (for a writer that writes text anyway).
   */
  streamWithTenant(tenantId: string, query: SQLWrapper, options?: StreamOptions): AsyncGenerator<unknown[][]>;
  /**
   * `COPY (<query>) TO STDOUT (<options>)` under tenantId's row-level security (COPY of a query obeys RLS as any
   * select does), handed back in the chunks PostgreSQL sends: the file is written by the database (exports' CSV).
   * Parameters travel inlined as literals (COPY takes none). Taken chunk by chunk, so a slow reader pauses the
   * socket. The transaction stays open until the caller has taken every chunk; stopping early (`return()`, an
   * error) closes the connection, which ends the COPY and rolls back, instead of reading the rest.
   */
  copyWithTenant(tenantId: string, query: SQLWrapper, options: string): AsyncGenerator<Buffer>;
  /** One statement in autocommit with no tenant, for the auth look-up functions: no transaction to open or close. */
  withoutTransaction<T>(fn: (db: Queryable) => Promise<T>): Promise<T>;
  /** Calls `listener` each time PostgreSQL refuses a new connection for want of a slot and the pool waits. */
  onSlotWait(listener: (error: Error) => void): void;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A pool that survives the database going away (restart, failover, test teardown): an idle client's error
 * drops it from the pool, a checked-out client's error surfaces as its next query's failure, and neither
 * reaches the process as an unhandled 'error' event. The pool connects afresh once the server is back.
 */
function guardPool<P extends pg.Pool>(pool: P): P {
  pool.on('error', connectionErrorGuard);
  pool.on('connect', (client) => client.on('error', connectionErrorGuard));
  return pool;
}

export interface StreamOptions {
  /** Rows per round trip to the server-side cursor. */
  batchSize?: number;
  /** Every value as PostgreSQL sent it (text), no Date or number parsing. */
  text?: boolean;
}

/** A type parser that leaves every value as the text PostgreSQL sent. */
const textTypes = { getTypeParser: () => (value: string) => value };

/** How long a request waits for PostgreSQL to have a connection slot free before it is answered 503. */
export const DEFAULT_SLOT_WAIT_MS = 5000;
const SLOT_RETRY_MIN_MS = 50;
const SLOT_RETRY_MAX_MS = 500;

type ConnectCallback = (
  error: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/**
 * A pool that waits for a connection slot. PostgreSQL refuses a new connection (53300) while every slot of its
 * max_connections is taken, e.g. on a machine where several apps, test suites or benchmarks share one server;
 * slots free up within seconds as they disconnect. The pool opens connections as requests need them and closes
 * idle ones, so without this any request could be the one that fails (a 500, seen once in the web e2e). A refused
 * connection is tried again, backing off, for up to `slotWaitMs`; then the refusal is the request's error (a 503
 * with Retry-After, platform/problem.ts). Other failures fail at once. `pool.query` checks out through
 * `connect` as well, so every use of the pool waits the same way.
 */
class SlotWaitingPool extends pg.Pool {
  constructor(
    config: pg.PoolConfig,
    private readonly slotWaitMs: number,
    private readonly onWait: (error: Error) => void,
  ) {
    super(config);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    const connected = this.connectWaitingForSlot();
    if (!callback) return connected;
    connected.then(
      (client) => callback(undefined, client, (release) => client.release(release as Error | undefined)),
      (error: Error) => callback(error, undefined, () => undefined),
    );
    return undefined;
  }

  private async connectWaitingForSlot(): Promise<pg.PoolClient> {
    // Counted from the first refusal: a wait in the pool's own queue (all its clients busy) is not a refusal.
    let giveUpAt: number | null = null;
    for (let pause = SLOT_RETRY_MIN_MS; ; pause = Math.min(pause * 2, SLOT_RETRY_MAX_MS)) {
      try {
        return await super.connect();
      } catch (error) {
        if (!isNoConnectionSlot(error) || this.ending) throw error;
        giveUpAt ??= Date.now() + this.slotWaitMs;
        if (Date.now() + pause > giveUpAt) {
          dbNoSlotTotal.inc();
          throw error;
        }
        dbSlotWaitsTotal.inc();
        this.onWait(error as Error);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }
}

export interface DatabaseOptions {
  /**
   * The app's login role (see platform/app-login.ts): a member of crm_app that owns nothing and is no
   * superuser, so row-level security binds every statement. Never the owner.
   */
  appUrl: string;
  poolSize?: number;
  /** The pool of withTenantAside, opened on its first use; by default half the main pool. */
  asidePoolSize?: number;
  /** How long a checkout waits for PostgreSQL to have a connection slot free (see SlotWaitingPool). */
  slotWaitMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `begin` and the tenant in one simple-protocol message: one round trip instead of two. The id is inlined
 * because the simple protocol takes no parameters; the UUID pattern admits nothing that could end the literal.
 */
function beginForTenant(tenantId: string): string {
  if (!UUID.test(tenantId))
    throw new Error(`withTenant needs a tenant UUID, got ${JSON.stringify(tenantId)}`);
  return `begin; select set_config('app.tenant_id', '${tenantId}', true)`;
}

/**
 * A statement's parameters as literals, for the simple protocol. Each becomes a quoted literal of unknown type,
 * which PostgreSQL types from its context exactly as it types an untyped bound parameter, so the statement
 * means the same. Drizzle's builders put values only in parameters, so `$n` in their text is always one.
 */
function inlineParameters(text: string, values: readonly unknown[], client: pg.PoolClient): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = values[Number(n) - 1];
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'string') return client.escapeLiteral(value);
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
      return client.escapeLiteral(String(value));
    }
    throw new Error(`cannot inline a ${typeof value} parameter; use withTenant or streamWithTenant`);
  });
}

/**
 * Every session runs in UTC with ISO dates: db/columns.ts turns timestamps into ISO strings by rewriting
 * PostgreSQL's text, which it can only do for this output.
 */
const sessionOptions = '-c TimeZone=UTC -c DateStyle=ISO,MDY';
/**
 * The owner's deliberate cross-tenant sessions (migrations, seeding, maintenance jobs) say so: the tenant
 * tables FORCE row-level security, and only this setting opens the owner's policy (migration 0011).
 */
const ownerSessionOptions = `${sessionOptions} -c app.all_tenants=on`;

export function createDatabase({
  appUrl,
  poolSize = 20,
  asidePoolSize = Math.max(2, Math.ceil(poolSize / 2)),
  slotWaitMs = DEFAULT_SLOT_WAIT_MS,
}: DatabaseOptions): Database {
  const slotWaitListeners: ((error: Error) => void)[] = [];
  const onSlotWait = (error: Error) => {
    for (const listener of slotWaitListeners) listener(error);
  };
  const newPool = (max: number) =>
    guardPool(
      new SlotWaitingPool({ connectionString: appUrl, max, options: sessionOptions }, slotWaitMs, onSlotWait),
    );
  const pool: pg.Pool = newPool(poolSize);
  const unobserve = [observePool('app', pool)];
  let asidePool: pg.Pool | null = null;
  const aside = () => {
    if (!asidePool) {
      asidePool = newPool(asidePoolSize);
      unobserve.push(observePool('app-aside', asidePool));
    }
    return asidePool;
  };
  const db = drizzle(pool, { schema, casing: 'snake_case' });

  // What drizzle() builds internally, kept here to bind a transaction to a client this module checked out.
  const dialect = new PgDialect({ casing: 'snake_case' });
  const tables = extractTablesRelationalConfig<ExtractTablesWithRelations<Schema>>(
    schema,
    createTableRelationsHelpers,
  );
  const relations = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };

  /**
   * Drizzle's own transaction() always sends a bare `begin` first; this one opens the transaction with the
   * caller's message, so the tenant costs no round trip of its own. Same contract: commit on success,
   * rollback on any error, the client back to the pool either way.
   */
  async function transaction<T>(begin: string, fn: (tx: Tx) => Promise<T>, from = pool): Promise<T> {
    const client = await from.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const tx: Tx = new NodePgTransaction(dialect, new NodePgSession(client, dialect, relations), relations);
      const result = await fn(tx);
      await client.query('commit');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is not handed out again: release(error) destroys it.
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async function readInOneMessage<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const begin = beginForTenant(tenantId);
    const client = await pool.connect();
    let sent = false;
    let broken: Error | undefined;
    // Stands in for the pg client under Drizzle's session: the one statement goes out inside its transaction.
    const oneMessage = {
      async query(config: pg.QueryConfig, values?: unknown[]) {
        if (sent) throw new Error('readWithTenant runs one statement; use withTenant for more');
        sent = true;
        const { rowMode, types } = config as pg.QueryArrayConfig;
        const text = `${begin}; ${inlineParameters(config.text, values ?? [], client)}; commit`;
        // One result per statement: begin, set_config, the read, commit.
        const results = (await client.query({ text, rowMode, types })) as unknown as pg.QueryResult[];
        return results[2];
      },
    };
    try {
      const session = new NodePgSession(oneMessage as unknown as pg.PoolClient, dialect, relations);
      return await fn(new NodePgTransaction(dialect, session, relations));
    } catch (error) {
      // After an error PostgreSQL skips the rest of the message, commit included: the transaction is left open.
      if (sent) {
        await client.query('rollback').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async function writeSqlInOneMessage<R>(tenantId: string, text: string): Promise<R[]> {
    const begin = beginForTenant(tenantId);
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      // One result per statement: begin, set_config, the write, commit.
      const results = (await client.query(`${begin}; ${text}; commit`)) as unknown as pg.QueryResult[];
      return (results[2]?.rows ?? []) as R[];
    } catch (error) {
      // After an error PostgreSQL skips the rest of the message, commit included: the transaction is left open.
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async function* streamWithTenant(tenantId: string, query: SQLWrapper, options: StreamOptions = {}) {
    const { batchSize = 2000, text: asText = false } = options;
    const { sql: text, params } = dialect.sqlToQuery(query.getSQL());
    const client = await pool.connect();
    let broken: Error | undefined;
    let done = false;
    try {
      await client.query(beginForTenant(tenantId));
      // Rows as arrays, in the statement's column order: cheaper than an object per row, and names may repeat.
      const cursor = client.query(
        new Cursor<unknown[]>(text, params, { rowMode: 'array', ...(asText ? { types: textTypes } : {}) }),
      );
      // Read ahead by one batch: the database fills the next while the caller writes this one.
      let next: Promise<unknown[][]> | undefined = cursor.read(batchSize);
      try {
        for (;;) {
          const rows = await next;
          next = undefined;
          if (rows.length === 0) break;
          next = cursor.read(batchSize);
          yield rows;
        }
      } finally {
        // Stopped early: the read in flight must end before the portal can be closed.
        await next?.catch(() => undefined);
        await cursor.close().catch(() => undefined);
      }
      await client.query('commit');
      done = true;
    } finally {
      // Stopped early or failed: nothing was written, but the transaction must end before the client goes back.
      if (!done) {
        await client.query('rollback').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
      }
      client.release(broken);
    }
  }

  async function* copyWithTenant(tenantId: string, query: SQLWrapper, options: string) {
    const { sql: text, params } = dialect.sqlToQuery(query.getSQL());
    const client = await pool.connect();
    let broken: Error | undefined;
    let done = false;
    try {
      await client.query(beginForTenant(tenantId));
      const statement = `copy (${inlineParameters(text, params, client)}) to stdout (${options})`;
      const stream = client.query(copyTo(statement));
      for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
      await client.query('commit');
      done = true;
    } finally {
      // A COPY cannot be left half read on a connection that goes back to the pool: closing it ends the COPY and
      // rolls the transaction back on the server.
      if (!done) broken = new Error('copy stopped before its end');
      client.release(broken);
    }
  }

  return {
    db,
    pool,
    streamWithTenant,
    copyWithTenant,
    withTenant: async (tenantId, fn) => transaction(beginForTenant(tenantId), fn),
    withTenantAside: async (tenantId, fn) => transaction(beginForTenant(tenantId), fn, aside()),
    readWithTenant: readInOneMessage,
    writeWithTenant: readInOneMessage,
    writeSqlWithTenant: writeSqlInOneMessage,
    withoutTenant: (fn) => transaction('begin', fn),
    withoutTransaction: (fn) => fn(db),
    onSlotWait(listener) {
      slotWaitListeners.push(listener);
    },
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      for (const stop of unobserve) stop();
      await Promise.all([pool.end(), asidePool?.end()]);
    },
  };
}

/** Applies the committed migrations as the owner. Serialised by an advisory lock so N instances can start at once. */
export async function runMigrations(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl, options: ownerSessionOptions });
  client.on('error', connectionErrorGuard);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7310421)');
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock(7310421)').catch(() => undefined);
    await client.end();
  }
}

let newestMigration: number | undefined;
/**
 * Whether the database has every migration this build ships (readiness): drizzle records each applied one by its
 * journal `when`, and applies only those newer than the last it recorded. Asked as the owner, since the app's
 * role may not read drizzle's schema. A database restored from an older backup, or not migrated yet, says false.
 */
export async function migrationsApplied(owner: pg.Pool): Promise<boolean> {
  newestMigration ??= readMigrationFiles({ migrationsFolder }).at(-1)?.folderMillis ?? 0;
  const newest = newestMigration;
  const { rows } = await owner.query<{ last: string | null }>(
    `select max(created_at)::text as last from drizzle.__drizzle_migrations`,
  );
  return Number(rows[0]?.last ?? 0) >= newest;
}

/** A Drizzle handle on the owner connection, for seeding and benchmarks only: it sees every tenant. */
export function createOwnerDb(ownerUrl: string, max = 5) {
  const pool = guardPool(new pg.Pool({ connectionString: ownerUrl, max, options: ownerSessionOptions }));
  return { db: drizzle(pool, { schema, casing: 'snake_case' }), pool };
}
