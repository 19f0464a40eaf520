import { apiKeyScopes } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTestContext,
  problem,
  type SignedUp,
  signUp,
  type TestContext,
} from '../../../test/harness';
import type { Clock } from '../../platform/clock';
import { hashSecret } from '../../platform/tokens';

/** A clock the tests move forward, so a key's expiry is reached without waiting. */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

let ctx: TestContext;
let shop: SignedUp;
let theirs: SignedUp;

beforeAll(async () => {
  ctx = await createTestContext({ clock });
  shop = await signUp(ctx.app);
  theirs = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const createKey = (payload: Record<string, unknown>, auth = shop.auth, tenantId = shop.tenantId) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/tenants/${tenantId}/api-keys`, headers: auth, payload });
async function keyWith(payload: Record<string, unknown>) {
  const response = await createKey({ name: 'marketplace', ...payload });
  expect(response.statusCode, response.body).toBe(201);
  return { authorization: `Bearer ${response.json().key}` };
}
const get = (url: string, auth: Record<string, string>) =>
  ctx.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth });
const click = (auth: Record<string, string>, tenantId = shop.tenantId, branchId = shop.branchId) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tracking/whatsapp-click',
    headers: auth,
    payload: { tenantId, branchId, source: 'MAP', visitorId: `v-${Math.random()}` },
  });

describe('API key scopes', () => {
  it('are chosen at creation and shown in the list', async () => {
    const expiresAt = new Date(clock.now().getTime() + 30 * 86_400_000).toISOString();
    const created = await createKey({ name: 'leads reader', scopes: ['leads:read'], expiresAt });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ scopes: ['leads:read'], expiresAt });
    const list = await get(`/tenants/${shop.tenantId}/api-keys`, shop.auth);
    expect(list.json().items.find((k: { id: string }) => k.id === created.json().id)).toMatchObject({
      scopes: ['leads:read'],
      expiresAt,
    });
  });

  it('a key reaches the calls of its scopes, and is 403 on the others', async () => {
    const leadsOnly = await keyWith({ scopes: ['leads:read'] });
    expect((await get(`/tenants/${shop.tenantId}/leads`, leadsOnly)).statusCode).toBe(200);
    problem(await get(`/tenants/${shop.tenantId}/kpis`, leadsOnly), 403);
    problem(await get(`/tenants/${shop.tenantId}/branches`, leadsOnly), 403);
    const denied = problem(await click(leadsOnly), 403);
    expect(denied.detail).toContain('tracking:write');

    const tracking = await keyWith({ scopes: ['tracking:write'] });
    expect((await click(tracking)).statusCode).toBe(201);
    problem(await get(`/tenants/${shop.tenantId}/leads`, tracking), 403);

    const figures = await keyWith({ scopes: ['analytics:read', 'shop:read'] });
    expect((await get(`/tenants/${shop.tenantId}/kpis`, figures)).statusCode).toBe(200);
    expect((await get(`/tenants/${shop.tenantId}/branches`, figures)).statusCode).toBe(200);
  });

  it("no scope opens a signed-in user's call: managing keys or users stays 403", async () => {
    const everything = await keyWith({});
    problem(await get(`/tenants/${shop.tenantId}/api-keys`, everything), 403);
    problem(await get(`/tenants/${shop.tenantId}/users`, everything), 403);
    problem(await createKey({ name: 'another' }, everything), 403);
    // What needs no key at all still answers a caller that sends one.
    expect((await get('/health', await keyWith({ scopes: ['leads:read'] }))).statusCode).toBe(200);
  });

  it('a key made without scopes, or before scopes existed, keeps every power it had', async () => {
    const created = await createKey({ name: 'legacy' });
    expect(created.json().scopes).toEqual([...apiKeyScopes]);
    // As the migration leaves a key made before it: the column's default.
    const secret = `tmk_${'a'.repeat(43)}`;
    await ctx.owner.pool.query(
      `insert into api_key (id, tenant_id, name, prefix, key_hash, created_by_user_id)
       values (gen_random_uuid(), $1, 'old', $2, $3, $4)`,
      [shop.tenantId, secret.slice(0, 10), hashSecret(secret), shop.ownerId],
    );
    const old = { authorization: `Bearer ${secret}` };
    expect((await click(old)).statusCode).toBe(201);
    for (const url of [
      'leads',
      'kpis',
      'reputation',
      'branches',
      'listings',
      'campaigns',
      'tasks',
      'quotes',
    ]) {
      expect((await get(`/tenants/${shop.tenantId}/${url}`, old)).statusCode, url).toBe(200);
    }
  });

  it("another tenant's resources stay 404 for a key with the scope", async () => {
    const reader = await keyWith({ scopes: ['leads:read', 'tracking:write'] });
    problem(await get(`/tenants/${theirs.tenantId}/leads`, reader), 404);
    problem(await click(reader, theirs.tenantId, theirs.branchId), 404);
    // Nor does a missing scope tell anything about another tenant: 404 there too.
    problem(await get(`/tenants/${theirs.tenantId}/kpis`, reader), 404);
  });

  it('names the field of a bad scope list or expiry', async () => {
    expect(problem(await createKey({ name: 'k', scopes: ['leads:write'] }), 400).errors?.[0]?.path).toMatch(
      /^body\.scopes/,
    );
    expect(problem(await createKey({ name: 'k', scopes: [] }), 400).errors?.[0]?.path).toBe('body.scopes');
    expect(
      problem(await createKey({ name: 'k', scopes: ['leads:read', 'leads:read'] }), 400).errors?.[0]?.path,
    ).toBe('body.scopes');
    expect(problem(await createKey({ name: 'k', expiresAt: 'tomorrow' }), 400).errors?.[0]?.path).toBe(
      'body.expiresAt',
    );
    const past = new Date(clock.now().getTime() - 60_000).toISOString();
    expect(problem(await createKey({ name: 'k', expiresAt: past }), 422).errors?.[0]?.path).toBe('expiresAt');
  });
});

describe('API key expiry', () => {
  it('an expired key is 401, even right after a call cached it', async () => {
    const expiresAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const key = await keyWith({ scopes: ['leads:read'], expiresAt });
    expect((await get(`/tenants/${shop.tenantId}/leads`, key)).statusCode).toBe(200);
    offsetMs += 3_600_000 + 1000;
    try {
      problem(await get(`/tenants/${shop.tenantId}/leads`, key), 401);
    } finally {
      offsetMs = 0;
    }
  });
});

describe('PATCH /tenants/{tenantId}/users/{userId} requires version', () => {
  it('is 400 naming version when it is missing, and changes nothing', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
      headers: shop.auth,
      payload: { active: false },
    });
    expect(problem(response, 400).errors?.[0]?.path).toBe('body.version');
    expect((await get('/me', seller.auth)).statusCode).toBe(200);
  });

  it('is 409 on a stale version', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const { version } = (await get(`/tenants/${shop.tenantId}/users/${seller.id}`, shop.auth)).json();
    const patch = (payload: Record<string, unknown>) =>
      ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
        headers: shop.auth,
        payload,
      });
    expect((await patch({ name: 'Primera', version })).statusCode).toBe(200);
    const stale = problem(await patch({ name: 'Segunda', version }), 409);
    expect(stale.errors?.[0]?.path).toBe('version');
    expect((await get(`/tenants/${shop.tenantId}/users/${seller.id}`, shop.auth)).json().name).toBe(
      'Primera',
    );
  });
});
