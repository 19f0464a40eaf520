import type { BranchReputationFeed, Lead, LeadCounts, Revenue } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, signUp, type TestContext } from '../../../test/harness';
import {
  addBranch,
  addListing,
  changeLead,
  createLead,
  createLeadsTestContext,
  events,
  patchLead,
} from '../leads/leads.fixtures';
import { patchQuote, quoteFor } from '../quotes/quotes.fixtures';
import { click, insertCampaign, marketplaceKey, openShop, type Shop } from '../tracking/tracking.fixtures';
import { reputationSweepJob } from './analytics.jobs';

/*
 * Money with real data: a lead's value from its product, by hand and from its accepted quote; the board's heads
 * and the dashboard's revenue per currency; the marketplace's reputation feed; listing views on leads.
 */

let ctx: TestContext;
let shop: Shop;

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  shop = await openShop(ctx.app, { sellers: 0 });
});
afterAll(() => ctx.close());

async function getLead(id: string, caller: { auth: { authorization: string } } = shop): Promise<Lead> {
  const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/leads/${id}`, headers: caller.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
async function counts(tenant: { tenantId: string; auth: { authorization: string } }): Promise<LeadCounts> {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/tenants/${tenant.tenantId}/leads/counts`,
    headers: tenant.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
async function revenue(
  tenant: { tenantId: string },
  caller: { auth: { authorization: string } },
  query = '',
): Promise<Revenue> {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/tenants/${tenant.tenantId}/kpis/revenue${query}`,
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('a lead is worth something', () => {
  it('takes its product price, then a value typed by hand, then its accepted quote', async () => {
    const lead = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'Rosa Quispe', phone: '+51 987 111 001' },
      listingId: shop.listingId,
    });
    expect(lead).toMatchObject({ value: 249900, currency: 'PEN', valueSource: 'LISTING' });

    const typed = await changeLead(ctx.app, shop, lead, { value: 230000, currency: 'PEN' });
    expect(typed).toMatchObject({ value: 230000, currency: 'PEN', valueSource: 'MANUAL' });
    expect((await events(ctx.app, shop, lead.id)).map((e) => e.type)).toContain('VALUE_CHANGED');
    // A stale version is a conflict, a value without its currency names the field.
    problem(
      await patchLead(ctx.app, shop, lead.id, { value: 1, currency: 'PEN', version: lead.version }),
      409,
    );
    const missing = problem(
      await patchLead(ctx.app, shop, lead.id, { value: 1, version: typed.version }),
      400,
    );
    expect(JSON.stringify(missing.errors)).toContain('currency');

    const quote = await quoteFor(ctx.app, shop, typed, {
      items: [{ listingId: shop.listingId, quantity: 2 }],
    });
    const accepted = await patchQuote(ctx.app, shop, quote.id, {
      status: 'ACCEPTED',
      version: quote.version,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const won = await getLead(lead.id);
    expect(won).toMatchObject({ status: 'WON', value: quote.total, currency: 'PEN', valueSource: 'QUOTE' });
  });

  it('goes back to its automatic value when the hand value is cleared, and follows its product price while open', async () => {
    const listing = await addListing(ctx.app, shop, { price: 10000, currency: 'PEN' });
    const lead = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'Luis Mamani', phone: '+51 987 111 002' },
      listingId: listing.id,
    });
    const typed = await changeLead(ctx.app, shop, lead, { value: 5000, currency: 'USD' });
    const cleared = await changeLead(ctx.app, shop, typed, { value: null });
    expect(cleared).toMatchObject({ value: 10000, currency: 'PEN', valueSource: 'LISTING' });

    const edit = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/listings/${listing.id}`,
      headers: shop.auth,
      payload: { price: 12000, version: 1 },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(await getLead(lead.id)).toMatchObject({ value: 12000, currency: 'PEN' });
  });
});

