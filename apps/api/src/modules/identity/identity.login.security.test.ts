import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  problem,
  type SignedUp,
  signUp,
  type TestContext,
  unique,
} from '../../../test/harness';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({
    env: { LOGIN_MAX_ATTEMPTS: '10', LOGIN_LOCK_FAILURES: '5', INVITE_LIMIT_PER_TENANT: '3' },
  });
});
afterAll(() => ctx.close());

const PASSWORD = 'correct-horse-battery';
const login = (
  payload: Record<string, unknown>,
  options: { ip?: string; headers?: Record<string, string> } = {},
) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload,
    ...(options.ip ? { remoteAddress: options.ip } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
const invite = (tenant: SignedUp, email: string, password?: string) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenant.tenantId}/users`,
    headers: tenant.auth,
    payload: {
      name: 'Vendedora',
      email,
      role: 'MANAGER',
      branchIds: [tenant.branchId],
      ...(password ? { password } : {}),
    },
  });
let octet = 0;
const newIp = () => `10.77.${Math.floor(Math.random() * 250)}.${++octet % 250}`;

describe('login throttles that a forged X-Forwarded-For cannot reset', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted: the per-client limit holds', async () => {
    const shop = await signUp(ctx.app);
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await login(
        { email: shop.email, password: `wrong-${i}` },
        { ip, headers: { 'x-forwarded-for': `198.51.100.${i}` } },
      );
      statuses.push(response.statusCode);
    }
    expect(statuses).toContain(429);
  });

  it('locks the account after repeated wrong passwords from any number of addresses, and says so', async () => {
    const shop = await signUp(ctx.app);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const response = await login({ email: shop.email, password: `wrong-${i}` }, { ip: newIp() });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);

    // The right password does not get in while the lock holds; the answer names the lock and when to retry.
    const right = await login({ email: shop.email.toUpperCase(), password: PASSWORD }, { ip: newIp() });
    const body = problem(right, 429) as ReturnType<typeof problem> & { code: string };
    expect(body.code).toBe('ACCOUNT_LOCKED');
    expect(body.detail).toMatch(/temporarily locked/);
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect((body as { retryAfter?: number }).retryAfter).toBe(retryAfter);

    // Another account is not affected.
    const other = await signUp(ctx.app);
    expect((await login({ email: other.email, password: PASSWORD }, { ip: newIp() })).statusCode).toBe(200);
  });

  it('a successful login clears the failures counted so far', async () => {
    const shop = await signUp(ctx.app);
    for (let i = 0; i < 4; i++)
      expect((await login({ email: shop.email, password: 'nope-nope' }, { ip: newIp() })).statusCode).toBe(
        401,
      );
    expect((await login({ email: shop.email, password: PASSWORD }, { ip: newIp() })).statusCode).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await login({ email: shop.email, password: 'nope-nope' }, { ip: newIp() })).statusCode).toBe(
        401,
      );
    expect((await login({ email: shop.email, password: PASSWORD }, { ip: newIp() })).statusCode).toBe(200);
  });
});

describe('TRUST_PROXY', () => {
  const sessionIp = async (token: string) => {
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(token).digest('hex');
    const rows = await ctx.owner.pool.query('select ip, token_hash from session where token_hash = $1', [
      hash,
    ]);
    return rows.rows[0]?.ip as string | undefined;
  };

  it('is off by default: the client is the connection, whatever X-Forwarded-For says', async () => {
    const shop = await signUp(ctx.app);
    const response = await login(
      { email: shop.email, password: PASSWORD },
      { ip: '10.66.0.1', headers: { 'x-forwarded-for': '198.51.100.7' } },
    );
    expect(response.statusCode).toBe(200);
    expect(await sessionIp(response.json().token)).toBe('10.66.0.1');
  });

  it('with a trusted proxy (hop count or CIDR list) takes the client from X-Forwarded-For', async () => {
    const shop = await signUp(ctx.app);
    for (const trust of ['1', '10.66.0.0/16, 192.0.2.1']) {
      const app = await buildApp({
        config: { ...ctx.config, ...pick(trust) },
        database: ctx.database,
        jobs: 'deferred',
      });
      try {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: '10.66.0.2',
          headers: { 'x-forwarded-for': '198.51.100.8' },
          payload: { email: shop.email, password: PASSWORD },
        });
        expect(response.statusCode, response.body).toBe(200);
        expect(await sessionIp(response.json().token)).toBe('198.51.100.8');
      } finally {
        await app.close();
      }
    }
  });

  const pick = (trust: string) => {
    const parsed = loadConfig({}, { TRUST_PROXY: trust });
    return { TRUST_PROXY: parsed.TRUST_PROXY };
  };

  it('refuses a malformed value at start-up, naming the variable', () => {
    expect(() => loadConfig({}, { TRUST_PROXY: 'everyone' })).toThrowError(/TRUST_PROXY/);
    expect(() => loadConfig({}, { TRUST_PROXY: '10.0.0.0/99' })).toThrowError(/TRUST_PROXY/);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
  });
});

describe('an e-mail address tells nothing about other shops', () => {
  it('signs up and invites an address another shop already has, without a conflict', async () => {
    const first = await signUp(ctx.app);
    const second = await signUp(ctx.app, { email: first.email.toUpperCase() });
    expect(second.tenantId).not.toBe(first.tenantId);
    const third = await signUp(ctx.app);
    expect((await invite(third, first.email, 'another-long-password')).statusCode).toBe(201);
    // Within one shop an address is still one account.
    const again = await invite(third, first.email.toUpperCase(), 'another-long-password');
    expect(problem(again, 409).errors).toEqual([
      { path: 'email', message: 'already registered', code: 'ALREADY_USED' },
    ]);
  });

  it('logs in to the one shop whose password matches', async () => {
    const email = `${unique('multi')}@example.com`;
    const a = await signUp(ctx.app, { email, password: 'password-of-shop-a' });
    const b = await signUp(ctx.app, { email, password: 'password-of-shop-b' });
    const intoA = await login({ email, password: 'password-of-shop-a' }, { ip: newIp() });
    expect(intoA.statusCode, intoA.body).toBe(200);
    expect(intoA.json().user.tenantId).toBe(a.tenantId);
    const intoB = await login({ email, password: 'password-of-shop-b' }, { ip: newIp() });
    expect(intoB.json().user.tenantId).toBe(b.tenantId);
  });

  it('asks which shop when the password opens several, and logs in to the one named', async () => {
    const email = `${unique('multi')}@example.com`;
    const a = await signUp(ctx.app, { email, tenantName: 'Tienda Norte' });
    const b = await signUp(ctx.app, { email, tenantName: 'Tienda Sur' });
    const ambiguous = await login({ email, password: PASSWORD }, { ip: newIp() });
    const body = problem(ambiguous, 409) as ReturnType<typeof problem> & {
      code: string;
      tenants: { id: string; name: string }[];
    };
    expect(body.code).toBe('TENANT_CHOICE');
    expect(body.tenants.map((t) => t.id).sort()).toEqual([a.tenantId, b.tenantId].sort());
    expect(body.tenants.map((t) => t.name).sort()).toEqual(['Tienda Norte', 'Tienda Sur']);

    const chosen = await login({ email, password: PASSWORD, tenantId: b.tenantId }, { ip: newIp() });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().user.tenantId).toBe(b.tenantId);
    // Naming a shop the password does not open is a plain wrong password.
    const stranger = await signUp(ctx.app);
    problem(await login({ email, password: PASSWORD, tenantId: stranger.tenantId }, { ip: newIp() }), 401);
  });
});

describe('signup and invitations are rate limited', () => {
  it('limits signups per client address', async () => {
    const app = await buildApp({
      config: { ...ctx.config, SIGNUP_LIMIT_PER_IP: 2 },
      database: ctx.database,
      jobs: 'deferred',
    });
    try {
      const ip = newIp();
      const signup = (from: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/signup',
          remoteAddress: from,
          payload: {
            tenantName: 'Tienda',
            name: 'Dueña',
            email: `${unique('s')}@example.com`,
            password: PASSWORD,
          },
        });
      expect((await signup(ip)).statusCode).toBe(201);
      expect((await signup(ip)).statusCode).toBe(201);
      const third = await signup(ip);
      problem(third, 429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect((await signup(newIp())).statusCode).toBe(201);
    } finally {
      await app.close();
    }
  });

  it('limits the users a shop can invite, per shop', async () => {
    const shop = await signUp(ctx.app);
    for (let i = 0; i < 3; i++)
      expect((await invite(shop, `${unique('inv')}@example.com`)).statusCode).toBe(201);
    const blocked = await invite(shop, `${unique('inv')}@example.com`);
    problem(blocked, 429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const other = await signUp(ctx.app);
    expect((await invite(other, `${unique('inv')}@example.com`)).statusCode).toBe(201);
  });
});
