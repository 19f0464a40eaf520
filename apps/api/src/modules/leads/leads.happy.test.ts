import type { Lead, LeadInboxQuery } from '@techmarket/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import { contact } from '../../db/schema';
import {
  addBranch,
  addListing,
  changeLead,
  createLead,
  createLeadsTestContext,
  events,
  inbox,
  manualClock,
} from './leads.fixtures';

const clock = manualClock();
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
});
afterAll(() => ctx.close());

const minute = 60_000;
const nowIso = () => clock.now().toISOString();
const ids = (leads: Lead[]) => leads.map((lead) => lead.id);

describe('POST /tenants/:tenantId/leads', () => {
  it('enters a lead by hand with the phone in E.164 and one contact per phone', async () => {
    const shop = await signUp(ctx.app);
    const first = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'Lucía Quispe', phone: '987 654 320' },
      message: '¿Tienen la IdeaPad en stock?',
    });
    expect(first).toMatchObject({
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      customerUserId: null,
      contact: { name: 'Lucía Quispe', phone: '+51987654320' },
      status: 'NEW',
      source: 'MANUAL',
      campaignId: null,
      listingId: null,
      priority: 'MEDIUM',
      leadType: null,
      assignedToUserId: null,
      lostReason: null,
      firstResponseAt: null,
      statusChangedAt: nowIso(),
      lastActivityAt: nowIso(),
      createdAt: nowIso(),
      updatedAt: nowIso(),
      version: 1,
    });

    const again = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { phone: '+51 987-654-320' },
      source: 'WHATSAPP',
      priority: 'HIGH',
    });
    expect(again.id).not.toBe(first.id);
    expect(again.contact).toEqual(first.contact);
    expect(again).toMatchObject({ source: 'WHATSAPP', priority: 'HIGH' });

    expect((await events(ctx.app, shop, first.id)).map((e) => [e.type, e.payload, e.actorUserId])).toEqual([
      ['CREATED', { source: 'MANUAL', listingId: null, contactId: first.contact.id }, shop.ownerId],
      ['MESSAGE_RECEIVED', { channel: 'IN_PERSON', text: '¿Tienen la IdeaPad en stock?' }, shop.ownerId],
    ]);
  });

  it('makes a new contact for every lead without a phone', async () => {
    const shop = await signUp(ctx.app);
    const walkIn = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'Cliente de mostrador' },
    });
    const anonymous = await createLead(ctx.app, shop, { branchId: shop.branchId });
    expect(walkIn.contact).toMatchObject({ name: 'Cliente de mostrador', phone: null });
    expect(anonymous.contact).toMatchObject({ name: null, phone: null });
    expect(anonymous.contact.id).not.toBe(walkIn.contact.id);
  });

  it('assigns a lead a seller enters to that seller', async () => {
    const shop = await signUp(ctx.app);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const lead = await createLead(
      ctx.app,
      shop,
      { branchId: shop.branchId, contact: { phone: '987654321' } },
      seller,
    );
    expect(lead.assignedToUserId).toBe(seller.id);
    expect((await events(ctx.app, shop, lead.id)).map((e) => [e.type, e.payload, e.actorUserId])).toEqual([
      ['CREATED', { source: 'MANUAL', listingId: null, contactId: lead.contact.id }, seller.id],
      ['ASSIGNED', { fromUserId: null, toUserId: seller.id }, seller.id],
    ]);
  });
});

