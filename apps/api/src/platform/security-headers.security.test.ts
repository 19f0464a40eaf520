import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness';
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

describe('security headers behind https', () => {
  it('adds HSTS and upgrades insecure requests when PUBLIC_URL is https', async () => {
    const secure = await buildApp({
      config: { ...ctx.config, publicUrl: 'https://crm.example.com' },
      database: ctx.database,
      jobs: 'deferred',
    });
    try {
      const response = await secure.inject({ method: 'GET', url: '/api/v1/health' });
      expect(response.headers['strict-transport-security']).toContain('max-age=31536000');
      expect(policy(response.headers['content-security-policy'])).toHaveProperty('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });
});
