import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type SignedUp, signUp, type TestContext } from '../../test/harness';
import { type App, buildApp } from '../app';

/**
 * Each request's lines say which request and which shop they belong to, and whatever a handler logs (headers,
 * a body, a channel's settings) comes out with its secrets masked. An app built here writes its lines into `lines`.
 */

let ctx: TestContext;
let app: App;
let shop: SignedUp;
const lines: string[] = [];
const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

const secrets = {
  apiKey: `tmk_${'K'.repeat(40)}`,
  hubSignature: `sha256=${'a'.repeat(64)}`,
  password: 'una-clave-muy-secreta-123',
  accessToken: `EAAG${'t'.repeat(60)}`,
  appSecret: 'f'.repeat(32),
  cookie: `tm_session=tms_${'C'.repeat(43)}`,
  csrf: 'csrf-secret-value-1234567890',
};

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApp({
    config: { ...ctx.config, LOG_LEVEL: 'info' },
    database: ctx.database,
    jobs: 'deferred',
    logStream: { write: (line) => void lines.push(line) },
  });
  // What a careless handler might log: the whole request, its headers and its body, and a nested settings object.
  app.post('/api/v1/test/log-everything', async (request) => {
    request.log.info(
      { req: request, headers: request.headers, body: request.body, channel: { settings: request.body } },
      'logged everything',
    );
    return { ok: true };
  });
  await app.ready();
  shop = await signUp(app);
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('request log fields', () => {
  it("carries the request id and the signed-in user's tenant on every line of the request", async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { ...shop.auth, 'x-request-id': 'req-fields-1' },
    });
    expect(response.statusCode).toBe(200);
    const completed = entries().find(
      (entry) => entry.reqId === 'req-fields-1' && entry.msg === 'request completed',
    );
    expect(completed).toMatchObject({ reqId: 'req-fields-1', tenantId: shop.tenantId, userId: shop.ownerId });
  });

  it('masks secrets in headers and bodies a handler logs', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/test/log-everything',
      headers: {
        ...shop.auth,
        'x-request-id': 'req-fields-2',
        'x-api-key': secrets.apiKey,
        'x-hub-signature-256': secrets.hubSignature,
        'x-csrf-token': secrets.csrf,
        cookie: secrets.cookie,
      },
      payload: {
        password: secrets.password,
        accessToken: secrets.accessToken,
        appSecret: secrets.appSecret,
        name: 'Tienda Centro',
      },
    });
    expect(response.statusCode).toBe(200);
    const logged = entries().find(
      (entry) => entry.reqId === 'req-fields-2' && entry.msg === 'logged everything',
    );
    // The line is there, with what is not secret.
    expect(logged).toMatchObject({ tenantId: shop.tenantId, body: { name: 'Tienda Centro' } });
    const text = lines.join('');
    for (const secret of [...Object.values(secrets), shop.token, shop.token.slice(4)])
      expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
  });
});
