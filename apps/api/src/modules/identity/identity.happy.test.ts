import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestContext, signUp, type TestContext, unique } from '../../../test/harness';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('signup and login', () => {
  it('creates a tenant with its owner and first branch, and logs them in', async () => {
    const email = `${unique('ana')}@example.com`;
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: {
        tenantName: 'Cómputo Arequipa',
        name: 'Ana Quispe',
        email: email.toUpperCase(),
        password: 'una-clave-larga',
        branch: { whatsappPhone: '987 654 321' },
      },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.tenant).toMatchObject({
      name: 'Cómputo Arequipa',
      defaultCurrency: 'PEN',
      timezone: 'America/Lima',
    });
    expect(body.tenant.slug).toMatch(/^computo-arequipa-/);
    expect(body.branch).toMatchObject({
      whatsappPhone: '+51987654321',
      countryCode: 'PE',
      tenantId: body.tenant.id,
    });
    expect(body.user).toMatchObject({ email, role: 'OWNER', branchIds: [body.branch.id], active: true });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.token).toMatch(/^tms_/);
    expect(String(response.headers['set-cookie'])).toContain('tm_session=');
    expect(String(response.headers['set-cookie'])).toContain('HttpOnly');

    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(body.user.id);
    expect(me.json().tenant.id).toBe(body.tenant.id);
  });

  it('logs in with e-mail and password, by bearer token and by cookie', async () => {
    const tenant = await signUp(ctx.app);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: tenant.email, password: 'correct-horse-battery' },
    });
    expect(login.statusCode).toBe(200);
    const { token, user, csrfToken } = login.json();
    expect(user).toMatchObject({ tenantId: tenant.tenantId, role: 'OWNER', branchIds: [tenant.branchId] });
    expect(csrfToken).toEqual(expect.any(String));
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    expect(cookies.tm_session).toBe(token);

    const byCookie = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', cookies });
    expect(byCookie.statusCode).toBe(200);
    expect(byCookie.json().csrfToken).toEqual(expect.any(String));
  });

  it('logout revokes the session at once', async () => {
    const tenant = await signUp(ctx.app);
    const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: tenant.auth });
    expect(out.statusCode).toBe(204);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: tenant.auth });
    expect(me.statusCode).toBe(401);
  });
});

describe('administration', () => {
  it('manages branches with E.164 phones, time zones and business hours', async () => {
    const tenant = await signUp(ctx.app);
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenant.tenantId}/branches`,
      headers: tenant.auth,
      payload: {
        name: 'Arequipa',
        whatsappPhone: '054 123456',
        timezone: 'America/Lima',
        zone: 'Cercado',
        businessHours: {
          mon: [
            { open: '09:00', close: '13:00' },
            { open: '15:00', close: '19:00' },
          ],
        },
      },
    });
    expect(created.statusCode).toBe(201);
    const branch = created.json();
    expect(branch).toMatchObject({ whatsappPhone: '+5154123456', zone: 'Cercado', active: true, version: 1 });

    const edited = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${tenant.tenantId}/branches/${branch.id}`,
      headers: tenant.auth,
      payload: { active: false, version: 1 },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ active: false, version: 2 });

    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenant.tenantId}/branches`,
      headers: tenant.auth,
    });
    expect(
      list
        .json()
        .items.map((b: { name: string }) => b.name)
        .sort(),
    ).toEqual(['Arequipa', 'Miraflores']);
  });

  it('invites a user with an invitation link that sets the password', async () => {
    const tenant = await signUp(ctx.app);
    const email = `${unique('luis')}@example.com`;
    const invited = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenant.tenantId}/users`,
      headers: tenant.auth,
      payload: { name: 'Luis Rojas', email, role: 'SELLER', branchIds: [tenant.branchId] },
    });
    expect(invited.statusCode).toBe(201);
    const { user, invitationUrl } = invited.json();
    expect(user).toMatchObject({ role: 'SELLER', invitationPending: true, branchIds: [tenant.branchId] });
    const token = new URL(invitationUrl).searchParams.get('token');
    expect(token).toMatch(/^tmi_/);

    const cannotLogin = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'anything-at-all' },
    });
    expect(cannotLogin.statusCode).toBe(401);

    const accepted = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invitation',
      payload: { token, password: 'mi-clave-nueva-1' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().user).toMatchObject({ id: user.id, invitationPending: false });
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invitation',
      payload: { token, password: 'mi-clave-nueva-2' },
    });
    expect(again.statusCode).toBe(422);
  });

  it('deactivating a user signs them out and stops their login', async () => {
    const tenant = await signUp(ctx.app);
    const seller = await addUser(ctx.app, tenant, 'SELLER');
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: seller.auth })).statusCode,
    ).toBe(200);
    const off = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${tenant.tenantId}/users/${seller.id}`,
      headers: tenant.auth,
      payload: {
        active: false,
        version: (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/tenants/${tenant.tenantId}/users/${seller.id}`,
            headers: tenant.auth,
          })
        ).json().version,
      },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: seller.auth })).statusCode,
    ).toBe(401);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: seller.email, password: 'correct-horse-battery' },
    });
    expect(login.statusCode).toBe(401);
  });

  it('lets a seller switch their own availability and nothing else', async () => {
    const tenant = await signUp(ctx.app);
    const seller = await addUser(ctx.app, tenant, 'SELLER');
    const own = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${tenant.tenantId}/users/${seller.id}`,
      headers: seller.auth,
      payload: {
        available: false,
        version: (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/tenants/${tenant.tenantId}/users/${seller.id}`,
            headers: seller.auth,
          })
        ).json().version,
      },
    });
    expect(own.statusCode).toBe(200);
    expect(own.json().available).toBe(false);
    const promote = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${tenant.tenantId}/users/${seller.id}`,
      headers: seller.auth,
      payload: {
        role: 'MANAGER',
        version: (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/tenants/${tenant.tenantId}/users/${seller.id}`,
            headers: seller.auth,
          })
        ).json().version,
      },
    });
    expect(promote.statusCode).toBe(403);
  });

  it('creates tenant API keys shown once, usable as bearer tokens, and revocable', async () => {
    const tenant = await signUp(ctx.app);
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenant.tenantId}/api-keys`,
      headers: tenant.auth,
      payload: { name: 'Marketplace' },
    });
    expect(created.statusCode).toBe(201);
    const { key, id, prefix } = created.json();
    expect(key).toMatch(/^tmk_/);
    expect(key.startsWith(prefix)).toBe(true);

    const stored = await ctx.owner.pool.query('select key_hash from api_key where id = $1', [id]);
    expect(stored.rows[0].key_hash).not.toContain(key.slice(4));

    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenant.tenantId}/api-keys`,
      headers: tenant.auth,
    });
    expect(list.json().items[0]).not.toHaveProperty('key');

    const keyAuth = { authorization: `Bearer ${key}` };
    const branches = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenant.tenantId}/branches`,
      headers: keyAuth,
    });
    expect(branches.statusCode).toBe(200);

    const revoked = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/tenants/${tenant.tenantId}/api-keys/${id}`,
      headers: tenant.auth,
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    const after = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenant.tenantId}/branches`,
      headers: keyAuth,
    });
    expect(after.statusCode).toBe(401);
  });
});

describe('platform', () => {
  it('answers health and serves the OpenAPI document', async () => {
    const health = await ctx.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.json()).toEqual({ status: 'ok', database: 'up' });
    const doc = await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toContain('/api/v1/tenants/{tenantId}/leads');
    expect(paths).toContain('/api/v1/auth/login');
    const docs = await ctx.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
  });
});
