import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type SignedUp, signUp, type TestContext } from '../../../test/harness';

/**
 * The web app's first question on every visit is "is anyone signed in?". A logged-out browser is the normal
 * case, so the answer is a 200 either way: no 401 in the console before anyone has done anything.
 */

let ctx: TestContext;
let shop: SignedUp;
beforeAll(async () => {
  ctx = await createTestContext();
  shop = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const sessionState = (options: { headers?: Record<string, string>; cookies?: Record<string, string> } = {}) =>
  ctx.app.inject({ method: 'GET', url: '/api/v1/session', ...options });

describe('GET /session', () => {
  it('answers 200 {authenticated: false} to a visit without a session', async () => {
    const response = await sessionState();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ authenticated: false });
  });

  it('answers 200 {authenticated: false} to a cookie whose session is gone', async () => {
    const response = await sessionState({ cookies: { tm_session: `tms_${'x'.repeat(43)}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ authenticated: false });
  });

  it('answers the signed-in user, tenant and a CSRF token to the session cookie', async () => {
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: shop.email, password: 'correct-horse-battery' },
    });
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    const response = await sessionState({ cookies });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      authenticated: true,
      user: { id: shop.ownerId, role: 'OWNER' },
      tenant: { id: shop.tenantId },
      csrfToken: expect.any(String),
    });
    // The same as GET /me, which keeps its contract.
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', cookies });
    expect(me.json().user).toEqual(body.user);
  });

  it('answers a bearer token without a CSRF token, and an API key as nobody signed in', async () => {
    const byBearer = await sessionState({ headers: shop.auth });
    expect(byBearer.json()).toMatchObject({ authenticated: true, csrfToken: null });
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/api-keys`,
      headers: shop.auth,
      payload: { name: 'marketplace' },
    });
    expect(created.statusCode).toBe(201);
    const byKey = await sessionState({ headers: { authorization: `Bearer ${created.json().key}` } });
    expect(byKey.json()).toEqual({ authenticated: false });
  });

  it('keeps GET /me a 401 without a session', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });
});
