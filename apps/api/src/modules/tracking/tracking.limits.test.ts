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

describe('the tenant limit across tracking entry points', () => {
  const visit = (code: string, ip: string) =>
    ctx.app.inject({
      method: 'GET',
      url: `/w/${code}`,
      remoteAddress: ip,
      headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14)' },
    });

  it('counts /w/{code} visits against the tenant’s limit, shared with the click endpoint', async () => {
    const busy = await openShop(ctx.app, { sellers: 1 });
    const link = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${busy.tenantId}/links`,
      headers: busy.auth,
      payload: { branchId: busy.branchId },
    });
    expect(link.statusCode, link.body).toBe(201);
    const { code } = link.json();
    for (let i = 0; i < 4; i++) expect((await visit(code, newIp())).statusCode).toBe(302);
    expect((await clickFrom(newIp(), {}, busy)).statusCode).toBe(201);
    const blocked = await visit(code, newIp());
    expect(problem(blocked, 429).detail).toMatch(/try again/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    problem(await clickFrom(newIp(), {}, busy), 429);
  });

  it('charges a batch of N listing views N units of the tenant’s limit', async () => {
    const busy = await openShop(ctx.app, { sellers: 1 });
    const views = (count: number) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/tracking/listing-view',
        remoteAddress: newIp(),
        payload: Array.from({ length: count }, () => ({
          tenantId: busy.tenantId,
          listingId: busy.listingId,
          visitorId: randomUUID(),
        })),
      });
    expect((await views(4)).statusCode).toBe(202);
    expect((await views(1)).statusCode).toBe(202);
    problem(await views(1), 429);
    // A batch larger than what is left is refused whole.
    const fresh = await openShop(ctx.app, { sellers: 1 });
    const tooMany = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/listing-view',
      remoteAddress: newIp(),
      payload: Array.from({ length: 6 }, () => ({ tenantId: fresh.tenantId, listingId: fresh.listingId })),
    });
    problem(tooMany, 429);
  });
});