describe('the board and the dashboard count money per currency', () => {
  it('sums values per stage and currency, and revenue by source, branch, seller and campaign', async () => {
    const other = await signUp(ctx.app);
    const branchB = await addBranch(ctx.app, other, 'Arequipa');
    const sellerB = await addUser(ctx.app, other, 'SELLER', [branchB]);
    const pen = await addListing(ctx.app, other, { price: 100000, currency: 'PEN' });
    const usd = await addListing(ctx.app, other, { price: 50000, currency: 'USD' });
    const campaignId = await insertCampaign(ctx.owner, other.tenantId, 'Regreso a clases');
    const make = async (listingId: string, branchId: string, phone: string) =>
      createLead(ctx.app, other, { branchId, contact: { name: 'Cliente', phone }, listingId });

    const a = await make(pen.id, other.branchId, '+51 987 222 001');
    const b = await make(pen.id, branchB, '+51 987 222 002');
    const c = await make(usd.id, branchB, '+51 987 222 003');
    const open = await make(usd.id, other.branchId, '+51 987 222 004');
    await changeLead(ctx.app, other, open, { status: 'QUALIFIED' });
    await ctx.owner.pool.query('update lead set campaign_id = $1 where id = any($2::uuid[])', [
      campaignId,
      [b.id, c.id],
    ]);
    await changeLead(ctx.app, other, await getLead(a.id, other), { status: 'WON' });
    await changeLead(ctx.app, other, await getLead(b.id, other), {
      status: 'WON',
      assignedToUserId: sellerB.id,
    });
    await changeLead(ctx.app, other, await getLead(c.id, other), {
      status: 'WON',
      assignedToUserId: sellerB.id,
    });

    const heads = await counts(other);
    expect(heads.amounts.WON).toEqual([
      { currency: 'PEN', total: 200000 },
      { currency: 'USD', total: 50000 },
    ]);
    expect(heads.amounts.QUALIFIED).toEqual([{ currency: 'USD', total: 50000 }]);

    const money = await revenue(other, other);
    expect(money.won).toEqual([
      { currency: 'PEN', leads: 2, amount: 200000, averageTicket: 100000 },
      { currency: 'USD', leads: 1, amount: 50000, averageTicket: 50000 },
    ]);
    expect(money.pipeline).toEqual([
      { status: 'QUALIFIED', currency: 'USD', leads: 1, amount: 50000, averageTicket: 50000 },
    ]);
    expect(money.byBranch).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: other.branchId, currency: 'PEN', leads: 1, amount: 100000 }),
        expect.objectContaining({
          key: branchB,
          label: 'Arequipa',
          currency: 'PEN',
          leads: 1,
          amount: 100000,
        }),
        expect.objectContaining({
          key: branchB,
          label: 'Arequipa',
          currency: 'USD',
          leads: 1,
          amount: 50000,
        }),
      ]),
    );
    expect(money.byBranch).toHaveLength(3);
    expect(money.bySeller.filter((g) => g.key === sellerB.id)).toEqual([
      expect.objectContaining({ currency: 'PEN', amount: 100000 }),
      expect.objectContaining({ currency: 'USD', amount: 50000 }),
    ]);
    expect(money.byCampaign).toEqual([
      {
        key: campaignId,
        label: 'Regreso a clases',
        currency: 'PEN',
        leads: 1,
        amount: 100000,
        averageTicket: 100000,
      },
      {
        key: campaignId,
        label: 'Regreso a clases',
        currency: 'USD',
        leads: 1,
        amount: 50000,
        averageTicket: 50000,
      },
      { key: null, label: null, currency: 'PEN', leads: 1, amount: 100000, averageTicket: 100000 },
    ]);
    expect(money.bySource.every((g) => g.key === 'MANUAL')).toBe(true);

    // The campaign's funnel ends in its revenue.
    const metrics = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${campaignId}/metrics`,
      headers: other.auth,
    });
    expect(metrics.statusCode, metrics.body).toBe(200);
    expect(metrics.json().revenue).toEqual([
      { currency: 'PEN', total: 100000 },
      { currency: 'USD', total: 50000 },
    ]);

    // A seller sees their branch's money; another shop gets 404; a period before the wins shows nothing won.
    const mine = await revenue(other, sellerB);
    expect(mine.won).toEqual([
      { currency: 'PEN', leads: 1, amount: 100000, averageTicket: 100000 },
      { currency: 'USD', leads: 1, amount: 50000, averageTicket: 50000 },
    ]);
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${other.tenantId}/kpis/revenue`,
        headers: shop.auth,
      }),
      404,
    );
    const before = await revenue(other, other, '?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z');
    expect(before.won).toEqual([]);
    const bad = problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${other.tenantId}/kpis/revenue?from=yesterday`,
        headers: other.auth,
      }),
      400,
    );
    expect(JSON.stringify(bad.errors)).toContain('from');
  });
});

describe('GET /platform/branch-reputation', () => {
  const feed = (authorization: string | undefined, query = '') =>
    ctx.app.inject({
      method: 'GET',
      url: `/api/v1/platform/branch-reputation${query}`,
      headers: authorization ? { authorization } : {},
    });

  it('answers only the platform key: not a shop key, not a session, not nothing', async () => {
    problem(await feed(undefined), 401);
    problem(await feed('Bearer not-the-platform-key-at-all-0000000000'), 401);
    problem(await feed(shop.auth.authorization), 401);
    problem(await feed((await marketplaceKey(ctx.app, shop)).authorization), 401);
  });

  it('lists every shop’s branches with their inputs, refreshed by the hourly job, in cursor pages', async () => {
    // The shop answered one lead: its branch has figures.
    const lead = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'Ana', phone: '+51 987 333 001' },
    });
    await changeLead(ctx.app, shop, lead, { status: 'CONTACTED' });
    const second = await signUp(ctx.app);

    const sent: { name: string; data: object }[] = [];
    await reputationSweepJob(ctx.owner.pool, {
      send: async (name, data) => {
        sent.push({ name, data });
      },
    }).handle({});
    expect(sent.map((s) => s.data)).toEqual(
      expect.arrayContaining([{ tenantId: shop.tenantId }, { tenantId: second.tenantId }]),
    );
    // The same handlers the worker runs, on the jobs the sweep sent.
    const refresh = ctx.app.jobDefinitions.find((j) => j.name === 'analytics.refresh-reputation');
    for (const job of sent) await refresh?.handle(job.data);

    const key = `Bearer ${ctx.config.platformApiKey}`;
    const all: BranchReputationFeed['items'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await feed(key, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode, response.body).toBe(200);
      const page: BranchReputationFeed = response.json();
      expect(page.items.length).toBeLessThanOrEqual(1);
      all.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    const branches = all.map((b) => b.branchId);
    expect(new Set(branches).size).toBe(branches.length);
    expect(branches).toEqual(expect.arrayContaining([shop.branchId, second.branchId]));
    const mine = all.find((b) => b.branchId === shop.branchId);
    expect(mine).toMatchObject({
      tenantId: shop.tenantId,
      answered: expect.any(Number),
      onTimeRate: 1,
      medianMinutes: expect.any(Number),
      p90Minutes: expect.any(Number),
      businessHoursOnly: expect.any(Boolean),
    });
    // Every lead of the shop was answered at once: all counted, all within the target.
    expect(mine?.answered).toBeGreaterThan(0);
    expect(mine?.leads).toBe(mine?.answered);
    expect(mine?.answeredOnTime).toBe(mine?.answered);
    expect(Date.parse(mine?.periodTo ?? '') - Date.parse(mine?.periodFrom ?? '')).toBe(30 * 86_400_000);
    problem(await feed(key, '?cursor=garbage'), 400);
  });
});

describe('a listing view by a known customer lands on their open lead', () => {
  it('adds LISTING_VIEW after the view for a known marketplace user, nothing for an unknown one', async () => {
    const key = await marketplaceKey(ctx.app, shop);
    const clicked = await click(
      ctx.app,
      {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        listingId: shop.listingId,
        source: 'LISTING',
        userId: 'mk-user-77',
      },
      key,
    );
    expect(clicked.statusCode, clicked.body).toBe(201);
    const leadId: string = clicked.json().leadId;
    await ctx.app.drainJobs();
    const other = await addListing(ctx.app, shop, { title: 'Mouse Logitech G203' });

    const view = (userId: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/tracking/listing-view',
        headers: key,
        payload: { tenantId: shop.tenantId, listingId: other.id, userId },
      });
    const known = await view('mk-user-77');
    expect(known.statusCode, known.body).toBe(202);
    const unknown = await view('mk-user-nobody');
    expect(unknown.statusCode, unknown.body).toBe(202);
    await ctx.app.drainJobs();

    const history = await events(ctx.app, shop, leadId);
    const views = history.filter((e) => e.type === 'LISTING_VIEW');
    expect(views).toHaveLength(1);
    expect(views[0]?.payload).toMatchObject({ listingId: other.id });
    // Only the lead of the known customer got it.
    const { rows } = await ctx.owner.pool.query(
      `select count(*)::int as n from lead_event where tenant_id = $1 and type = 'LISTING_VIEW'`,
      [shop.tenantId],
    );
    expect(rows[0].n).toBe(1);
    // The job runs again (a retry): no second event.
    const { rows: stored } = await ctx.owner.pool.query<{ id: string }>(
      'select id from listing_view where tenant_id = $1',
      [shop.tenantId],
    );
    const job = ctx.app.jobDefinitions.find((j) => j.name === 'tracking.views-on-leads');
    await job?.handle({ tenantId: shop.tenantId, viewIds: stored.map((r) => Number(r.id)) });
    expect((await events(ctx.app, shop, leadId)).filter((e) => e.type === 'LISTING_VIEW')).toHaveLength(1);
  });
});
