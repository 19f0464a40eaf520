import type { Kpis } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLead, manualClock } from '../leads/leads.fixtures';
import { createWhatsappSends } from '.';
import {
  type ConnectedShop,
  connectedShop,
  customerWaId,
  customerWrites,
  startWhatsappWorld,
} from './whatsapp.fixtures';

/*
 * Where a branch has a WhatsApp channel, the lead's first response is the first message a person sends, not a
 * stage move and not a template the follow-up engine or a campaign sent. Elsewhere a stage move out of NEW still is.
 * The clock is Monday 10:00 in Lima (the shop is open all day), so business and calendar minutes agree.
 */
const clock = manualClock(new Date('2030-03-04T15:00:00.000Z'));
const MINUTE = 60_000;
let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld({}, { clock });
  world.sim.setAutoStatuses(false);
});
afterAll(async () => world?.close());

const firstResponseAt = async (leadId: string) =>
  (
    await world.ctx.owner.pool.query<{ at: Date | null }>(
      'select first_response_at as at from lead where id = $1',
      [leadId],
    )
  ).rows[0]?.at ?? null;

/** The customer writes now (Meta's timestamp is the clock's), which opens a lead at the channel's branch. */
async function customerOpensLead(shop: ConnectedShop) {
  const wamid = await customerWrites(world.ctx.app, world.sim, shop, {
    from: customerWaId(),
    text: 'Hola, ¿tienen la laptop?',
    timestamp: Math.floor(clock.now().getTime() / 1000),
  });
  const { rows } = await world.ctx.owner.pool.query<{ lead_id: string }>(
    'select lead_id from whatsapp_message where wa_message_id = $1',
    [wamid],
  );
  return rows[0]?.lead_id ?? '';
}

async function moveToContacted(shop: { auth: Record<string, string> }, leadId: string) {
  const { app } = world.ctx;
  const lead = await app.inject({ method: 'GET', url: `/api/v1/leads/${leadId}`, headers: shop.auth });
  const moved = await app.inject({
    method: 'PATCH',
    url: `/api/v1/leads/${leadId}`,
    headers: shop.auth,
    payload: { status: 'CONTACTED', version: lead.json().version },
  });
  expect(moved.statusCode, moved.body).toBe(200);
  return moved.json() as { status: string; firstResponseAt: string | null };
}

async function reply(shop: ConnectedShop, leadId: string, text: string) {
  const response = await world.ctx.app.inject({
    method: 'POST',
    url: `/api/v1/leads/${leadId}/messages`,
    headers: shop.auth,
    payload: { text },
  });
  expect(response.statusCode, response.body).toBe(202);
  await world.ctx.app.drainJobs();
}

describe('first response at a branch with a WhatsApp channel', () => {
  it("is the first reply a person sends, not the stage move before it, and the KPI reads the reply's time", async () => {
    const shop = await connectedShop(world.ctx, world.sim);
    const createdAt = clock.now().getTime();
    const leadId = await customerOpensLead(shop);

    clock.advance(10 * MINUTE);
    const moved = await moveToContacted(shop, leadId);
    expect(moved).toMatchObject({ status: 'CONTACTED', firstResponseAt: null });
    expect(await firstResponseAt(leadId)).toBeNull();

    clock.advance(15 * MINUTE);
    await reply(shop, leadId, 'Hola, sí, la tenemos en tienda.');
    expect((await firstResponseAt(leadId))?.toISOString()).toBe(
      new Date(createdAt + 25 * MINUTE).toISOString(),
    );
    // A later reply does not move it.
    clock.advance(5 * MINUTE);
    await reply(shop, leadId, '¿Le reservo una?');
    expect((await firstResponseAt(leadId))?.toISOString()).toBe(
      new Date(createdAt + 25 * MINUTE).toISOString(),
    );

    const period = `from=${encodeURIComponent(new Date(createdAt - MINUTE).toISOString())}&to=${encodeURIComponent(new Date(createdAt + MINUTE).toISOString())}`;
    const response = await world.ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/kpis?${period}`,
      headers: shop.auth,
    });
    expect(response.statusCode, response.body).toBe(200);
    const kpis = response.json() as Kpis;
    // 25 minutes (the reply), not 10 (the stage move).
    expect(kpis.totals.firstResponse).toMatchObject({ responded: 1, unanswered: 0, medianMinutes: 25 });
  });

  it('is not set by a template the follow-up engine or a campaign sent (no person), only by the reply after it', async () => {
    const { ctx } = world;
    const shop = await connectedShop(ctx, world.sim);
    const leadId = await customerOpensLead(shop);
    world.sim.addTemplate(shop.number.businessAccountId, { name: 'seguimiento', language: 'es' });
    // What the engine and campaigns call: a template queued on the lead in their transaction, sent by the job.
    const sends = createWhatsappSends({
      queue: { send: async () => {}, drain: async () => {} },
      log: ctx.app.log,
    });
    const queued = await ctx.database.withTenant(shop.tenantId, (tx) =>
      sends.sendTemplate(tx, {
        tenantId: shop.tenantId,
        leadId,
        template: { name: 'seguimiento', language: 'es' },
        at: clock.now().toISOString(),
      }),
    );
    expect(queued).not.toBeNull();
    const sendJob = ctx.app.jobDefinitions.find((d) => d.name === 'whatsapp.send-message');
    await sendJob?.handle({ tenantId: shop.tenantId, messageId: queued?.messageId });
    const { rows } = await ctx.owner.pool.query<{ status: string }>(
      'select status from whatsapp_message where id = $1',
      [queued?.messageId],
    );
    expect(rows[0]?.status).toBe('SENT');
    expect(await firstResponseAt(leadId)).toBeNull();

    clock.advance(3 * MINUTE);
    await reply(shop, leadId, 'Hola, le escribo de la tienda.');
    expect((await firstResponseAt(leadId))?.toISOString()).toBe(clock.now().toISOString());
  });

  it('is still the first move out of NEW at a branch without a channel', async () => {
    const { ctx } = world;
    const shop = await connectedShop(ctx, world.sim);
    const disconnected = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}/whatsapp-channel`,
      headers: shop.auth,
    });
    expect(disconnected.statusCode, disconnected.body).toBeLessThan(300);
    const lead = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      source: 'MANUAL',
      contact: { name: 'Rosa Quispe', phone: '+51 912 345 678' },
    });
    clock.advance(7 * MINUTE);
    const moved = await moveToContacted(shop, lead.id);
    expect(moved.firstResponseAt).toBe(clock.now().toISOString());
  });
});
