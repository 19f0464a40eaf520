import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem } from '../../../test/harness';
import { openShop } from '../tracking/tracking.fixtures';
import {
  connectedShop,
  customerWaId,
  customerWrites,
  startWhatsappWorld,
} from '../whatsapp/whatsapp.fixtures';
import {
  DAY,
  leadEvents,
  listTasks,
  moveLead,
  runEngine,
  setPolicy,
  settableClock,
} from './followups.fixtures';

/**
 * The QUOTED follow-up where the lead's branch has a WhatsApp channel: it goes out by itself as the policy's
 * approved template, and "no reply since the quote" reads the customer's real WhatsApp messages.
 */

const clock = settableClock('2030-03-04T15:00:00.000Z');
let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld({}, { clock });
  world.sim.setAutoStatuses(false);
});
afterAll(async () => world?.close());

const template = { name: 'seguimiento_cotizacion', language: 'es', variables: ['{name}'] };
const policy = { quotedFollowUpDays: 1, businessHoursOnly: false, quotedFollowUpTemplate: template };

const messagesOf = async (leadId: string) =>
  (
    await world.ctx.owner.pool.query<{
      type: string;
      status: string;
      template: unknown;
      error_code: number | null;
    }>(
      `select type, status, template, error_code from whatsapp_message
        where lead_id = $1 and direction = 'OUT' order by created_at, id`,
      [leadId],
    )
  ).rows;

/** A customer who wrote on WhatsApp (a lead of source WHATSAPP), quoted now. */
async function quotedConversation(shop: Awaited<ReturnType<typeof connectedShop>>, name = 'Ana Pérez') {
  const from = customerWaId();
  const wamid = await customerWrites(world.ctx.app, world.sim, shop, {
    from,
    name,
    text: 'Hola, ¿tienen la laptop?',
    timestamp: Math.floor(clock.now().getTime() / 1000),
  });
  const { rows } = await world.ctx.owner.pool.query<{ lead_id: string }>(
    'select lead_id from whatsapp_message where wa_message_id = $1',
    [wamid],
  );
  const leadId = rows[0]?.lead_id ?? '';
  await moveLead(world.ctx.app, shop, leadId, { status: 'QUOTED' });
  return { leadId, from };
}

