import type { Campaign, Lead } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type TestContext } from '../../../test/harness';
import {
  addBranch,
  addListing,
  changeLead,
  createLeadsTestContext,
  manualClock,
} from '../leads/leads.fixtures';
import { click, openShop, type Shop } from '../tracking/tracking.fixtures';
import {
  activate,
  campaignAction,
  createCampaign,
  JPEG_HEAD,
  metrics,
  PNG_1X1,
  preview,
  views,
} from './campaigns.fixtures';
import { campaignWindowsJob } from './campaigns.jobs';

// 09:00 in Lima.
const clock = manualClock(new Date('2030-03-01T14:00:00.000Z'));
const HOUR = 3_600_000;
let ctx: TestContext;
let shop: Shop;
let other: Shop;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  shop = await openShop(ctx.app);
  other = await openShop(ctx.app);
});
afterAll(() => ctx.close());

const inject = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  caller: Shop | { auth: object },
  payload?: object,
) =>
  ctx.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: caller.auth as Record<string, string>,
    ...(payload ? { payload } : {}),
  });

let phones = 0;
const phone = () => `+51 98${String(process.pid % 100).padStart(2, '0')}${String(++phones).padStart(5, '0')}`;

/** A customer: a lead entered by hand with a name and phone, optionally with marketing consent. */
async function customer(
  s: Shop,
  name: string,
  options: { consent?: boolean; branchId?: string; listingId?: string } = {},
) {
  const response = await inject('POST', `/tenants/${s.tenantId}/leads`, s, {
    branchId: options.branchId ?? s.branchId,
    contact: { name, phone: phone() },
    ...(options.listingId ? { listingId: options.listingId } : {}),
  });
  expect(response.statusCode, response.body).toBe(201);
  const lead = response.json() as Lead;
  if (options.consent) {
    const consent = await inject('POST', `/contacts/${lead.contact.id}/consent`, s, { source: 'tienda' });
    expect(consent.statusCode, consent.body).toBe(200);
  }
  return lead;
}

describe('campaign life cycle', () => {
  it('creates a DRAFT, edits it with its version, and walks DRAFT -> ACTIVE -> PAUSED -> ACTIVE -> ENDED', async () => {
    const created = await createCampaign(ctx.app, shop, {
      name: 'Vuelta al cole',
      messageTemplate: 'Hola {name}',
      segment: { rules: [{ rule: 'INTERESTED_IN', category: 'LAPTOPS', withinDays: 90 }] },
    });
    expect(created).toMatchObject({
      status: 'DRAFT',
      live: false,
      type: 'CATEGORY',
      reactivation: null,
      version: 1,
      totals: { impressions: 0, clicks: 0, leads: 0, wins: 0 },
      segment: { rules: [{ rule: 'INTERESTED_IN', category: 'LAPTOPS', withinDays: 90 }] },
    });
    const edited = await inject('PATCH', `/campaigns/${created.id}`, shop, {
      name: 'Vuelta al cole 2030',
      version: 1,
    });
    expect(edited.json()).toMatchObject({ name: 'Vuelta al cole 2030', version: 2 });
    const stale = await inject('PATCH', `/campaigns/${created.id}`, shop, { name: 'x', version: 1 });
    expect(problem(stale, 409).errors?.[0]?.path).toBe('version');

    expect((await activate(ctx.app, shop, created.id)).live).toBe(true);
    expect((await campaignAction(ctx.app, shop, created.id, 'pause')).json().status).toBe('PAUSED');
    expect(problem(await campaignAction(ctx.app, shop, created.id, 'pause'), 422).errors?.[0]?.path).toBe(
      'status',
    );
    expect((await activate(ctx.app, shop, created.id)).status).toBe('ACTIVE');
    expect((await campaignAction(ctx.app, shop, created.id, 'end')).json().status).toBe('ENDED');
    problem(await campaignAction(ctx.app, shop, created.id, 'activate'), 422);

    const list = await inject('GET', `/tenants/${shop.tenantId}/campaigns?status=ENDED`, shop);
    expect(list.json().items.map((c: Campaign) => c.id)).toContain(created.id);
    const get = await inject('GET', `/campaigns/${created.id}`, shop);
    expect(get.json()).toMatchObject({ id: created.id, status: 'ENDED' });
  });

  it('honours the window: live only between start and end, and the worker ends it', async () => {
    const start = new Date(clock.now().getTime() + HOUR).toISOString();
    const end = new Date(clock.now().getTime() + 2 * HOUR).toISOString();
    const campaign = await createCampaign(ctx.app, shop, { startAt: start, endAt: end });
    expect(await activate(ctx.app, shop, campaign.id)).toMatchObject({ status: 'ACTIVE', live: false });
    // One paused before its end is over too when the end passes.
    const paused = await createCampaign(ctx.app, shop, { endAt: end });
    await activate(ctx.app, shop, paused.id);
    expect((await campaignAction(ctx.app, shop, paused.id, 'pause')).json().status).toBe('PAUSED');
    const clickNow = (visitorId: string) =>
      click(ctx.app, { tenantId: shop.tenantId, branchId: shop.branchId, campaign: campaign.id, visitorId });
    await clickNow('window-early');
    clock.advance(HOUR);
    expect((await inject('GET', `/campaigns/${campaign.id}`, shop)).json().live).toBe(true);
    await clickNow('window-inside');
    clock.advance(HOUR);
    await clickNow('window-late');
    const figures = await metrics(ctx.app, shop, campaign.id);
    expect(figures.totals).toEqual({ impressions: 0, clicks: 1, leads: 1, wins: 0 });

    const sent: unknown[] = [];
    await campaignWindowsJob(ctx.owner.pool, { send: async (_name, data) => void sent.push(data) }, () =>
      clock.now(),
    ).handle({});
    const ended = (await inject('GET', `/campaigns/${campaign.id}`, shop)).json();
    expect(ended).toMatchObject({ status: 'ENDED', live: false });
    expect((await inject('GET', `/campaigns/${paused.id}`, shop)).json().status).toBe('ENDED');
    // Reopening it needs a later end first: it is ENDED now, and ENDED is final.
    problem(await campaignAction(ctx.app, shop, campaign.id, 'activate'), 422);
  });

  it('refuses to activate a campaign whose end has passed, naming endAt', async () => {
    const campaign = await createCampaign(ctx.app, shop, {
      startAt: new Date(clock.now().getTime() - 2 * HOUR).toISOString(),
      endAt: new Date(clock.now().getTime() - HOUR).toISOString(),
    });
    expect(problem(await campaignAction(ctx.app, shop, campaign.id, 'activate'), 422).errors?.[0]?.path).toBe(
      'endAt',
    );
  });
});

