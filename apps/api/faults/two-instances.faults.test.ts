import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, startThrowawayRedis } from '../test/redis-server';
import { openStream } from '../test/sse';
import { call, click, type Shop, signUp } from './http';
import { type AppProcess, sharedEnv, spawnApp, startPrivatePostgres } from './processes';

/**
 * Two API processes (`--role=api`, two ports) behind one PostgreSQL and one Redis, both of this file's own, started
 * at the same moment as a deployment starts them: what one answers, the other knows.
 */
if (!hasRedisServer)
  console.warn('two-instances.faults: redis-server is not on PATH; these tests are skipped');

describe.skipIf(!hasRedisServer)('two API instances on one database and one Redis', () => {
  let postgres: Awaited<ReturnType<typeof startPrivatePostgres>>;
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
  let a: AppProcess;
  let b: AppProcess;
  let shop: Shop;
  const TRACKING_LIMIT = 6;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    redis = await startThrowawayRedis();
    const env = sharedEnv(postgres.url, {
      REDIS_URL: redis.url,
      // The test names each client's address (X-Forwarded-For), so that each test counts from its own.
      TRUST_PROXY: '127.0.0.1',
      TRACKING_LIMIT_PER_IP: String(TRACKING_LIMIT),
    });
    [a, b] = await Promise.all([spawnApp({ role: 'api', env }), spawnApp({ role: 'api', env })]);
    shop = await signUp(a.url ?? '');
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await postgres?.remove();
  });

  const from = () => ({
    'x-forwarded-for': `10.7.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  });
  const urlA = () => a.url ?? '';
  const urlB = () => b.url ?? '';

  it('shows on B what was written on A', async () => {
    // The session made by the signup on A opens B.
    expect((await call(urlB(), 'GET', '/api/v1/me', { headers: shop.auth })).status).toBe(200);
    const created = await call(urlA(), 'POST', `/api/v1/tenants/${shop.tenantId}/leads`, {
      headers: shop.auth,
      body: { branchId: shop.branchId, contact: { name: 'Rosa Quispe' }, message: 'Busco una laptop' },
    });
    expect(created.status, created.text).toBe(201);
    const read = await call(urlB(), 'GET', `/api/v1/leads/${created.json().id}`, {
      headers: shop.auth,
    });
    expect(read.status, read.text).toBe(200);
  });

  it('tells the live feed on B of a lead a click on A created', async () => {
    const stream = await openStream(`${urlB()}/api/v1/tenants/${shop.tenantId}/stream`, shop.auth);
    try {
      const clicked = await click(urlA(), shop, {}, from());
      expect(clicked.status, clicked.text).toBe(201);
      const leadId = clicked.json().leadId;
      await stream.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === leadId, 30_000);
    } finally {
      stream.close();
    }
  });

  it('counts one rate limit across both instances', async () => {
    const client = from();
    for (let i = 0; i < TRACKING_LIMIT; i++) {
      const answer = await click(i % 2 === 0 ? urlA() : urlB(), shop, {}, client);
      expect(answer.status, `click ${i}: ${answer.text}`).toBe(201);
    }
    // Each instance saw half the budget; together they spent it.
    const overA = await click(urlA(), shop, {}, client);
    const overB = await click(urlB(), shop, {}, client);
    expect([overA.status, overB.status]).toEqual([429, 429]);
  });

  it('honours an Idempotency-Key given to A when the retry reaches B', async () => {
    const key = randomUUID();
    const body = { branchId: shop.branchId, contact: { name: 'Jorge Ramos' }, message: 'Un monitor de 27"' };
    const send = (base: string) =>
      call(base, 'POST', `/api/v1/tenants/${shop.tenantId}/leads`, {
        headers: { ...shop.auth, 'idempotency-key': key },
        body,
      });
    const first = await send(urlA());
    const retried = await send(urlB());
    expect(first.status, first.text).toBe(201);
    expect(retried.status, retried.text).toBe(201);
    expect(retried.json().id).toBe(first.json().id);
    // Both at once, on the two instances, with a new key: still one lead.
    const again = randomUUID();
    const both = await Promise.all(
      [urlA(), urlB()].map((base) =>
        call(base, 'POST', `/api/v1/tenants/${shop.tenantId}/leads`, {
          headers: { ...shop.auth, 'idempotency-key': again },
          body: { ...body, contact: { name: 'Ana Torres' } },
        }),
      ),
    );
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(both[1]?.json().id).toBe(both[0]?.json().id);
    const owner = new pg.Client({ connectionString: postgres.url });
    await owner.connect();
    try {
      const { rows } = await owner.query<{ n: number }>(
        `select count(*)::int as n from lead l join contact c on c.tenant_id = l.tenant_id and c.id = l.contact_id
          where l.tenant_id = $1 and c.name in ('Jorge Ramos', 'Ana Torres')`,
        [shop.tenantId],
      );
      expect(rows[0]?.n).toBe(2);
    } finally {
      await owner.end();
    }
  });
});
