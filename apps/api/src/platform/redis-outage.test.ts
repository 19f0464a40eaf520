import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, problem, signUp, type TestContext } from '../../test/harness';
import { hasRedisServer, startThrowawayRedis } from '../../test/redis-server';
import { openStream } from '../../test/sse';
import { openShop, type Shop } from '../modules/tracking/tracking.fixtures';

/**
 * The app on a Redis of this file's own, which the tests pause (a hung server: connections open, no answers)
 * and kill (connections refused). Limits, caches, counters and the live feed must go on in-process meanwhile,
 * and use Redis again once it is back.
 */
if (!hasRedisServer) console.warn('redis-outage.test: redis-server is not on PATH; these tests are skipped');

describe.skipIf(!hasRedisServer)('while Redis is away', () => {
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
  let ctx: TestContext;
  let base: string;
  let shop: Shop;
  let look: ReturnType<typeof redis.client>;

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    look = redis.client();
    ctx = await createTestContext({
      env: { REDIS_URL: redis.url, LOGIN_MAX_ATTEMPTS: '3', TRACKING_LIMIT_PER_IP: '1000' },
    });
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    shop = await openShop(ctx.app, { sellers: 1 });
  });
  afterAll(async () => {
    await redis?.resume();
    await ctx?.close();
    look?.disconnect();
    await redis?.stop();
  });

  const newIp = () => `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const clickFrom = (ip: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/whatsapp-click',
      remoteAddress: ip,
      payload: { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: randomUUID() },
    });
  const generation = async () => Number((await look.get(`crm:cache:inbox-gen:${shop.tenantId}`)) ?? '0');
  const limitKeysOf = async (ip: string) => (await look.keys(`crm:rl:*${ip}`)).length;

  it('answers a tracking click while Redis hangs, tells the live feed, then returns to Redis', async () => {
    const before = await clickFrom(newIp());
    expect(before.statusCode, before.body).toBe(201);
    const generationBefore = await generation();
    expect(generationBefore).toBeGreaterThan(0);
    const stream = await openStream(`${base}/api/v1/tenants/${shop.tenantId}/stream`, shop.auth);

    redis.pause();
    // Redis stays paused until this answer has come: a click that waits for Redis never answers.
    const during = await clickFrom(newIp());
    expect(during.statusCode, during.body).toBe(201);
    const leadId = during.json().leadId;
    // This instance's board still hears of the lead, through the in-process bus.
    await stream.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === leadId);
    stream.close();
    redis.resume();

    // Back on Redis: the count invalidation made during the outage reaches Redis, and limits count there again.
    await vi.waitFor(async () => expect(await generation()).toBeGreaterThan(generationBefore), {
      timeout: 15_000,
      interval: 50,
    });
    const ip = newIp();
    await vi.waitFor(
      async () => {
        expect((await clickFrom(ip)).statusCode).toBe(201);
        expect(await limitKeysOf(ip)).toBeGreaterThan(0);
      },
      { timeout: 15_000, interval: 50 },
    );
  });

  it('keeps counting login attempts in-process while Redis is down, instead of letting them all through', async () => {
    const owner = await signUp(ctx.app);
    await redis.kill();
    try {
      const ip = newIp();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: ip,
          payload: { email: owner.email, password: `wrong-${i}` },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses[3]).toBe(429);
    } finally {
      await redis.restart();
    }
    // And once Redis is back the limit counts there again.
    const ip = newIp();
    await vi.waitFor(
      async () => {
        const response = await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: ip,
          payload: { email: owner.email, password: 'not-the-password' },
        });
        // A failed attempt: a success gives the budget back (its key is deleted), a failure keeps it spent. The
        // attempts made while the client was still reconnecting may have used up the budget in-process.
        expect([401, 429]).toContain(response.statusCode);
        expect((await look.keys(`crm:*${ip}*`)).length).toBeGreaterThan(0);
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it('still refuses a spent public limit while Redis is down', async () => {
    await redis.kill();
    try {
      // /q links are throttled per client by the same store as login: 60 a minute.
      const ip = newIp();
      let last = 0;
      for (let i = 0; i < 61; i++) {
        last = (await ctx.app.inject({ method: 'GET', url: '/q/not-a-real-link', remoteAddress: ip }))
          .statusCode;
      }
      problem(await ctx.app.inject({ method: 'GET', url: '/q/not-a-real-link', remoteAddress: ip }), 429);
      expect(last).not.toBe(200);
    } finally {
      await redis.restart();
    }
  });
});
