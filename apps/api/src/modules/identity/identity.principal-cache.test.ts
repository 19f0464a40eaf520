import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestContext, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import type { Principal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import { createPrincipalCache } from './principal-cache';

/**
 * A resolved principal is reused for a few seconds. What changes it in this process must take effect on the
 * very next request; what changes it behind the process's back (another instance) within the cache's life.
 */

let time = new Date('2030-05-01T15:00:00.000Z').getTime();
const clock: Clock = { now: () => new Date(time) };
const CACHE_MS = 5_000;

let ctx: TestContext;
let shop: SignedUp;
beforeAll(async () => {
  ctx = await createTestContext({ clock });
  shop = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const me = (auth: { authorization: string }) =>
  ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });

const newBranch = (auth: { authorization: string }, name: string) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/branches`,
    headers: auth,
    payload: { name, whatsappPhone: '+51 912 345 678', timezone: 'America/Lima' },
  });

describe('changes made through this instance', () => {
  it('a role taken away applies to the next request', async () => {
    const manager = await addUser(ctx.app, shop, 'MANAGER');
    expect((await newBranch(manager.auth, 'Surco')).statusCode).toBe(201);
    const demoted = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/users/${manager.id}`,
      headers: shop.auth,
      payload: {
        role: 'SELLER',
        branchIds: [shop.branchId],
        version: (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/tenants/${shop.tenantId}/users/${manager.id}`,
            headers: shop.auth,
          })
        ).json().version,
      },
    });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect((await newBranch(manager.auth, 'La Molina')).statusCode).toBe(403);
  });

  it("a seller's new branch shows in their inbox on the next request", async () => {
    const other = (await newBranch(shop.auth, 'Barranco')).json().id as string;
    const seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/leads`,
      headers: shop.auth,
      payload: { branchId: other, contact: { name: 'Cliente de Barranco' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const inbox = async () =>
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/tenants/${shop.tenantId}/leads`,
          headers: seller.auth,
        })
      )
        .json()
        .items.map((lead: { id: string }) => lead.id);
    expect(await inbox()).not.toContain(created.json().id);
    const moved = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
      headers: shop.auth,
      payload: {
        branchIds: [shop.branchId, other],
        version: (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
            headers: shop.auth,
          })
        ).json().version,
      },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await inbox()).toContain(created.json().id);
  });
});

describe('changes made behind this instance', () => {
  it('a session revoked elsewhere stops working once the cached principal expires', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    expect((await me(seller.auth)).statusCode).toBe(200);
    await ctx.owner.pool.query('update session set revoked_at = now() where user_id = $1', [seller.id]);
    // Within the cache's life the principal is reused: the delay another instance's logout accepts.
    expect((await me(seller.auth)).statusCode).toBe(200);
    time += CACHE_MS + 1;
    expect((await me(seller.auth)).statusCode).toBe(401);
  });

  it('a session is never served from the cache past its own expiry', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    await ctx.owner.pool.query(
      `update session set expires_at = $2::timestamptz + interval '1 second' where user_id = $1`,
      [seller.id, clock.now().toISOString()],
    );
    expect((await me(seller.auth)).statusCode).toBe(200);
    time += 1_000;
    expect((await me(seller.auth)).statusCode).toBe(401);
  });
});

describe('look-ups shared by the requests that miss together', () => {
  it('concurrent misses of one secret make one look-up, and none begun before a revocation is shared after it', async () => {
    const cache = createPrincipalCache({ clock, ttlMs: CACHE_MS });
    const principal: Principal = { kind: 'apiKey', tenantId: shop.tenantId, apiKeyId: 'key-1', scopes: [] };
    let loads = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const load = async () => {
      loads += 1;
      await gate;
      return principal;
    };
    const together = [
      cache.lookUp('hash-1', load),
      cache.lookUp('hash-1', load),
      cache.lookUp('hash-1', load),
    ];
    expect(loads).toBe(1);
    cache.forget({ apiKeyId: 'key-1' });
    const afterRevocation = cache.lookUp('hash-1', load);
    expect(loads).toBe(2);
    release();
    expect(await Promise.all([...together, afterRevocation])).toEqual([
      principal,
      principal,
      principal,
      principal,
    ]);
    // Settled: the next miss looks up again.
    await cache.lookUp('hash-1', load);
    expect(loads).toBe(3);
  });
});
