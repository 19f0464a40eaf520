import { randomUUID } from 'node:crypto';
import type { LeadDetail } from '@techmarket/contracts';
import { and, asc, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { campaignMetricDaily } from '../../db/schema';
import { changeLead, createLeadsTestContext, manualClock } from '../leads/leads.fixtures';
import { click, openShop, type Shop } from '../tracking/tracking.fixtures';
import { activate, campaignAction, createCampaign, metrics, views } from './campaigns.fixtures';

/**
 * A known stream of events replayed against one campaign, and every cell of its daily figures checked: with
 * REDIS_URL set the counts go through Redis and the worker's fold, without it straight to the table.
 * The shop is in Lima (UTC-5): an event at 04:30 UTC belongs to the day before.
 */

const clock = manualClock(new Date('2030-03-01T14:00:00.000Z'));
const withRedis = Boolean(process.env.REDIS_URL);
let ctx: TestContext;
let shop: Shop;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  shop = await openShop(ctx.app);
});
afterAll(() => ctx.close());

const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());

async function getLead(id: string): Promise<LeadDetail> {
  const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/leads/${id}`, headers: shop.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('campaign metrics', () => {
  it('counts a replayed stream exactly, day by day in the shop’s time zone', async () => {
    const campaign = await createCampaign(ctx.app, shop, {
      startAt: '2030-03-01T14:00:00.000Z',
      endAt: '2030-03-05T05:00:00.000Z',
    });
    await activate(ctx.app, shop, campaign.id);
    const view = (n: number, withCampaign = true) =>
      Array.from({ length: n }, (_, i) => ({
        tenantId: shop.tenantId,
        listingId: shop.listingId,
        visitorId: `viewer-${i}`,
        ...(withCampaign ? { campaign: campaign.id } : {}),
      }));
    const clickAs = async (visitorId: string, withCampaign = true) => {
      const response = await click(ctx.app, {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        listingId: shop.listingId,
        visitorId,
        ...(withCampaign ? { campaign: campaign.id } : {}),
      });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json() as { leadId: string; created: boolean };
    };

    // Day 1 (Lima 2030-03-01).
    expect((await views(ctx.app, view(5))).statusCode).toBe(202);
    expect((await views(ctx.app, view(2, false))).statusCode).toBe(202);
    expect((await views(ctx.app, view(3), { 'idempotency-key': 'batch-1' })).statusCode).toBe(202);
    // A retried batch is not counted again.
    expect(
      (await views(ctx.app, view(3), { 'idempotency-key': 'batch-1' })).headers['idempotent-replayed'],
    ).toBe('true');
    const first = await clickAs('v1');
    await clickAs('v2');
    await clickAs('v3');
    expect((await clickAs('v1')).created).toBe(false); // a click, not a lead
    await clickAs('v4', false);
    setClock('2030-03-02T04:30:00.000Z'); // 23:30 in Lima: still day 1
    await views(ctx.app, view(2));
    await clickAs('v5');

    // Day 2: a win (announced again by a later change: still one), views while paused are not counted.
    setClock('2030-03-02T15:00:00.000Z');
    const won = await changeLead(ctx.app, shop, await getLead(first.leadId), { status: 'WON' });
    await changeLead(ctx.app, shop, won, { priority: 'HIGH' });
    await views(ctx.app, view(4));
    expect((await campaignAction(ctx.app, shop, campaign.id, 'pause')).statusCode).toBe(200);
    await views(ctx.app, view(3));
    const whilePaused = await clickAs('v6');
    await activate(ctx.app, shop, campaign.id);
    await views(ctx.app, view(1));

    // Day 3: the lead that came in while paused carries the campaign, so its sale is the campaign's.
    setClock('2030-03-03T15:00:00.000Z');
    await changeLead(ctx.app, shop, await getLead(whilePaused.leadId), { status: 'WON' });
    await clickAs('v7');

    const expected = [
      { day: '2030-03-01', impressions: 10, clicks: 5, leads: 4, wins: 0 },
      { day: '2030-03-02', impressions: 5, clicks: 0, leads: 0, wins: 1 },
      { day: '2030-03-03', impressions: 0, clicks: 1, leads: 1, wins: 1 },
      { day: '2030-03-04', impressions: 0, clicks: 0, leads: 0, wins: 0 },
    ];
    const totals = { impressions: 15, clicks: 6, leads: 5, wins: 2 };
    const read = await metrics(ctx.app, shop, campaign.id, 'from=2030-03-01&to=2030-03-04');
    expect(read).toEqual({
      campaignId: campaign.id,
      from: '2030-03-01',
      to: '2030-03-04',
      days: expected,
      totals,
      // The funnel ends in money: the two leads won, at their product's price.
      revenue: [{ currency: 'PEN', total: 2 * 249900 }],
    });

    const stored = () =>
      ctx.owner.db
        .select({
          day: campaignMetricDaily.day,
          impressions: campaignMetricDaily.impressions,
          clicks: campaignMetricDaily.clicks,
          leads: campaignMetricDaily.leads,
          wins: campaignMetricDaily.wins,
        })
        .from(campaignMetricDaily)
        .where(
          and(
            eq(campaignMetricDaily.tenantId, shop.tenantId),
            eq(campaignMetricDaily.campaignId, campaign.id),
          ),
        )
        .orderBy(asc(campaignMetricDaily.day));
    const nonZero = expected.filter((d) => d.impressions + d.clicks + d.leads + d.wins > 0);
    if (withRedis) {
      // The burst cost no database write: the figures wait in Redis for the worker's fold.
      expect(await stored()).toEqual([]);
      const fold = ctx.app.jobDefinitions.find((j) => j.name === 'campaigns.fold-metrics');
      if (!fold) throw new Error('the fold job is defined when Redis is configured');
      await fold.handle({});
      expect(await stored()).toEqual(nonZero);
      // Folding again (a retry, a second worker) changes nothing.
      await fold.handle({});
      expect(await stored()).toEqual(nonZero);
    } else {
      expect(await stored()).toEqual(nonZero);
    }
    // Per branch and listing, from the stored events that carry the campaign: the paused spell is in it.
    const breakdown = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${campaign.id}/breakdown?from=2030-03-01&to=2030-03-04`,
      headers: shop.auth,
    });
    expect(breakdown.json()).toMatchObject({
      byBranch: [{ branchId: shop.branchId, clicks: 7, leads: 6, wins: 2 }],
      byListing: [{ listingId: shop.listingId, impressions: 18, clicks: 7, leads: 6, wins: 2 }],
    });
    // The list carries the same totals.
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/campaigns`,
      headers: shop.auth,
    });
    expect(list.json().items[0]).toMatchObject({ id: campaign.id, totals });
  });

  it('moves with the flow of a campaign: create, activate, tracked-link scans and clicks, then the figures', async () => {
    setClock('2030-03-05T15:00:00.000Z');
    const campaign = await createCampaign(ctx.app, shop, { name: 'QR en vitrina' });
    await activate(ctx.app, shop, campaign.id);
    const link = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/links`,
      headers: shop.auth,
      payload: { branchId: shop.branchId, listingId: shop.listingId, campaignId: campaign.id },
    });
    expect(link.statusCode, link.body).toBe(201);
    const scan = (agent: string, cookie = '') =>
      ctx.app.inject({
        method: 'GET',
        url: `/w/${link.json().code}`,
        headers: { 'user-agent': agent, ...(cookie ? { cookie } : {}) },
      });
    const person = await scan('Mozilla/5.0 (Linux; Android 14)');
    expect(person.statusCode).toBe(302);
    // The same phone again (its visitor cookie): one more click on the same lead.
    const cookie = String(person.headers['set-cookie']).split(';')[0] ?? '';
    expect((await scan('Mozilla/5.0 (Linux; Android 14)', cookie)).statusCode).toBe(302);
    // A link-preview crawler is no click.
    await scan('WhatsApp/2.23.20.0');
    const clicked = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      campaign: campaign.id,
      visitorId: 'marketplace-visitor-88',
    });
    // The lead names its campaign (the lead page shows it under its origin).
    expect((await getLead(clicked.json().leadId)).campaign).toEqual({
      id: campaign.id,
      name: 'QR en vitrina',
    });
    await views(ctx.app, {
      tenantId: shop.tenantId,
      listingId: shop.listingId,
      campaign: campaign.id,
      userId: 'u',
    });
    if (withRedis) {
      // Before any fold the figures already show what Redis holds: the metrics, the campaign and the list.
      const live = { impressions: 1, clicks: 3, leads: 2, wins: 0 };
      expect((await metrics(ctx.app, shop, campaign.id)).totals).toEqual(live);
      const read = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/campaigns/${campaign.id}`,
        headers: shop.auth,
      });
      expect(read.json().totals).toEqual(live);
      const list = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/campaigns`,
        headers: shop.auth,
      });
      expect(list.json().items.find((c: { id: string }) => c.id === campaign.id)?.totals).toEqual(live);
    }
    const figures = await metrics(ctx.app, shop, campaign.id);
    expect(figures.days).toEqual([{ day: '2030-03-05', impressions: 1, clicks: 3, leads: 2, wins: 0 }]);
  });

  it.skipIf(!withRedis)('folds counts the worker missed for days, and only what changed', async () => {
    setClock('2030-03-06T15:00:00.000Z');
    const campaign = await createCampaign(ctx.app, shop, { name: 'Semana larga' });
    await activate(ctx.app, shop, campaign.id);
    await views(ctx.app, {
      tenantId: shop.tenantId,
      listingId: shop.listingId,
      campaign: campaign.id,
      userId: 'u',
    });
    const fold = ctx.app.jobDefinitions.find((j) => j.name === 'campaigns.fold-metrics');
    if (!fold) throw new Error('the fold job is defined when Redis is configured');
    // The worker was down for six days.
    setClock('2030-03-12T15:00:00.000Z');
    await fold.handle({});
    const stored = await ctx.owner.db
      .select({ day: campaignMetricDaily.day, impressions: campaignMetricDaily.impressions })
      .from(campaignMetricDaily)
      .where(eq(campaignMetricDaily.campaignId, campaign.id));
    expect(stored).toEqual([{ day: '2030-03-06', impressions: 1 }]);
    // Nothing changed since: the next fold rewrites nothing of it.
    await ctx.owner.pool.query('update campaign_metric_daily set impressions = 99 where campaign_id = $1', [
      campaign.id,
    ]);
    await fold.handle({});
    const again = await ctx.owner.pool.query(
      'select impressions from campaign_metric_daily where campaign_id = $1',
      [campaign.id],
    );
    expect(again.rows).toEqual([{ impressions: 99 }]);
  });

  it('defaults the range to the campaign’s days and fills them with zeros', async () => {
    setClock('2030-03-12T15:00:00.000Z');
    const campaign = await createCampaign(ctx.app, shop, { startAt: '2030-03-10T15:00:00.000Z' });
    const read = await metrics(ctx.app, shop, campaign.id);
    expect(read.days.map((d) => d.day)).toEqual(['2030-03-10', '2030-03-11', '2030-03-12']);
    expect(read.totals).toEqual({ impressions: 0, clicks: 0, leads: 0, wins: 0 });
  });

  it('counts its recent days again from the stored rows when the daily figures fell behind (the rebuild job)', async () => {
    setClock('2030-03-13T15:00:00.000Z');
    const campaign = await createCampaign(ctx.app, shop);
    await activate(ctx.app, shop, campaign.id);
    const clickOnce = async () => {
      const answer = await click(ctx.app, {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        campaign: campaign.id,
        visitorId: randomUUID(),
      });
      expect(answer.statusCode, answer.body).toBe(201);
    };
    for (let i = 0; i < 3; i++) await clickOnce();
    await ctx.app.drainJobs();
    // What lost counts leave behind: the day's row short of the rows, and no Redis counter to make up for it.
    await ctx.owner.db
      .insert(campaignMetricDaily)
      .values({ tenantId: shop.tenantId, campaignId: campaign.id, day: '2030-03-13', clicks: 1, leads: 0 })
      .onConflictDoUpdate({
        target: [campaignMetricDaily.tenantId, campaignMetricDaily.campaignId, campaignMetricDaily.day],
        set: { clicks: 1, leads: 0 },
      });

    const rebuild = ctx.app.jobDefinitions.find((j) => j.name === 'campaigns.rebuild-metrics');
    if (!rebuild) throw new Error('the rebuild job is defined');
    await rebuild.handle({ tenantId: shop.tenantId, campaignId: campaign.id });
    const [row] = await ctx.owner.db
      .select({ clicks: campaignMetricDaily.clicks, leads: campaignMetricDaily.leads })
      .from(campaignMetricDaily)
      .where(and(eq(campaignMetricDaily.campaignId, campaign.id), eq(campaignMetricDaily.day, '2030-03-13')));
    expect(row).toEqual({ clicks: 3, leads: 3 });
    const breakdown = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${campaign.id}/breakdown`,
      headers: shop.auth,
    });
    expect(breakdown.statusCode, breakdown.body).toBe(200);
    const [branch] = breakdown.json().byBranch;
    expect({ clicks: branch.clicks, leads: branch.leads }).toEqual({ clicks: 3, leads: 3 });
    expect((await metrics(ctx.app, shop, campaign.id)).totals).toMatchObject({ clicks: 3, leads: 3 });

    // Counts go on from the rebuilt figures (with Redis: its counters were lifted to them), and a repeat is harmless.
    await clickOnce();
    await rebuild.handle({ tenantId: shop.tenantId, campaignId: campaign.id });
    expect((await metrics(ctx.app, shop, campaign.id)).totals).toMatchObject({ clicks: 4, leads: 4 });
  });

  it.skipIf(!withRedis)(
    'rebuilds exactly while clicks arrive: none lost, none counted twice (the rows before the watermark, Redis after)',
    async () => {
      // (Within the owner's session, which began on 2030-03-01.)
      setClock('2030-03-13T18:00:00.000Z');
      const campaign = await createCampaign(ctx.app, shop);
      await activate(ctx.app, shop, campaign.id);
      const clickOnce = async () => {
        const answer = await click(ctx.app, {
          tenantId: shop.tenantId,
          branchId: shop.branchId,
          campaign: campaign.id,
          visitorId: randomUUID(),
        });
        expect(answer.statusCode, answer.body).toBe(201);
      };
      for (let i = 0; i < 3; i++) await clickOnce();
      await ctx.app.drainJobs();
      // Redis lost the day's counter (a restart without persistence): only the rows still know these three.
      const redis = new Redis(process.env.REDIS_URL ?? '');
      try {
        const database = new URL(ctx.databaseUrl).pathname.slice(1);
        await redis.del(`crm:counters:${database}:campaign:${shop.tenantId}:${campaign.id}|2030-03-13`);
      } finally {
        redis.disconnect();
      }

      // A minute later, clicks keep coming, two at a time, while the rebuild runs again and again.
      setClock('2030-03-13T18:01:00.000Z');
      const rebuild = ctx.app.jobDefinitions.find((j) => j.name === 'campaigns.rebuild-metrics');
      const fold = ctx.app.jobDefinitions.find((j) => j.name === 'campaigns.fold-metrics');
      if (!rebuild || !fold) throw new Error('the rebuild and fold jobs are defined');
      const rounds = 12;
      let clicking = true;
      const clicks = (async () => {
        try {
          for (let i = 0; i < rounds; i++) await Promise.all([clickOnce(), clickOnce()]);
        } finally {
          clicking = false;
        }
      })();
      let rebuilds = 0;
      while (clicking) {
        await rebuild.handle({ tenantId: shop.tenantId, campaignId: campaign.id });
        rebuilds++;
      }
      await clicks;
      await ctx.app.drainJobs();
      expect(rebuilds).toBeGreaterThan(1);

      await fold.handle({});
      const expected = 3 + 2 * rounds;
      const [row] = await ctx.owner.db
        .select({ clicks: campaignMetricDaily.clicks, leads: campaignMetricDaily.leads })
        .from(campaignMetricDaily)
        .where(
          and(eq(campaignMetricDaily.campaignId, campaign.id), eq(campaignMetricDaily.day, '2030-03-13')),
        );
      expect(row).toEqual({ clicks: expected, leads: expected });
      expect((await metrics(ctx.app, shop, campaign.id)).totals).toMatchObject({
        clicks: expected,
        leads: expected,
      });
      const breakdown = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/campaigns/${campaign.id}/breakdown`,
        headers: shop.auth,
      });
      const [branch] = breakdown.json().byBranch;
      expect({ clicks: branch.clicks, leads: branch.leads }).toEqual({ clicks: expected, leads: expected });
    },
  );
});
