import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestContext, signUp, startInstance, type TestContext } from '../../../test/harness';

/** Revocation across instances goes through Redis pub/sub; without REDIS_URL there is only one process's cache. */
const redisUrl = process.env.REDIS_URL;
if (!redisUrl)
  console.warn('identity.instances.test: REDIS_URL is not set; the two-instance tests are skipped');

describe.skipIf(!redisUrl)('revocation across two instances', () => {
  let ctx: TestContext;
  let second: Awaited<ReturnType<typeof startInstance>>;

  beforeAll(async () => {
    ctx = await createTestContext({ env: { LOGIN_MAX_ATTEMPTS: '1000' } });
    second = await startInstance(ctx);
  });
  afterAll(async () => {
    await second?.close();
    await ctx?.close();
  });

  const me = (app: TestContext['app'], auth: Record<string, string>) =>
    app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });

  /** Waits for the broadcast to arrive, without sleeping longer than it takes (the cache itself lasts 5 s). */
  async function eventually(check: () => Promise<boolean>) {
    for (let i = 0; i < 40; i++) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }

  it('a logout on one instance ends the session on the other at once', async () => {
    const shop = await signUp(ctx.app);
    expect((await me(second.app, shop.auth)).statusCode).toBe(200); // now cached by the second instance
    const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: shop.auth });
    expect(out.statusCode).toBeLessThan(300);
    expect(await eventually(async () => (await me(second.app, shop.auth)).statusCode === 401)).toBe(true);
  });

  it('deactivating a seller on one instance locks them out of the other', async () => {
    const shop = await signUp(ctx.app);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    expect((await me(second.app, seller.auth)).statusCode).toBe(200);
    const off = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
      headers: shop.auth,
      payload: {
        active: false,
        version: (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/tenants/${shop.tenantId}/users/${seller.id}`,
            headers: shop.auth,
          })
        ).json().version,
      },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(await eventually(async () => (await me(second.app, seller.auth)).statusCode === 401)).toBe(true);
  });
});

describe.skipIf(!redisUrl)('the login throttle across two instances', () => {
  let ctx: TestContext;
  let second: Awaited<ReturnType<typeof startInstance>>;

  beforeAll(async () => {
    ctx = await createTestContext({ env: { LOGIN_MAX_ATTEMPTS: '4' } });
    second = await startInstance(ctx);
  });
  afterAll(async () => {
    await second?.close();
    await ctx?.close();
  });

  it('counts the guesses made on both: two instances do not double the attempts', async () => {
    const shop = await signUp(ctx.app);
    const guess = (app: TestContext['app']) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.1.2.3',
        payload: { email: shop.email, password: 'a-wrong-guess' },
      });
    for (const app of [ctx.app, second.app, ctx.app, second.app])
      expect((await guess(app)).statusCode).toBe(401);
    expect((await guess(ctx.app)).statusCode).toBe(429);
    expect((await guess(second.app)).statusCode).toBe(429);
  });
});
