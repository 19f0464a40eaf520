import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestContext, signUp, startInstance, type TestContext } from '../../../test/harness';

let ctx: TestContext;
const redisUrl = process.env.REDIS_URL;

beforeAll(async () => {
  ctx = await createTestContext({ env: { LOGIN_MAX_ATTEMPTS: '1000' } });
});
afterAll(() => ctx.close());

const PASSWORD = 'correct-horse-battery';
const me = (auth: Record<string, string>, app = ctx.app) =>
  app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });
const login = (email: string, password: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
async function loggedIn(email: string, password = PASSWORD) {
  const response = await login(email, password);
  expect(response.statusCode, response.body).toBe(200);
  return { authorization: `Bearer ${response.json().token}` };
}

/** Waits for a broadcast to arrive, without sleeping longer than it takes. */
async function eventually(check: () => Promise<boolean>) {
  for (let i = 0; i < 40; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

describe('POST /me/password', () => {
  it('changes the password (Argon2id), ends my other sessions and keeps this one', async () => {
    const shop = await signUp(ctx.app);
    const phone = await loggedIn(shop.email);
    const laptop = await loggedIn(shop.email);
    expect((await me(phone)).statusCode).toBe(200); // cached now: the change must evict it
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: laptop,
      payload: { currentPassword: PASSWORD, newPassword: 'a-brand-new-passphrase' },
    });
    expect(response.statusCode, response.body).toBe(204);

    expect((await me(laptop)).statusCode).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(shop.auth)).statusCode).toBe(401);
    expect((await login(shop.email, PASSWORD)).statusCode).toBe(401);
    expect((await login(shop.email, 'a-brand-new-passphrase')).statusCode).toBe(200);
    const stored = await ctx.owner.pool.query('select password_hash from app_user where id = $1', [
      shop.ownerId,
    ]);
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('POST /auth/logout-all', () => {
  it('ends every session of mine, this one too, and clears the cookie; other people stay signed in', async () => {
    const shop = await signUp(ctx.app);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const phone = await loggedIn(shop.email);
    expect((await me(phone)).statusCode).toBe(200);
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout-all',
      headers: shop.auth,
    });
    expect(response.statusCode, response.body).toBe(204);
    expect(String(response.headers['set-cookie'])).toMatch(/tm_session=;/);
    expect((await me(shop.auth)).statusCode).toBe(401);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(seller.auth)).statusCode).toBe(200);
    expect((await login(shop.email, PASSWORD)).statusCode).toBe(200);
  });

  it.skipIf(!redisUrl)(
    'is announced to the other instances, which drop their cached session at once',
    async () => {
      const second = await startInstance(ctx);
      try {
        const shop = await signUp(ctx.app);
        const phone = await loggedIn(shop.email);
        expect((await me(phone, second.app)).statusCode).toBe(200); // cached by the second instance
        const out = await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/auth/logout-all',
          headers: shop.auth,
        });
        expect(out.statusCode).toBe(204);
        expect(await eventually(async () => (await me(phone, second.app)).statusCode === 401)).toBe(true);
      } finally {
        await second.close();
      }
    },
  );
});

describe('password reset links', () => {
  const issue = (tenantId: string, userId: string, auth: Record<string, string>) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenantId}/users/${userId}/password-reset`,
      headers: auth,
    });
  const reset = (token: string, password: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/auth/reset-password', payload: { token, password } });

  it("an owner's link lets the seller set a new password, ends their sessions and logs them in", async () => {
    const shop = await signUp(ctx.app);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const issued = await issue(shop.tenantId, seller.id, shop.auth);
    expect(issued.statusCode, issued.body).toBe(201);
    const link = issued.json() as { resetUrl: string; expiresAt: string };
    const url = new URL(link.resetUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${ctx.config.publicUrl}/reset-password`);
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now());
    const token = url.searchParams.get('token') ?? '';
    // Kept only as its hash.
    const stored = await ctx.owner.pool.query('select token_hash from password_reset where user_id = $1', [
      seller.id,
    ]);
    expect(stored.rows[0].token_hash).not.toContain(token);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await me(seller.auth)).statusCode).toBe(200);
    const response = await reset(token, 'the-sellers-new-secret');
    expect(response.statusCode, response.body).toBe(200);
    const session = response.json();
    expect(session.user).toMatchObject({ id: seller.id });
    expect(String(response.headers['set-cookie'])).toMatch(/tm_session=tms_/);
    expect((await me({ authorization: `Bearer ${session.token}` })).statusCode).toBe(200);
    expect((await me(seller.auth)).statusCode).toBe(401);
    expect((await login(seller.email, 'the-sellers-new-secret')).statusCode).toBe(200);
  });

  it('a manager may send one to a seller', async () => {
    const shop = await signUp(ctx.app);
    const manager = await addUser(ctx.app, shop, 'MANAGER');
    const seller = await addUser(ctx.app, shop, 'SELLER');
    expect((await issue(shop.tenantId, seller.id, manager.auth)).statusCode).toBe(201);
  });

  it('a newer link replaces the older one', async () => {
    const shop = await signUp(ctx.app);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const first = new URL((await issue(shop.tenantId, seller.id, shop.auth)).json().resetUrl);
    const second = new URL((await issue(shop.tenantId, seller.id, shop.auth)).json().resetUrl);
    expect((await reset(first.searchParams.get('token') ?? '', 'never-going-to-work')).statusCode).toBe(422);
    expect((await reset(second.searchParams.get('token') ?? '', 'this-one-does-work')).statusCode).toBe(200);
  });
});
