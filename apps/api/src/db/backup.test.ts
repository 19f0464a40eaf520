import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/free-port';
import { createTestContext, type TestContext } from '../../test/harness';
import { type ServerProcess, startServer, until } from '../../test/server-process';
import { startEmbeddedPostgres } from '../platform/embedded-postgres';
import { withDatabase } from './backup';
import { DEMO_PASSWORD, seedDemo } from './seed/demo';

/**
 * The restore drill of the README, as an operator runs it: the demo shop's data, `db:backup`, `db:restore` into
 * a new database, every table compared, and the app started on the copy.
 */
const run = promisify(execFile);
const apiDir = path.resolve(import.meta.dirname, '../..');
let ctx: TestContext;
let folder: string;
let restoredName: string;
let server: ServerProcess | undefined;

/** The CLI as `npm run db:backup` / `db:restore` runs it, on the test's database. */
const cli = (args: string[], env: Record<string, string> = { DATABASE_URL: ctx.databaseUrl }) =>
  run(process.execPath, ['--import', 'tsx', 'src/db/backup.cli.ts', ...args], {
    cwd: apiDir,
    env: { ...process.env, INIT_CWD: folder, ...env },
  });

/** Each table of the CRM, drizzle's record and pg-boss's queues: its rows and a checksum of their text. */
async function fingerprint(url: string) {
  const client = new pg.Client({ connectionString: url, options: '-c app.all_tenants=on' });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `select format('%I.%I', schemaname, tablename) as name from pg_tables
        where schemaname in ('public', 'drizzle', 'pgboss') order by 1`,
    );
    const result: Record<string, { rows: number; md5: string | null }> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ rows: number; md5: string | null }>(
        `select count(*)::int as rows, md5(string_agg(t::text, E'\\n' order by t::text)) as md5 from ${name} t`,
      );
      const [row] = rows;
      if (row) result[name] = row;
    }
    return result;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  folder = await mkdtemp(path.join(tmpdir(), 'crm-backup-'));
  restoredName = `crm_r_${randomBytes(4).toString('hex')}`;
  await seedDemo(ctx.owner.db);
});

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  await server?.exited;
  const admin = new pg.Client({ connectionString: withDatabase(ctx.databaseUrl, 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists "${restoredName}" with (force)`);
  await admin.end();
  await ctx?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('restore drill', () => {
  it('backs up, refuses to restore over a database with data, restores into a new one identical table by table, and the app runs on it', async () => {
    const backup = await cli(['backup', '--out', 'drill.dump']);
    expect(backup.stdout).toContain(path.join(folder, 'drill.dump'));

    // Over the live database: refused, nothing touched.
    const refused = await cli(['restore', 'drill.dump']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('is not empty') });

    await cli(['restore', 'drill.dump', '--database', restoredName]);
    const restoredUrl = withDatabase(ctx.databaseUrl, restoredName);
    const [original, copy] = await Promise.all([fingerprint(ctx.databaseUrl), fingerprint(restoredUrl)]);
    expect(Object.keys(copy).length).toBeGreaterThan(30);
    expect(original['public.lead']?.rows).toBeGreaterThan(0);
    expect(copy).toEqual(original);

    // A second restore into it needs --force, and gives the same copy again.
    await expect(cli(['restore', 'drill.dump', '--database', restoredName])).rejects.toMatchObject({
      code: 1,
    });
    await cli(['restore', 'drill.dump', '--database', restoredName, '--force']);
    expect(await fingerprint(restoredUrl)).toEqual(original);

    // The app starts on the copy: migrations up to date (readiness), the demo owner logs in.
    server = await startServer('api', { DATABASE_URL: restoredUrl, SEED_DEMO: 'false', DB_POOL_SIZE: '2' });
    const ready = await until(
      () => fetch(`${server?.base}/api/v1/ready`),
      (response) => response.status === 200,
      'the app ready on the restored database',
      1800,
    );
    expect(((await ready.json()) as { checks: { migrations: string } }).checks.migrations).toBe('applied');
    const login = await fetch(`${server.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@techperu.pe', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 300_000);

  it('on the embedded server (not running), starts it for the while and backs it up with a client as new as it, or says which client it needs', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'crm-backup-embedded-'));
    await chmod(dataDir, 0o755); // as root, the postgres user passes through it
    try {
      const port = await freePort();
      const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port });
      const serverMajor = await (async () => {
        const client = new pg.Client({ connectionString: embedded.url });
        await client.connect();
        const { rows } = await client.query<{ v: string }>(
          `select current_setting('server_version_num') as v`,
        );
        await client.end();
        return Math.floor(Number(rows[0]?.v) / 10_000);
      })();
      await embedded.stop();
      const clientMajor = Number(
        /\(PostgreSQL\)\s+(\d+)/.exec((await run('pg_dump', ['--version'])).stdout)?.[1],
      );
      const backup = cli(['backup', '--out', 'embedded.dump'], {
        DATABASE_URL: '',
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(port),
      });
      if (clientMajor >= serverMajor) {
        expect((await backup).stdout).toContain(path.join(folder, 'embedded.dump'));
      } else {
        await expect(backup).rejects.toMatchObject({
          code: 1,
          stderr: expect.stringContaining(`postgresql-client-${serverMajor}`),
        });
      }
      // Stopped again after the command: its data directory is free for the app.
      expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
