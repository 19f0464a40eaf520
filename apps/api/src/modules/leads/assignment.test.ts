import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { click, openShop } from '../tracking/tracking.fixtures';
import { createLeadsTestContext, manualClock } from './leads.fixtures';

// 2030-03-01 is a Friday; 14:00 UTC is 09:00 in Lima.
const clock = manualClock(new Date('2030-03-01T14:00:00.000Z'));
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
});
afterAll(() => ctx.close());

type Shop = Awaited<ReturnType<typeof openShop>>;

/** Who got each of n new leads, in order. */
async function assignees(shop: Shop, n: number) {
  const who: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const response = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      visitorId: randomUUID(),
    });
    expect(response.statusCode, response.body).toBe(201);
    const lead = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/leads/${response.json().leadId}`,
      headers: shop.auth,
    });
    who.push(lead.json().assignedToUserId);
  }
  return who;
}

const patchUser = async (shop: Shop, userId: string, payload: Record<string, unknown>) => {
  const url = `/api/v1/tenants/${shop.tenantId}/users/${userId}`;
  const { version } = (await ctx.app.inject({ method: 'GET', url, headers: shop.auth })).json();
  return ctx.app.inject({ method: 'PATCH', url, headers: shop.auth, payload: { ...payload, version } });
};

const sortedIds = (shop: Shop) => shop.sellers.map((s) => s.id).toSorted();

describe('branch_open_at', () => {
  const hours = {
    mon: [
      { open: '09:00', close: '13:00' },
      { open: '14:00', close: '19:00' },
    ],
    sat: [{ open: '10:00', close: '14:00' }],
  };

  it('is open inside an interval and closed at its closing minute, over lunch and on missing days', async () => {
    const lima = async (utc: string) => {
      const result = await ctx.owner.db.execute<{ open: boolean }>(
        sql`select branch_open_at(${JSON.stringify(hours)}::jsonb, 'America/Lima', ${utc}::timestamptz) as open`,
      );
      return result.rows[0]?.open;
    };
    expect(await lima('2026-11-23T14:00:00Z')).toBe(true); // 09:00 Monday
    expect(await lima('2026-11-23T18:00:00Z')).toBe(false); // 13:00, lunch
    expect(await lima('2026-11-23T23:59:00Z')).toBe(true); // 18:59
    expect(await lima('2026-11-24T00:00:00Z')).toBe(false); // 19:00 closes
    expect(await lima('2026-11-24T15:00:00Z')).toBe(false); // Tuesday: no hours
    expect(await lima('2026-11-28T15:00:00Z')).toBe(true); // Saturday 10:00
  });
});

describe('the branch’s turn', () => {
  it('takes the next id after the last one, wrapping round, and goes on from there when the last one leaves', async () => {
    const shop = await openShop(ctx.app, { sellers: 3 });
    const [a, b, c] = sortedIds(shop);
    expect(await assignees(shop, 2)).toEqual([a, b]);
    // The last one left the pool: the turn goes on from where it would have been.
    expect((await patchUser(shop, b as string, { active: false })).statusCode).toBe(200);
    expect(await assignees(shop, 3)).toEqual([c, a, c]);
  });
});

describe('assignment of new leads', () => {
  it('goes round the branch’s sellers in turn', async () => {
    const shop = await openShop(ctx.app, { sellers: 3 });
    const [a, b, c] = sortedIds(shop);
    expect(await assignees(shop, 6)).toEqual([a, b, c, a, b, c]);
  });

  it('skips a seller who is not available and never picks a deactivated one', async () => {
    const shop = await openShop(ctx.app, { sellers: 3 });
    const [a, b, c] = sortedIds(shop);
    expect((await patchUser(shop, b as string, { available: false })).statusCode).toBe(200);
    expect((await patchUser(shop, c as string, { active: false })).statusCode).toBe(200);
    expect(await assignees(shop, 3)).toEqual([a, a, a]);
  });

  it('with nobody on shift, gives the lead to the next seller and flags it for the manager', async () => {
    const shop = await openShop(ctx.app, { sellers: 2 });
    const [a, b] = sortedIds(shop);
    const closed = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}`,
      headers: shop.auth,
      payload: { businessHours: { sun: [{ open: '10:00', close: '12:00' }] } },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const response = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      visitorId: randomUUID(),
    });
    const events = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/leads/${response.json().leadId}/events`,
      headers: shop.auth,
    });
    const assigned = events.json().items.find((e: { type: string }) => e.type === 'ASSIGNED');
    expect(assigned.payload).toMatchObject({ toUserId: a, offShift: true });
    expect(await assignees(shop, 1)).toEqual([b]);
  });

  it('leaves the lead unassigned, and flagged, when the branch has no seller', async () => {
    const shop = await openShop(ctx.app, { sellers: 0 });
    expect(await assignees(shop, 1)).toEqual([null]);
  });

  it('gives the lead to the seller with the fewest open leads when the shop asks for it', async () => {
    const shop = await openShop(ctx.app, { sellers: 2 });
    const [a, b] = sortedIds(shop);
    expect(await assignees(shop, 2)).toEqual([a, b]);
    // b closes their lead: a now has one open lead, b none.
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/leads?assignedTo=${b}`,
      headers: shop.auth,
    });
    const [lead] = list.json().items;
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lead.id}`,
      headers: shop.auth,
      payload: { status: 'WON', version: lead.version },
    });
    const setting = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/settings`,
      headers: shop.auth,
      payload: { assignmentStrategy: 'FEWEST_OPEN' },
    });
    expect(setting.json()).toEqual({ assignmentStrategy: 'FEWEST_OPEN' });
    // b has no open lead, so b; then both have one, and the tie goes on in turn, to a.
    expect(await assignees(shop, 2)).toEqual([b, a]);
  });

  it('is fair under concurrency: 20 leads at once over 4 sellers give each exactly 5', async () => {
    const shop = await openShop(ctx.app, { sellers: 4 });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        click(ctx.app, { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: randomUUID() }),
      ),
    );
    expect(responses.every((r) => r.statusCode === 201)).toBe(true);
    const perSeller = new Map<string, number>();
    for (const seller of shop.sellers) {
      const list = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/leads?assignedTo=${seller.id}`,
        headers: shop.auth,
      });
      perSeller.set(seller.id, list.json().items.length);
    }
    expect([...perSeller.values()]).toEqual([5, 5, 5, 5]);
  });
});
