import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInstance } from '../../../test/harness';
import type { App } from '../../app';
import {
  type ConnectedShop,
  connectedShop,
  conversationOf,
  customerWaId,
  customerWrites,
  startWhatsappWorld,
} from './whatsapp.fixtures';

/** A number may send one message a second here: a second send in the same second waits for the next one. */
let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld({ WHATSAPP_SEND_RATE_PER_SECOND: '1' });
  world.sim.setAutoStatuses(false);
});
afterAll(async () => world?.close());

const redisUrl = process.env.REDIS_URL;

const leadOf = async (wamid: string) =>
  (
    await world.ctx.owner.pool.query<{ lead_id: string }>(
      'select lead_id from whatsapp_message where wa_message_id = $1',
      [wamid],
    )
  ).rows[0]?.lead_id ?? '';

const send = async (app: App, shop: ConnectedShop, leadId: string, text: string) => {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/leads/${leadId}/messages`,
    headers: shop.auth,
    payload: { text },
  });
  expect(response.statusCode, response.body).toBe(202);
  return response.json().id as string;
};

const sentTexts = (shop: ConnectedShop) =>
  world.sim.sent
    .filter((s) => s.phoneNumberId === shop.number.phoneNumberId)
    .map((s) => (s.body as { text?: { body?: string } }).text?.body);

const statuses = async (shop: ConnectedShop, leadId: string) =>
  Object.fromEntries(
    (await conversationOf(world.ctx.app, shop, leadId)).items
      .filter((m) => m.direction === 'OUT')
      .map((m) => [m.text, m.status]),
  );

/** Drains the apps' queues until every outbound message went out (a delayed job runs once its delay is over). */
const untilAllSent = (apps: App[], shop: ConnectedShop, leadId: string) =>
  vi.waitFor(
    async () => {
      await Promise.all(apps.map((app) => app.drainJobs()));
      expect(Object.values(await statuses(shop, leadId))).toEqual(['SENT', 'SENT']);
    },
    { timeout: 15_000, interval: 100 },
  );

describe('the per-number send rate limit', () => {
  it('holds a send over the limit QUEUED, not FAILED, and sends it in the next window', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const leadId = await leadOf(
      await customerWrites(ctx.app, sim, shop, { from: customerWaId(), text: 'Hola' }),
    );
    await send(ctx.app, shop, leadId, 'uno');
    await send(ctx.app, shop, leadId, 'dos');

    // Both jobs run together, in the same second: one message goes out, the other waits its turn.
    await ctx.app.drainJobs();
    expect(sentTexts(shop)).toHaveLength(1);
    const waiting = await statuses(shop, leadId);
    expect(Object.values(waiting).sort()).toEqual(['QUEUED', 'SENT']);

    await untilAllSent([ctx.app], shop, leadId);
    expect(sentTexts(shop).sort()).toEqual(['dos', 'uno']);
    const failed = await conversationOf(ctx.app, shop, leadId);
    expect(failed.items.filter((m) => m.error !== null)).toEqual([]);
  });

  it('counts each number apart: another number sends in the same second', async () => {
    const { ctx, sim } = world;
    const first = await connectedShop(ctx, sim);
    const second = await connectedShop(ctx, sim);
    const leadA = await leadOf(
      await customerWrites(ctx.app, sim, first, { from: customerWaId(), text: 'Hola' }),
    );
    const leadB = await leadOf(
      await customerWrites(ctx.app, sim, second, { from: customerWaId(), text: 'Hola' }),
    );
    await send(ctx.app, first, leadA, 'a');
    await send(ctx.app, second, leadB, 'b');
    await ctx.app.drainJobs();
    expect(sentTexts(first)).toEqual(['a']);
    expect(sentTexts(second)).toEqual(['b']);
  });

  it.skipIf(!redisUrl)('is one count for the number across two app instances (Redis)', async () => {
    const { ctx, sim } = world;
    const other = await startInstance(ctx);
    try {
      const shop = await connectedShop(ctx, sim);
      const leadId = await leadOf(
        await customerWrites(ctx.app, sim, shop, { from: customerWaId(), text: 'Hola' }),
      );
      await send(ctx.app, shop, leadId, 'uno');
      await send(other.app, shop, leadId, 'dos');

      // Each instance runs its own job, at the same time: one budget between them, so one waits.
      await Promise.all([ctx.app.drainJobs(), other.app.drainJobs()]);
      expect(sentTexts(shop)).toHaveLength(1);
      expect(Object.values(await statuses(shop, leadId)).sort()).toEqual(['QUEUED', 'SENT']);

      await untilAllSent([ctx.app, other.app], shop, leadId);
      expect(sentTexts(shop).sort()).toEqual(['dos', 'uno']);
    } finally {
      await other.close();
    }
  });
});
