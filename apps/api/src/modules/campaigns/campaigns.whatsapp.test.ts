import type { Lead } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem, type SignedUp } from '../../../test/harness';
import { DAY, logIn, runEngine, setPolicy, settableClock } from '../followups/followups.fixtures';
import { openShop } from '../tracking/tracking.fixtures';
import { connectedShop, customerWrites, startWhatsappWorld } from '../whatsapp/whatsapp.fixtures';
import { activate, createCampaign, preview } from './campaigns.fixtures';

/**
 * Reactivation where the lead's branch has a WhatsApp channel: the campaign's approved template goes out by
 * itself (outside the quiet hours, or held until they end); a standing campaign picks up each lead the engine
 * moves to DORMANT; and the segment "clicked but never wrote".
 */

const clock = settableClock('2030-03-04T15:00:00.000Z'); // 10:00 in Lima
let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld({}, { clock });
  world.sim.setAutoStatuses(false);
});
afterAll(async () => world?.close());

type Caller = { auth: { authorization: string } };
const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, caller: Caller, payload?: object) =>
  world.ctx.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: caller.auth,
    ...(payload ? { payload } : {}),
  });

let phones = 0;
const phone = () => `+51 97${String(process.pid % 100).padStart(2, '0')}${String(++phones).padStart(5, '0')}`;

/** A customer entered by hand with a name and phone, with marketing consent unless told otherwise. */
async function customer(shop: SignedUp, name: string, consent = true) {
  const response = await inject('POST', `/tenants/${shop.tenantId}/leads`, shop, {
    branchId: shop.branchId,
    contact: { name, phone: phone() },
  });
  expect(response.statusCode, response.body).toBe(201);
  const lead = response.json() as Lead;
  if (consent) {
    const given = await inject('POST', `/contacts/${lead.contact.id}/consent`, shop, { source: 'tienda' });
    expect(given.statusCode, given.body).toBe(200);
  }
  await world.ctx.app.drainJobs();
  return lead;
}

async function lose(shop: SignedUp, lead: Lead) {
  const current = (await inject('GET', `/leads/${lead.id}`, shop)).json() as Lead;
  const moved = await inject('PATCH', `/leads/${lead.id}`, shop, {
    status: 'LOST',
    lostReason: 'PRICE',
    version: current.version,
  });
  expect(moved.statusCode, moved.body).toBe(200);
}

const template = { name: 'te_extranamos', language: 'es', variables: ['{name}', '{ref}'] };

const outbound = async (leadId: string) =>
  (
    await world.ctx.owner.pool.query<{ id: string; status: string; template: unknown }>(
      `select id, status, template from whatsapp_message where lead_id = $1 and direction = 'OUT'`,
      [leadId],
    )
  ).rows;
const sendsOf = async (shop: SignedUp, campaignId: string) =>
  (await inject('GET', `/campaigns/${campaignId}/sends`, shop)).json().items as {
    leadId: string;
    contactId: string;
    refCode: string;
    taskId: string | null;
    whatsappMessageId: string | null;
    sendAfter: string | null;
  }[];
const runPass = async (shop: SignedUp, campaignId: string) => {
  const response = await inject('POST', `/campaigns/${campaignId}/reactivation/run`, shop);
  expect(response.statusCode, response.body).toBe(200);
  await world.ctx.app.drainJobs();
  return response.json();
};

async function templateShop() {
  const shop = await connectedShop(world.ctx, world.sim);
  world.sim.addTemplate(shop.number.businessAccountId, { name: template.name, language: 'es' });
  return shop;
}

