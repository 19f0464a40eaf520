import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/harness';
import { type App, buildApp } from '../../app';
import { migrationsApplied } from '../../platform/db';

// Readiness as server.ts wires it: the owner's look at drizzle's migration record included.
let ctx: TestContext;
let app: App;
beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApp({
    config: ctx.config,
    database: ctx.database,
    jobs: 'deferred',
    migrationsApplied: () => migrationsApplied(ctx.owner.pool),
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('readiness', () => {
  it('is ready with the database up, Redis up when configured, and every migration applied', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: {
        database: 'up',
        redis: ctx.config.REDIS_URL ? 'up' : 'not configured',
        migrations: 'applied',
      },
    });
  });

  it('is not ready while the newest migration is missing (a restore of an older backup), and says so', async () => {
    const newest = await ctx.owner.pool.query<{ id: number; hash: string; created_at: string }>(
      'select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1',
    );
    const row = newest.rows[0];
    if (!row) throw new Error('no migration recorded');
    await ctx.owner.pool.query('delete from drizzle.__drizzle_migrations where id = $1', [row.id]);
    try {
      const response = await app.inject({ method: 'GET', url: '/api/v1/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 503, detail: 'Not ready: migrations' });
      // Liveness is another question: the process is alive.
      expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    } finally {
      await ctx.owner.pool.query(
        'insert into drizzle.__drizzle_migrations (id, hash, created_at) values ($1, $2, $3)',
        [row.id, row.hash, row.created_at],
      );
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/ready' })).statusCode).toBe(200);
  });

  it('answers 503 once the process is shutting down, with Retry-After, while liveness stays 200', async () => {
    app.markShuttingDown();
    const response = await app.inject({ method: 'GET', url: '/api/v1/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.json()).toMatchObject({
      type: 'urn:techmarket:problem:unavailable',
      status: 503,
      detail: 'Not ready: shutting down',
      // What is not ready, in a field of its own (an extension member a 503 keeps), for a machine to read.
      notReady: ['shutting down'],
    });
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toEqual({
      status: 'ok',
      database: 'up',
    });
  });
});