describe('bad input', () => {
  it('names the field', async () => {
    const post = (payload: object) =>
      inject('POST', '/campaigns', shop, {
        tenantId: shop.tenantId,
        name: 'X',
        type: 'CATEGORY',
        ...payload,
      });
    expect(problem(await post({ type: 'FLASH' }), 400).errors?.[0]?.path).toBe('body.type');
    expect(
      problem(await post({ startAt: '2030-03-02T00:00:00Z', endAt: '2030-03-01T00:00:00Z' }), 400).errors?.[0]
        ?.path,
    ).toBe('body.endAt');
    expect(problem(await post({ segment: { rules: [{ rule: 'BOUGHT' }] } }), 400).errors?.[0]?.path).toMatch(
      /^body\.segment\.rules\.0/,
    );
    expect(
      problem(await post({ segment: { rules: [{ rule: 'VIEWED', withinDays: 30 }] } }), 400).errors?.[0]
        ?.path,
    ).toBe('body.segment.rules.0.listingId');
    expect(
      problem(await post({ segment: { rules: [{ rule: 'BRANCH', branchIds: [other.branchId] }] } }), 422)
        .errors?.[0]?.path,
    ).toBe('segment.rules.0.branchIds');
    expect(problem(await post({ reactivation: { frequencyCapDays: 10 } }), 422).errors?.[0]?.path).toBe(
      'reactivation',
    );
    expect(
      problem(
        await post({ type: 'REACTIVATION', reactivation: { quietHours: { start: '25:00', end: '08:00' } } }),
        400,
      ).errors?.[0]?.path,
    ).toBe('body.reactivation.quietHours.start');
    const badRule = await inject('POST', `/tenants/${shop.tenantId}/segments/preview`, shop, {
      segment: { rules: [{ rule: 'LOST', reasons: ['EXPENSIVE'] }] },
    });
    expect(problem(badRule, 400).errors?.[0]?.path).toBe('body.segment.rules.0.reasons.0');
    const campaign = await createCampaign(ctx.app, shop);
    const range = await inject(
      'GET',
      `/campaigns/${campaign.id}/metrics?from=2030-03-05&to=2030-03-01`,
      shop,
    );
    expect(problem(range, 400).errors?.[0]?.path).toBe('querystring.to');
    const long = await inject('GET', `/campaigns/${campaign.id}/metrics?from=2028-01-01&to=2030-03-01`, shop);
    expect(problem(long, 400).errors?.[0]?.path).toBe('to');
    expect(
      problem(await inject('GET', `/tenants/${shop.tenantId}/campaigns?cursor=nope`, shop), 400).errors?.[0]
        ?.path,
    ).toBe('cursor');
    // A cursor crafted with a date JavaScript reads but PostgreSQL would not.
    const crafted = Buffer.from(JSON.stringify(['2020', campaign.id])).toString('base64url');
    expect(
      problem(await inject('GET', `/tenants/${shop.tenantId}/campaigns?cursor=${crafted}`, shop), 400)
        .errors?.[0]?.path,
    ).toBe('cursor');
    expect(problem(await post({ startAt: '0000-01-01T00:00:00Z' }), 400).errors?.[0]?.path).toBe(
      'body.startAt',
    );
  });
});