describe('a reactivation campaign at a branch with a WhatsApp channel', () => {
  it('sends its approved template by itself, with the name and the reference code, instead of a task', async () => {
    clock.set('2030-03-04T15:00:00.000Z');
    const shop = await templateShop();
    const ana = await customer(shop, 'Ana Torres');
    await lose(shop, ana);
    const campaign = await createCampaign(world.ctx.app, shop, {
      name: 'Te extrañamos',
      type: 'REACTIVATION',
      segment: { rules: [{ rule: 'LOST' }] },
      whatsappTemplate: template,
    });
    expect(campaign).toMatchObject({ whatsappTemplate: template, standing: false });
    await activate(world.ctx.app, shop, campaign.id);
    expect(await runPass(shop, campaign.id)).toEqual({
      eligible: 1,
      created: 1,
      capped: 0,
      unreachable: 0,
      sent: 1,
      waiting: 0,
    });
    const [send] = await sendsOf(shop, campaign.id);
    const [message] = await outbound(ana.id);
    expect(send).toMatchObject({
      leadId: ana.id,
      taskId: null,
      whatsappMessageId: message?.id,
      sendAfter: null,
    });
    expect(message).toMatchObject({
      status: 'SENT',
      template: { name: template.name, language: 'es', variables: ['Ana', send?.refCode] },
    });
    const tasks = await inject('GET', `/tenants/${shop.tenantId}/tasks?leadId=${ana.id}&status=OPEN`, shop);
    expect(tasks.json().items.filter((t: { title: string }) => t.title.startsWith('Campaña'))).toHaveLength(
      0,
    );
    // Again: one message per contact and campaign.
    expect(await runPass(shop, campaign.id)).toMatchObject({ created: 0, capped: 1, sent: 0 });
    expect(await outbound(ana.id)).toHaveLength(1);
  });

  it('holds the template through the quiet hours and sends it after them, unless the customer opted out meanwhile', async () => {
    clock.set('2030-03-05T04:00:00.000Z'); // 23:00 in Lima: quiet until 09:00 (14:00 UTC)
    const shop = await templateShop();
    const ana = await customer(shop, 'Ana Ruiz');
    const carla = await customer(shop, 'Carla Díaz');
    await lose(shop, ana);
    await lose(shop, carla);
    const campaign = await createCampaign(world.ctx.app, shop, {
      type: 'REACTIVATION',
      segment: { rules: [{ rule: 'LOST' }] },
      whatsappTemplate: template,
    });
    await activate(world.ctx.app, shop, campaign.id);
    expect(await runPass(shop, campaign.id)).toMatchObject({ created: 2, sent: 0, waiting: 2 });
    expect(await sendsOf(shop, campaign.id)).toMatchObject([
      { whatsappMessageId: null, taskId: null, sendAfter: '2030-03-05T14:00:00.000Z' },
      { whatsappMessageId: null, taskId: null, sendAfter: '2030-03-05T14:00:00.000Z' },
    ]);
    expect(await outbound(ana.id)).toHaveLength(0);
    expect((await inject('POST', `/contacts/${carla.contact.id}/opt-out`, shop)).statusCode).toBe(200);

    clock.set('2030-03-05T13:59:00.000Z');
    expect(await runPass(shop, campaign.id)).toMatchObject({ created: 0, sent: 0 });
    clock.set('2030-03-05T14:00:00.000Z');
    expect(await runPass(shop, campaign.id)).toMatchObject({ created: 0, sent: 1 });
    expect(await outbound(ana.id)).toMatchObject([{ status: 'SENT' }]);
    expect(await outbound(carla.id)).toHaveLength(0);
    const sends = await sendsOf(shop, campaign.id);
    expect(sends.find((s) => s.leadId === carla.id)).toMatchObject({
      sendAfter: null,
      whatsappMessageId: null,
    });
    expect(sends.find((s) => s.leadId === ana.id)?.whatsappMessageId).toEqual(expect.any(String));
  });

  it('a template setting or standing on a campaign that is not REACTIVATION is a 422 naming the field', async () => {
    const shop = await openShop(world.ctx.app, { sellers: 0 });
    for (const [field, value] of [
      ['whatsappTemplate', template],
      ['standing', true],
    ] as const) {
      const response = await inject('POST', '/campaigns', shop, {
        tenantId: shop.tenantId,
        name: 'Gaming',
        type: 'CATEGORY',
        [field]: value,
      });
      expect(problem(response, 422).errors?.map((e) => e.path)).toEqual([field]);
    }
  });
});

