import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext } from '../../../test/harness';
import { openShop, type Shop } from './tracking.fixtures';

let ctx: TestContext;
let shop: Shop;

beforeAll(async () => {
  ctx = await createTestContext({
    env: { LOGIN_MAX_ATTEMPTS: '1000', TRACKING_LIMIT_PER_IP: '3', TRACKING_LIMIT_PER_TENANT: '5' },
  });
  shop = await openShop(ctx.app, { sellers: 1 });
});
afterAll(() => ctx.close());

/** Every test its own client address: with Redis the counters outlive the test file. */
const newIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const clickFrom = (ip: string, headers: Record<string, string> = {}, tenant: Shop = shop) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tracking/whatsapp-click',
    remoteAddress: ip,
    headers,
    payload: { tenantId: tenant.tenantId, branchId: tenant.branchId, visitorId: randomUUID() },
  });

describe('tracking rate limits', () => {
  it('stops a client after its per-minute allowance with 429 and Retry-After', async () => {
    const ip = newIp();
    for (let i = 0; i < 3; i++) expect((await clickFrom(ip)).statusCode).toBe(201);
    const blocked = await clickFrom(ip);
    expect(problem(blocked, 429).detail).toMatch(/try again/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is not affected.
    expect((await clickFrom(newIp())).statusCode).toBe(201);
  });

  it('caps a tenant across clients, and a tenant API key raises both limits', async () => {
    const busy = await openShop(ctx.app, { sellers: 1 });
    for (let i = 0; i < 5; i++) expect((await clickFrom(newIp(), {}, busy)).statusCode).toBe(201);
    problem(await clickFrom(newIp(), {}, busy), 429);

    const key = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${busy.tenantId}/api-keys`,
      headers: busy.auth,
      payload: { name: 'marketplace' },
    });
    const auth = { authorization: `Bearer ${key.json().key}` };
    const ip = newIp();
    for (let i = 0; i < 6; i++) expect((await clickFrom(ip, auth, busy)).statusCode).toBe(201);
  });
});