describe('OpenAPI', () => {
  it('documents the campaign routes', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const path of [
      '/api/v1/campaigns',
      '/api/v1/campaigns/{id}',
      '/api/v1/campaigns/{id}/activate',
      '/api/v1/campaigns/{id}/metrics',
      '/api/v1/tenants/{tenantId}/segments/preview',
      '/api/v1/contacts/{id}/opt-out',
      '/api/v1/campaigns/{id}/assets/images',
      '/api/v1/tenants/{tenantId}/campaign-replies',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });
});

describe('another shop', () => {
  it('answers 404 for its campaigns, contacts and assets, whatever the call', async () => {
    const theirs = await createCampaign(ctx.app, other);
    const theirLead = await customer(other, 'Ajeno');
    const asset = await inject('POST', `/campaigns/${theirs.id}/assets`, other, { text: 'Solo hoy' });
    const assetId = asset.json().id as string;
    const calls: [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object][] = [
      ['GET', `/campaigns/${theirs.id}`],
      ['PATCH', `/campaigns/${theirs.id}`, { name: 'mío', version: 1 }],
      ['POST', `/campaigns/${theirs.id}/activate`],
      ['POST', `/campaigns/${theirs.id}/pause`],
      ['POST', `/campaigns/${theirs.id}/end`],
      ['GET', `/campaigns/${theirs.id}/metrics`],
      ['GET', `/campaigns/${theirs.id}/breakdown`],
      ['POST', `/campaigns/${theirs.id}/reactivation/run`],
      ['GET', `/campaigns/${theirs.id}/sends`],
      ['GET', `/campaigns/${theirs.id}/assets`],
      ['POST', `/campaigns/${theirs.id}/assets`, { text: 'robado' }],
      ['GET', `/campaigns/${theirs.id}/assets/${assetId}/content`],
      ['DELETE', `/campaigns/${theirs.id}/assets/${assetId}`],
      ['GET', `/contacts/${theirLead.contact.id}/consent`],
      ['POST', `/contacts/${theirLead.contact.id}/opt-out`],
      ['POST', `/contacts/${theirLead.contact.id}/consent`, { source: 'x' }],
      ['GET', `/tenants/${other.tenantId}/campaigns`],
      ['POST', `/tenants/${other.tenantId}/segments/preview`, { segment: { rules: [] } }],
      ['POST', `/tenants/${other.tenantId}/campaign-replies`, { refCode: 'C234567' }],
      ['POST', '/campaigns', { tenantId: other.tenantId, name: 'X', type: 'ZONE' }],
    ];
    for (const [method, url, payload] of calls) problem(await inject(method, url, shop, payload), 404);
    expect((await inject('GET', `/campaigns/${theirs.id}`, other)).json().status).toBe('DRAFT');
    // Tracking that names their campaign for this shop's listing and branch is refused, naming the field.
    const view = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/listing-view',
      payload: { tenantId: shop.tenantId, listingId: shop.listingId, campaign: theirs.id, visitorId: 'v-x' },
    });
    expect(problem(view, 422).errors?.[0]?.path).toContain('campaign');
    const tracked = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      campaign: theirs.id,
      visitorId: 'v-x',
    });
    expect(problem(tracked, 422).errors?.[0]?.path).toBe('campaign');
  });

  it('lets sellers read but not create or change campaigns', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const campaign = await createCampaign(ctx.app, shop);
    expect((await inject('GET', `/campaigns/${campaign.id}`, seller)).statusCode).toBe(200);
    problem(
      await inject('POST', '/campaigns', seller, { tenantId: shop.tenantId, name: 'X', type: 'ZONE' }),
      403,
    );
    problem(await inject('POST', `/campaigns/${campaign.id}/activate`, seller), 403);
  });
});