describe('a standing reactivation campaign', () => {
  it('picks up each lead the engine moves to DORMANT: the template to those who may receive marketing, once', async () => {
    clock.set('2030-03-04T15:00:00.000Z');
    const shop = await templateShop();
    await setPolicy(world.ctx.app, shop, { dormantAfterDays: 1, businessHoursOnly: false });
    const standing = await createCampaign(world.ctx.app, shop, {
      name: 'Reactivación automática',
      type: 'REACTIVATION',
      whatsappTemplate: template,
      standing: true,
    });
    expect(standing.standing).toBe(true);
    await activate(world.ctx.app, shop, standing.id);
    // One standing campaign per shop.
    const second = await inject('POST', '/campaigns', shop, {
      tenantId: shop.tenantId,
      name: 'Otra',
      type: 'REACTIVATION',
      standing: true,
    });
    expect(problem(second, 422).errors?.map((e) => e.path)).toEqual(['standing']);

    const ana = await customer(shop, 'Ana Flores');
    const luis = await customer(shop, 'Luis Vega', false);
    await runEngine(world.ctx.app, shop);

    clock.advance(DAY + 60_000); // 10:01 in Lima the next day: outside the quiet hours
    expect(await runEngine(world.ctx.app, shop)).toMatchObject({ dormant: 2 });
    await world.ctx.app.drainJobs();
    const sends = await sendsOf(shop, standing.id);
    expect(sends).toHaveLength(1);
    const [message] = await outbound(ana.id);
    expect(sends[0]).toMatchObject({ leadId: ana.id, taskId: null, whatsappMessageId: message?.id });
    expect(message).toMatchObject({ status: 'SENT', template: { name: template.name } });
    expect(await outbound(luis.id)).toHaveLength(0);

    // Another pass changes nothing; the standing campaign's own pass reads no segment at once.
    await runEngine(world.ctx.app, shop);
    expect(await runPass(shop, standing.id)).toMatchObject({ eligible: 0, created: 0 });
    expect(await sendsOf(shop, standing.id)).toHaveLength(1);
  });

  it('without a channel, the dormant lead becomes a wa.me task for its seller, due after the quiet hours', async () => {
    clock.set('2030-03-04T15:00:00.000Z');
    const shop = await openShop(world.ctx.app, { sellers: 1 });
    await setPolicy(world.ctx.app, shop, { dormantAfterDays: 1, businessHoursOnly: false });
    const standing = await createCampaign(world.ctx.app, shop, {
      type: 'REACTIVATION',
      standing: true,
      whatsappTemplate: template,
    });
    await activate(world.ctx.app, shop, standing.id);
    const rosa = await customer(shop, 'Rosa Quispe');
    clock.set('2030-03-06T03:00:00.000Z'); // 22:00 in Lima, more than a day later
    expect(await runEngine(world.ctx.app, shop)).toMatchObject({ dormant: 1 });
    const [send] = await sendsOf(shop, standing.id);
    expect(send).toMatchObject({ leadId: rosa.id, whatsappMessageId: null, taskId: expect.any(String) });
    const tasks = await inject('GET', `/tenants/${shop.tenantId}/tasks?leadId=${rosa.id}&status=OPEN`, shop);
    expect(tasks.json().items).toMatchObject([
      { id: send?.taskId, kind: 'FOLLOW_UP', dueAt: '2030-03-06T14:00:00.000Z' },
    ]);
  });
});

describe('the segment "clicked but never wrote"', () => {
  it('holds a tracked click at a branch with a channel after which the customer did not write within the hours', async () => {
    const t0 = '2030-03-04T15:00:00.000Z';
    clock.set(t0);
    const shop = await connectedShop(world.ctx, world.sim);
    const other = await inject('POST', `/tenants/${shop.tenantId}/branches`, shop, {
      name: 'Sin canal',
      whatsappPhone: '+51987111222',
      timezone: 'America/Lima',
    });
    expect(other.statusCode, other.body).toBe(201);
    const click = async (visitorId: string, branchId = shop.branchId) => {
      const response = await world.ctx.app.inject({
        method: 'POST',
        url: '/api/v1/tracking/whatsapp-click',
        payload: { tenantId: shop.tenantId, branchId, source: 'MAP', visitorId },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { leadId: string; refCode: string };
    };
    const silent = await click('visitor-silent');
    const wrote = await click('visitor-wrote');
    await click('visitor-elsewhere', other.json().id);
    await world.ctx.app.drainJobs();
    clock.set('2030-03-04T16:00:00.000Z');
    await customerWrites(world.ctx.app, world.sim, shop, {
      from: '51987654000',
      text: `Hola (Ref: ${wrote.refCode})`,
      timestamp: Math.floor(clock.now().getTime() / 1000),
    });
    const rule = { rule: 'CLICKED_NOT_WRITTEN', withinHours: 24 };
    // Too soon to tell: the customer may still write.
    expect((await preview(world.ctx.app, shop, [rule])).count).toBe(0);

    clock.set('2030-03-05T15:30:00.000Z');
    const members = await preview(world.ctx.app, shop, [rule]);
    const silentContact = (await inject('GET', `/leads/${silent.leadId}`, shop)).json().contact.id;
    expect(members.sample.map((m) => m.contactId)).toEqual([silentContact]);
    // A look-back that ends before the clicks holds no one.
    clock.set('2030-04-30T15:30:00.000Z');
    const later = { ...shop, auth: await logIn(world.ctx.app, shop.email) };
    expect((await preview(world.ctx.app, later, [{ ...rule, withinDays: 30 }])).count).toBe(0);
  });

  it('refuses hours out of range with a 400 naming the field', async () => {
    const shop = await openShop(world.ctx.app, { sellers: 0 });
    const response = await inject('POST', `/tenants/${shop.tenantId}/segments/preview`, shop, {
      segment: { rules: [{ rule: 'CLICKED_NOT_WRITTEN', withinHours: 0 }] },
    });
    expect(problem(response, 400).errors?.map((e) => e.path)).toEqual(['body.segment.rules.0.withinHours']);
  });
});
