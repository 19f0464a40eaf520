import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signUp, type TestContext } from '../../test/harness';
import { type App, buildApp } from '../app';
import { collectProcessMetrics, observeBacklog, redisFallbacksTotal } from './metrics';
import { serveMetrics } from './metrics-http';
import { connectRedis, linkRedis } from './redis';

const token = 'metrics-token-0123456789';
let ctx: TestContext;
let app: App;
let stopBacklog: () => void;

beforeAll(async () => {
  ctx = await createTestContext();
  collectProcessMetrics('all');
  stopBacklog = observeBacklog(ctx.owner.pool);
  app = await buildApp({
    config: { ...ctx.config, METRICS_TOKEN: token },
    database: ctx.database,
    jobs: 'deferred',
  });
  await app.ready();
});
afterAll(async () => {
  stopBacklog?.();
  await app?.close();
  await ctx?.close();
});

const scrape = async () => {
  const response = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.statusCode).toBe(200);
  return response.body;
};

/** The value of the series of `name` whose labels include `labels`, read from the exposition text. */
const seriesValue = (text: string, name: string, labels: Record<string, string> = {}) => {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
};

describe('/metrics on the API port', () => {
  it('answers 401 without the bearer token, or with another', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-token-9876543210' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('is not served at all without METRICS_TOKEN', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });

  const count = 'techmarket_http_request_duration_seconds_count';

  it('times requests by route pattern, method and status class, never by raw URL', async () => {
    const shop = await signUp(app);
    const lead = '00000000-0000-4000-8000-000000000000';
    const unmatchedBefore = seriesValue(await scrape(), count, { route: 'unmatched' }) ?? 0;
    const found = await app.inject({ method: 'GET', url: `/api/v1/leads/${lead}`, headers: shop.auth });
    expect(found.statusCode).toBe(404);
    await app.inject({ method: 'GET', url: `/no/such/page/${lead}` });
    const text = await scrape();
    expect(seriesValue(text, count, { route: '/api/v1/leads/:id', method: 'GET', status_class: '4xx' })).toBe(
      1,
    );
    expect(
      seriesValue(text, count, { route: '/api/v1/auth/signup', method: 'POST', status_class: '2xx' }),
    ).toBe(1);
    expect(seriesValue(text, count, { route: 'unmatched', method: 'GET', status_class: '4xx' })).toBe(
      unmatchedBefore + 1,
    );
    expect(text).not.toContain(lead);
    expect(text).not.toContain(shop.tenantId);
  });

  it('reports the pools, the backlog, the business counters and the process', async () => {
    const text = await scrape();
    const pool = 'techmarket_db_pool_connections';
    expect(seriesValue(text, pool, { pool: 'app', state: 'total' })).toBeGreaterThan(0);
    expect(seriesValue(text, pool, { pool: 'app', state: 'waiting' })).toBe(0);
    expect(seriesValue(text, 'techmarket_db_no_slot_total')).toBe(0);
    // Nothing waits in this database: no webhook lag.
    expect(seriesValue(text, 'techmarket_webhook_lag_seconds')).toBe(0);
    expect(seriesValue(text, 'techmarket_webhook_pending')).toBe(0);
    // The signup above made no lead; the counter is there, as are Node's own metrics.
    expect(text).toContain('# TYPE techmarket_leads_created_total counter');
    expect(text).toContain('# TYPE techmarket_clicks_total counter');
    expect(seriesValue(text, 'process_resident_memory_bytes', { role: 'all' })).toBeGreaterThan(0);
  });

  it('counts a lead created and a WhatsApp click', async () => {
    const shop = await signUp(app);
    const before = await scrape();
    const leadsBefore = seriesValue(before, 'techmarket_leads_created_total') ?? 0;
    const clicksBefore = seriesValue(before, 'techmarket_clicks_total', { kind: 'whatsapp' }) ?? 0;
    const click = await app.inject({
      method: 'POST',
      url: '/api/v1/tracking/whatsapp-click',
      payload: {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        visitorId: 'visitor-metrics-1',
      },
    });
    expect(click.statusCode).toBe(201);
    const after = await scrape();
    expect(seriesValue(after, 'techmarket_leads_created_total')).toBe(leadsBefore + 1);
    expect(seriesValue(after, 'techmarket_clicks_total', { kind: 'whatsapp' })).toBe(clicksBefore + 1);
  });
});

describe('the webhook backlog', () => {
  it('reports the age of the oldest delivery stored and not processed', async () => {
    const shop = await signUp(app);
    await ctx.owner.pool.query(
      `insert into whatsapp_delivery (id, tenant_id, channel_id, body_sha256, payload, received_at)
       values (gen_random_uuid(), $1, gen_random_uuid(), 'metrics-test', '{}'::jsonb, now() - interval '90 seconds')`,
      [shop.tenantId],
    );
    // Observed afresh: what was read for an earlier scrape is kept a few seconds.
    stopBacklog();
    stopBacklog = observeBacklog(ctx.owner.pool);
    const text = await scrape();
    expect(seriesValue(text, 'techmarket_webhook_pending')).toBe(1);
    expect(seriesValue(text, 'techmarket_webhook_lag_seconds')).toBeGreaterThanOrEqual(90);
  });
});

describe('Redis fallbacks', () => {
  it('are counted by connection when Redis does not answer', async () => {
    const before = (await redisFallbacksTotal.get()).values.find(
      (v) => v.labels.connection === 'metrics-probe',
    );
    // A port nothing listens on: the command fails, the stand-in answers.
    const link = linkRedis(connectRedis('redis://127.0.0.1:1', 'metrics-probe', 200));
    expect(
      await link.run(
        async (redis) => redis.get('x'),
        () => 'in-process',
      ),
    ).toBe('in-process');
    expect(
      await link.run(
        async (redis) => redis.get('x'),
        () => 'in-process',
      ),
    ).toBe('in-process');
    await link.close();
    const after = (await redisFallbacksTotal.get()).values.find(
      (v) => v.labels.connection === 'metrics-probe',
    );
    expect((after?.value ?? 0) - (before?.value ?? 0)).toBe(2);
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics on a port of its own, with the token when one is set', async () => {
    const server = await serveMetrics({ port: 0, host: '127.0.0.1', token });
    try {
      const url = `http://127.0.0.1:${server.port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('techmarket_http_request_duration_seconds');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