describe('segments', () => {
  it('select the known data set rule by rule', async () => {
    const s = await openShop(ctx.app);
    const north = await inject('POST', `/tenants/${s.tenantId}/branches`, s, {
      name: 'Los Olivos',
      whatsappPhone: '+51 912 345 678',
      timezone: 'America/Lima',
      zone: 'Lima Norte',
    });
    const northId = north.json().id as string;
    const console = await addListing(ctx.app, s, {
      title: 'PlayStation 5 Slim',
      category: 'GAMING',
      price: 219900,
    });
    const router = await addListing(ctx.app, s, {
      title: 'Router TP-Link Archer AX55',
      category: 'NETWORKING',
      price: 39900,
    });

    // Ana viewed the console twice and did not buy; Bruno viewed it and bought it; Carla viewed a router long ago.
    const ana = await click(ctx.app, {
      tenantId: s.tenantId,
      branchId: s.branchId,
      visitorId: 'seg-ana',
      listingId: s.listingId,
    });
    const bruno = await click(ctx.app, {
      tenantId: s.tenantId,
      branchId: s.branchId,
      visitorId: 'seg-bruno',
      listingId: console.id,
    });
    const gaming = (visitorId: string) => ({ tenantId: s.tenantId, listingId: console.id, visitorId });
    await views(ctx.app, [gaming('seg-ana'), gaming('seg-ana'), gaming('seg-bruno')]);
    const brunoLead = (await inject('GET', `/leads/${bruno.json().leadId}`, s)).json() as Lead;
    await changeLead(ctx.app, s, brunoLead, { status: 'WON' });
    clock.advance(-40 * 24 * HOUR);
    await views(ctx.app, [{ tenantId: s.tenantId, listingId: router.id, visitorId: 'seg-ana' }]);
    clock.advance(40 * 24 * HOUR);

    // Diego lost on price, Elena went dormant, Fabio asked at the northern branch about a router, with consent.
    const diego = await customer(s, 'Diego Flores', { consent: true });
    await changeLead(ctx.app, s, diego, { status: 'LOST', lostReason: 'PRICE' });
    const elena = await customer(s, 'Elena Vargas');
    await changeLead(ctx.app, s, elena, { status: 'DORMANT' });
    const fabio = await customer(s, 'Fabio Ríos', { consent: true, branchId: northId, listingId: router.id });

    const ids = async (rules: unknown[]) => {
      const result = await preview(ctx.app, s, rules);
      return { count: result.count, names: result.sample.map((m) => m.contactId).sort() };
    };
    const anaContact = ((await inject('GET', `/leads/${ana.json().leadId}`, s)).json() as Lead).contact.id;
    expect(await ids([{ rule: 'VIEWED', category: 'gaming', withinDays: 30 }])).toEqual({
      count: 1,
      names: [anaContact],
    });
    expect(
      (await ids([{ rule: 'VIEWED', listingId: console.id, withinDays: 30, withoutWin: false }])).count,
    ).toBe(2);
    expect((await ids([{ rule: 'VIEWED', category: 'NETWORKING', withinDays: 30 }])).count).toBe(0);
    expect((await ids([{ rule: 'VIEWED', category: 'NETWORKING', withinDays: 60 }])).names).toEqual([
      anaContact,
    ]);
    expect(await ids([{ rule: 'LOST', reasons: ['PRICE'] }])).toEqual({
      count: 1,
      names: [diego.contact.id],
    });
    expect((await ids([{ rule: 'LOST', reasons: ['STOCK'] }])).count).toBe(0);
    expect(await ids([{ rule: 'DORMANT' }])).toEqual({ count: 1, names: [elena.contact.id] });
    expect((await ids([{ rule: 'INTERESTED_IN', category: 'networking' }])).names).toEqual(
      [anaContact, fabio.contact.id].sort(),
    );
    expect((await ids([{ rule: 'INTERESTED_IN', category: 'networking', withinDays: 30 }])).names).toEqual([
      fabio.contact.id,
    ]);
    expect(await ids([{ rule: 'ZONE', zones: ['lima norte'] }])).toEqual({
      count: 1,
      names: [fabio.contact.id],
    });
    expect((await ids([{ rule: 'BRANCH', branchIds: [s.branchId] }])).count).toBe(4);
    expect((await ids([{ rule: 'CONSENT' }])).names).toEqual([diego.contact.id, fabio.contact.id].sort());
    expect((await ids([{ rule: 'CONSENT' }, { rule: 'LOST', reasons: [] }])).names).toEqual([
      diego.contact.id,
    ]);
    expect((await ids([])).count).toBe(5);
    // Another shop's contacts are never members.
    expect((await preview(ctx.app, other, [])).sample.map((m) => m.contactId)).not.toContain(
      diego.contact.id,
    );
  });
});

