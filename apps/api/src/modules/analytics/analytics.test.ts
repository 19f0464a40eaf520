import type { Kpis, Reputation, Task } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, signUp, type TestContext } from '../../../test/harness';
import {
  LIMA_WEEKDAYS,
  lima,
  moveLead,
  newLead,
  openFollowupShop,
  setPolicy,
  settableClock,
} from '../followups/followups.fixtures';
import { addBranch, createLeadsTestContext } from '../leads/leads.fixtures';

/*
 * A small shop week, computed by hand. Lima, branch hours Monday-Friday 09:00-18:00; Monday is 2030-03-04.
 *
 * lead  branch      seller  source    created     first response          then
 * L1    Miraflores  S1      MANUAL    Mon 10:00   Mon 10:20 (20 min)      WON
 * L2    Miraflores  S1      LISTING   Mon 17:50   Tue 09:10 (20 open min, 920 by the clock)  LOST PRICE
 * L3    Miraflores  S1      LISTING   Mon 11:00   Mon 12:00 QUOTED (60)   LOST STOCK
 * L4    San Isidro  S2      WHATSAPP  Mon 10:00   Mon 10:40 (40)          WON
 * L5    San Isidro  S2      MANUAL    Mon 12:00   never
 *
 * Response minutes 20, 20, 40, 60: median 30, p90 54 (linear interpolation, 40 + 0.7 × 20).
 * Tasks: T1 due Mon 15:00 done 14:00 (on time), T2 due Mon 16:00 done 17:00 (late), T3 due Mon 16:30 open,
 * T4 cancelled, T6 (S2) due Tue 09:00 done Tue 08:00 (on time), T5 (S2) due Wed 12:00 after the period.
 * Compliance 2 of 4. The period is Mon 00:00 to Wed 00:00 Lima; the figures are read on Wed 10:00.
 */

const clock = settableClock();
let ctx: TestContext;
let shop: Awaited<ReturnType<typeof openFollowupShop>>;
let branchB: string;
let s1: { id: string; auth: { authorization: string } };
let s2: { id: string; auth: { authorization: string } };
const period = `from=${encodeURIComponent(lima('mon', '00:00'))}&to=${encodeURIComponent(lima('wed', '00:00'))}`;

async function task(caller: typeof s1, leadId: string, dueAt: string, title: string): Promise<Task> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/leads/${leadId}/tasks`,
    headers: caller.auth,
    payload: { title, dueAt },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}
async function setTask(caller: typeof s1, t: Task, status: Task['status']) {
  const response = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/tasks/${t.id}`,
    headers: caller.auth,
    payload: { status, version: t.version },
  });
  expect(response.statusCode, response.body).toBe(200);
}
async function kpis(query: string, caller: { auth: { authorization: string } } = shop): Promise<Kpis> {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/tenants/${shop.tenantId}/kpis?${query}`,
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  clock.set(lima('mon', '08:00'));
  shop = await openFollowupShop(ctx.app);
  branchB = await addBranch(ctx.app, shop, 'San Isidro');
  const hours = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/tenants/${shop.tenantId}/branches/${branchB}`,
    headers: shop.auth,
    payload: { businessHours: LIMA_WEEKDAYS },
  });
  expect(hours.statusCode, hours.body).toBe(200);
  [s1] = shop.sellers as [typeof s1];
  s2 = await addUser(ctx.app, shop, 'SELLER', [branchB]);
  const inB = { branchId: branchB };

  clock.set(lima('mon', '10:00'));
  const l1 = await newLead(ctx.app, shop, s1, { source: 'MANUAL', contact: { name: 'L1' } });
  const l4 = await newLead(ctx.app, shop, s2, { ...inB, source: 'WHATSAPP', contact: { name: 'L4' } });
  clock.set(lima('mon', '10:20'));
  await moveLead(ctx.app, s1, l1.id, { status: 'CONTACTED' });
  clock.set(lima('mon', '10:40'));
  await moveLead(ctx.app, s2, l4.id, { status: 'CONTACTED' });
  clock.set(lima('mon', '11:00'));
  const l3 = await newLead(ctx.app, shop, s1, { source: 'LISTING', contact: { name: 'L3' } });
  clock.set(lima('mon', '12:00'));
  await newLead(ctx.app, shop, s2, { ...inB, source: 'MANUAL', contact: { name: 'L5' } });
  await moveLead(ctx.app, s1, l3.id, { status: 'QUOTED' });
  await moveLead(ctx.app, s1, l1.id, { status: 'WON' });
  clock.set(lima('mon', '13:00'));
  const t1 = await task(s1, l1.id, lima('mon', '15:00'), 'T1');
  const t2 = await task(s1, l1.id, lima('mon', '16:00'), 'T2');
  await task(s1, l3.id, lima('mon', '16:30'), 'T3');
  const t4 = await task(s1, l3.id, lima('mon', '16:45'), 'T4');
  await task(s2, l4.id, lima('wed', '12:00'), 'T5');
  const t6 = await task(s2, l4.id, lima('tue', '09:00'), 'T6');
  const t7 = await task(s1, l3.id, lima('mon', '18:00'), 'T7');
  clock.set(lima('mon', '14:00'));
  await setTask(s1, t1, 'DONE');
  clock.set(lima('mon', '16:50'));
  await setTask(s1, t4, 'CANCELLED');
  clock.set(lima('mon', '17:00'));
  await setTask(s1, t2, 'DONE');
  // Called off before it fell due: not a follow-up that was missed.
  await setTask(s1, t7, 'CANCELLED');
  clock.set(lima('mon', '17:50'));
  const l2 = await newLead(ctx.app, shop, s1, { source: 'LISTING', contact: { name: 'L2' } });
  clock.set(lima('tue', '08:00'));
  await setTask(s2, t6, 'DONE');
  clock.set(lima('tue', '09:10'));
  await moveLead(ctx.app, s1, l2.id, { status: 'CONTACTED' });
  clock.set(lima('tue', '10:00'));
  await moveLead(ctx.app, s1, l2.id, { status: 'LOST', lostReason: 'PRICE' });
  clock.set(lima('tue', '11:00'));
  await moveLead(ctx.app, s1, l3.id, { status: 'LOST', lostReason: 'STOCK' });
  clock.set(lima('tue', '12:00'));
  await moveLead(ctx.app, s2, l4.id, { status: 'WON' });
  clock.set(lima('wed', '10:00'));
});
afterAll(() => ctx.close());

