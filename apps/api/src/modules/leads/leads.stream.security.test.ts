import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestContext, startInstance, type TestContext } from '../../../test/harness';
import { openStream } from '../../../test/sse';
import { manualTicker } from '../../../test/ticker';
import { hashSecret } from '../../platform/tokens';
import { click, openShop, type Shop } from '../tracking/tracking.fixtures';
import { addBranch, manualClock } from './leads.fixtures';

/**
 * A live stream carries customers' names and phones: it must not outlive what let it open. It ends when its
 * session is revoked, its user deactivated or their branches changed, here or on another instance, and its
 * periodic check ends it when a notice was lost or the session expired. The check runs when the test ticks.
 */

const clock = manualClock(new Date('2030-03-01T14:00:00.000Z'));
const ticker = manualTicker();
let ctx: TestContext;
let base: string;
let shop: Shop;
let northId: string;

beforeAll(async () => {
  ctx = await createTestContext({ clock, ticker, env: { LOGIN_MAX_ATTEMPTS: '1000' } });
  ctx.owner.pool.on('error', () => {});
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  shop = await openShop(ctx.app, { sellers: 0 });
  northId = await addBranch(ctx.app, shop, 'Trujillo');
});
afterAll(() => ctx.close());

const streamUrl = (at: string) => `${at}/api/v1/tenants/${shop.tenantId}/stream`;
const clickAt = async (branchId: string) => {
  const response = await click(ctx.app, { tenantId: shop.tenantId, branchId, visitorId: randomUUID() });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().leadId as string;
};
/** An owner's edit of a user, on the version just read (a PATCH must name it). */
const patchUser = async (userId: string, payload: object) => {
  const url = `/api/v1/tenants/${shop.tenantId}/users/${userId}`;
  const { version } = (await ctx.app.inject({ method: 'GET', url, headers: shop.auth })).json();
  return ctx.app.inject({ method: 'PATCH', url, headers: shop.auth, payload: { ...payload, version } });
};
/** A second session of the same user. */
async function logIn(email: string) {
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: 'correct-horse-battery' },
  });
  expect(login.statusCode, login.body).toBe(200);
  return { authorization: `Bearer ${login.json().token as string}` };
}

describe('a live stream', () => {
  it("ends when its session logs out; the user's other session keeps streaming", async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const phone = await logIn(seller.email);
    const laptop = await openStream(streamUrl(base), seller.auth);
    const mobile = await openStream(streamUrl(base), phone);
    const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: seller.auth });
    expect(out.statusCode).toBeLessThan(300);
    await laptop.ended();
    const after = await clickAt(shop.branchId);
    await mobile.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === after);
    expect(laptop.received.map((e) => JSON.parse(e.data).id)).not.toContain(after);
    mobile.close();
  });

  it('ends when its user is deactivated', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const stream = await openStream(streamUrl(base), seller.auth);
    const off = await patchUser(seller.id, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    await stream.ended();
  });

  it("ends when the user's branches or role change, and reopens with the new view", async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const stream = await openStream(streamUrl(base), seller.auth);
    const moved = await patchUser(seller.id, { branchIds: [northId] });
    expect(moved.statusCode, moved.body).toBe(200);
    await stream.ended();
    const reopened = await openStream(streamUrl(base), seller.auth);
    const north = await clickAt(northId);
    await reopened.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === north);
    const promoted = await patchUser(seller.id, { role: 'MANAGER' });
    expect(promoted.statusCode, promoted.body).toBe(200);
    await reopened.ended();
  });

  it('ends when its API key is revoked', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/api-keys`,
      headers: shop.auth,
      payload: { name: 'Pantalla de la tienda' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    const stream = await openStream(streamUrl(base), { authorization: `Bearer ${key}` });
    const revoked = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/tenants/${shop.tenantId}/api-keys/${id}`,
      headers: shop.auth,
    });
    expect(revoked.statusCode, revoked.body).toBeLessThan(300);
    await stream.ended();
  });

  it('stays open through a change that leaves its view as it was (availability)', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const stream = await openStream(streamUrl(base), seller.auth);
    const url = `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`;
    const { version } = (await ctx.app.inject({ method: 'GET', url, headers: seller.auth })).json();
    const away = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: seller.auth,
      payload: { available: false, version },
    });
    expect(away.statusCode, away.body).toBe(200);
    await ticker.tick();
    const lead = await clickAt(shop.branchId);
    await stream.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === lead);
    expect(stream.open).toBe(true);
    stream.close();
  });

  it('ends at its periodic check when the session was revoked without a notice, or expired', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const revoked = await openStream(streamUrl(base), seller.auth);
    const other = await logIn(seller.email);
    const expiring = await openStream(streamUrl(base), other);
    // As if the notice were lost: the row says revoked, nobody was told.
    await ctx.owner.pool.query('update session set revoked_at = now() where token_hash = $1', [
      hashSecret(seller.auth.authorization.slice('Bearer '.length)),
    ]);
    await ticker.tick();
    // Within the principal cache's life the check may still see it; past it, it does not.
    clock.advance(60_000);
    await ticker.tick();
    await revoked.ended();
    expect(expiring.open).toBe(true);
    clock.advance(ctx.config.SESSION_TTL_HOURS * 3_600_000);
    await ticker.tick();
    await expiring.ended();
    // Every session of the shop expired with it: the owner signs in again for the tests after this one.
    shop.auth = await logIn(shop.email);
  });
});

describe.skipIf(!process.env.REDIS_URL)('a live stream on another instance', () => {
  let second: Awaited<ReturnType<typeof startInstance>>;
  let secondBase: string;

  beforeAll(async () => {
    second = await startInstance(ctx);
    secondBase = await second.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => second?.close());

  it('ends when its session logs out on the first', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const stream = await openStream(streamUrl(secondBase), seller.auth);
    const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: seller.auth });
    expect(out.statusCode).toBeLessThan(300);
    await stream.ended();
  });

  it('ends when its user is deactivated or moved on the first', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const stream = await openStream(streamUrl(secondBase), seller.auth);
    expect((await patchUser(seller.id, { branchIds: [northId] })).statusCode).toBe(200);
    await stream.ended();
    const again = await openStream(streamUrl(secondBase), seller.auth);
    expect((await patchUser(seller.id, { active: false })).statusCode).toBe(200);
    await again.ended();
  });
});