describe('reactivation', () => {
  it('hands each consenting member one personal wa.me link through their seller, capped, outside quiet hours; opt-out is honoured', async () => {
    const s = await openShop(ctx.app);
    const seller = s.sellers[0];
    if (!seller) throw new Error('the shop has sellers');
    const rosa = await customer(s, 'Rosa Quispe', { consent: true });
    const luis = await customer(s, 'Luis Torres'); // no consent
    const marta = await customer(s, 'Marta Salas', { consent: true });
    for (const lead of [rosa, luis, marta])
      await changeLead(ctx.app, s, lead, { status: 'LOST', lostReason: 'PRICE' });
    // Marta says stop: one call.
    const out = await inject('POST', `/contacts/${marta.contact.id}/opt-out`, s);
    expect(out.json()).toMatchObject({ marketingConsent: false, optedOutAt: clock.now().toISOString() });

    // 23:00 in Lima: inside the quiet hours (21:00 to 09:00).
    clock.advance(Date.parse('2030-03-02T04:00:00.000Z') - clock.now().getTime());
    const campaign = await createCampaign(ctx.app, s, {
      name: 'Te extrañamos',
      type: 'REACTIVATION',
      messageTemplate: '¡Hola {name}! Volvió a bajar de precio la laptop que viste.',
      segment: { rules: [{ rule: 'LOST', reasons: ['PRICE'] }] },
    });
    expect(campaign.reactivation).toEqual({
      frequencyCapDays: 30,
      quietHours: { start: '21:00', end: '09:00' },
    });
    problem(await inject('POST', `/campaigns/${campaign.id}/reactivation/run`, s), 422); // a DRAFT is not live
    await activate(ctx.app, s, campaign.id);
    const run = await inject('POST', `/campaigns/${campaign.id}/reactivation/run`, s);
    expect(run.json()).toEqual({ eligible: 1, created: 1, capped: 0, unreachable: 0, sent: 0, waiting: 0 });

    const sends = (await inject('GET', `/campaigns/${campaign.id}/sends`, s)).json().items;
    expect(sends).toHaveLength(1);
    const send = sends[0];
    expect(send.contactId).toBe(rosa.contact.id);
    expect(send.refCode).toMatch(/^C[0-9A-Z]{6}$/);
    expect(send.message).toBe(
      `¡Hola Rosa! Volvió a bajar de precio la laptop que viste. (Ref: ${send.refCode})`,
    );
    expect(send.whatsappUrl).toBe(
      `https://wa.me/${rosa.contact.phone?.replace(/\D/g, '')}?text=${encodeURIComponent(send.message)}`,
    );
    const tasks = await inject('GET', `/tenants/${s.tenantId}/tasks?leadId=${rosa.id}`, s);
    const task = tasks.json().items[0];
    expect(task).toMatchObject({
      id: send.taskId,
      kind: 'FOLLOW_UP',
      status: 'OPEN',
      assigneeUserId: rosa.assignedToUserId,
      suggestedMessage: send.message,
      // Quiet until 09:00 in Lima, 14:00 UTC.
      dueAt: '2030-03-02T14:00:00.000Z',
    });

    // Running again, or another campaign within the cap, sends nothing new.
    expect((await inject('POST', `/campaigns/${campaign.id}/reactivation/run`, s)).json()).toMatchObject({
      created: 0,
      capped: 1,
    });
    const second = await createCampaign(ctx.app, s, {
      type: 'REACTIVATION',
      segment: { rules: [{ rule: 'LOST' }] },
    });
    await activate(ctx.app, s, second.id);
    expect((await inject('POST', `/campaigns/${second.id}/reactivation/run`, s)).json()).toMatchObject({
      created: 0,
      capped: 1,
    });
    // After the cap the second campaign may write to Rosa.
    clock.advance(31 * 24 * HOUR);
    const relogin = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: s.email, password: 'correct-horse-battery' },
    });
    const owner = { auth: { authorization: `Bearer ${relogin.json().token}` } };
    const later = await inject('POST', `/campaigns/${second.id}/reactivation/run`, owner);
    expect(later.json()).toMatchObject({ created: 1 });

    // Rosa opts out: her open reactivation tasks are cancelled and no segment asking for consent holds her.
    const optOut = await inject('POST', `/contacts/${rosa.contact.id}/opt-out`, owner);
    expect(optOut.json().cancelledTasks).toBe(2);
    expect((await preview(ctx.app, { ...s, auth: owner.auth }, [{ rule: 'CONSENT' }])).count).toBe(0);
    const third = await createCampaign(ctx.app, { ...s, auth: owner.auth }, { type: 'REACTIVATION' });
    await activate(ctx.app, owner, third.id);
    expect((await inject('POST', `/campaigns/${third.id}/reactivation/run`, owner)).json()).toEqual({
      eligible: 0,
      created: 0,
      capped: 0,
      unreachable: 0,
      sent: 0,
      waiting: 0,
    });
    // Her card says so.
    expect((await inject('GET', `/contacts/${rosa.contact.id}/consent`, owner)).json()).toMatchObject({
      marketingConsent: false,
      optedOutAt: clock.now().toISOString(),
    });
    // Saying yes again lifts the opt-out.
    const yes = await inject('POST', `/contacts/${rosa.contact.id}/consent`, owner, { source: 'whatsapp' });
    expect(yes.json()).toMatchObject({ marketingConsent: true, optedOutAt: null, consentSource: 'whatsapp' });
    expect((await inject('GET', `/contacts/${rosa.contact.id}/consent`, owner)).json()).toMatchObject({
      marketingConsent: true,
      optedOutAt: null,
      consentSource: 'whatsapp',
    });
    void seller;
  });
});