describe('GET /leads/:id', () => {
  it('shows the lead with its contact, listing and assignee', async () => {
    const shop = await signUp(ctx.app);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const listing = await addListing(ctx.app, shop, { stock: 3 });
    const lead = await createLead(
      ctx.app,
      shop,
      {
        branchId: shop.branchId,
        listingId: listing.id,
        source: 'LISTING',
        contact: { name: 'Marco', phone: '987111222' },
      },
      seller,
    );

    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/leads/${lead.id}`,
      headers: shop.auth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      ...lead,
      listingId: listing.id,
      listing: { id: listing.id, title: listing.title, price: 249900, currency: 'PEN', stock: 3 },
      campaign: null,
      assignee: { id: seller.id, name: 'Usuario SELLER' },
      assistance: null,
    });
  });

  it('shows null listing and assignee when the lead has neither', async () => {
    const shop = await signUp(ctx.app);
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/leads/${lead.id}`,
      headers: shop.auth,
    });
    expect(response.json()).toMatchObject({
      id: lead.id,
      listing: null,
      assignee: null,
      campaign: null,
      assistance: null,
    });
  });
});

describe('PATCH /leads/:id', () => {
  it('walks the pipeline, stamping first_response_at once and recording every move', async () => {
    const shop = await signUp(ctx.app);
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });

    clock.advance(7 * minute);
    const answeredAt = nowIso();
    const contacted = await changeLead(ctx.app, shop, lead, { status: 'CONTACTED' });
    expect(contacted).toMatchObject({
      status: 'CONTACTED',
      version: 2,
      firstResponseAt: answeredAt,
      statusChangedAt: answeredAt,
      lastActivityAt: answeredAt,
      updatedAt: answeredAt,
      createdAt: lead.createdAt,
      contact: lead.contact,
    });

    clock.advance(minute);
    const quoted = await changeLead(ctx.app, shop, contacted, { status: 'QUOTED' });
    expect(quoted).toMatchObject({
      status: 'QUOTED',
      version: 3,
      firstResponseAt: answeredAt,
      statusChangedAt: nowIso(),
    });

    clock.advance(minute);
    const lost = await changeLead(ctx.app, shop, quoted, { status: 'LOST', lostReason: 'PRICE' });
    expect(lost).toMatchObject({ status: 'LOST', lostReason: 'PRICE', version: 4 });

    clock.advance(minute);
    const reopened = await changeLead(ctx.app, shop, lost, { status: 'CONTACTED' });
    expect(reopened).toMatchObject({
      status: 'CONTACTED',
      lostReason: null,
      firstResponseAt: answeredAt,
      version: 5,
    });

    const won = await changeLead(ctx.app, shop, reopened, { status: 'WON' });
    expect(won).toMatchObject({ status: 'WON', version: 6 });

    const history = await events(ctx.app, shop, lead.id);
    expect(history.map((e) => [e.type, e.payload])).toEqual([
      ['CREATED', { source: 'MANUAL', listingId: null, contactId: lead.contact.id }],
      ['STATUS_CHANGED', { from: 'NEW', to: 'CONTACTED' }],
      ['STATUS_CHANGED', { from: 'CONTACTED', to: 'QUOTED' }],
      ['STATUS_CHANGED', { from: 'QUOTED', to: 'LOST', lostReason: 'PRICE' }],
      ['STATUS_CHANGED', { from: 'LOST', to: 'CONTACTED', reopened: true }],
      ['STATUS_CHANGED', { from: 'CONTACTED', to: 'WON' }],
    ]);
    expect(history.every((e) => e.actorUserId === shop.ownerId && e.leadId === lead.id)).toBe(true);
  });

  it('brings a dormant lead back through CONTACTED', async () => {
    const shop = await signUp(ctx.app);
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    clock.advance(minute);
    const dormant = await changeLead(ctx.app, shop, lead, { status: 'DORMANT' });
    // The contract stamps the first move out of NEW, whatever it is.
    expect(dormant).toMatchObject({ status: 'DORMANT', firstResponseAt: nowIso() });
    clock.advance(minute);
    const back = await changeLead(ctx.app, shop, dormant, { status: 'CONTACTED' });
    expect(back).toMatchObject({ status: 'CONTACTED', firstResponseAt: dormant.firstResponseAt });
  });

  it('assigns, reassigns and unassigns, recording who had it and who has it', async () => {
    const shop = await signUp(ctx.app);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const manager = await addUser(ctx.app, shop, 'MANAGER', []);
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });

    const toSeller = await changeLead(ctx.app, shop, lead, { assignedToUserId: seller.id });
    expect(toSeller).toMatchObject({ assignedToUserId: seller.id, version: 2 });
    const toManager = await changeLead(ctx.app, seller, toSeller, { assignedToUserId: manager.id });
    expect(toManager.assignedToUserId).toBe(manager.id);
    const unassigned = await changeLead(ctx.app, shop, toManager, { assignedToUserId: null });
    expect(unassigned).toMatchObject({ assignedToUserId: null, version: 4 });

    expect(
      (await events(ctx.app, shop, lead.id)).slice(1).map((e) => [e.type, e.payload, e.actorUserId]),
    ).toEqual([
      ['ASSIGNED', { fromUserId: null, toUserId: seller.id }, shop.ownerId],
      ['ASSIGNED', { fromUserId: seller.id, toUserId: manager.id }, seller.id],
      ['ASSIGNED', { fromUserId: manager.id, toUserId: null }, shop.ownerId],
    ]);
  });

  it('changes priority and lead type, and several things at once', async () => {
    const shop = await signUp(ctx.app);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    clock.advance(minute);
    const changed = await changeLead(ctx.app, shop, lead, {
      priority: 'HIGH',
      leadType: 'SERVICE',
      status: 'QUALIFIED',
      assignedToUserId: seller.id,
    });
    expect(changed).toMatchObject({
      priority: 'HIGH',
      leadType: 'SERVICE',
      status: 'QUALIFIED',
      assignedToUserId: seller.id,
      version: 2,
      lastActivityAt: nowIso(),
    });
    expect((await events(ctx.app, shop, lead.id)).map((e) => e.type)).toEqual([
      'CREATED',
      'STATUS_CHANGED',
      'ASSIGNED',
    ]);
  });

  it('changes nothing when asked for what is already true', async () => {
    const shop = await signUp(ctx.app);
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId, priority: 'LOW' });
    const same = await changeLead(ctx.app, shop, lead, {
      status: 'NEW',
      priority: 'LOW',
      assignedToUserId: null,
    });
    expect(same).toEqual(lead);
    expect((await events(ctx.app, shop, lead.id)).map((e) => e.type)).toEqual(['CREATED']);
  });

  it('updates the reason of a lead that is already lost', async () => {
    const shop = await signUp(ctx.app);
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    const lost = await changeLead(ctx.app, shop, lead, { status: 'LOST', lostReason: 'OTHER' });
    const corrected = await changeLead(ctx.app, shop, lost, { lostReason: 'COMPETITOR' });
    expect(corrected).toMatchObject({ status: 'LOST', lostReason: 'COMPETITOR', version: 3 });
  });
});

