import {
  type Campaign,
  type CampaignBreakdown,
  type Kpis,
  type ShopFacts,
  updateShopFactsBody,
} from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { metrics } from '../../modules/campaigns/campaigns.fixtures';
import { createLeadsTestContext } from '../../modules/leads/leads.fixtures';
import { seedDemo } from './demo';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  await seedDemo(ctx.owner.db);
});
afterAll(() => ctx.close());

async function logIn(email = 'owner@techperu.pe') {
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: 'techmarket2026' },
  });
  expect(login.statusCode, login.body).toBe(200);
  return {
    caller: { auth: { authorization: `Bearer ${login.json().token}` } },
    tenantId: login.json().user.tenantId as string,
  };
}

describe('the demo shop’s tasks', () => {
  it('give the follow-up compliance a figure: mostly on time, some late, a few still open', async () => {
    const { caller, tenantId } = await logIn();
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenantId}/kpis`,
      headers: caller.auth,
    });
    expect(response.statusCode, response.body).toBe(200);
    const { followUp } = (response.json() as Kpis).totals;
    expect(followUp.due).toBeGreaterThan(20);
    expect(followUp.compliance).toBeGreaterThan(0.5);
    expect(followUp.compliance).toBeLessThan(0.95);

    const { rows } = await ctx.owner.pool.query<{ status: string; overdue: boolean; n: number }>(
      `select status, due_at < now() as overdue, count(*)::int as n from task where tenant_id = $1 group by 1, 2`,
      [tenantId],
    );
    const count = (status: string, overdue: boolean) =>
      rows.find((r) => r.status === status && r.overdue === overdue)?.n ?? 0;
    expect(count('OPEN', true)).toBeGreaterThan(0);
    expect(count('OPEN', false)).toBeGreaterThan(0);
    // A closed lead's reminders were all dealt with.
    const { rows: stale } = await ctx.owner.pool.query(
      `select 1 from task t join lead l on l.id = t.lead_id
        where t.tenant_id = $1 and t.status = 'OPEN' and l.status in ('WON', 'LOST', 'DORMANT')`,
      [tenantId],
    );
    expect(stale).toEqual([]);
  });
});

describe('the demo shop’s campaigns', () => {
  it('hold figures that add up: leads and wins are the leads that carry the campaign, and every day has its rows', async () => {
    const { caller: owner, tenantId } = await logIn();
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenantId}/campaigns`,
      headers: owner.auth,
    });
    const campaigns = list.json().items as Campaign[];
    expect(campaigns.map((c) => `${c.type}:${c.status}`).sort()).toEqual([
      'CATEGORY:ACTIVE',
      'REACTIVATION:DRAFT',
      'ZONE:ENDED',
    ]);
    // Meaningful: the campaigns brought sales, not only views.
    expect(campaigns.reduce((n, c) => n + c.totals.wins, 0)).toBeGreaterThan(0);
    for (const campaign of campaigns.filter((c) => c.type !== 'REACTIVATION')) {
      const figures = await metrics(ctx.app, owner, campaign.id, '');
      const { rows } = await ctx.owner.pool.query<{ leads: number; wins: number }>(
        `select count(*)::int as leads, count(*) filter (where status = 'WON')::int as wins
           from lead where tenant_id = $1 and campaign_id = $2`,
        [tenantId, campaign.id],
      );
      expect(figures.totals.leads).toBeGreaterThan(0);
      expect(figures.totals.leads).toBe(rows[0]?.leads);
      expect(figures.totals.wins).toBe(rows[0]?.wins);
      expect(figures.totals.clicks).toBeGreaterThanOrEqual(figures.totals.leads);
      expect(figures.totals.impressions).toBeGreaterThan(figures.totals.clicks);
      // The rows behind the days: the funnel per product and per branch adds up to the daily figures.
      const split = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/campaigns/${campaign.id}/breakdown`,
        headers: owner.auth,
      });
      expect(split.statusCode, split.body).toBe(200);
      const { byBranch, byListing } = split.json() as CampaignBreakdown;
      const sum = (cells: { [k: string]: unknown }[], field: string) =>
        cells.reduce((n, cell) => n + Number(cell[field] ?? 0), 0);
      for (const field of ['impressions', 'clicks', 'leads', 'wins'] as const) {
        expect(sum(byListing, field), field).toBe(figures.totals[field]);
        if (field !== 'impressions') expect(sum(byBranch, field), field).toBe(figures.totals[field]);
      }
    }
  });
});

describe('the demo shop’s quotes and tickets', () => {
  it('follow the pipeline: numbered without gaps, accepted when won, rejected when lost, and they open', async () => {
    const { caller, tenantId } = await logIn();
    const { rows: quotes } = await ctx.owner.pool.query<{
      number: number;
      status: string;
      lead_status: string;
      subtotal: string;
      tax: string;
      total: string;
    }>(
      `select q.number, q.status, l.status as lead_status, q.subtotal, q.tax, q.total
         from quote q join lead l on l.id = q.lead_id where q.tenant_id = $1 order by q.number`,
      [tenantId],
    );
    expect(quotes.length).toBeGreaterThan(10);
    expect(quotes.map((q) => q.number)).toEqual(quotes.map((_, i) => i + 1));
    for (const q of quotes) {
      expect(Number(q.subtotal) + Number(q.tax)).toBe(Number(q.total));
      if (q.status === 'ACCEPTED') expect(q.lead_status).toBe('WON');
      if (q.status === 'REJECTED') expect(q.lead_status).toBe('LOST');
    }
    expect(new Set(quotes.map((q) => q.status))).toEqual(
      new Set(['SENT', 'ACCEPTED', 'REJECTED', 'EXPIRED']),
    );
    const { rows: counter } = await ctx.owner.pool.query(
      'select last_number from quote_counter where tenant_id = $1',
      [tenantId],
    );
    expect(counter[0]?.last_number).toBe(quotes.length);

    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenantId}/quotes?status=SENT`,
      headers: caller.auth,
    });
    expect(list.statusCode, list.body).toBe(200);
    const sent = list.json().items[0] as { id: string; leadId: string };
    const pdf = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/quotes/${sent.id}/pdf`,
      headers: caller.auth,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const timeline = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/leads/${sent.leadId}/events`,
      headers: caller.auth,
    });
    expect((timeline.json().items as { type: string }[]).map((e) => e.type)).toEqual(
      expect.arrayContaining(['QUOTE_CREATED', 'QUOTE_SENT']),
    );

    const tickets = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenantId}/tickets`,
      headers: caller.auth,
    });
    expect(tickets.statusCode, tickets.body).toBe(200);
    expect(tickets.json().items.length).toBeGreaterThan(3);
    // The bench holds the last days' repairs; older ones were fixed, most within their SLA, or closed.
    const { rows: bench } = await ctx.owner.pool.query<{
      open: boolean;
      old: boolean;
      met: boolean | null;
      n: number;
    }>(
      `select status in ('OPEN', 'IN_PROGRESS', 'WAITING_CUSTOMER') as open,
              created_at < now() - interval '5 days' as old, resolved_at <= sla_due_at as met, count(*)::int as n
         from ticket where tenant_id = $1 group by 1, 2, 3`,
      [tenantId],
    );
    const n = (pick: (r: (typeof bench)[number]) => boolean) =>
      bench.filter(pick).reduce((sum, r) => sum + r.n, 0);
    expect(n((r) => r.open && r.old)).toBe(0);
    expect(n((r) => !r.open)).toBeGreaterThan(0);
    expect(n((r) => r.met === true)).toBeGreaterThan(n((r) => r.met === false));
  });
});

describe('the demo shop’s facts for the assistant', () => {
  it('are filled in and valid by the contract, so its replies answer delivery, payment and address questions', async () => {
    const { caller, tenantId } = await logIn();
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenantId}/shop-facts`,
      headers: caller.auth,
    });
    expect(response.statusCode, response.body).toBe(200);
    const facts = response.json() as ShopFacts;
    expect(facts.delivery.offered).toBe(true);
    expect(facts.payment.methods).toContain('YAPE');
    expect(facts.branches).toHaveLength(2);
    for (const b of facts.branches) expect(b.address).toMatch(/\S/);
    // What the seed wrote is what the settings screen could have saved.
    const resaved = updateShopFactsBody.safeParse({
      ...facts,
      branches: facts.branches.map((b) => ({ branchId: b.branchId, address: b.address })),
    });
    expect(resaved.error?.issues ?? []).toEqual([]);
  });
});