describe('reactivation and an opt-out at the same moment', () => {
  it('never hands out a link to a customer whose opt-out committed while the run was choosing', async () => {
    const s = await openShop(ctx.app);
    const ana = await customer(s, 'Ana Flores', { consent: true });
    await changeLead(ctx.app, s, ana, { status: 'LOST', lostReason: 'PRICE' });
    const campaign = await createCampaign(ctx.app, s, {
      type: 'REACTIVATION',
      segment: { rules: [{ rule: 'LOST', reasons: ['PRICE'] }] },
      reactivation: { frequencyCapDays: 30, quietHours: { start: '23:00', end: '23:30' } },
    });
    await activate(ctx.app, s, campaign.id);

    // Ana's opt-out is in flight (its row update holds the lock) when the run reads the segment.
    const optOut = await ctx.owner.pool.connect();
    try {
      await optOut.query('begin');
      await optOut.query('update contact set marketing_consent = false, opted_out_at = now() where id = $1', [
        ana.contact.id,
      ]);
      const run = inject('POST', `/campaigns/${campaign.id}/reactivation/run`, s);
      // The run has read Ana as reachable and now waits on her row.
      await expect
        .poll(
          async () =>
            (
              await ctx.owner.pool.query(
                `select count(*)::int as n from pg_stat_activity
                  where datname = current_database() and wait_event_type = 'Lock' and query ilike '%for share%'`,
              )
            ).rows[0]?.n,
          { timeout: 5000 },
        )
        .toBe(1);
      await optOut.query('commit');
      expect((await run).json()).toEqual({
        eligible: 0,
        created: 0,
        capped: 0,
        unreachable: 0,
        sent: 0,
        waiting: 0,
      });
    } finally {
      optOut.release();
    }
    expect((await inject('GET', `/campaigns/${campaign.id}/sends`, s)).json().items).toEqual([]);
  });
});

