import type { Lead } from '@techmarket/contracts';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import { lead, leadNote } from '../../db/schema';
import { addBranch, createLead, createLeadsTestContext, events, inbox, patchLead } from './leads.fixtures';

let ctx: TestContext;
let shopA: SignedUp;
let shopB: SignedUp;
let leadA: Lead;
let leadB: Lead;

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  shopA = await signUp(ctx.app);
  shopB = await signUp(ctx.app);
  leadA = await createLead(ctx.app, shopA, {
    branchId: shopA.branchId,
    contact: { name: 'Cliente A', phone: '987000111' },
  });
  leadB = await createLead(ctx.app, shopB, {
    branchId: shopB.branchId,
    contact: { name: 'Cliente B', phone: '987000111' },
  });
});
afterAll(() => ctx.close());

type Call = { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: Record<string, unknown> };

/** Every lead route, aimed at one tenant and one lead. */
const routes = (tenantId: string, branchId: string, leadId: string): [string, Call][] => [
  ['inbox', { method: 'GET', url: `/api/v1/tenants/${tenantId}/leads` }],
  ['create', { method: 'POST', url: `/api/v1/tenants/${tenantId}/leads`, payload: { branchId } }],
  ['detail', { method: 'GET', url: `/api/v1/leads/${leadId}` }],
  ['events', { method: 'GET', url: `/api/v1/leads/${leadId}/events` }],
  [
    'patch',
    { method: 'PATCH', url: `/api/v1/leads/${leadId}`, payload: { version: 1, status: 'CONTACTED' } },
  ],
  ['note', { method: 'POST', url: `/api/v1/leads/${leadId}/notes`, payload: { text: 'hola' } }],
];

const send = (call: Call, headers: Record<string, string> = {}) =>
  ctx.app.inject({
    method: call.method,
    url: call.url,
    headers,
    ...(call.payload ? { payload: call.payload } : {}),
  });

describe('authentication', () => {
  it('answers 401 to every route without credentials or with unknown ones', async () => {
    for (const [, call] of routes(shopA.tenantId, shopA.branchId, leadA.id)) {
      problem(await send(call), 401);
      problem(await send(call, { authorization: 'Bearer tms_not-a-real-session' }), 401);
    }
  });
});