describe('the QUOTED follow-up at a branch with a WhatsApp channel', () => {
  it('goes out once as the approved template with the customer name, and its task is closed as done', async () => {
    const { ctx, sim } = world;
    clock.set('2030-03-04T15:00:00.000Z');
    const shop = await connectedShop(ctx, sim);
    sim.addTemplate(shop.number.businessAccountId, { name: template.name, language: 'es' });
    await setPolicy(ctx.app, shop, policy);
    const { leadId, from } = await quotedConversation(shop);

    clock.advance(DAY + 60_000);
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(1);
    await ctx.app.drainJobs();
    expect(await messagesOf(leadId)).toEqual([
      {
        type: 'template',
        status: 'SENT',
        template: { name: template.name, language: 'es', variables: ['Ana'] },
        error_code: null,
      },
    ]);
    const body = sim.sent.find((m) => m.body.to === from)?.body;
    expect(body).toMatchObject({
      type: 'template',
      template: {
        name: template.name,
        language: { code: 'es' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
      },
    });
    const tasks = (await listTasks(ctx.app, shop, shop.tenantId, `leadId=${leadId}`)).items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: 'FOLLOW_UP', status: 'DONE' });
    expect(tasks[0]?.note).toContain(template.name);
    const due = (await leadEvents(ctx.app, shop, leadId)).find((e) => e.type === 'FOLLOWUP_DUE');
    expect(due?.payload).toMatchObject({ rule: 'QUOTED_FOLLOW_UP', messageId: expect.any(String) });

    // Another pass, and a policy change that makes the engine look at every lead again: still one message.
    await setPolicy(ctx.app, shop, { ...policy, quotedFollowUpDays: 1 });
    await runEngine(ctx.app, shop);
    await ctx.app.drainJobs();
    expect(await messagesOf(leadId)).toHaveLength(1);
  });

  it("a template Meta does not know is FAILED with Meta's 132001, for the seller to see", async () => {
    const { ctx, sim } = world;
    clock.set('2030-03-04T15:00:00.000Z');
    const shop = await connectedShop(ctx, sim);
    await setPolicy(ctx.app, shop, policy);
    const { leadId } = await quotedConversation(shop);
    clock.advance(DAY + 60_000);
    await runEngine(ctx.app, shop);
    await ctx.app.drainJobs();
    expect(await messagesOf(leadId)).toMatchObject([
      { type: 'template', status: 'FAILED', error_code: 132001 },
    ]);
  });

  it('a real WhatsApp message after the quote is a reply: no follow-up', async () => {
    const { ctx, sim } = world;
    clock.set('2030-03-04T15:00:00.000Z');
    const shop = await connectedShop(ctx, sim);
    await setPolicy(ctx.app, shop, policy);
    const { leadId, from } = await quotedConversation(shop);
    clock.advance(3_600_000);
    await customerWrites(ctx.app, sim, shop, {
      from,
      text: 'Gracias, lo reviso',
      timestamp: Math.floor(clock.now().getTime() / 1000),
    });
    clock.advance(DAY);
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(0);
    await ctx.app.drainJobs();
    expect(await messagesOf(leadId)).toHaveLength(0);
  });

  it('a message the CRM was only told of (a marketplace click) is no WhatsApp reply: the follow-up fires', async () => {
    const { ctx, sim } = world;
    clock.set('2030-03-04T15:00:00.000Z');
    const shop = await connectedShop(ctx, sim);
    await setPolicy(ctx.app, shop, policy);
    const click = (message?: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/tracking/whatsapp-click',
        payload: {
          tenantId: shop.tenantId,
          branchId: shop.branchId,
          listingId: shop.listingId,
          source: 'LISTING',
          visitorId: `visitor-${shop.tenantId}`,
          ...(message ? { message } : {}),
        },
      });
    const first = await click();
    expect(first.statusCode, first.body).toBe(201);
    const leadId = first.json().leadId as string;
    await ctx.app.drainJobs();
    await moveLead(ctx.app, shop, leadId, { status: 'QUOTED' });
    clock.advance(3_600_000);
    expect((await click('¿Sigue disponible?')).statusCode).toBe(200);
    clock.advance(DAY);
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(1);
    // The customer has no number yet (a visitor): the follow-up is the seller's task, as without a channel.
    const tasks = (await listTasks(ctx.app, shop, shop.tenantId, `leadId=${leadId}`)).items;
    expect(tasks).toMatchObject([{ kind: 'FOLLOW_UP', status: 'OPEN' }]);
  });

  it('without a channel the follow-up stays a task, template or not', async () => {
    const { ctx } = world;
    clock.set('2030-03-04T15:00:00.000Z');
    const shop = await openShop(ctx.app, { sellers: 1 });
    await setPolicy(ctx.app, shop, policy);
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/leads`,
      headers: shop.auth,
      payload: { branchId: shop.branchId, contact: { name: 'Luis', phone: '+51987000111' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const leadId = created.json().id as string;
    await ctx.app.drainJobs();
    await moveLead(ctx.app, shop, leadId, { status: 'QUOTED' });
    clock.advance(DAY + 60_000);
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(1);
    expect((await listTasks(ctx.app, shop, shop.tenantId, `leadId=${leadId}`)).items).toMatchObject([
      { kind: 'FOLLOW_UP', status: 'OPEN' },
    ]);
    expect(await messagesOf(leadId)).toHaveLength(0);
  });
});

describe('the follow-up template setting', () => {
  it('is validated (a 400 naming the field) and kept when a later save leaves it out', async () => {
    const { ctx } = world;
    const shop = await openShop(ctx.app, { sellers: 0 });
    const bad = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/tenants/${shop.tenantId}/followup-policy`,
      headers: shop.auth,
      payload: {
        newLeadAlertMinutes: 60,
        quotedFollowUpDays: 2,
        dormantAfterDays: 21,
        businessHoursOnly: true,
        quotedFollowUpTemplate: { name: 'Seguimiento Cotización', language: 'es' },
      },
    });
    expect(problem(bad, 400).errors?.map((e) => e.path)).toContain('body.quotedFollowUpTemplate.name');
    await setPolicy(ctx.app, shop, { quotedFollowUpTemplate: template });
    const saved = await setPolicy(ctx.app, shop, { quotedFollowUpDays: 3 });
    expect(saved.quotedFollowUpTemplate).toEqual(template);
    const cleared = await setPolicy(ctx.app, shop, { quotedFollowUpTemplate: null });
    expect(cleared.quotedFollowUpTemplate).toBeNull();
  });
});