describe('assets', () => {
  it('keeps copy texts and images checked by their bytes', async () => {
    // A shop of its own: the reactivation test moved the clock past the first shop's sessions.
    const shop = await openShop(ctx.app);
    const campaign = await createCampaign(ctx.app, shop);
    const copy = await inject('POST', `/campaigns/${campaign.id}/assets`, shop, {
      title: 'Titular',
      text: '¡Solo este fin de semana!',
    });
    expect(copy.statusCode, copy.body).toBe(201);
    expect(copy.json()).toMatchObject({
      kind: 'COPY',
      text: '¡Solo este fin de semana!',
      language: 'es-419',
      contentUrl: null,
    });

    const upload = (body: Buffer, type: string, query = '') =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/v1/campaigns/${campaign.id}/assets/images${query}`,
        headers: { ...shop.auth, 'content-type': type },
        payload: body,
      });
    const image = await upload(PNG_1X1, 'image/png', '?filename=banner.png&alt=Banner');
    expect(image.statusCode, image.body).toBe(201);
    expect(image.json()).toMatchObject({
      kind: 'IMAGE',
      contentType: 'image/png',
      byteSize: PNG_1X1.length,
      filename: 'banner.png',
      alt: 'Banner',
    });
    const content = await ctx.app.inject({ method: 'GET', url: image.json().contentUrl, headers: shop.auth });
    expect(content.headers['content-type']).toBe('image/png');
    expect(content.rawPayload.equals(PNG_1X1)).toBe(true);

    // The bytes decide: a JPEG sent as PNG, and text sent as an image, are refused naming what is wrong.
    expect(problem(await upload(JPEG_HEAD, 'image/png'), 422).errors?.[0]?.path).toBe('content-type');
    expect(
      problem(await upload(Buffer.from('<svg onload=alert(1)>'), 'image/png'), 422).errors?.[0]?.path,
    ).toBe('body');
    expect((await upload(JPEG_HEAD, 'application/octet-stream')).json().contentType).toBe('image/jpeg');
    const big = Buffer.concat([PNG_1X1, Buffer.alloc(2 * 1024 * 1024)]);
    expect((await upload(big, 'image/png')).statusCode).toBe(413);
    expect((await upload(PNG_1X1, 'image/gif')).statusCode).toBe(415);

    const list = await inject('GET', `/campaigns/${campaign.id}/assets`, shop);
    expect(list.json().items.map((a: { kind: string }) => a.kind)).toEqual(['COPY', 'IMAGE', 'IMAGE']);
    expect(
      (await inject('DELETE', `/campaigns/${campaign.id}/assets/${image.json().id}`, shop)).statusCode,
    ).toBe(204);
    expect((await inject('GET', `/campaigns/${campaign.id}/assets`, shop)).json().items).toHaveLength(2);
  });
});

describe('replies to reactivation messages', () => {
  const withRedis = Boolean(process.env.REDIS_URL);

  /** A shop's customer who lost a sale on price and consented, and a live reactivation campaign's message to them. */
  async function reactivationSent(s: Shop, name: string) {
    const lead = await customer(s, name, { consent: true });
    const lost = await changeLead(ctx.app, s, lead, { status: 'LOST', lostReason: 'PRICE' });
    const campaign = await createCampaign(ctx.app, s, {
      name: 'Te extrañamos',
      type: 'REACTIVATION',
      segment: { rules: [{ rule: 'LOST', reasons: ['PRICE'] }] },
    });
    await activate(ctx.app, s, campaign.id);
    const run = await inject('POST', `/campaigns/${campaign.id}/reactivation/run`, s);
    expect(run.json()).toMatchObject({ created: 1 });
    const sends = (await inject('GET', `/campaigns/${campaign.id}/sends`, s)).json().items;
    const send = sends[0] as { id: string; refCode: string; taskId: string; contactId: string };
    return { lead: lost, campaign, send };
  }

  const reply = (s: Shop | { auth: object }, tenantId: string, payload: object) =>
    inject('POST', `/tenants/${tenantId}/campaign-replies`, s, payload);

  /** The campaign's figures as the metrics call reads them; with Redis, also after the worker's fold. */
  async function figures(s: Shop, campaignId: string) {
    const live = (await metrics(ctx.app, s, campaignId)).totals;
    if (withRedis) {
      const fold = ctx.app.jobDefinitions.find((j) => j.name === 'campaigns.fold-metrics');
      if (!fold) throw new Error('the fold job is defined when Redis is configured');
      await fold.handle({});
      expect((await metrics(ctx.app, s, campaignId)).totals).toEqual(live);
    }
    return live;
  }

  it('lands the reply on a new lead carrying the campaign, closes the task, and counts the click, the lead and the win once', async () => {
    const s = await openShop(ctx.app);
    const { lead: rosa, campaign, send } = await reactivationSent(s, 'Rosa Quispe');
    const seller = s.sellers[0];
    if (!seller) throw new Error('the shop has sellers');
    // The seller's task says which message it is: its campaign and code, read with the page.
    const manual = await inject('POST', `/leads/${rosa.id}/tasks`, s, {
      title: 'Llamar',
      dueAt: clock.now().toISOString(),
    });
    expect(manual.statusCode, manual.body).toBe(201);
    const open = (await inject('GET', `/tenants/${s.tenantId}/tasks?leadId=${rosa.id}`, s)).json().items;
    expect(open.find((t: { id: string }) => t.id === send.taskId).campaignRef).toEqual({
      campaignId: campaign.id,
      refCode: send.refCode,
    });
    expect(open.find((t: { id: string }) => t.id === manual.json().id).campaignRef).toBeNull();
    expect(manual.json().campaignRef).toBeNull();

    // Rosa answers on WhatsApp; the seller types the code as she wrote it.
    const typed = `Ref: ${send.refCode.slice(1, 4).toLowerCase()} ${send.refCode.slice(4)}`;
    const first = await reply(seller, s.tenantId, {
      refCode: typed,
      message: '¿Sigue la oferta de la laptop?',
    });
    expect(first.statusCode, first.body).toBe(201);
    const answer = first.json();
    expect(answer).toEqual({
      sendId: send.id,
      campaignId: campaign.id,
      refCode: send.refCode,
      leadId: expect.any(String),
      created: true,
      repliedAt: clock.now().toISOString(),
    });
    expect(answer.leadId).not.toBe(rosa.id);
    const landed = (await inject('GET', `/leads/${answer.leadId}`, s)).json() as Lead;
    expect(landed).toMatchObject({
      status: 'NEW',
      source: 'CAMPAIGN',
      campaignId: campaign.id,
      branchId: rosa.branchId,
      contact: { id: rosa.contact.id },
    });
    expect(landed.assignedToUserId).not.toBeNull();
    const events = (await inject('GET', `/leads/${answer.leadId}/events`, s)).json().items as {
      type: string;
      payload: Record<string, unknown>;
    }[];
    expect(events.find((e) => e.type === 'WHATSAPP_CLICK')?.payload).toMatchObject({
      source: 'CAMPAIGN',
      campaign: { id: campaign.id, name: 'Te extrañamos' },
      reactivationReply: { sendId: send.id, refCode: send.refCode, recordedByUserId: seller.id },
    });
    expect(events.find((e) => e.type === 'MESSAGE_RECEIVED')?.payload).toEqual({
      channel: 'WHATSAPP',
      text: '¿Sigue la oferta de la laptop?',
    });
    // The message's task is done; the send remembers the reply.
    const done = (await inject('GET', `/tenants/${s.tenantId}/tasks?leadId=${rosa.id}&status=DONE`, s)).json()
      .items;
    expect(done).toEqual([
      expect.objectContaining({ id: send.taskId, status: 'DONE', completedAt: clock.now().toISOString() }),
    ]);
    expect((await inject('GET', `/campaigns/${campaign.id}/sends`, s)).json().items[0]).toMatchObject({
      id: send.id,
      repliedAt: clock.now().toISOString(),
      replyLeadId: answer.leadId,
    });
    expect(await figures(s, campaign.id)).toEqual({ impressions: 0, clicks: 1, leads: 1, wins: 0 });

    // The same code again (another seller, the owner): the same lead, nothing changes.
    clock.advance(60_000);
    const again = await reply(s, s.tenantId, { refCode: send.refCode, message: 'Hola?' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ ...answer, created: false });
    const after = (await inject('GET', `/leads/${answer.leadId}/events`, s)).json().items;
    expect(after).toHaveLength(events.length);
    expect(await figures(s, campaign.id)).toEqual({ impressions: 0, clicks: 1, leads: 1, wins: 0 });

    // The sale closes: the campaign's win.
    await changeLead(ctx.app, s, landed, { status: 'WON' });
    expect(await figures(s, campaign.id)).toEqual({ impressions: 0, clicks: 1, leads: 1, wins: 1 });
    const breakdown = (await inject('GET', `/campaigns/${campaign.id}/breakdown`, s)).json();
    expect(breakdown.byBranch).toEqual([
      expect.objectContaining({ branchId: s.branchId, clicks: 1, leads: 1, wins: 1 }),
    ]);
  });

  it('refuses codes it does not know, another shop’s included, naming refCode; a seller of another branch gets a 404', async () => {
    const s = await openShop(ctx.app);
    const o = await openShop(ctx.app);
    const { send } = await reactivationSent(s, 'Julio Paredes');
    const { send: theirs } = await reactivationSent(o, 'Ajena Ramos');

    for (const refCode of ['C2345678', 'hola', 'CZZZZZZ', theirs.refCode])
      expect(problem(await reply(s, s.tenantId, { refCode }), 422).errors?.[0]?.path).toBe('refCode');
    // Their code through their shop's path is their shop's business: 404.
    problem(await reply(s, o.tenantId, { refCode: theirs.refCode }), 404);

    // A seller who works only another branch does not see the message.
    const north = await addBranch(ctx.app, s, 'Los Olivos');
    const outsider = await addUser(ctx.app, s, 'SELLER', [north]);
    problem(await reply(outsider, s.tenantId, { refCode: send.refCode }), 404);

    // Bad bodies name the field.
    expect(problem(await reply(s, s.tenantId, {}), 400).errors?.[0]?.path).toBe('body.refCode');
    expect(problem(await reply(s, s.tenantId, { refCode: 42 }), 400).errors?.[0]?.path).toBe('body.refCode');
    expect(
      problem(await reply(s, s.tenantId, { refCode: send.refCode, message: ' ' }), 400).errors?.[0]?.path,
    ).toBe('body.message');

    // Nothing of the above touched the send. Two people record it at once, one without the C: one reply, one lead.
    const seller = s.sellers[0];
    if (!seller) throw new Error('the shop has sellers');
    const both = await Promise.all([
      reply(seller, s.tenantId, { refCode: send.refCode.slice(1).toLowerCase() }),
      reply(s, s.tenantId, { refCode: send.refCode }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(new Set(both.map((r) => r.json().leadId)).size).toBe(1);
  });
});
