import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startJobs } from '../src/platform/jobs';
import { hasRedisServer, startThrowawayRedis } from '../test/redis-server';
import { openStream } from '../test/sse';
import { call, click, type Shop, signUp } from './http';
import { type AppProcess, sharedEnv, spawnApp, startPrivatePostgres } from './processes';

/**
 * Redis stopped and started again, empty (no persistence), under an API process and a worker: clicks are answered
 * meanwhile, limits still hold, the live feed still tells the board; once Redis is back they use it again, and the
 * campaign's funnel, whose Redis counters were lost, is rebuilt from the stored rows by a job, so that the daily
 * figures and the breakdown agree again.
 */
if (!hasRedisServer)
  console.warn('redis-restart.faults: redis-server is not on PATH; these tests are skipped');

interface Funnel {
  clicks: number;
  leads: number;
}

describe.skipIf(!hasRedisServer)('Redis stopped and started', () => {
  let postgres: Awaited<ReturnType<typeof startPrivatePostgres>>;
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
  let api: AppProcess;
  let worker: AppProcess;
  let jobs: Awaited<ReturnType<typeof startJobs>>;
  let look: Redis;
  let shop: Shop;
  const LIMIT = 5;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    redis = await startThrowawayRedis();
    look = redis.client();
    const env = sharedEnv(postgres.url, {
      REDIS_URL: redis.url,
      TRUST_PROXY: '127.0.0.1',
      TRACKING_LIMIT_PER_IP: String(LIMIT),
      REDIS_COMMAND_TIMEOUT_MS: '300',
    });
    api = await spawnApp({ role: 'api', env });
    worker = await spawnApp({ role: 'worker', env });
    // The test's own hand on the queues: it sends the worker the minute's fold now, instead of waiting for it.
    jobs = await startJobs(postgres.url, () => undefined);
    shop = await signUp(api.url ?? '');
  });
  afterAll(async () => {
    await jobs?.stop();
    await Promise.all([api?.stop(), worker?.stop()]);
    look?.disconnect();
    await redis?.stop();
    await postgres?.remove();
  });

  let address = 0;
  const client = () => ({ 'x-forwarded-for': `10.8.${Math.floor(++address / 250)}.${address % 250}` });
  const base = () => api.url ?? '';

  async function funnel(campaignId: string) {
    const figures = await call(base(), 'GET', `/api/v1/campaigns/${campaignId}/metrics`, {
      headers: shop.auth,
    });
    const breakdown = await call(base(), 'GET', `/api/v1/campaigns/${campaignId}/breakdown`, {
      headers: shop.auth,
    });
    expect(figures.status, figures.text).toBe(200);
    expect(breakdown.status, breakdown.text).toBe(200);
    const totals = figures.json().totals as Funnel;
    const byBranch = breakdown.json().byBranch as Funnel[];
    const sum = (field: keyof Funnel) => byBranch.reduce((n, b) => n + b[field], 0);
    return {
      daily: { clicks: totals.clicks, leads: totals.leads },
      stored: { clicks: sum('clicks'), leads: sum('leads') },
    };
  }

  async function clicks(n: number, campaignId: string) {
    for (let i = 0; i < n; i++) {
      const answer = await click(base(), shop, { campaign: campaignId }, client());
      expect(answer.status, answer.text).toBe(201);
    }
  }

  it('falls back while Redis is away, returns to it, and rebuilds the campaign counters it lost', async () => {
    const created = await call(base(), 'POST', '/api/v1/campaigns', {
      headers: shop.auth,
      body: { tenantId: shop.tenantId, name: 'Cyber Wow gamer', type: 'CATEGORY' },
    });
    expect(created.status, created.text).toBe(201);
    const campaignId = String(created.json().id);
    const activated = await call(base(), 'POST', `/api/v1/campaigns/${campaignId}/activate`, {
      headers: shop.auth,
    });
    expect(activated.status, activated.text).toBe(200);

    // Before: three clicks counted in Redis and folded into the table by the worker.
    await clicks(3, campaignId);
    await jobs.queue.send('campaigns.fold-metrics', {});
    await vi.waitFor(
      async () => {
        const { daily, stored } = await funnel(campaignId);
        expect(daily).toEqual({ clicks: 3, leads: 3 });
        expect(stored).toEqual(daily);
      },
      { timeout: 60_000, interval: 250 },
    );

    await redis.kill();
    const stream = await openStream(`${base()}/api/v1/tenants/${shop.tenantId}/stream`, shop.auth);
    try {
      // Away: clicks are answered, the board still hears of them (this process's bus), the limit still holds.
      const during = await click(base(), shop, { campaign: campaignId }, client());
      expect(during.status, during.text).toBe(201);
      const leadId = during.json().leadId;
      await stream.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === leadId, 30_000);
      await clicks(1, campaignId);
      const limited = client();
      for (let i = 0; i < LIMIT; i++) expect((await click(base(), shop, {}, limited)).status).toBe(201);
      const refused = await click(base(), shop, {}, limited);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      stream.close();
    }

    // Back, empty: the three counts it held are gone; the two held by the API process meanwhile are handed over.
    await redis.restart();
    const after = client();
    await vi.waitFor(
      async () => {
        expect((await click(base(), shop, {}, after)).status).toBe(201);
        expect(await look.keys('crm:rl:*10.8.*')).not.toEqual([]);
      },
      { timeout: 30_000, interval: 250 },
    );
    // The live feed goes through Redis again.
    const again = await openStream(`${base()}/api/v1/tenants/${shop.tenantId}/stream`, shop.auth);
    try {
      const clicked = await click(base(), shop, { campaign: campaignId }, client());
      expect(clicked.status).toBe(201);
      const leadId = clicked.json().leadId;
      await again.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === leadId, 30_000);
    } finally {
      again.close();
    }

    // Six clicks carry the campaign now, and the stored rows say so; the counters started again from zero (the
    // daily figures fell behind until a rebuild; the worker's own minute fold may already have sent one).
    expect((await funnel(campaignId)).stored).toEqual({ clicks: 6, leads: 6 });

    // The next fold finds that Redis forgot, and the rebuild job counts the days again from the rows.
    await jobs.queue.send('campaigns.fold-metrics', {});
    await vi.waitFor(
      async () => {
        const { daily, stored } = await funnel(campaignId);
        expect(daily).toEqual({ clicks: 6, leads: 6 });
        expect(stored).toEqual(daily);
      },
      { timeout: 90_000, interval: 250 },
    );
    // And counts go on from there: the counters were lifted to the rebuilt figures.
    await clicks(2, campaignId);
    await vi.waitFor(
      async () => {
        const { daily, stored } = await funnel(campaignId);
        expect(stored).toEqual({ clicks: 8, leads: 8 });
        expect(daily).toEqual(stored);
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(api.exited || worker.exited).toBe(false);
  });
});