describe('POST /leads/:id/notes', () => {
  it('adds a note, records it and counts it as activity without a new version', async () => {
    const shop = await signUp(ctx.app);
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    clock.advance(5 * minute);

    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${lead.id}/notes`,
      headers: seller.auth,
      payload: { text: '  Llamar mañana a las 10; quiere factura  ' },
    });
    expect(response.statusCode).toBe(201);
    const note = response.json();
    expect(note).toEqual({
      id: expect.any(String),
      leadId: lead.id,
      authorUserId: seller.id,
      text: 'Llamar mañana a las 10; quiere factura',
      createdAt: nowIso(),
    });

    const history = await events(ctx.app, shop, lead.id);
    expect(history.at(-1)).toMatchObject({
      type: 'NOTE_ADDED',
      payload: { noteId: note.id, text: 'Llamar mañana a las 10; quiere factura' },
      actorUserId: seller.id,
    });
    const after = (
      await ctx.app.inject({ method: 'GET', url: `/api/v1/leads/${lead.id}`, headers: shop.auth })
    ).json();
    expect(after).toMatchObject({ lastActivityAt: nowIso(), version: 1, updatedAt: lead.updatedAt });
  });
});

describe('GET /tenants/:tenantId/leads', () => {
  let shop: SignedUp;
  let seller: Awaited<ReturnType<typeof addUser>>;
  let branchB: string;
  let lucia: Lead;
  let marco: Lead;
  let ana: Lead;
  let mexico: Lead;

  beforeAll(async () => {
    shop = await signUp(ctx.app);
    branchB = await addBranch(ctx.app, shop);
    seller = await addUser(ctx.app, shop, 'SELLER');
    const at = (payload: Record<string, unknown>) => {
      clock.advance(minute);
      return createLead(ctx.app, shop, payload);
    };
    lucia = await at({
      branchId: shop.branchId,
      priority: 'HIGH',
      source: 'WHATSAPP',
      contact: { name: 'Lucía Quispe', phone: '987000001' },
    });
    marco = await at({
      branchId: shop.branchId,
      priority: 'LOW',
      contact: { name: 'Marco Rojas', phone: '987000002' },
    });
    ana = await at({
      branchId: branchB,
      source: 'LISTING',
      contact: { name: 'Ana Lucía Torres', phone: '987000003' },
    });
    mexico = await at({
      branchId: branchB,
      priority: 'HIGH',
      source: 'MAP',
      contact: { phone: '+52 1 55 1234 5678' },
    });
    clock.advance(minute);
    marco = await changeLead(ctx.app, shop, marco, { status: 'CONTACTED', assignedToUserId: seller.id });
    clock.advance(minute);
    const note = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${lucia.id}/notes`,
      headers: shop.auth,
      payload: { text: 'Pidió precio con envío' },
    });
    expect(note.statusCode).toBe(201);
    await ctx.owner.db
      .update(contact)
      .set({ email: 'marco.rojas@example.com' })
      .where(eq(contact.id, marco.contact.id));
  });

  const list = async (query: string) => ids((await inbox(ctx.app, shop, shop.tenantId, query)).items);

  it('answers leads in the wire shape with their contact, HIGH first then oldest by default', async () => {
    const page = await inbox(ctx.app, shop, shop.tenantId);
    expect(page.nextCursor).toBeNull();
    expect(ids(page.items)).toEqual([lucia.id, mexico.id, ana.id, marco.id]);
    expect(page.items[3]).toEqual({
      ...marco,
      contact: { id: marco.contact.id, name: 'Marco Rojas', phone: '+51987000002' },
      // An inbox row adds the lead's product and conversation: neither here.
      listing: null,
      lastMessage: null,
      unreadCount: 0,
    });
    expect(mexico.contact.phone).toBe('+525512345678');
  });

  it('sorts newest first and by latest activity', async () => {
    expect(await list('sort=-createdAt')).toEqual([mexico.id, ana.id, marco.id, lucia.id]);
    expect(await list('sort=-lastActivityAt')).toEqual([lucia.id, marco.id, mexico.id, ana.id]);
  });

  it('filters by status, branch, assignee, priority and source, alone and together', async () => {
    expect(await list('status=CONTACTED')).toEqual([marco.id]);
    expect(await list(`branchId=${branchB}`)).toEqual([mexico.id, ana.id]);
    expect(await list(`assignedTo=${seller.id}`)).toEqual([marco.id]);
    expect(await list('priority=HIGH')).toEqual([lucia.id, mexico.id]);
    expect(await list('source=LISTING')).toEqual([ana.id]);
    expect(await list(`branchId=${shop.branchId}&status=NEW`)).toEqual([lucia.id]);
    expect(await list(`branchId=${branchB}&priority=HIGH&sort=-createdAt`)).toEqual([mexico.id]);
    expect(await list('status=WON')).toEqual([]);
  });

  it('lists the open stages with status=OPEN, alone and with other filters', async () => {
    expect(await list('status=OPEN&sort=-createdAt')).toEqual([mexico.id, ana.id, marco.id, lucia.id]);
    expect(await list(`status=OPEN&assignedTo=${seller.id}`)).toEqual([marco.id]);
    expect(await list(`status=OPEN&branchId=${branchB}&sort=-createdAt`)).toEqual([mexico.id, ana.id]);
  });

  it('sorts by waiting: the customers without an answer first, longest-waiting on top, then the answered', async () => {
    // Marco was answered (CONTACTED stamps first_response_at): the three still waiting come first, oldest first.
    expect(await list('sort=waiting')).toEqual([lucia.id, ana.id, mexico.id, marco.id]);
    expect(await list(`status=OPEN&sort=waiting&branchId=${shop.branchId}`)).toEqual([lucia.id, marco.id]);
  });

  it('searches the contact by name, e-mail and phone digits', async () => {
    expect(await list('q=QUISPE')).toEqual([lucia.id]);
    expect(await list(`q=${encodeURIComponent('lucía')}`)).toEqual([lucia.id, ana.id]);
    expect(await list('q=ROJAS%40EXAMPLE')).toEqual([marco.id]);
    expect(await list(`q=${encodeURIComponent('987 000 002')}`)).toEqual([marco.id]);
    expect(await list(`q=${encodeURIComponent('(55) 1234-5678')}`)).toEqual([mexico.id]);
    expect(await list('q=%25')).toEqual([]);
    expect(await list('q=_')).toEqual([]);
  });
});

