import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness';
import { type App, buildApp } from '../app';
import { redactUrl } from './logging';

/**
 * The log is read by more people than the data: it must not hold the secrets of links sent to customers, the
 * session, nor what customers wrote. An app built here writes its log lines into `lines`.
 */

let ctx: TestContext;
let app: App;
const lines: string[] = [];
const log = () => lines.join('');

const quoteToken = `${'Q'.repeat(30)}.${'s'.repeat(30)}`;
const invitationToken = `tmi_${'I'.repeat(43)}`;
const sessionToken = `tms_${'S'.repeat(43)}`;
const customerWords = 'mi número es +51 987 111 222, llámenme';

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApp({
    config: { ...ctx.config, LOG_LEVEL: 'info' },
    database: ctx.database,
    jobs: 'deferred',
    logStream: { write: (line) => void lines.push(line) },
  });
  // A query that fails with a customer's words among its parameters: what a 500 from a repository looks like.
  app.get('/test/failing-query', async () => {
    await ctx.database.db.execute(sql`select ${customerWords}::uuid`);
    return {};
  });
  app.get('/test/failing-constraint', async () => {
    // Twice the same slug: PostgreSQL's detail quotes the key, "Key (slug)=(…) already exists".
    for (let i = 0; i < 2; i++)
      await ctx.owner.db.execute(
        sql`insert into tenant (id, name, slug) values (gen_random_uuid(), 'Tienda', ${customerWords})`,
      );
    return {};
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('the request log', () => {
  it("keeps a public quote link's token out", async () => {
    await app.inject({ method: 'GET', url: `/q/${quoteToken}` });
    expect(log()).toContain('/q/[REDACTED]');
    expect(log()).not.toContain(quoteToken);
  });

  it("keeps an invitation's token out of the query string", async () => {
    await app.inject({ method: 'GET', url: `/invitation?token=${invitationToken}&lang=es` });
    expect(log()).toContain('/invitation?token=[REDACTED]&lang=es');
    expect(log()).not.toContain(invitationToken);
    expect(log()).not.toContain(invitationToken.slice(4));
  });

  it('keeps the session cookie and the bearer token out', async () => {
    await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${sessionToken}`, cookie: `tm_session=${sessionToken}` },
    });
    await app.inject({
      method: 'GET',
      url: `/api/v1/me?access_token=${sessionToken}`,
    });
    expect(log()).not.toContain(sessionToken.slice(4));
  });
});

describe('a failed query in the log', () => {
  it("names the SQLSTATE, never the query's parameters", async () => {
    const response = await app.inject({ method: 'GET', url: '/test/failing-query?ref=abc' });
    expect(response.statusCode).toBe(500);
    const failure = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request failed');
    expect(failure?.err).toMatchObject({ code: '22P02' });
    expect(log()).not.toContain(customerWords);
    expect(log()).not.toContain('params');
  });

  it('names the constraint and table, never the key in its detail', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/failing-constraint' });
    expect(response.statusCode).toBe(500);
    const failures = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request failed');
    expect(failures.at(-1)?.err).toMatchObject({
      code: '23505',
      table: 'tenant',
      constraint: 'tenant_slug_key',
    });
    expect(log()).not.toContain(customerWords);
    expect(log()).not.toContain('already exists');
  });
});

describe('redactUrl', () => {
  it.each([
    ['/q/abc.def', '/q/[REDACTED]'],
    ['/invitation?token=tmi_x&x=1', '/invitation?token=[REDACTED]&x=1'],
    ['/reset-password?token=abc', '/reset-password?token=[REDACTED]'],
    [
      '/api/v1/webhooks/whatsapp?hub.verify_token=v&hub.challenge=1',
      '/api/v1/webhooks/whatsapp?hub.verify_token=[REDACTED]&hub.challenge=1',
    ],
    ['/anything/tmk_abcDEF-123', '/anything/tmk_[REDACTED]'],
    ['/api/v1/tenants/1/leads?q=ana&limit=5', '/api/v1/tenants/1/leads?q=ana&limit=5'],
  ])('%s is logged as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
