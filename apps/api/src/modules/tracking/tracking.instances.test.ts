import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, startInstance, type TestContext } from '../../../test/harness';
import { openStream } from '../../../test/sse';
import { lead } from '../../db/schema';
import { openShop, type Shop } from './tracking.fixtures';

/**
 * Two app instances on one database and one Redis, as production scales out. Without REDIS_URL each
 * instance keeps its limits and live updates to itself by design, so there is nothing shared to test.
 */
const redisUrl = process.env.REDIS_URL;
if (!redisUrl)
  console.warn('tracking.instances.test: REDIS_URL is not set; the two-instance tests are skipped');

describe.skipIf(!redisUrl)('two instances', () => {
  let ctx: TestContext;
  let second: Awaited<ReturnType<typeof startInstance>>;
  let shop: Shop;

  beforeAll(async () => {
    ctx = await createTestContext({ env: { LOGIN_MAX_ATTEMPTS: '1000', TRACKING_LIMIT_PER_IP: '4' } });
    second = await startInstance(ctx);
    shop = await openShop(ctx.app, { sellers: 2 });
  });
  afterAll(async () => {
    await second?.close();
    await ctx?.close();
  });

  const ip = () =>
    `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const clickOn = (app: TestContext['app'], payload: Record<string, unknown>, remoteAddress = ip()) =>
    app.inject({ method: 'POST', url: '/api/v1/tracking/whatsapp-click', remoteAddress, payload });

  it('turns concurrent clicks of one customer on both instances into exactly one lead', async () => {
    const payload = { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: `v-${randomUUID()}` };
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => clickOn(i % 2 === 0 ? ctx.app : second.app, payload)),
    );
    expect(answers.map((a) => a.statusCode).toSorted()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    expect(new Set(answers.map((a) => a.json().leadId)).size).toBe(1);
    const [row] = await ctx.owner.db
      .select({ n: count() })
      .from(lead)
      .where(eq(lead.tenantId, shop.tenantId));
    expect(row?.n).toBe(1);
  });

  it('shows a browser on one instance the lead created on the other', async () => {
    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await openStream(`${base}/api/v1/tenants/${shop.tenantId}/stream`, shop.auth);
    const created = await clickOn(second.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      visitorId: randomUUID(),
    });
    expect(created.statusCode).toBe(201);
    const event = await stream.next(
      (e) => e.event === 'lead.created' && JSON.parse(e.data).id === created.json().leadId,
    );
    expect(JSON.parse(event.data).tenantId).toBe(shop.tenantId);
    stream.close();
  });

  it('shares one rate limit between the instances', async () => {
    const client = ip();
    const payload = () => ({ tenantId: shop.tenantId, branchId: shop.branchId, visitorId: randomUUID() });
    expect((await clickOn(ctx.app, payload(), client)).statusCode).toBe(201);
    expect((await clickOn(second.app, payload(), client)).statusCode).toBe(201);
    expect((await clickOn(ctx.app, payload(), client)).statusCode).toBe(201);
    expect((await clickOn(second.app, payload(), client)).statusCode).toBe(201);
    expect((await clickOn(ctx.app, payload(), client)).statusCode).toBe(429);
    expect((await clickOn(second.app, payload(), client)).statusCode).toBe(429);
  });

  it('keeps the inbox counts right whichever instance changed the lead', async () => {
    const counts = async (app: TestContext['app']) =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/tenants/${shop.tenantId}/leads/counts`,
          headers: shop.auth,
        })
      ).json();
    const before = (await counts(ctx.app)).counts.NEW;
    await clickOn(second.app, { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: randomUUID() });
    expect((await counts(ctx.app)).counts.NEW).toBe(before + 1);
  });
});
