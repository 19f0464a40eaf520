import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, signUp } from '../../../test/harness';
import {
  type ConnectedShop,
  connectedShop,
  customerWaId,
  customerWrites,
  startWhatsappWorld,
} from './whatsapp.fixtures';

/**
 * The inbox shows each lead's conversation: its last message (either way) and how many of the customer's
 * messages came since someone last read it. Both are kept on the lead row by the transactions that store a
 * message or the read marker.
 */

let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld();
  world.sim.setAutoStatuses(false);
});
afterAll(async () => world?.close());

type InboxRow = {
  id: string;
  lastMessage: { direction: string; text: string; createdAt: string } | null;
  unreadCount: number;
};

async function inboxRow(shop: { tenantId: string; auth: Record<string, string> }, leadId: string) {
  const response = await world.ctx.app.inject({
    method: 'GET',
    url: `/api/v1/tenants/${shop.tenantId}/leads?sort=-lastActivityAt`,
    headers: shop.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as InboxRow[]).find((row) => row.id === leadId);
}

const leadOf = async (wamid: string) =>
  (
    await world.ctx.owner.pool.query<{ lead_id: string }>(
      'select lead_id from whatsapp_message where wa_message_id = $1',
      [wamid],
    )
  ).rows[0]?.lead_id ?? '';

const markRead = (auth: Record<string, string>, leadId: string) =>
  world.ctx.app.inject({ method: 'POST', url: `/api/v1/leads/${leadId}/messages/read`, headers: auth });

describe('the inbox row of a conversation', () => {
  let shop: ConnectedShop;
  beforeAll(async () => {
    shop = await connectedShop(world.ctx, world.sim);
  });

  it('an inbound message sets the preview and one unread; the next adds another', async () => {
    const { ctx, sim } = world;
    const from = customerWaId();
    const leadId = await leadOf(
      await customerWrites(ctx.app, sim, shop, { from, text: 'Hola, ¿tienen stock?' }),
    );
    expect(await inboxRow(shop, leadId)).toMatchObject({
      lastMessage: { direction: 'IN', text: 'Hola, ¿tienen stock?' },
      unreadCount: 1,
    });
    await customerWrites(ctx.app, sim, shop, { from, text: '¿Y   hacen\nenvíos?' });
    // One line: the inbox never breaks a row on the customer's newlines.
    expect(await inboxRow(shop, leadId)).toMatchObject({
      lastMessage: { direction: 'IN', text: '¿Y hacen envíos?' },
      unreadCount: 2,
    });
  });

  it('reading the conversation clears the count; a repeated delivery counts nothing; a new message counts again', async () => {
    const { ctx, sim } = world;
    const from = customerWaId();
    const wamid = await customerWrites(ctx.app, sim, shop, { from, text: 'Buenas' });
    const leadId = await leadOf(wamid);

    const read = await markRead(shop.auth, leadId);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ leadId, unreadCount: 0 });
    expect(await inboxRow(shop, leadId)).toMatchObject({ lastMessage: { text: 'Buenas' }, unreadCount: 0 });
    // Reading again is harmless.
    expect((await markRead(shop.auth, leadId)).statusCode).toBe(200);

    await customerWrites(ctx.app, sim, shop, { from, text: 'Buenas', wamid });
    expect((await inboxRow(shop, leadId))?.unreadCount).toBe(0);
    await customerWrites(ctx.app, sim, shop, { from, text: '¿Siguen ahí?' });
    expect(await inboxRow(shop, leadId)).toMatchObject({
      lastMessage: { text: '¿Siguen ahí?' },
      unreadCount: 1,
    });
  });

  it('an older message delivered late counts as unread but does not replace the newer preview', async () => {
    const { ctx, sim } = world;
    const from = customerWaId();
    const now = Math.floor(Date.now() / 1000);
    const leadId = await leadOf(
      await customerWrites(ctx.app, sim, shop, { from, text: 'Segundo', timestamp: now }),
    );
    await customerWrites(ctx.app, sim, shop, { from, text: 'Primero', timestamp: now - 60 });
    expect(await inboxRow(shop, leadId)).toMatchObject({
      lastMessage: { direction: 'IN', text: 'Segundo' },
      unreadCount: 2,
    });
  });

  it("the seller's reply becomes the preview and marks the conversation read", async () => {
    const { ctx, sim } = world;
    const from = customerWaId();
    const leadId = await leadOf(await customerWrites(ctx.app, sim, shop, { from, text: '¿Precio final?' }));
    const sent = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.auth,
      payload: { text: 'S/ 2,499 con envío incluido.' },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    await ctx.app.drainJobs();
    expect(await inboxRow(shop, leadId)).toMatchObject({
      lastMessage: { direction: 'OUT', text: 'S/ 2,499 con envío incluido.' },
      unreadCount: 0,
    });
  });

  it('a lead without messages has no last message and nothing unread', async () => {
    const created = await world.ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/leads`,
      headers: shop.auth,
      payload: { branchId: shop.branchId, contact: { name: 'Walk-in' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await inboxRow(shop, created.json().id)).toMatchObject({ lastMessage: null, unreadCount: 0 });
  });
});

describe('the read marker', () => {
  it("is 404 for another tenant's lead, and changes nothing there", async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const leadId = await leadOf(
      await customerWrites(ctx.app, sim, shop, { from: customerWaId(), text: 'Hola' }),
    );
    const rival = await signUp(ctx.app);
    problem(await markRead(rival.auth, leadId), 404);
    expect((await inboxRow(shop, leadId))?.unreadCount).toBe(1);
  });

  it('is 404 for a seller of another branch, 401 without credentials, 400 for a malformed id', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const leadId = await leadOf(
      await customerWrites(ctx.app, sim, shop, { from: customerWaId(), text: 'Hola' }),
    );
    const otherBranch = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/branches`,
      headers: shop.auth,
      payload: { name: 'Arequipa', whatsappPhone: '+51 959 341 872', timezone: 'America/Lima' },
    });
    expect(otherBranch.statusCode, otherBranch.body).toBe(201);
    const stranger = await addUser(ctx.app, shop, 'SELLER', [otherBranch.json().id]);
    problem(await markRead(stranger.auth, leadId), 404);
    problem(await ctx.app.inject({ method: 'POST', url: `/api/v1/leads/${leadId}/messages/read` }), 401);
    problem(await markRead(shop.auth, 'not-a-lead'), 400);
    expect((await inboxRow(shop, leadId))?.unreadCount).toBe(1);
  });
});
