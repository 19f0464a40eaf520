import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/free-port';
import { signUp } from '../../test/harness';
import { type App, buildApp } from '../app';
import { loadConfig } from '../config';
import { ensureAppLogin } from './app-login';
import { createDatabase, createOwnerDb, type Database, runMigrations } from './db';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { startJobs } from './jobs';

/**
 * A PostgreSQL restart under load, for real: a throwaway server of this file's own (never the machine's shared
 * one), stopped and started again while the app keeps answering. Nothing may reach the process as an
 * unhandled error; requests meanwhile get 503 with Retry-After; everything works again once it is back.
 */
let root: string;
let server: EmbeddedDatabase;
let database: Database;
let owner: ReturnType<typeof createOwnerDb>;
let jobs: Awaited<ReturnType<typeof startJobs>>;
let app: App;
const unhandled: unknown[] = [];
const jobErrors: Error[] = [];
const onUnhandled = (error: unknown) => unhandled.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUnhandled);
  process.on('unhandledRejection', onUnhandled);
  root = await mkdtemp(path.join(tmpdir(), 'crm-restart-'));
  await chmod(root, 0o755); // as root, the postgres user passes through it
  server = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), port: await freePort() });
  await runMigrations(server.url);
  database = createDatabase({ appUrl: await ensureAppLogin(server.url), poolSize: 4 });
  owner = createOwnerDb(server.url, 2);
  jobs = await startJobs(server.url, (error) => jobErrors.push(error));
  const config = loadConfig(
    {},
    { NODE_ENV: 'test', DATABASE_URL: server.url, LOG_LEVEL: 'silent', SEED_DEMO: 'false' },
  );
  app = await buildApp({ config, database, jobs: jobs.queue });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await jobs?.stop();
  await database?.close();
  await owner?.pool.end();
  await server?.stop();
  await rm(root, { recursive: true, force: true });
  process.off('uncaughtException', onUnhandled);
  process.off('unhandledRejection', onUnhandled);
});

/** A promise and the function that fulfils it. */
function signal() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((fulfil) => {
    resolve = fulfil;
  });
  return { promise, resolve };
}

const health = () => app.inject({ method: 'GET', url: '/api/v1/health' });

function expectUnavailable(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).toBe(503);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(response.json()).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
}

describe('a PostgreSQL restart', () => {
  it('answers 503 with Retry-After while the database is away, never crashes, and recovers once it is back', async () => {
    const shop = await signUp(app);
    const click = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/tracking/whatsapp-click',
        payload: { tenantId: shop.tenantId, branchId: shop.branchId, source: 'MAP', visitorId: randomUUID() },
      });
    const me = () => app.inject({ method: 'GET', url: '/api/v1/me', headers: shop.auth });
    expect((await click()).statusCode).toBe(201);
    expect((await me()).statusCode).toBe(200);
    // Every client of both pools open, so the shutdown finds them idle in the pools...
    await Promise.all(Array.from({ length: 4 }, () => click()));
    await Promise.all([owner.pool.query('select 1'), owner.pool.query('select 1')]);

    // ...and one checked out, between two statements of a transaction: where the unhandled 'error' came from.
    const paused = signal();
    const entered = signal();
    const transaction = database.withTenant(shop.tenantId, async (tx) => {
      await tx.execute(sql`select 1`);
      entered.resolve();
      await paused.promise;
      await tx.execute(sql`select 1`);
    });
    const settled = transaction.then(
      () => 'committed',
      () => 'failed',
    );
    await entered.promise;

    await server.stop();
    paused.resolve();
    expect(await settled).toBe('failed');

    const down = await health();
    expectUnavailable(down);
    expect(down.json().detail).toMatch(/database is not reachable/);
    expectUnavailable(await me());
    const clicks = await Promise.all(Array.from({ length: 5 }, () => click()));
    for (const response of clicks) expectUnavailable(response);
    await expect(owner.pool.query('select 1')).rejects.toThrow();

    await server.start();
    // Wait on the condition, not on time: the pools reconnect on their next use.
    for (let attempt = 0; (await health()).statusCode !== 200; attempt++) {
      if (attempt > 200) throw new Error('the app did not come back');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await me()).statusCode).toBe(200);
    expect((await click()).statusCode).toBe(201);
    expect((await owner.pool.query('select count(*)::int as n from tenant')).rows).toEqual([{ n: 1 }]);
    await jobs.queue.send('restart-test', { ok: true });
    expect(unhandled).toEqual([]);
  });
});
