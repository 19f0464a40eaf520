/**
 * Backups with PostgreSQL's own tools: `pg_dump` in its custom format (compressed, restorable table by table) and
 * `pg_restore`, both the system's (on PATH). The whole database goes: the CRM's tables, drizzle's migration record
 * and pg-boss's queues; roles are the server's, so a restore makes the two the migrations make (crm_app and its
 * login) when the server lacks them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { connectionErrorGuard } from '../platform/db-errors';

const run = promisify(execFile);

export class BackupError extends Error {}

const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

export const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
};

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', connectionErrorGuard);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The major version of a client program on PATH (`pg_dump (PostgreSQL) 15.20 (Debian …)` gives 15). */
async function toolMajor(tool: 'pg_dump' | 'pg_restore'): Promise<number> {
  try {
    const { stdout } = await run(tool, ['--version']);
    const major = /\(PostgreSQL\)\s+(\d+)/.exec(stdout)?.[1];
    if (!major) throw new BackupError(`${tool} --version said "${stdout.trim()}"`);
    return Number(major);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(
      `${tool} was not found on PATH: install PostgreSQL's client programs (Debian: postgresql-client)`,
      { cause: error },
    );
  }
}

/**
 * pg_dump refuses a server newer than itself (and its dump may not restore on an older pg_restore): say which
 * client the server needs before it fails halfway.
 */
async function assertToolFits(tool: 'pg_dump' | 'pg_restore', url: string) {
  const [client, server] = await Promise.all([
    toolMajor(tool),
    withClient(url, async (c) => {
      const { rows } = await c.query<{ v: string }>(`select current_setting('server_version_num') as v`);
      return Math.floor(Number(rows[0]?.v) / 10_000);
    }),
  ]);
  if (client < server) {
    throw new BackupError(
      `${tool} is PostgreSQL ${client}'s, the server is PostgreSQL ${server}: install PostgreSQL ${server}'s client ` +
        `programs (Debian/Ubuntu with the PGDG repository: postgresql-client-${server}) and put them first on PATH ` +
        `(e.g. PATH=/usr/lib/postgresql/${server}/bin:$PATH)`,
    );
  }
}

/** Writes the database of `url` to `file` (pg_dump's custom format). */
export async function backupDatabase(url: string, file: string): Promise<void> {
  await assertToolFits('pg_dump', url);
  try {
    await run('pg_dump', ['--format=custom', '--file', file, '--dbname', url], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    throw new BackupError(`pg_dump failed: ${(error as { stderr?: string }).stderr?.trim() || error}`, {
      cause: error,
    });
  }
}

/** Tables, views, sequences and the like outside PostgreSQL's own schemas: none means the database is empty. */
export async function relationCount(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace
        where s.nspname not in ('pg_catalog', 'information_schema') and s.nspname not like 'pg\\_toast%'
          and s.nspname not like 'pg\\_temp%'`,
    );
    return rows[0]?.n ?? 0;
  });
}

/** The roles the migrations make (0001, 0014), made here when a restore goes to a server that lacks them. */
const ensureRoles = `
DO $$ BEGIN
  CREATE ROLE crm_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN OTHERS THEN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_app') THEN RAISE; END IF;
END $$;
DO $$ BEGIN
  CREATE ROLE crm_app_login LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT;
EXCEPTION WHEN OTHERS THEN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_app_login') THEN RAISE; END IF;
END $$;
DO $$ BEGIN
  GRANT crm_app TO crm_app_login;
EXCEPTION WHEN OTHERS THEN IF NOT pg_has_role('crm_app_login', 'crm_app', 'MEMBER') THEN RAISE; END IF;
END $$;`;

export interface RestoreOptions {
  /** Restore into this database of the same server (made when missing) instead of the one `url` names. */
  database?: string | undefined;
  /** Drop and make again a target that holds anything (every connection to it is closed). */
  force?: boolean | undefined;
}

/**
 * Restores `file` into the database of `url` (or `options.database` beside it), in one transaction: a failed
 * restore leaves the target as it was. A target that holds any table is refused unless `force`, which drops it
 * and makes it again. Returns the connection string of the restored database.
 */
export async function restoreDatabase(
  url: string,
  file: string,
  options: RestoreOptions = {},
): Promise<string> {
  const target = options.database ? withDatabase(url, options.database) : url;
  const name = databaseOf(target);
  const maintenance = withDatabase(url, 'postgres');
  const exists = await withClient(maintenance, async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    return (rowCount ?? 0) > 0;
  });
  if (exists && (await relationCount(target)) > 0) {
    if (!options.force) {
      throw new BackupError(
        `The database "${name}" is not empty: restore into a new one (--database NAME), or pass --force to drop ` +
          `"${name}" and everything in it first`,
      );
    }
    await withClient(maintenance, (client) =>
      client.query(`drop database ${client.escapeIdentifier(name)} with (force)`),
    );
  }
  if (!exists || options.force) {
    await withClient(maintenance, async (client) => {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
    });
  }
  await assertToolFits('pg_restore', target);
  await withClient(target, (client) => client.query(ensureRoles));
  try {
    // Objects owned by whoever restores (the owner the app's migrations run as), the grants to crm_app kept.
    await run(
      'pg_restore',
      ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', target, file],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    throw new BackupError(`pg_restore failed: ${(error as { stderr?: string }).stderr?.trim() || error}`, {
      cause: error,
    });
  }
  return target;
}