describe("a lead's product and what each stage is worth", () => {
  let shop: SignedUp;
  let branchB: string;
  let laptop: Awaited<ReturnType<typeof addListing>>;

  beforeAll(async () => {
    shop = await signUp(ctx.app);
    branchB = await addBranch(ctx.app, shop);
    laptop = await addListing(ctx.app, shop, { price: 249900 });
    const phone = await addListing(ctx.app, shop, {
      title: 'iPhone 15 128GB',
      price: 79900,
      currency: 'USD',
    });
    const lead = (branchId: string, listingId?: string) =>
      createLead(ctx.app, shop, { branchId, ...(listingId ? { listingId } : {}) });
    await lead(shop.branchId, laptop.id);
    await lead(shop.branchId, laptop.id);
    await lead(shop.branchId, phone.id);
    await lead(shop.branchId);
    const won = await lead(branchB, laptop.id);
    await changeLead(ctx.app, shop, won, { status: 'WON' });
  });

  const counts = async (query = '') => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/leads/counts${query}`,
      headers: shop.auth,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  it('shows each inbox row its product and current price, or null', async () => {
    const rows = (await inbox(ctx.app, shop, shop.tenantId, 'status=NEW')).items as (Lead & {
      listing: unknown;
    })[];
    expect(rows.map((row) => row.listing)).toEqual(
      expect.arrayContaining([
        { id: laptop.id, title: laptop.title, price: 249900, currency: 'PEN' },
        { id: expect.any(String), title: 'iPhone 15 128GB', price: 79900, currency: 'USD' },
        null,
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  it('counts every lead of a stage and sums its products per currency; a lead without one adds nothing', async () => {
    expect(await counts()).toEqual({
      counts: { NEW: 4, CONTACTED: 0, QUALIFIED: 0, QUOTED: 0, WON: 1, LOST: 0, DORMANT: 0 },
      total: 5,
      amounts: {
        NEW: [
          { currency: 'PEN', total: 499800 },
          { currency: 'USD', total: 79900 },
        ],
        CONTACTED: [],
        QUALIFIED: [],
        QUOTED: [],
        WON: [{ currency: 'PEN', total: 249900 }],
        LOST: [],
        DORMANT: [],
      },
    });
    expect(await counts(`?branchId=${branchB}`)).toMatchObject({
      counts: { NEW: 0, WON: 1 },
      amounts: { NEW: [], WON: [{ currency: 'PEN', total: 249900 }] },
    });
  });

  it('moves the amount with the lead', async () => {
    const usd = (await inbox(ctx.app, shop, shop.tenantId, 'status=NEW')).items.find(
      (row) => (row as Lead & { listing: { currency: string } | null }).listing?.currency === 'USD',
    );
    if (!usd) throw new Error('no USD lead');
    await changeLead(ctx.app, shop, usd, { status: 'CONTACTED' });
    expect((await counts()).amounts).toMatchObject({
      NEW: [{ currency: 'PEN', total: 499800 }],
      CONTACTED: [{ currency: 'USD', total: 79900 }],
    });
  });
});

describe('inbox filters on every enum value', () => {
  // The inbox filters on smallint codes generated from the enums; each value must find its own leads.
  it('finds the leads of each status and each priority, and only those', async () => {
    const shop = await signUp(ctx.app);
    const byStatus = new Map<string, string>();
    const targets = ['NEW', 'CONTACTED', 'QUALIFIED', 'QUOTED', 'WON', 'LOST', 'DORMANT'] as const;
    const priorities = ['HIGH', 'MEDIUM', 'LOW'] as const;
    for (const [i, status] of targets.entries()) {
      clock.advance(1000);
      const lead = await createLead(ctx.app, shop, {
        branchId: shop.branchId,
        priority: priorities[i % 3],
        contact: { name: `Cliente ${status}` },
      });
      const changed =
        status === 'NEW'
          ? lead
          : await changeLead(ctx.app, shop, lead, {
              status,
              ...(status === 'LOST' ? { lostReason: 'PRICE' } : {}),
            });
      expect(changed.status).toBe(status);
      byStatus.set(status, changed.id);
    }
    const list = async (query: string) => ids((await inbox(ctx.app, shop, shop.tenantId, query)).items);
    for (const status of targets) expect(await list(`status=${status}`)).toEqual([byStatus.get(status)]);
    // OPEN: the stages still worked, and none of WON, LOST or DORMANT.
    const open = ['NEW', 'CONTACTED', 'QUALIFIED', 'QUOTED'].map((status) => byStatus.get(status));
    expect(await list('status=OPEN&sort=-createdAt')).toEqual(open.reverse());
    for (const [p, priority] of priorities.entries()) {
      const expected = targets.filter((_, i) => i % 3 === p).map((status) => byStatus.get(status));
      expect(await list(`priority=${priority}&sort=-createdAt`)).toEqual(expected.reverse());
    }
  });
});

describe('inbox pagination', () => {
  let shop: SignedUp;
  let all: Lead[];
  const priorities = ['HIGH', 'MEDIUM', 'LOW'] as const;

  beforeAll(async () => {
    shop = await signUp(ctx.app);
    const branchB = await addBranch(ctx.app, shop);
    all = [];
    for (let i = 0; i < 23; i++) {
      // Three leads share each instant, so the id has to break ties.
      if (i % 3 === 0) clock.advance(1000);
      all.push(
        await createLead(ctx.app, shop, {
          branchId: i % 4 === 0 ? branchB : shop.branchId,
          priority: priorities[(i * 7) % 3],
          contact: { name: `Cliente ${i}` },
        }),
      );
    }
    // Activity on a few leads, some at the same instant.
    clock.advance(1000);
    for (const [i, lead] of all.entries()) {
      if (i % 5 !== 0) continue;
      if (i % 10 === 0) clock.advance(1000);
      all[i] = await changeLead(ctx.app, shop, lead, { status: 'CONTACTED' });
    }
  });

  const rank = { HIGH: 0, MEDIUM: 1, LOW: 2 };
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const expected: Record<LeadInboxQuery['sort'], (a: Lead, b: Lead) => number> = {
    priority: (a, b) =>
      compare(rank[a.priority], rank[b.priority]) || compare(a.createdAt, b.createdAt) || compare(a.id, b.id),
    '-createdAt': (a, b) => compare(b.createdAt, a.createdAt) || compare(b.id, a.id),
    '-lastActivityAt': (a, b) => compare(b.lastActivityAt, a.lastActivityAt) || compare(b.id, a.id),
    waiting: (a, b) =>
      compare(Number(a.firstResponseAt !== null), Number(b.firstResponseAt !== null)) ||
      compare(a.createdAt, b.createdAt) ||
      compare(a.id, b.id),
  };

  async function walk(query: string, limit: number) {
    const pages: Lead[][] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${cursor}` : '';
      const page = await inbox(ctx.app, shop, shop.tenantId, `${query}&limit=${limit}${suffix}`);
      pages.push(page.items);
      cursor = page.nextCursor;
      expect(pages.length).toBeLessThan(50);
    } while (cursor);
    return pages;
  }

  it.each(Object.keys(expected) as (keyof typeof expected)[])(
    'walks every page sorted by %s without duplicates or gaps',
    async (sort) => {
      const pages = await walk(`sort=${sort}`, 4);
      expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 3]);
      const walked = pages.flat();
      expect(new Set(ids(walked)).size).toBe(23);
      expect(ids(walked)).toEqual(ids([...all].sort(expected[sort])));
      expect(walked).toEqual(
        [...all]
          .sort(expected[sort])
          .map((lead) => ({ ...lead, listing: null, lastMessage: null, unreadCount: 0 })),
      );
    },
  );

  it('walks a filtered list', async () => {
    const pages = await walk('status=NEW&sort=priority', 5);
    const walked = pages.flat();
    const news = all.filter((lead) => lead.status === 'NEW').sort(expected.priority);
    expect(news.length).toBeGreaterThan(10);
    expect(ids(walked)).toEqual(ids(news));
  });

  it('walks the open stages longest-waiting first, one lead a page, across the answered and the waiting', async () => {
    const pages = await walk('status=OPEN&sort=waiting', 1);
    const open = all.filter((lead) => lead.status === 'NEW' || lead.status === 'CONTACTED');
    expect(open.some((lead) => lead.firstResponseAt !== null)).toBe(true);
    expect(ids(pages.flat())).toEqual(ids(open.sort(expected.waiting)));
  });

  it('resumes a priority-sorted list from a cursor that names the priority, one lead a page', async () => {
    const pages = await walk('sort=priority', 1);
    expect(ids(pages.flat())).toEqual(ids([...all].sort(expected.priority)));
  });

  it('walks a list filtered by status and branch at once', async () => {
    const branchId = all[1]?.branchId;
    const pages = await walk(`status=CONTACTED&branchId=${branchId}&sort=priority`, 2);
    const contacted = all
      .filter((lead) => lead.status === 'CONTACTED' && lead.branchId === branchId)
      .sort(expected.priority);
    expect(contacted.length).toBeGreaterThan(1);
    expect(ids(pages.flat())).toEqual(ids(contacted));
  });

  it('gives no cursor when the page holds exactly what is left', async () => {
    expect((await inbox(ctx.app, shop, shop.tenantId, 'limit=23')).nextCursor).toBeNull();
    const first = await inbox(ctx.app, shop, shop.tenantId, 'limit=22');
    expect(first.nextCursor).not.toBeNull();
    const last = await inbox(ctx.app, shop, shop.tenantId, `limit=22&cursor=${first.nextCursor}`);
    expect(last.items).toHaveLength(1);
    expect(last.nextCursor).toBeNull();
  });

  it('defaults to 50 a page', async () => {
    expect((await inbox(ctx.app, shop, shop.tenantId)).items).toHaveLength(23);
  });
});

describe('OpenAPI', () => {
  it('documents every lead route with its answers', async () => {
    const document = (await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/api/v1/tenants/{tenantId}/leads'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/leads/{id}'] ?? {})).toEqual(['get', 'patch']);
    expect(Object.keys(paths['/api/v1/leads/{id}/events'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/api/v1/leads/{id}/notes'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/v1/leads/{id}']?.patch?.responses ?? {})).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '422',
    ]);
  });
});
