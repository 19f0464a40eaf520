import type {
  Customer,
  CustomerDetail,
  CustomerDuplicate,
  CustomerListItem,
  Lead,
  MergedCustomers,
  Quote,
  Ticket,
} from '@techmarket/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type TestContext } from '../../../test/harness';
import { contact as contactTable, leadEvent } from '../../db/schema';
import { createLead, createLeadsTestContext, events, inbox } from '../leads/leads.fixtures';
import { getLeadStatus, leadFor, newPhone, quoteFor } from '../quotes/quotes.fixtures';
import { click, openShop, type Shop } from '../tracking/tracking.fixtures';

let ctx: TestContext;
let shop: Shop;
let other: Shop;
/** A branch in Buenos Aires, where phones are typed "(011) 15-…". */
let baBranch: string;
let baSeller: { id: string; auth: { authorization: string } };

type Caller = { auth: { authorization: string } };

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  shop = await openShop(ctx.app);
  other = await openShop(ctx.app);
  const branch = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/branches`,
    headers: shop.auth,
    payload: {
      name: 'Palermo',
      whatsappPhone: '+54 9 11 4000 1000',
      timezone: 'America/Argentina/Buenos_Aires',
    },
  });
  expect(branch.statusCode, branch.body).toBe(201);
  baBranch = branch.json().id;
  baSeller = await addUser(ctx.app, shop, 'SELLER', [baBranch]);
});
afterAll(() => ctx.close());

const listUrl = (tenantId: string) => `/api/v1/tenants/${tenantId}/contacts`;
const contactUrl = (path: string) => `/api/v1/contacts${path}`;

async function search(caller: Caller, tenantId: string, query: Record<string, string>) {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `${listUrl(tenantId)}?${new URLSearchParams(query)}`,
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: CustomerListItem[]; nextCursor: string | null };
}
const ids = (page: { items: { id: string }[] }) => page.items.map((c) => c.id);

async function getCustomer(caller: Caller, id: string) {
  const response = await ctx.app.inject({
    method: 'GET',
    url: contactUrl(`/${id}`),
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as CustomerDetail;
}

const patch = (caller: Caller, id: string, payload: Record<string, unknown>) =>
  ctx.app.inject({ method: 'PATCH', url: contactUrl(`/${id}`), headers: caller.auth, payload });

async function edit(id: string, payload: Record<string, unknown>) {
  const { version } = await getCustomer(shop, id);
  const response = await patch(shop, id, { version, ...payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Customer;
}

const baLead = (name: string, phone: string) =>
  createLead(ctx.app, shop, { branchId: baBranch, contact: { name, phone } });

describe('GET /tenants/{tenantId}/contacts', () => {
  it('finds a customer by name, e-mail, a phone typed as a person would, and a reference code', async () => {
    const lead = await baLead('Martina Gómez Ferreyra', '+54 9 11 2345 6789');
    const martina = lead.contact.id;
    await edit(martina, { email: 'Martina.Gomez@Example.com' });

    expect(ids(await search(shop, shop.tenantId, { q: 'gómez fer' }))).toEqual([martina]);
    expect(ids(await search(shop, shop.tenantId, { q: 'martina.gomez@example' }))).toEqual([martina]);
    // Buenos Aires: area code with its 0, the mobile "15", dashes; the shop has a branch there.
    expect(ids(await search(shop, shop.tenantId, { q: '(011) 15-2345-6789' }))).toEqual([martina]);
    expect(ids(await search(shop, shop.tenantId, { q: '+54 9 11 2345-6789' }))).toEqual([martina]);
    expect(ids(await search(shop, shop.tenantId, { q: '2345 6789' }))).toEqual([martina]);

    // A click known only by a visitor: its reference code is what the customer quotes.
    const clicked = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      listingId: shop.listingId,
      source: 'LISTING',
      visitorId: `v-${Date.now()}`,
    });
    expect(clicked.statusCode, clicked.body).toBe(201);
    const { leadId, refCode } = clicked.json() as { leadId: string; refCode: string };
    const visitor = (await getLeadStatus(ctx.app, shop, leadId)).contact.id;
    expect(ids(await search(shop, shop.tenantId, { q: refCode }))).toEqual([visitor]);
    expect(ids(await search(shop, shop.tenantId, { q: `Ref: ${refCode.toLowerCase()}` }))).toEqual([visitor]);
    // The inbox's q finds the lead by its code too.
    expect((await inbox(ctx.app, shop, shop.tenantId, `q=${refCode}`)).items.map((l) => l.id)).toEqual([
      leadId,
    ]);
  });

  it('filters by branch, consent, open lead and tag, and pages with a cursor', async () => {
    const lima = await leadFor(ctx.app, shop, shop, 'Lucía Flores');
    const palermo = await baLead('Diego Acosta', '+54 9 11 5555 0001');
    await edit(lima.contact.id, { tags: ['mayorista', 'gamer'] });
    const consent = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${palermo.contact.id}/consent`,
      headers: shop.auth,
      payload: { source: 'counter' },
    });
    expect(consent.statusCode, consent.body).toBe(200);
    const lost = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lima.id}`,
      headers: shop.auth,
      payload: { version: lima.version, status: 'LOST', lostReason: 'PRICE' },
    });
    expect(lost.statusCode, lost.body).toBe(200);

    const atPalermo = ids(await search(shop, shop.tenantId, { branchId: baBranch }));
    expect(atPalermo).toContain(palermo.contact.id);
    expect(atPalermo).not.toContain(lima.contact.id);
    const consenting = ids(await search(shop, shop.tenantId, { consent: 'GIVEN' }));
    expect(consenting).toEqual([palermo.contact.id]);
    expect(ids(await search(shop, shop.tenantId, { consent: 'NONE' }))).toContain(lima.contact.id);
    expect(ids(await search(shop, shop.tenantId, { tag: 'mayorista' }))).toEqual([lima.contact.id]);
    expect(ids(await search(shop, shop.tenantId, { hasOpenLead: 'false' }))).toContain(lima.contact.id);
    const open = await search(shop, shop.tenantId, { hasOpenLead: 'true' });
    expect(ids(open)).toContain(palermo.contact.id);
    expect(ids(open)).not.toContain(lima.contact.id);
    expect(open.items.find((c) => c.id === palermo.contact.id)).toMatchObject({
      openLeads: 1,
      leads: 1,
      marketingConsent: true,
    });

    const all = ids(await search(shop, shop.tenantId, { limit: '200' }));
    const first = await search(shop, shop.tenantId, { limit: '2' });
    expect(first.nextCursor).not.toBeNull();
    const second = await search(shop, shop.tenantId, { limit: '2', cursor: String(first.nextCursor) });
    expect([...ids(first), ...ids(second)]).toEqual(all.slice(0, 4));
  });

  it("shows a seller the customers of their branches only, and another shop's none", async () => {
    const palermo = await baLead('Valentina Ríos', '+54 9 11 5555 0002');
    const lima = await leadFor(ctx.app, shop, shop, 'Carmen Salas');
    const seller = shop.sellers[0];
    if (!seller) throw new Error('the shop has sellers');
    const theirs = ids(await search(seller, shop.tenantId, { limit: '200' }));
    expect(theirs).toContain(lima.contact.id);
    expect(theirs).not.toContain(palermo.contact.id);
    expect(ids(await search(baSeller, shop.tenantId, { q: 'Valentina' }))).toEqual([palermo.contact.id]);
    expect(ids(await search(seller, shop.tenantId, { branchId: baBranch }))).toEqual([]);
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: contactUrl(`/${palermo.contact.id}`),
        headers: seller.auth,
      }),
      404,
    );

    // Another shop: its list is 404 for this shop's people, its customers 404 by id.
    problem(await ctx.app.inject({ method: 'GET', url: listUrl(other.tenantId), headers: shop.auth }), 404);
    for (const path of ['', '/timeline', '/duplicates']) {
      problem(
        await ctx.app.inject({
          method: 'GET',
          url: contactUrl(`/${lima.contact.id}${path}`),
          headers: other.auth,
        }),
        404,
      );
    }
    problem(await patch(other, lima.contact.id, { version: 1, name: 'X' }), 404);
  });
});

describe('GET /contacts/{id}', () => {
  it('shows every lead, ticket, quote, message and consent change across branches, newest first, paged', async () => {
    const phone = newPhone();
    const lima = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'Pedro Castillo', phone },
      message: 'Busco una laptop para la universidad',
    });
    const palermo = await createLead(ctx.app, shop, { branchId: baBranch, contact: { phone } });
    expect(palermo.contact.id).toBe(lima.contact.id);
    const quote = await quoteFor(ctx.app, shop, lima, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    const ticket = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${palermo.id}/convert-to-ticket`,
      headers: shop.auth,
      payload: { subject: 'Pantalla rota' },
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    const optOut = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${lima.contact.id}/opt-out`,
      headers: shop.auth,
    });
    expect(optOut.statusCode, optOut.body).toBe(200);

    const detail = await getCustomer(shop, lima.contact.id);
    expect(detail).toMatchObject({ name: 'Pedro Castillo', optedOutAt: expect.any(String) });
    expect(detail.leads.map((l) => l.id).sort()).toEqual([lima.id, palermo.id].sort());
    expect(detail.tickets.map((t) => t.subject)).toEqual(['Pantalla rota']);
    const kinds = detail.timeline.items.map((i) => `${i.kind}:${i.type}`);
    expect(kinds).toContain(`QUOTE:DRAFT`);
    expect(kinds).toContain(`TICKET:OPEN`);
    expect(kinds).toContain('EVENT:CONSENT_CHANGED');
    expect(kinds).toContain('EVENT:MESSAGE_RECEIVED');
    expect(kinds.filter((k) => k === 'EVENT:CREATED')).toHaveLength(2);
    // The quote and the ticket show once, as themselves.
    expect(kinds).not.toContain('EVENT:QUOTE_CREATED');
    expect(kinds).not.toContain('EVENT:TICKET_CREATED');
    expect(detail.timeline.items.find((i) => i.kind === 'QUOTE')).toMatchObject({
      id: quote.id,
      leadId: lima.id,
      data: { number: quote.number, total: quote.total, currency: 'PEN' },
    });
    const times = detail.timeline.items.map((i) => i.at);
    expect(times).toEqual(times.toSorted().reverse());
    expect(new Set(detail.timeline.items.map((i) => i.branchId))).toEqual(new Set([shop.branchId, baBranch]));

    // Paged: the pages put together are the whole timeline.
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const response = await ctx.app.inject({
        method: 'GET',
        url: contactUrl(`/${lima.contact.id}/timeline${query}`),
        headers: shop.auth,
      });
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { items: { id: string }[]; nextCursor: string | null };
      pages.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(detail.timeline.items.map((i) => i.id));
  });
});

describe('PATCH /contacts/{id}', () => {
  it('edits name, phone (E.164), e-mail, tags and notes; 422 on a bad phone, 409 on a stale version', async () => {
    const lead = await leadFor(ctx.app, shop, shop, 'Ana Torres');
    const id = lead.contact.id;
    const before = await getCustomer(shop, id);
    const response = await patch(shop, id, {
      version: before.version,
      name: 'Ana María Torres',
      phone: '987 000 111',
      email: 'ana@example.com',
      tags: ['vip', 'vip', 'gamer'],
      notes: 'Prefiere que le escriban por la tarde',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'Ana María Torres',
      phone: '+51987000111',
      email: 'ana@example.com',
      tags: ['vip', 'gamer'],
      notes: 'Prefiere que le escriban por la tarde',
      version: before.version + 1,
    });

    const bad = problem(await patch(shop, id, { version: before.version + 1, phone: '123456' }), 422);
    expect(bad.errors?.[0]?.path).toBe('phone');
    const malformed = problem(
      await patch(shop, id, { version: before.version + 1, email: 'no-es-correo' }),
      400,
    );
    expect(malformed.errors?.[0]?.path).toBe('body.email');
    const stale = problem(await patch(shop, id, { version: before.version, name: 'Otra' }), 409);
    expect(stale.errors?.[0]?.path).toBe('version');
    expect((await getCustomer(shop, id)).name).toBe('Ana María Torres');
  });
});

describe('duplicates and merge', () => {
  it('suggests the same phone and a close name on the same digits, and merges keeping everything of both', async () => {
    const keep = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'José Pérez Quispe', phone: '+51 987 111 222' },
    });
    const dupe = await leadFor(ctx.app, shop, shop, 'Pepe');
    // The duplicate's record gets the same number (typed at the counter): two records of one person.
    await edit(dupe.contact.id, { phone: String(keep.contact.phone), tags: ['taller'] });
    // A close name under another country's code with the same 8 last digits.
    const chile = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'Jose Perez Quispe', phone: '+56 9 8711 1222' },
    });
    const stranger = await leadFor(ctx.app, shop, shop, 'José Pérez Quispe');

    const found = await ctx.app.inject({
      method: 'GET',
      url: contactUrl(`/${keep.contact.id}/duplicates`),
      headers: shop.auth,
    });
    expect(found.statusCode, found.body).toBe(200);
    const items = (found.json() as { items: CustomerDuplicate[] }).items;
    const byId = new Map(items.map((d) => [d.customer.id, d]));
    expect(byId.get(dupe.contact.id)?.reasons).toEqual(['SAME_PHONE']);
    expect(byId.get(chile.contact.id)?.reasons).toEqual(['SIMILAR_NAME_SAME_DIGITS']);
    expect(byId.has(stranger.contact.id)).toBe(false);
    expect(byId.get(dupe.contact.id)?.belongings).toMatchObject({ leads: 1, tickets: 0, quotes: 0 });

    // The duplicate has a quote, a ticket, a consent change and its history.
    const quote = await quoteFor(ctx.app, shop, dupe, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    const ticket = await ctx.app.inject({
      method: 'POST',
      url: contactUrl(`/${dupe.contact.id}/tickets`),
      headers: shop.auth,
      payload: { branchId: shop.branchId, subject: 'Cambio de batería' },
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    const consent = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${dupe.contact.id}/consent`,
      headers: shop.auth,
      payload: { source: 'counter' },
    });
    expect(consent.statusCode, consent.body).toBe(200);
    const dupeHistory = await events(ctx.app, shop, dupe.id);

    const { version } = await getCustomer(shop, keep.contact.id);
    const stale = problem(
      await ctx.app.inject({
        method: 'POST',
        url: contactUrl(`/${keep.contact.id}/merge`),
        headers: shop.auth,
        payload: { duplicateId: dupe.contact.id, version: version + 5 },
      }),
      409,
    );
    expect(stale.errors?.[0]?.path).toBe('version');
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: contactUrl(`/${keep.contact.id}/merge`),
        headers: shop.auth,
        payload: { duplicateId: keep.contact.id },
      }),
      422,
    );

    const merged = await ctx.app.inject({
      method: 'POST',
      url: contactUrl(`/${keep.contact.id}/merge`),
      headers: shop.auth,
      payload: { duplicateId: dupe.contact.id, version },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const answer = merged.json() as MergedCustomers;
    // The survivor as its page reads it, and what moved.
    expect(answer).toMatchObject({
      id: keep.contact.id,
      name: 'José Pérez Quispe',
      tags: ['taller'],
      marketingConsent: true,
      version: version + 1,
      merged: {
        duplicateId: dupe.contact.id,
        moved: { leads: 1, tickets: 1, quotes: 1, consentChanges: 1, events: dupeHistory.length },
      },
    });
    expect(answer.notes).toContain('Pepe');
    const { merged: _, ...survivor } = answer;
    const after = await getCustomer(shop, keep.contact.id);
    expect(survivor).toEqual(after);
    expect(after.leads.map((l) => l.id).sort()).toEqual([keep.id, dupe.id].sort());
    expect(after.tickets).toHaveLength(1);
    expect(after.timeline.items.some((i) => i.kind === 'QUOTE' && i.id === quote.id)).toBe(true);
    // The moved lead keeps its whole history, plus the merge.
    const moved = await events(ctx.app, shop, dupe.id);
    expect(moved.slice(0, dupeHistory.length).map((e) => e.id)).toEqual(dupeHistory.map((e) => e.id));
    expect(moved.at(-1)).toMatchObject({ type: 'CONTACTS_MERGED' });
    const merges = await ctx.owner.db.select().from(leadEvent).where(eq(leadEvent.type, 'CONTACTS_MERGED'));
    expect(merges.map((e) => e.leadId).sort()).toEqual([keep.id, dupe.id].sort());
    // The other record is gone; its lead answers with the survivor.
    expect(
      await ctx.owner.db.select().from(contactTable).where(eq(contactTable.id, dupe.contact.id)),
    ).toHaveLength(0);
    expect((await getLeadStatus(ctx.app, shop, dupe.id)).contact.id).toBe(keep.contact.id);
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: contactUrl(`/${dupe.contact.id}`),
        headers: shop.auth,
      }),
      404,
    );
  });

  it("cannot merge another shop's customer, nor one a seller may not see", async () => {
    const mine = await leadFor(ctx.app, shop, shop, 'Rosa Huamán');
    const theirs = await leadFor(ctx.app, other, other, 'Rosa Huamán');
    const palermo = await baLead('Rosa Huamán', '+54 9 11 5555 0003');
    const { version } = await getCustomer(shop, mine.contact.id);
    const merge = (caller: Caller, id: string, duplicateId: string) =>
      ctx.app.inject({
        method: 'POST',
        url: contactUrl(`/${id}/merge`),
        headers: caller.auth,
        payload: { duplicateId, version },
      });
    problem(await merge(shop, mine.contact.id, theirs.contact.id), 404);
    problem(await merge(other, theirs.contact.id, mine.contact.id), 404);
    problem(await merge(shop, theirs.contact.id, mine.contact.id), 404);
    const seller = shop.sellers[0];
    if (!seller) throw new Error('the shop has sellers');
    problem(await merge(seller, mine.contact.id, palermo.contact.id), 404);
    // Nothing moved.
    expect((await getCustomer(other, theirs.contact.id)).leads).toHaveLength(1);
    expect((await getCustomer(shop, mine.contact.id)).version).toBe(version);
  });
});

