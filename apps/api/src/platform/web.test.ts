import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness';

describe('the web app at /', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'tm-web-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(path.join(dist, 'assets', 'app-1234.js.br'), 'brotli bytes');
    writeFileSync(path.join(dist, 'sw.js'), 'self.addEventListener("push", () => {})');
    writeFileSync(path.join(dist, 'manifest.webmanifest'), '{"name":"TechMarket CRM"}');
    ctx = await createTestContext({ env: { WEB_DIST_DIR: dist } });
  });
  afterAll(() => ctx.close());

  it('serves index.html at / and for client routes (SPA fallback)', async () => {
    for (const url of ['/', '/board', '/leads/0190f0f0-0000-7000-8000-000000000000', '/settings?tab=team']) {
      const response = await ctx.app.inject({ url, headers: { accept: 'text/html' } });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<div id="root">');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable', async () => {
    const response = await ctx.app.inject({ url: '/assets/app-1234.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it('serves the precompressed variant to a browser that accepts it', async () => {
    const response = await ctx.app.inject({
      url: '/assets/app-1234.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.body).toBe('brotli bytes');
  });

  it('never falls back for /api/*, /simulator/* (off unless the demo mounts it) or missing files: those stay 404 problems', async () => {
    for (const url of ['/api/v1/nope', '/api/nope', '/assets/missing.js', '/simulator/whatsapp/phone']) {
      const response = await ctx.app.inject({ url, headers: { accept: 'text/html' } });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('serves the service worker from the root, always revalidated, under a policy that lets it run', async () => {
    const worker = await ctx.app.inject({ url: '/sw.js' });
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['content-type']).toContain('javascript');
    // A worker kept by an HTTP cache would hold back every deploy: browsers check it, and it says no-cache.
    expect(worker.headers['cache-control']).toBe('no-cache');
    // Its scope is the whole app (it is at /), and the page's policy allows workers of our origin.
    expect(worker.headers['service-worker-allowed']).toBeUndefined();
    const page = await ctx.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(page.headers['content-security-policy']).toContain("worker-src 'self'");
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");

    const manifest = await ctx.app.inject({ url: '/manifest.webmanifest' });
    expect(manifest.statusCode).toBe(200);
    expect(manifest.headers['content-type']).toContain('application/manifest+json');
  });
});
