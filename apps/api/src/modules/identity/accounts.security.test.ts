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

/** A clock the tests move forward, so a link's expiry is reached without waiting. */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

let ctx: TestContext;
let shop: SignedUp;
let theirs: SignedUp;

beforeAll(async () => {
  ctx = await createTestContext({ clock, env: { LOGIN_MAX_ATTEMPTS: '1000' } });
  shop = await signUp(ctx.app);
  theirs = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const PASSWORD = 'correct-horse-battery';
const issue = (tenantId: string, userId: string, auth: Record<string, string>) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenantId}/users/${userId}/password-reset`,
    headers: auth,
  });
const reset = (token: string, password = 'a-new-password-1234') =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/auth/reset-password', payload: { token, password } });
const tokenOf = (response: { json(): { resetUrl: string } }) =>
  new URL(response.json().resetUrl).searchParams.get('token') ?? '';
const changePassword = (auth: Record<string, string>, payload: Record<string, unknown>) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: auth, payload });

describe('password change', () => {
  it('refuses a wrong current password with 422 naming currentPassword, and changes nothing', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const response = await changePassword(seller.auth, {
      currentPassword: 'not-my-password',
      newPassword: 'a-brand-new-passphrase',
    });
    expect(problem(response, 422).errors?.[0]?.path).toBe('currentPassword');
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: seller.email, password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
  });

  it('names the field of a missing, short or unchanged password', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    expect(
      problem(await changePassword(seller.auth, { newPassword: 'long-enough-pass' }), 400).errors?.[0]?.path,
    ).toBe('body.currentPassword');
    expect(
      problem(await changePassword(seller.auth, { currentPassword: PASSWORD, newPassword: 'short' }), 400)
        .errors?.[0]?.path,
    ).toBe('body.newPassword');
    expect(
      problem(await changePassword(seller.auth, { currentPassword: PASSWORD, newPassword: PASSWORD }), 422)
        .errors?.[0]?.path,
    ).toBe('newPassword');
  });

  it('needs a signed-in person: 401 without a session, 403 for an API key', async () => {
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        payload: { currentPassword: PASSWORD, newPassword: 'a-brand-new-passphrase' },
      }),
      401,
    );
    problem(await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all' }), 401);
    const key = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/api-keys`,
      headers: shop.auth,
      payload: { name: 'marketplace' },
    });
    const auth = { authorization: `Bearer ${key.json().key}` };
    problem(
      await changePassword(auth, { currentPassword: PASSWORD, newPassword: 'a-brand-new-passphrase' }),
      403,
    );
    problem(await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: auth }), 403);
  });
});

describe('who may issue a reset link', () => {
  it('a seller may not, for anyone', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const other = await addUser(ctx.app, shop, 'SELLER');
    problem(await issue(shop.tenantId, shop.ownerId, seller.auth), 403);
    problem(await issue(shop.tenantId, other.id, seller.auth), 403);
  });

  it('a manager may not for an owner or another manager', async () => {
    const manager = await addUser(ctx.app, shop, 'MANAGER');
    const peer = await addUser(ctx.app, shop, 'MANAGER');
    problem(await issue(shop.tenantId, shop.ownerId, manager.auth), 403);
    problem(await issue(shop.tenantId, peer.id, manager.auth), 403);
    const rows = await ctx.owner.pool.query(
      'select count(*)::int as n from password_reset where user_id = any($1)',
      [[shop.ownerId, peer.id]],
    );
    expect(rows.rows[0].n).toBe(0);
  });

  it("another tenant's user is 404, through their tenant or mine", async () => {
    const theirSeller = await addUser(ctx.app, theirs, 'SELLER');
    problem(await issue(theirs.tenantId, theirSeller.id, shop.auth), 404);
    problem(await issue(shop.tenantId, theirSeller.id, shop.auth), 404);
  });

  it('a deactivated user gets no link (422 naming userId)', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const user = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
      headers: shop.auth,
    });
    const off = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
      headers: shop.auth,
      payload: { active: false, version: user.json().version },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(problem(await issue(shop.tenantId, seller.id, shop.auth), 422).errors?.[0]?.path).toBe('userId');
  });
});

describe('using a reset link', () => {
  it('works once: a used link is refused (422 naming token)', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const token = tokenOf(await issue(shop.tenantId, seller.id, shop.auth));
    expect((await reset(token)).statusCode).toBe(200);
    expect(problem(await reset(token, 'someone-elses-choice'), 422).errors?.[0]?.path).toBe('token');
  });

  it('two uses at the same time: one wins', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const token = tokenOf(await issue(shop.tenantId, seller.id, shop.auth));
    const answers = await Promise.all([reset(token, 'first-password-1'), reset(token, 'second-password-2')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 422]);
  });

  it('is refused once expired (after 24 hours)', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const token = tokenOf(await issue(shop.tenantId, seller.id, shop.auth));
    offsetMs += 24 * 3_600_000 + 1000;
    try {
      expect(problem(await reset(token), 422).errors?.[0]?.path).toBe('token');
    } finally {
      offsetMs = 0;
    }
  });

  it('is refused for a made-up token, and names a short password', async () => {
    problem(await reset(`tmr_${'x'.repeat(43)}`), 422);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const token = tokenOf(await issue(shop.tenantId, seller.id, shop.auth));
    expect(problem(await reset(token, 'short'), 400).errors?.[0]?.path).toBe('body.password');
  });

  it('is refused when the user was deactivated after the link was sent', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const token = tokenOf(await issue(shop.tenantId, seller.id, shop.auth));
    const user = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
      headers: shop.auth,
    });
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
      headers: shop.auth,
      payload: { active: false, version: user.json().version },
    });
    problem(await reset(token), 422);
  });

  it('the reset table is closed to the app role without the tenant (row-level security)', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    await issue(shop.tenantId, seller.id, shop.auth);
    const seen = await ctx.database.withTenant(theirs.tenantId, (tx) =>
      tx.execute('select count(*)::int as n from password_reset'),
    );
    expect(seen.rows[0]).toEqual({ n: 0 });
  });
});