describe('tickets first', () => {
  it('opens a ticket for a customer without a lead, and quotes it with a labour line: the ticket gets a lead', async () => {
    const customer = (await leadFor(ctx.app, shop, shop, 'Miguel Torres')).contact.id;
    const open = (caller: Caller, payload: Record<string, unknown>) =>
      ctx.app.inject({
        method: 'POST',
        url: contactUrl(`/${customer}/tickets`),
        headers: caller.auth,
        payload,
      });
    const seller = shop.sellers[0];
    if (!seller) throw new Error('the shop has sellers');
    problem(await open(seller, { branchId: baBranch, subject: 'No carga' }), 422);
    problem(await open(shop, { subject: 'Sin sucursal' }), 400);
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: contactUrl(`/${customer}/tickets`),
        headers: other.auth,
        payload: { branchId: other.branchId, subject: 'Ajeno' },
      }),
      404,
    );
    const response = await open(seller, {
      branchId: shop.branchId,
      subject: 'Laptop no carga',
      device: { type: 'Laptop', brand: 'HP' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const ticket = response.json() as Ticket;
    expect(ticket).toMatchObject({
      leadId: null,
      contact: { id: customer, name: 'Miguel Torres' },
      status: 'OPEN',
      assignedToUserId: seller.id,
    });

    // Parts from the catalog and the labour as a free-text line, priced by the seller.
    const quoted = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/create-quote`,
      headers: seller.auth,
      payload: {
        items: [
          { listingId: shop.listingId, quantity: 1 },
          { title: 'Mano de obra: cambio de puerto de carga', quantity: 1, unitPrice: 8000 },
        ],
      },
    });
    expect(quoted.statusCode, quoted.body).toBe(201);
    const quote = quoted.json() as Quote;
    expect(quote).toMatchObject({ ticketId: ticket.id, currency: 'PEN', contact: { id: customer } });
    expect(quote.items.map((i) => [i.listingId, i.title, i.unitPrice, i.stockAtQuote])).toEqual([
      [shop.listingId, expect.any(String), 249900, 4],
      [null, 'Mano de obra: cambio de puerto de carga', 8000, null],
    ]);
    expect(quote.total).toBe(249900 + 8000);
    expect(quote.warnings).toEqual([]);

    const lead: Lead = await getLeadStatus(ctx.app, shop, quote.leadId);
    expect(lead).toMatchObject({
      status: 'QUOTED',
      source: 'MANUAL',
      leadType: 'SERVICE',
      contact: { id: customer },
    });
    const history = (await events(ctx.app, shop, lead.id)).map((e) => e.type);
    expect(history).toEqual(
      expect.arrayContaining(['CREATED', 'TICKET_CREATED', 'QUOTE_CREATED', 'STATUS_CHANGED']),
    );
    const reread = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: seller.auth,
    });
    expect(reread.json()).toMatchObject({ leadId: lead.id });

    // A second quote of the ticket goes on the same lead; a quote of labour alone is in the shop's currency.
    const labour = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/create-quote`,
      headers: shop.auth,
      payload: { items: [{ title: 'Diagnóstico', quantity: 1, unitPrice: 3000 }] },
    });
    expect(labour.statusCode, labour.body).toBe(201);
    expect(labour.json()).toMatchObject({ leadId: lead.id, currency: 'PEN', total: 3000 });

    // A free line needs its price; a line is a listing or a title, not both.
    const noPrice = problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/create-quote`,
        headers: shop.auth,
        payload: { items: [{ title: 'Mano de obra', quantity: 1 }] },
      }),
      400,
    );
    expect(noPrice.errors?.[0]?.path).toBe('body.items.0.unitPrice');
    // Another shop's ticket, and a seller of another branch: 404.
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/create-quote`,
        headers: other.auth,
        payload: { items: [{ title: 'X', quantity: 1, unitPrice: 1 }] },
      }),
      404,
    );
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/create-quote`,
        headers: baSeller.auth,
        payload: { items: [{ title: 'X', quantity: 1, unitPrice: 1 }] },
      }),
      404,
    );
  });
});