const zeroSources = { MAP: 0, LISTING: 0, FEED: 0, WHATSAPP: 0, CAMPAIGN: 0, MANUAL: 0 };
const zeroReasons = { PRICE: 0, STOCK: 0, NO_RESPONSE: 0, COMPETITOR: 0, OTHER: 0 };

describe('GET /tenants/{tenantId}/kpis', () => {
  it('computes the figures of the hand-made week, in business time', async () => {
    const body = await kpis(period);
    expect(body).toMatchObject({ groupBy: null, businessHoursOnly: true, groups: [] });
    expect(body.totals).toEqual({
      leads: 5,
      bySource: { ...zeroSources, MANUAL: 2, LISTING: 2, WHATSAPP: 1 },
      firstResponse: { responded: 4, unanswered: 1, medianMinutes: 30, p90Minutes: 54 },
      won: 2,
      lost: 2,
      conversionRate: 0.4,
      winRate: 0.5,
      // T1 and T6 on time; T2 late; T3 still open; T4 cancelled after its due time. T7 went before its time.
      followUp: { due: 5, onTime: 2, compliance: 0.4 },
      lostReasons: { ...zeroReasons, PRICE: 1, STOCK: 1 },
    });
  });

  it('groups by branch, with the win rate of each', async () => {
    const body = await kpis(`${period}&groupBy=branch`);
    const byName = Object.fromEntries(body.groups.map((g) => [g.label, g]));
    expect(byName.Miraflores).toMatchObject({
      key: shop.branchId,
      leads: 3,
      firstResponse: { responded: 3, unanswered: 0, medianMinutes: 20, p90Minutes: 52 },
      won: 1,
      lost: 2,
      conversionRate: 0.3333,
      winRate: 0.3333,
      followUp: { due: 4, onTime: 1, compliance: 0.25 },
    });
    expect(byName['San Isidro']).toMatchObject({
      key: branchB,
      leads: 2,
      firstResponse: { responded: 1, unanswered: 1, medianMinutes: 40, p90Minutes: 40 },
      won: 1,
      lost: 0,
      conversionRate: 0.5,
      winRate: 1,
      followUp: { due: 1, onTime: 1, compliance: 1 },
    });
    expect(body.totals.leads).toBe(5);
  });

  it('groups by seller, source and day', async () => {
    const bySeller = await kpis(`${period}&groupBy=seller`);
    expect(bySeller.groups.find((g) => g.key === s1.id)).toMatchObject({ leads: 3, won: 1 });
    expect(bySeller.groups.find((g) => g.key === s2.id)).toMatchObject({ leads: 2, won: 1 });

    const bySource = await kpis(`${period}&groupBy=source`);
    expect(bySource.groups.find((g) => g.key === 'LISTING')).toMatchObject({
      leads: 2,
      lost: 2,
      winRate: 0,
      firstResponse: { medianMinutes: 40 },
      lostReasons: { ...zeroReasons, PRICE: 1, STOCK: 1 },
      followUp: { due: 2, onTime: 0 },
    });
    expect(bySource.groups.find((g) => g.key === 'MANUAL')).toMatchObject({
      leads: 2,
      followUp: { due: 2, onTime: 1 },
    });

    const byDay = await kpis(`${period}&groupBy=day`);
    expect(byDay.groups.map((g) => [g.key, g.leads, g.followUp.due])).toEqual([
      ['2030-03-04', 5, 4],
      ['2030-03-05', 0, 1],
    ]);
  });

  it('leaves the comparison out when asked with compare=false, every other figure the same', async () => {
    const full = await kpis(`${period}&groupBy=day`);
    expect(full.previous).not.toBeNull();
    const trends = await kpis(`${period}&groupBy=day&compare=false`);
    expect(trends.previous).toBeNull();
    expect({ ...trends, previous: full.previous }).toEqual(full);
    // compare=true is what asking without the flag has always answered.
    expect(await kpis(`${period}&compare=true`)).toEqual(await kpis(period));
    const unclear = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/kpis?${period}&compare=no`,
      headers: shop.auth,
    });
    expect(problem(unclear, 400).errors?.map((e) => e.path)).toContain('querystring.compare');
  });

  it('gives a seller the figures of their own branches', async () => {
    const body = await kpis(period, s2);
    expect(body.totals).toMatchObject({ leads: 2, won: 1, followUp: { due: 1, onTime: 1 } });
    const other = await kpis(`${period}&branchId=${shop.branchId}`, s2);
    expect(other.totals.leads).toBe(0);
  });

  it('compares with the period of the same length just before, by the same queries', async () => {
    // 36 hours from Monday noon; the 36 before run from Sunday 00:00 to Monday noon.
    const from = lima('mon', '12:00');
    const body = await kpis(
      `from=${encodeURIComponent(from)}&to=${encodeURIComponent(lima('wed', '00:00'))}&groupBy=branch`,
    );
    // This period: L5 (never answered) and L2 (20 open minutes, lost on price), and every task.
    expect(body.totals).toMatchObject({
      leads: 2,
      firstResponse: { responded: 1, unanswered: 1, medianMinutes: 20, p90Minutes: 20 },
      won: 0,
      lost: 1,
      conversionRate: 0,
      followUp: { due: 5, onTime: 2 },
    });
    // The one before: L1, L3 and L4 (20, 60 and 40 minutes), two won; no task fell due in it.
    expect(body.previous).toEqual({
      from: lima('sun', '00:00', -1),
      to: from,
      totals: {
        leads: 3,
        bySource: { ...zeroSources, MANUAL: 1, LISTING: 1, WHATSAPP: 1 },
        firstResponse: { responded: 3, unanswered: 0, medianMinutes: 40, p90Minutes: 56 },
        won: 2,
        lost: 1,
        conversionRate: 0.6667,
        winRate: 0.6667,
        followUp: { due: 0, onTime: 0, compliance: null },
        lostReasons: { ...zeroReasons, STOCK: 1 },
      },
    });
    // The same figures as asking for that period itself.
    const previous = body.previous as NonNullable<Kpis['previous']>;
    const before = await kpis(
      `from=${encodeURIComponent(previous.from)}&to=${encodeURIComponent(previous.to)}`,
    );
    expect(previous.totals).toEqual(before.totals);
    // A seller's comparison stays within their branches too.
    const seller = await kpis(
      `from=${encodeURIComponent(from)}&to=${encodeURIComponent(lima('wed', '00:00'))}`,
      s2,
    );
    expect(seller.previous?.totals).toMatchObject({ leads: 1, won: 1 });
  });

  it('refuses a period that ends before it starts, and another shop', async () => {
    const backwards = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/kpis?from=${encodeURIComponent(lima('wed', '00:00'))}&to=${encodeURIComponent(lima('mon', '00:00'))}`,
      headers: shop.auth,
    });
    expect(problem(backwards, 400).errors?.[0]?.path).toContain('to');
    // One hour, written with two offsets: 14:00Z to 10:00-05:00 (15:00Z) is a valid period.
    const offsets = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/kpis?from=${encodeURIComponent('2030-03-04T14:00:00+00:00')}&to=${encodeURIComponent('2030-03-04T10:00:00-05:00')}`,
      headers: shop.auth,
    });
    expect(offsets.statusCode, offsets.body).toBe(200);
    const yearZero = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/kpis?from=0000-01-01T00:00:00Z&to=0001-06-01T00:00:00Z`,
      headers: shop.auth,
    });
    expect(problem(yearZero, 400).errors?.[0]?.path).toContain('from');
    const stranger = await signUp(ctx.app);
    const foreign = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/kpis`,
      headers: stranger.auth,
    });
    problem(foreign, 404);
  });
});

describe('GET /tenants/{tenantId}/reputation', () => {
  it('scores each branch from its response figures, with the inputs', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/reputation`,
      headers: shop.auth,
    });
    expect(response.statusCode, response.body).toBe(200);
    const body: Reputation = response.json();
    expect(body.windowDays).toBe(30);
    expect(body.formula).toContain('0.6 × onTimeRate');
    const byName = Object.fromEntries(body.branches.map((b) => [b.name, b]));
    // Three answered within 60 open minutes, median 20: every part is 1.
    expect(byName.Miraflores).toMatchObject({
      score: 100,
      inputs: {
        leads: 3,
        answered: 3,
        answeredOnTime: 3,
        targetMinutes: 60,
        medianMinutes: 20,
        speedScore: 1,
      },
    });
    // L4 answered in 40; L5 has waited 960 open minutes: 0.6 × 0.5 + 0.2 × 0.5 + 0.2 × 1 = 0.6.
    expect(byName['San Isidro']).toMatchObject({
      score: 60,
      inputs: { leads: 2, answered: 1, answeredOnTime: 1, onTimeRate: 0.5, answeredRate: 0.5, speedScore: 1 },
    });
    const stranger = await signUp(ctx.app);
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/reputation`,
        headers: stranger.auth,
      }),
      404,
    );
  });
});

describe('KPIs by the clock', () => {
  it('counts calendar minutes when the policy does not count business hours', async () => {
    await setPolicy(ctx.app, shop, { businessHoursOnly: false });
    const body = await kpis(period);
    expect(body.businessHoursOnly).toBe(false);
    // 20, 40, 60, 920: median 50, p90 60 + 0.7 × 860 = 662.
    expect(body.totals.firstResponse).toEqual({
      responded: 4,
      unanswered: 1,
      medianMinutes: 50,
      p90Minutes: 662,
    });
  });
});

describe('KPIs by day', () => {
  it("buckets leads and tasks by the shop's local date, not UTC's", async () => {
    const night = await openFollowupShop(ctx.app);
    const [seller] = night.sellers as [typeof s1];
    const kpisOf = async (query: string) => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${night.tenantId}/kpis?${query}`,
        headers: night.auth,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as Promise<Kpis>;
    };
    // Monday 20:00 and 23:59 in Lima are already Tuesday in UTC; Tuesday 00:00 in Lima is Tuesday's first minute.
    clock.set(lima('mon', '20:00'));
    const evening = await newLead(ctx.app, night, seller, { contact: { name: 'Noche' } });
    clock.set(lima('mon', '23:59'));
    await newLead(ctx.app, night, seller, { contact: { name: 'Casi medianoche' } });
    clock.set(lima('tue', '00:00'));
    await newLead(ctx.app, night, seller, { contact: { name: 'Medianoche' } });
    // Due Tuesday 21:30 in Lima, Wednesday in UTC.
    const late = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${evening.id}/tasks`,
      headers: seller.auth,
      payload: { title: 'Llamar', dueAt: lima('tue', '21:30') },
    });
    expect(late.statusCode, late.body).toBe(201);
    clock.set(lima('wed', '10:00'));

    const byDay = await kpisOf(`${period}&groupBy=day`);
    expect(byDay.groups.map((g) => [g.key, g.leads, g.followUp.due])).toEqual([
      ['2030-03-04', 2, 0],
      ['2030-03-05', 1, 1],
    ]);
    expect(byDay.totals.leads).toBe(3);
  });
});
