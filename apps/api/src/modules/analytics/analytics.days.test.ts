import type { Kpis } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestContext } from '../../../test/harness';
import { settableClock } from '../followups/followups.fixtures';
import { createLeadsTestContext } from '../leads/leads.fixtures';
import { createAnalyticsRepository } from './analytics.repository';

/*
 * KPIs by day read a lead's local date by plain arithmetic when the shop's zone keeps one UTC offset through the
 * period, and through the zone's rules when it does not. Either way the figures must be those of the direct query,
 * `(created_at at time zone <zone>)::date`: checked here on random leads and on every local midnight's edges, in
 * zones with daylight saving (switching at midnight in Santiago, repeating midnight's hour in Havana), with
 * offsets of 30 and 45 minutes, and over periods with and without a switch.
 */

const clock = settableClock('2031-06-01T12:00:00.000Z');
let ctx: TestContext;
const repo = createAnalyticsRepository();

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
});
afterAll(() => ctx.close());

/** A shop in `timeZone` with `randomLeads` leads at random instants of the period and three at each local midnight. */
async function shopWithLeads(timeZone: string, from: string, to: string, randomLeads: number, seed: number) {
  const shop = await signUp(ctx.app, { timezone: timeZone });
  const owner = ctx.owner.pool;
  await owner.query('select setseed($1)', [seed]);
  await owner.query(
    `insert into contact (id, tenant_id, name, created_at, updated_at)
     values (gen_random_uuid(), $1, 'Cliente', $2, $2)`,
    [shop.tenantId, from],
  );
  // Random instants, and each local midnight of the period (as the zone places it) less 1 µs, at it and 1 µs after.
  await owner.query(
    `with instants as (
       select $3::timestamptz + random() * ($4::timestamptz - $3::timestamptz) as at from generate_series(1, $5::int)
       union all
       select midnight + edge * interval '1 microsecond'
       from generate_series(($3::timestamptz at time zone $6)::date - 1, ($4::timestamptz at time zone $6)::date + 1, interval '1 day') d,
         lateral (select d::timestamp at time zone $6 as midnight) m,
         unnest(array[-1, 0, 1]) edge
     ), leads as (
       select at, random() as r, floor(random() * 20000)::int as seconds from instants
       where at >= $3::timestamptz and at < $4::timestamptz
     )
     insert into lead (id, tenant_id, branch_id, contact_id, status, source, first_response_at,
       first_response_business_seconds, status_changed_at, last_activity_at, created_at, updated_at)
     select gen_random_uuid(), $1, $2, (select id from contact where tenant_id = $1 limit 1),
       (case when r < 0.2 then 'NEW' when r < 0.5 then 'WON' when r < 0.7 then 'LOST' else 'CONTACTED' end)::lead_status,
       (case when r < 0.5 then 'LISTING' else 'MANUAL' end)::lead_source,
       case when r < 0.2 then null else at + seconds * interval '1 second' end,
       case when r < 0.2 then null else seconds end, at, at, at, at
     from leads`,
    [shop.tenantId, shop.branchId, from, to, randomLeads, timeZone],
  );
  return shop;
}

/** The figures per local day straight from the table, as the KPIs define them. */
async function directByDay(tenantId: string, timeZone: string, from: string, to: string) {
  const { rows } = await ctx.owner.pool.query<{
    day: string;
    leads: number;
    responded: number;
    won: number;
    median: number | null;
    p90: number | null;
  }>(
    `select to_char((created_at at time zone $2)::date, 'YYYY-MM-DD') as day, count(*)::int as leads,
       count(first_response_at)::int as responded, (count(*) filter (where status = 'WON'))::int as won,
       percentile_cont(0.5) within group (order by first_response_business_seconds / 60.0)
         filter (where first_response_at is not null) as median,
       percentile_cont(0.9) within group (order by first_response_business_seconds / 60.0)
         filter (where first_response_at is not null) as p90
     from lead where tenant_id = $1 and created_at >= $3 and created_at < $4
     group by 1 order by 1`,
    [tenantId, timeZone, from, to],
  );
  const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
  return rows.map((r) => [r.day, r.leads, r.responded, r.won, oneDecimal(r.median), oneDecimal(r.p90)]);
}

async function kpisByDay(
  shop: { tenantId: string; auth: { authorization: string } },
  from: string,
  to: string,
) {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/tenants/${shop.tenantId}/kpis?groupBy=day&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    headers: shop.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  const body: Kpis = response.json();
  return body.groups.map((g) => [
    g.key,
    g.leads,
    g.firstResponse.responded,
    g.won,
    g.firstResponse.medianMinutes,
    g.firstResponse.p90Minutes,
  ]);
}

async function fixedOffset(tenantId: string, timeZone: string, from: string, to: string) {
  return ctx.database.withTenant(tenantId, (tx) => repo.fixedOffset(tx, timeZone, from, to));
}

describe('KPIs by day, against the direct query', () => {
  const cases: { zone: string; from: string; to: string; offset: string | null }[] = [
    // Chile leaves daylight saving on 2030-04-07 (Saturday 24:00 back to 23:00) and its spring midnight never
    // happens (2030-09-08): one period over each switch, one in winter with one offset.
    { zone: 'America/Santiago', from: '2030-03-20T00:00:00Z', to: '2030-04-20T00:00:00Z', offset: null },
    { zone: 'America/Santiago', from: '2030-08-25T00:00:00Z', to: '2030-09-20T00:00:00Z', offset: null },
    {
      zone: 'America/Santiago',
      from: '2030-05-01T04:00:00Z',
      to: '2030-08-01T04:00:00Z',
      offset: '-04:00:00',
    },
    // Havana's daylight saving ends at 01:00 back to 00:00: midnight's hour happens twice.
    { zone: 'America/Havana', from: '2030-10-20T00:00:00Z', to: '2030-11-20T00:00:00Z', offset: null },
    { zone: 'Asia/Kathmandu', from: '2030-01-01T00:00:00Z', to: '2030-04-01T00:00:00Z', offset: '05:45:00' },
    { zone: 'Asia/Kolkata', from: '2030-01-01T00:00:00Z', to: '2030-04-01T00:00:00Z', offset: '05:30:00' },
    { zone: 'America/Lima', from: '2030-01-01T05:00:00Z', to: '2031-01-01T05:00:00Z', offset: '-05:00:00' },
    { zone: 'Europe/Madrid', from: '2030-03-15T00:00:00Z', to: '2030-04-15T00:00:00Z', offset: null },
  ];

  for (const [i, c] of cases.entries()) {
    it(`${c.zone}, ${c.from.slice(0, 10)} to ${c.to.slice(0, 10)}: ${c.offset ?? 'the zone switches'}`, async () => {
      const shop = await shopWithLeads(c.zone, c.from, c.to, 600, (i + 1) / 100);
      expect(await fixedOffset(shop.tenantId, c.zone, c.from, c.to)).toBe(c.offset);
      const expected = await directByDay(shop.tenantId, c.zone, c.from, c.to);
      expect(expected.length).toBeGreaterThan(20);
      expect(await kpisByDay(shop, c.from, c.to)).toEqual(expected);
    });
  }
});
