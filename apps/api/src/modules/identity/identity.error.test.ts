import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestContext, problem, signUp, type TestContext } from '../../../test/harness';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { LOGIN_MAX_ATTEMPTS: '3' } });
});
afterAll(() => ctx.close());

describe('bad input is a 4xx problem naming the field', () => {
  it('rejects a signup with missing and malformed fields', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { tenantName: 'X', email: 'not-an-email', password: 'short' },
    });
    const body = problem(response, 400);
    const paths = body.errors?.map((e) => e.path) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining(['body.tenantName', 'body.name', 'body.email', 'body.password']),
    );
    // Each failure carries what a screen needs to word it in the person's language.
    const of = (path: string) => body.errors?.find((e) => e.path === path);
    expect(of('body.name')).toMatchObject({ code: 'required' });
    expect(of('body.email')).toMatchObject({ code: 'invalid_format', format: 'email' });
    expect(of('body.password')).toMatchObject({ code: 'too_small', minimum: expect.any(Number) });
  });

  it('names the service rule a field broke: a seller with no branch', async () => {
    const tenant = await signUp(ctx.app);
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenant.tenantId}/users`,
      headers: tenant.auth,
      payload: { name: 'Vende', email: 'no-branch@example.com', role: 'SELLER', branchIds: [] },
    });
    expect(problem(response, 422).errors).toEqual([
      { path: 'branchIds', message: 'a seller needs at least one branch', code: 'SELLER_NEEDS_BRANCH' },
    ]);
  });

  it('rejects malformed JSON without a 500', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(problem(response, 400).status).toBe(400);
  });

  it('refuses a second user with the same e-mail in one shop, in any letter case', async () => {
    const tenant = await signUp(ctx.app);
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenant.tenantId}/users`,
      headers: tenant.auth,
      payload: {
        name: 'Otra',
        email: tenant.email.toUpperCase(),
        role: 'MANAGER',
        branchIds: [tenant.branchId],
        password: 'otra-clave-larga',
      },
    });
    expect(problem(response, 409).errors).toEqual([
      { path: 'email', message: 'already registered', code: 'ALREADY_USED' },
    ]);
  });

  it('rejects an invalid WhatsApp phone, time zone or business hours', async () => {
    const tenant = await signUp(ctx.app);
    const url = `/api/v1/tenants/${tenant.tenantId}/branches`;
    const phone = await ctx.app.inject({
      method: 'POST',
      url,
      headers: tenant.auth,
      payload: { name: 'B', whatsappPhone: '12345', timezone: 'America/Lima' },
    });
    expect(problem(phone, 422).errors?.[0]?.path).toBe('whatsappPhone');
    const zone = await ctx.app.inject({
      method: 'POST',
      url,
      headers: tenant.auth,
      payload: { name: 'B', whatsappPhone: '+51987654321', timezone: 'Mars/Olympus' },
    });
    expect(problem(zone, 400).errors?.[0]?.path).toBe('body.timezone');
    const hours = await ctx.app.inject({
      method: 'POST',
      url,
      headers: tenant.auth,
      payload: {
        name: 'B',
        whatsappPhone: '+51987654321',
        timezone: 'America/Lima',
        businessHours: { mon: [{ open: '19:00', close: '09:00' }] },
      },
    });
    expect(problem(hours, 400).errors?.[0]?.path).toBe('body.businessHours.mon.0.close');
  });

  it('answers a stale version with 409', async () => {
    const tenant = await signUp(ctx.app);
    const url = `/api/v1/tenants/${tenant.tenantId}/branches/${tenant.branchId}`;
    const first = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: tenant.auth,
      payload: { name: 'Uno', version: 1 },
    });
    expect(first.statusCode).toBe(200);
    const stale = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: tenant.auth,
      payload: { name: 'Dos', version: 1 },
    });
    expect(problem(stale, 409).title).toMatch(/changed/);
  });

  it('keeps the last active owner', async () => {
    const tenant = await signUp(ctx.app);
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${tenant.tenantId}/users/${tenant.ownerId}`,
      headers: tenant.auth,
      payload: {
        active: false,
        version: (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/tenants/${tenant.tenantId}/users/${tenant.ownerId}`,
            headers: tenant.auth,
          })
        ).json().version,
      },
    });
    expect(problem(response, 422).errors?.[0]?.path).toBe('active');
  });

  it('refuses users on branches of another tenant', async () => {
    const tenant = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenant.tenantId}/users`,
      headers: tenant.auth,
      payload: { name: 'X', email: 'x-branch@example.com', role: 'SELLER', branchIds: [other.branchId] },
    });
    expect(problem(response, 422).errors?.[0]?.path).toBe('branchIds');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(problem(response, 404).detail).toContain('/api/v1/nothing-here');
  });
});

describe('authentication', () => {
  it('rejects a wrong password and an unknown e-mail alike', async () => {
    const tenant = await signUp(ctx.app);
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: tenant.email, password: 'wrong-password' },
    });
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.com', password: 'wrong-password' },
    });
    expect(problem(wrong, 401).detail).toBe(problem(unknown, 401).detail);
  });

  it('throttles repeated login attempts with 429 and Retry-After', async () => {
    const tenant = await signUp(ctx.app);
    const attempt = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.9.8.7',
        payload: { email: tenant.email, password: 'guessing-again' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const blocked = await attempt();
    problem(blocked, 429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rejects missing, malformed and unknown tokens with 401', async () => {
    const url = '/api/v1/me';
    problem(await ctx.app.inject({ method: 'GET', url }), 401);
    problem(await ctx.app.inject({ method: 'GET', url, headers: { authorization: 'Basic abc' } }), 401);
    problem(await ctx.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer tms_nope' } }), 401);
  });

  it('requires the CSRF token for writes authenticated by cookie, not for bearer tokens', async () => {
    const tenant = await signUp(ctx.app);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: tenant.email, password: 'correct-horse-battery' },
    });
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    const url = `/api/v1/tenants/${tenant.tenantId}/branches/${tenant.branchId}`;
    const without = await ctx.app.inject({ method: 'PATCH', url, cookies, payload: { name: 'Sin token' } });
    problem(without, 403);
    const withToken = await ctx.app.inject({
      method: 'PATCH',
      url,
      cookies,
      headers: { 'x-csrf-token': login.json().csrfToken },
      payload: { name: 'Con token' },
    });
    expect(withToken.statusCode).toBe(200);
  });

  it('lets only owners and managers administer, and only owners make keys or owners', async () => {
    const tenant = await signUp(ctx.app);
    const seller = await addUser(ctx.app, tenant, 'SELLER');
    const manager = await addUser(ctx.app, tenant, 'MANAGER');
    const base = `/api/v1/tenants/${tenant.tenantId}`;
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `${base}/branches`,
        headers: seller.auth,
        payload: { name: 'B', whatsappPhone: '+51987654321', timezone: 'America/Lima' },
      }),
      403,
    );
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `${base}/api-keys`,
        headers: manager.auth,
        payload: { name: 'k' },
      }),
      403,
    );
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `${base}/users`,
        headers: manager.auth,
        payload: {
          name: 'O',
          email: 'new-owner@example.com',
          role: 'OWNER',
          password: 'correct-horse-battery',
        },
      }),
      403,
    );
  });
});
