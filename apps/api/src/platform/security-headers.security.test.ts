import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signUp, type TestContext } from '../../test/harness';
import { type App, buildApp } from '../app';

/** Every answer carries the browser's walls: a strict CSP, no framing, no sniffing, no referrer. */

let ctx: TestContext;
let app: App;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApp({ config: ctx.config, database: ctx.database, jobs: 'deferred' });
  app.get('/test/quote.pdf', (_request, reply) =>
    reply.type('application/pdf').send(Buffer.from('%PDF-1.4\n')),
  );
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const policy = (header: unknown) =>
  Object.fromEntries(
    String(header)
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .map(([name, ...sources]) => [name, sources]),
  );

describe('security headers', () => {
  it.each([
    ['the API', '/api/v1/health'],
    ['an error', '/api/v1/nothing-here'],
    ['the API docs', '/api/docs'],
  ])('%s carries a strict Content-Security-Policy that forbids framing', async (_what, url) => {
    const response = await app.inject({ method: 'GET', url });
    const csp = policy(response.headers['content-security-policy']);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['worker-src']).toEqual(["'self'"]);
    expect(String(response.headers['content-security-policy'])).not.toContain('unsafe-eval');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    // Over plain http no HSTS promise, and no upgrade of requests.
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(csp).not.toHaveProperty('upgrade-insecure-requests');
  });

  it("leaves a PDF to the browser's viewer, still refusing to be framed", async () => {
    const response = await app.inject({ method: 'GET', url: '/test/quote.pdf' });
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-security-policy']).toBeUndefined();
    expect(response.headers['x-frame-options']).toBe('DENY');
  });
});

describe('behind https (PUBLIC_URL is https)', () => {
  it('adds HSTS, upgrades insecure requests, and marks the session and CSRF cookies Secure', async () => {
    const secure = await createTestContext({ env: { PUBLIC_URL: 'https://crm.example.com' } });
    try {
      const response = await secure.app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(response.headers['strict-transport-security']).toContain('max-age=31536000');
      expect(policy(response.headers['content-security-policy'])).toHaveProperty('upgrade-insecure-requests');

      const shop = await signUp(secure.app);
      const login = await secure.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: shop.email, password: 'correct-horse-battery' },
      });
      expect(login.statusCode).toBe(200);
      const cookies = Object.fromEntries(login.cookies.map((cookie) => [cookie.name, cookie]));
      expect(cookies.tm_session).toMatchObject({ secure: true, httpOnly: true });
      expect(cookies.tm_csrf).toMatchObject({ secure: true });
    } finally {
      await secure.close();
    }
  });
});
