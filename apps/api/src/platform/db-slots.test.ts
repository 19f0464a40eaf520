import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type SignedUp, signUp, type TestContext } from '../../test/harness';
import { type App, buildApp } from '../app';
import { createDatabase } from './db';
import { dbNoSlotTotal } from './metrics';

/**
 * PostgreSQL with no connection slot to give (53300: the server's max_connections taken by every process on it,
 * as on a machine running several test suites at once, or a role's or database's own limit). A pool opens
 * connections as requests need them (and closes idle ones), so any request may be the one that is refused. Here
 * the file's database is limited to no connection at all for the app's role; the owner (a superuser) is exempt.
 */
let ctx: TestContext;
let shop: SignedUp;
let databaseName: string;

beforeAll(async () => {
  ctx = await createTestContext();
  shop = await signUp(ctx.app);
  databaseName = new URL(ctx.databaseUrl).pathname.slice(1);
});
afterAll(() => ctx.close());

const connectionLimit = (limit: number) =>
  ctx.owner.pool.query(`alter database "${databaseName}" connection limit ${limit}`);
afterEach(() => connectionLimit(-1));

/** An app instance of its own, with no connection open yet: its first statement needs a new one. */
async function freshInstance(options: { slotWaitMs?: number } = {}) {
  const database = createDatabase({ appUrl: ctx.appUrl, poolSize: 2, ...options });
  const app = await buildApp({ config: ctx.config, database, jobs: 'deferred' });
  await app.ready();
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** What the campaign editor sends: a write by the method, so it carries an Idempotency-Key (the aside pool). */
const preview = (app: App) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/segments/preview`,
    headers: { ...shop.auth, 'idempotency-key': randomUUID() },
    payload: { segment: { rules: [] } },
  });

function expectUnavailable(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).toBe(503);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(response.json()).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
}

describe('no connection slot free on the PostgreSQL server', () => {
  it('a request waits for a slot and is answered once one frees, not with a 500', async () => {
    // Long enough for the owner's statement on the busiest machine: the test waits on the refusal, not on time.
    const instance = await freshInstance({ slotWaitMs: 60_000 });
    try {
      let refused: () => void = () => undefined;
      const waiting = new Promise<void>((resolve) => {
        refused = resolve;
      });
      instance.database.onSlotWait(() => refused());
      await connectionLimit(0);
      const answer = preview(instance.app);
      // PostgreSQL refused the pool's new connection; a slot frees (another process disconnects).
      await waiting;
      await connectionLimit(-1);
      const response = await answer;
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ count: 0, sample: [] });
    } finally {
      await instance.close();
    }
  });

  it('answers 503 with Retry-After when no slot frees in time', async () => {
    const instance = await freshInstance({ slotWaitMs: 200 });
    const gaveUp = async () => (await dbNoSlotTotal.get()).values[0]?.value ?? 0;
    try {
      const before = await gaveUp();
      await connectionLimit(0);
      expectUnavailable(await preview(instance.app));
      expectUnavailable(await instance.app.inject({ method: 'GET', url: '/api/v1/me', headers: shop.auth }));
      // Each 503 for want of a slot is counted for the metrics (techmarket_db_no_slot_total).
      expect(await gaveUp()).toBe(before + 2);
      await connectionLimit(-1);
      expect((await preview(instance.app)).statusCode).toBe(200);
    } finally {
      await instance.close();
    }
  });
});
