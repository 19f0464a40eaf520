import { randomUUID } from 'node:crypto';
import type { Lead } from '@techmarket/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, signUp, type TestContext } from '../../../test/harness';
import { lead as leadTable } from '../../db/schema';
import { click, openShop } from '../tracking/tracking.fixtures';
import { createLead, createLeadsTestContext, events, manualClock } from './leads.fixtures';

// 2030-03-01 is a Friday; 14:00 UTC is 09:00 in Lima.
const clock = manualClock(new Date('2030-03-01T14:00:00.000Z'));
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
});
afterAll(() => ctx.close());

type Shop = Awaited<ReturnType<typeof openShop>>;
const sortedIds = (shop: Shop) => shop.sellers.map((s) => s.id).toSorted();
const history = async (shop: Shop, lead: Pick<Lead, 'id'>) =>
  (await events(ctx.app, shop, lead.id)).map((e) => [e.type, e.payload, e.actorUserId]);

/** The seller a tracked click's lead went to. */
async function clickAssignee(shop: Shop) {
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
  return lead.json().assignedToUserId as string | null;
}

describe('a lead entered by hand is assigned like a tracked one', () => {
  it("gives a manager's and an owner's leads to the branch's sellers in turn, the same turn clicks take", async () => {
    const shop = await openShop(ctx.app, { sellers: 2 });
    const manager = await addUser(ctx.app, shop, 'MANAGER');
    const [a, b] = sortedIds(shop);

    const walkIn = await createLead(
      ctx.app,
      shop,
      { branchId: shop.branchId, contact: { name: 'Rosa Huamán', phone: '987 100 200' }, channel: 'WALK_IN' },
      manager,
    );
    expect(walkIn).toMatchObject({ source: 'MANUAL', assignedToUserId: a, status: 'NEW' });
    expect(await clickAssignee(shop)).toBe(b);
    const call = await createLead(ctx.app, shop, { branchId: shop.branchId, channel: 'PHONE_CALL' });
    expect(call.assignedToUserId).toBe(a);

    expect(await history(shop, walkIn)).toEqual([
      [
        'CREATED',
        { source: 'MANUAL', listingId: null, contactId: walkIn.contact.id, channel: 'WALK_IN' },
        manager.id,
      ],
      ['ASSIGNED', { fromUserId: null, toUserId: a, strategy: 'ROUND_ROBIN' }, manager.id],
    ]);
    // The assigned seller finds it in their inbox.
    const inbox = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/leads?assignedTo=${a}`,
      headers: shop.sellers.find((s) => s.id === a)?.auth ?? {},
    });
    expect(inbox.json().items.map((l: Lead) => l.id)).toEqual(expect.arrayContaining([walkIn.id, call.id]));
  });

  it('follows the shop’s strategy: the seller with the fewest open leads', async () => {
    const shop = await openShop(ctx.app, { sellers: 2 });
    const manager = await addUser(ctx.app, shop, 'MANAGER');
    const [a, b] = sortedIds(shop);
    const setting = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/settings`,
      headers: shop.auth,
      payload: { assignmentStrategy: 'FEWEST_OPEN' },
    });
    expect(setting.statusCode, setting.body).toBe(200);
    // b already works two leads of their own; a none.
    const bSeller = shop.sellers.find((s) => s.id === b);
    if (!bSeller) throw new Error('no seller b');
    await createLead(ctx.app, shop, { branchId: shop.branchId }, bSeller);
    await createLead(ctx.app, shop, { branchId: shop.branchId }, bSeller);

    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId }, manager);
    expect(lead.assignedToUserId).toBe(a);
    expect((await history(shop, lead)).at(-1)).toEqual([
      'ASSIGNED',
      { fromUserId: null, toUserId: a, strategy: 'FEWEST_OPEN' },
      manager.id,
    ]);
  });

  it('with nobody on shift, still gives it to the next seller, flagged; with no seller, leaves it unassigned', async () => {
    const shop = await openShop(ctx.app, { sellers: 1 });
    const closed = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}`,
      headers: shop.auth,
      payload: { businessHours: { sun: [{ open: '10:00', close: '12:00' }] } },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const [only] = sortedIds(shop);
    const late = await createLead(ctx.app, shop, { branchId: shop.branchId });
    expect(late.assignedToUserId).toBe(only);
    expect((await history(shop, late)).at(-1)?.[1]).toMatchObject({ toUserId: only, offShift: true });

    const empty = await openShop(ctx.app, { sellers: 0 });
    const waiting = await createLead(ctx.app, empty, { branchId: empty.branchId });
    expect(waiting.assignedToUserId).toBeNull();
    expect((await history(empty, waiting)).map(([type]) => type)).toEqual(['CREATED']);
  });

  it('keeps a lead a seller enters with that seller, and records how the customer came and what they said', async () => {
    const shop = await openShop(ctx.app, { sellers: 2 });
    const [a, b] = sortedIds(shop);
    const seller = shop.sellers.find((s) => s.id === b);
    if (!seller) throw new Error('no seller b');
    const lead = await createLead(
      ctx.app,
      shop,
      {
        branchId: shop.branchId,
        contact: { name: 'Jorge', phone: '+51 912 345 678' },
        listingId: shop.listingId,
        channel: 'INSTAGRAM',
        message: '¿Tienen la IdeaPad en gris?',
      },
      seller,
    );
    expect(lead).toMatchObject({
      assignedToUserId: b,
      listingId: shop.listingId,
      contact: { name: 'Jorge', phone: '+51912345678' },
    });
    expect((await history(shop, lead)).map(([type, payload]) => [type, payload])).toEqual([
      [
        'CREATED',
        { source: 'MANUAL', listingId: shop.listingId, contactId: lead.contact.id, channel: 'INSTAGRAM' },
      ],
      ['MESSAGE_RECEIVED', { channel: 'INSTAGRAM', text: '¿Tienen la IdeaPad en gris?' }],
      ['ASSIGNED', { fromUserId: null, toUserId: b }],
    ]);
    // The seller's own lead took no turn: the next one the strategy hands out still goes to a.
    expect(await clickAssignee(shop)).toBe(a);
  });
});

describe('a lead entered by hand, refused', () => {
  const post = (shop: { tenantId: string }, caller: { auth: Record<string, string> }, payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/leads`,
      headers: caller.auth,
      payload,
    });
  const paths = (body: { errors?: { path: string }[] }) => body.errors?.map((e) => e.path);

  it('names the field: an unknown channel, a channel on a tracked source, a phone that cannot exist', async () => {
    const shop = await signUp(ctx.app);
    expect(
      paths(problem(await post(shop, shop, { branchId: shop.branchId, channel: 'TIKTOK' }), 400)),
    ).toEqual(['body.channel']);
    expect(
      paths(
        problem(
          await post(shop, shop, { branchId: shop.branchId, source: 'WHATSAPP', channel: 'WALK_IN' }),
          422,
        ),
      ),
    ).toEqual(['channel']);
    expect(
      paths(
        problem(await post(shop, shop, { branchId: shop.branchId, contact: { phone: '12 34 56' } }), 422),
      ),
    ).toEqual(['contact.phone']);
  });

  it("never reaches another shop: its tenant is not found, its branch and listing are not this shop's", async () => {
    const mine = await openShop(ctx.app, { sellers: 1 });
    const theirs = await openShop(ctx.app, { sellers: 1 });
    const manager = await addUser(ctx.app, mine, 'MANAGER');

    problem(await post(theirs, manager, { branchId: theirs.branchId, channel: 'WALK_IN' }), 404);
    expect(paths(problem(await post(mine, manager, { branchId: theirs.branchId }), 422))).toEqual([
      'branchId',
    ]);
    expect(
      paths(
        problem(await post(mine, manager, { branchId: mine.branchId, listingId: theirs.listingId }), 422),
      ),
    ).toEqual(['listingId']);
    // Nothing was written in the other shop, and its seller's turn did not move.
    const stored = await ctx.owner.db.select().from(leadTable).where(eq(leadTable.tenantId, theirs.tenantId));
    expect(stored).toEqual([]);

    // A lead of mine goes to my seller, never to theirs.
    const lead = await createLead(ctx.app, mine, { branchId: mine.branchId }, manager);
    expect(lead.assignedToUserId).toBe(mine.sellers[0]?.id);
  });

  it("refuses a seller's lead at a branch they do not work", async () => {
    const shop = await openShop(ctx.app, { sellers: 1 });
    const branch = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/branches`,
      headers: shop.auth,
      payload: { name: 'San Isidro', whatsappPhone: '+51 987 000 111', timezone: 'America/Lima' },
    });
    expect(branch.statusCode, branch.body).toBe(201);
    const seller = shop.sellers[0];
    if (!seller) throw new Error('no seller');
    problem(await post(shop, seller, { branchId: branch.json().id }), 403);
  });
});
