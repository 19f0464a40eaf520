import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness';
import { type App, buildApp } from '../app';
import { openShop, type Shop } from '../modules/tracking/tracking.fixtures';
import {
  type CloudApiSimulator,
  type SimulatedNumber,
  startCloudApiSimulator,
} from '../modules/whatsapp/simulator/cloud-api-simulator';
import { connect } from '../modules/whatsapp/whatsapp.fixtures';

/**
 * Public routes have no principal to say whose request it was: once the route knows the shop (the click's tenant,
 * the `/w/` link's, the channel that signed Meta's webhook), its log lines say it too, `request completed`
 * included. The app built here writes its lines into `lines`.
 */

let ctx: TestContext;
let app: App;
let sim: CloudApiSimulator & { url: string; close(): Promise<void> };
let shop: Shop;
const lines: string[] = [];
const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const completed = (reqId: string) =>
  entries().find((entry) => entry.reqId === reqId && entry.msg === 'request completed');

beforeAll(async () => {
  sim = (await startCloudApiSimulator()) as typeof sim;
  ctx = await createTestContext({ env: { WHATSAPP_GRAPH_URL: sim.url } });
  app = await buildApp({
    config: { ...ctx.config, LOG_LEVEL: 'info' },
    database: ctx.database,
    jobs: 'deferred',
    logStream: { write: (line) => void lines.push(line) },
  });
  await app.ready();
  shop = await openShop(app, { sellers: 1 });
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await sim?.close();
});

describe('the tenant on public routes’ log lines', () => {
  it('a WhatsApp click and a batch of listing views carry the shop they are for', async () => {
    const click = await app.inject({
      method: 'POST',
      url: '/api/v1/tracking/whatsapp-click',
      headers: { 'x-request-id': 'req-public-click' },
      payload: {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        listingId: shop.listingId,
        visitorId: `v-${randomBytes(4).toString('hex')}`,
      },
    });
    expect(click.statusCode, click.body).toBe(201);
    expect(completed('req-public-click')).toMatchObject({
      tenantId: shop.tenantId,
      res: { statusCode: 201 },
    });

    const views = await app.inject({
      method: 'POST',
      url: '/api/v1/tracking/listing-view',
      headers: { 'x-request-id': 'req-public-views' },
      payload: [{ tenantId: shop.tenantId, listingId: shop.listingId, visitorId: 'v-views' }],
    });
    expect(views.statusCode, views.body).toBe(202);
    expect(completed('req-public-views')).toMatchObject({ tenantId: shop.tenantId });
  });

  it('a /w/ visit carries the link’s shop once the link is found; an unknown link carries none', async () => {
    const link = await app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/links`,
      headers: shop.auth,
      payload: { branchId: shop.branchId },
    });
    expect(link.statusCode, link.body).toBe(201);
    const { code } = link.json() as { code: string };
    const visit = await app.inject({
      method: 'GET',
      url: `/w/${code}`,
      headers: { 'x-request-id': 'req-public-visit', 'user-agent': 'Mozilla/5.0 (iPhone)' },
    });
    expect(visit.statusCode, visit.body).toBe(302);
    expect(completed('req-public-visit')).toMatchObject({
      tenantId: shop.tenantId,
      res: { statusCode: 302 },
    });

    const unknown = await app.inject({
      method: 'GET',
      url: '/w/zzzzzzzzzz',
      headers: { 'x-request-id': 'req-public-unknown' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(completed('req-public-unknown')).not.toHaveProperty('tenantId');
  });

  it("Meta's webhook carries the shop whose channel signed it; an unsigned one carries none", async () => {
    const number: SimulatedNumber = {
      phoneNumberId: `1${Date.now()}${randomBytes(1).readUInt8()}`.slice(0, 15),
      businessAccountId: `2${Date.now()}`,
      accessToken: `EAAG${randomBytes(24).toString('hex')}`,
      appSecret: randomBytes(16).toString('hex'),
      displayPhoneNumber: '+51 987 654 321',
      verifiedName: 'Tienda de prueba',
    };
    sim.addNumber(number);
    await connect(app, shop, number);
    const { payload } = sim.customerMessage(number.phoneNumberId, { from: '51987000111', text: 'Hola' });
    const raw = JSON.stringify(payload);
    const signature = createHmac('sha256', number.appSecret).update(raw).digest('hex');
    const signed = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/whatsapp',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${signature}`,
        'x-request-id': 'req-public-webhook',
      },
      payload: raw,
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(completed('req-public-webhook')).toMatchObject({
      tenantId: shop.tenantId,
      res: { statusCode: 200 },
    });

    const forged = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/whatsapp',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
        'x-request-id': 'req-public-forged',
      },
      payload: raw,
    });
    expect(forged.statusCode).toBe(401);
    expect(completed('req-public-forged')).not.toHaveProperty('tenantId');
  });
});

describe('readiness names what is not ready', () => {
  it('in a field of its 503, not only in its detail', async () => {
    app.markShuttingDown();
    const response = await app.inject({ method: 'GET', url: '/api/v1/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      detail: 'Not ready: shutting down',
      notReady: ['shutting down'],
    });
  });
});