describe('tenant isolation', () => {
  it("answers 404 to every route aimed at another tenant's lead or tenant, and changes nothing", async () => {
    for (const [name, call] of routes(shopB.tenantId, shopB.branchId, leadB.id)) {
      const body = problem(await send(call, shopA.auth), 404);
      expect(body.detail, name).toMatch(/not found/i);
    }
    const [stored] = await ctx.owner.db.select().from(lead).where(eq(lead.id, leadB.id));
    expect(stored).toMatchObject({ status: 'NEW', version: 1 });
    expect(await ctx.owner.db.select().from(leadNote).where(eq(leadNote.leadId, leadB.id))).toEqual([]);
    expect((await events(ctx.app, shopB, leadB.id)).map((e) => e.type)).toEqual(['CREATED']);
  });

  it("finds nothing when filtering by another tenant's branch or user", async () => {
    expect((await inbox(ctx.app, shopA, shopA.tenantId, `branchId=${shopB.branchId}`)).items).toEqual([]);
    expect((await inbox(ctx.app, shopA, shopA.tenantId, `assignedTo=${shopB.ownerId}`)).items).toEqual([]);
    expect((await inbox(ctx.app, shopA, shopA.tenantId, 'q=Cliente')).items.map((l) => l.id)).toEqual([
      leadA.id,
    ]);
  });

  it('lists only its own open leads, longest-waiting first, and refuses a cursor walk into another shop', async () => {
    const waiting = await inbox(ctx.app, shopA, shopA.tenantId, 'status=OPEN&sort=waiting&limit=1');
    expect(waiting.items.map((l) => l.id)).toEqual([leadA.id]);
    expect(waiting.nextCursor).toBeNull();
    // Shop B's cursor, positioned before its own lead, finds nothing of B's from shop A's session.
    const before = Buffer.from(
      JSON.stringify({ sort: 'waiting', answered: false, at: '2000-01-01T00:00:00.000Z', id: leadB.id }),
    ).toString('base64url');
    const resumed = await inbox(ctx.app, shopA, shopA.tenantId, `status=OPEN&sort=waiting&cursor=${before}`);
    expect(resumed.items.map((l) => l.id)).toEqual([leadA.id]);
    const stranger = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shopB.tenantId}/leads?status=OPEN&sort=waiting`,
      headers: shopA.auth,
    });
    problem(stranger, 404);
  });

  it('keeps contacts apart: the same phone in two shops is two contacts', () => {
    expect(leadA.contact.phone).toBe(leadB.contact.phone);
    expect(leadA.contact.id).not.toBe(leadB.contact.id);
  });

  it('is walled off by row-level security below the application', async () => {
    const ids = [leadA.id, leadB.id];
    const seenByA = await ctx.database.withTenant(shopA.tenantId, (tx) => tx.select().from(lead));
    expect(seenByA.map((row) => row.tenantId)).toEqual(seenByA.map(() => shopA.tenantId));
    expect(seenByA.map((row) => row.id)).toContain(leadA.id);
    expect(seenByA.map((row) => row.id)).not.toContain(leadB.id);

    expect(await ctx.database.withoutTenant((tx) => tx.select().from(lead))).toEqual([]);

    const seenByOwner = await ctx.owner.db.select({ id: lead.id }).from(lead).where(inArray(lead.id, ids));
    expect(seenByOwner.map((row) => row.id).sort()).toEqual([...ids].sort());

    // An update cannot reach another tenant's row, and an insert cannot write one.
    await expect(
      ctx.database.withTenant(shopA.tenantId, (tx) =>
        tx.update(lead).set({ priority: 'LOW' }).where(eq(lead.id, leadB.id)).returning({ id: lead.id }),
      ),
    ).resolves.toEqual([]);
    await expect(
      ctx.database.withTenant(shopA.tenantId, (tx) =>
        tx.insert(leadNote).values({
          tenantId: shopB.tenantId,
          leadId: leadB.id,
          authorUserId: shopB.ownerId,
          text: 'colado',
          createdAt: new Date().toISOString(),
        }),
      ),
    ).rejects.toThrow();
  });
});

describe('sellers and branches', () => {
  let shop: SignedUp;
  let branch2: string;
  let seller: Awaited<ReturnType<typeof addUser>>;
  let own: Lead;
  let other: Lead;

  beforeAll(async () => {
    shop = await signUp(ctx.app);
    branch2 = await addBranch(ctx.app, shop);
    seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    own = await createLead(ctx.app, shop, { branchId: shop.branchId, priority: 'HIGH' });
    other = await createLead(ctx.app, shop, { branchId: branch2 });
  });

  it("lists only the seller's own branches, and nothing for another branch", async () => {
    expect((await inbox(ctx.app, seller, shop.tenantId)).items.map((l) => l.id)).toEqual([own.id]);
    expect(
      (await inbox(ctx.app, seller, shop.tenantId, 'status=OPEN&sort=waiting')).items.map((l) => l.id),
    ).toEqual([own.id]);
    expect(
      (await inbox(ctx.app, seller, shop.tenantId, `branchId=${shop.branchId}`)).items.map((l) => l.id),
    ).toEqual([own.id]);
    expect(await inbox(ctx.app, seller, shop.tenantId, `branchId=${branch2}`)).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("answers 404 to a seller reaching for another branch's lead", async () => {
    for (const [name, call] of routes(shop.tenantId, shop.branchId, other.id).slice(2)) {
      expect(problem(await send(call, seller.auth), 404).detail, name).toMatch(/Lead not found/);
    }
    const detail = await send({ method: 'GET', url: `/api/v1/leads/${own.id}` }, seller.auth);
    expect(detail.statusCode).toBe(200);
  });

  it('answers 403 to a seller entering a lead for a branch that is not theirs', async () => {
    const call: Call = {
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/leads`,
      payload: { branchId: branch2 },
    };
    problem(await send(call, seller.auth), 403);
    problem(await send({ ...call, payload: { branchId: shopB.branchId } }, seller.auth), 403);
  });

  it('lets a seller of several branches and a manager of none see what they should', async () => {
    const both = await addUser(ctx.app, shop, 'SELLER', [shop.branchId, branch2]);
    const manager = await addUser(ctx.app, shop, 'MANAGER', []);
    expect((await inbox(ctx.app, both, shop.tenantId)).items.map((l) => l.id)).toEqual([own.id, other.id]);
    expect((await inbox(ctx.app, manager, shop.tenantId)).items.map((l) => l.id)).toEqual([own.id, other.id]);
    const patched = await patchLead(ctx.app, manager, other.id, { version: 1, priority: 'LOW' });
    expect(patched.statusCode).toBe(200);
  });

  it('follows a change of branches at once', async () => {
    const moving = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const userUrl = `/api/v1/tenants/${shop.tenantId}/users/${moving.id}`;
    const { version } = (await ctx.app.inject({ method: 'GET', url: userUrl, headers: shop.auth })).json();
    const moved = await ctx.app.inject({
      method: 'PATCH',
      url: userUrl,
      headers: shop.auth,
      payload: { branchIds: [branch2], version },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await inbox(ctx.app, moving, shop.tenantId)).items.map((l) => l.id)).toEqual([other.id]);
    problem(await send({ method: 'GET', url: `/api/v1/leads/${own.id}` }, moving.auth), 404);
  });
});

describe('tenant API keys', () => {
  let key: { authorization: string };

  beforeAll(async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shopA.tenantId}/api-keys`,
      headers: shopA.auth,
      payload: { name: 'Marketplace sync' },
    });
    expect(created.statusCode, created.body).toBe(201);
    key = { authorization: `Bearer ${created.json().key}` };
  });

  it('reads the whole tenant', async () => {
    const [inboxCall, , detail, history] = routes(shopA.tenantId, shopA.branchId, leadA.id);
    for (const call of [inboxCall, detail, history]) {
      if (call) expect((await send(call[1], key)).statusCode).toBe(200);
    }
    expect((await inbox(ctx.app, { auth: key }, shopA.tenantId)).items.map((l) => l.id)).toContain(leadA.id);
  });

  it('cannot change anything: changes are recorded with a person as actor', async () => {
    const [, create, , , patch, note] = routes(shopA.tenantId, shopA.branchId, leadA.id);
    for (const call of [create, patch, note]) {
      if (call) problem(await send(call[1], key), 403);
    }
  });

  it("answers 404 for another tenant's leads (and 403 to any change, whoever's lead it is)", async () => {
    const expected: Record<string, number> = {
      inbox: 404,
      create: 404,
      detail: 404,
      events: 404,
      patch: 403,
      note: 403,
    };
    for (const [name, call] of routes(shopB.tenantId, shopB.branchId, leadB.id)) {
      expect(problem(await send(call, key), expected[name] ?? 0).status, name).toBe(expected[name]);
    }
  });
});
