import type { Ticket } from '@techmarket/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type TestContext } from '../../../test/harness';
import { ticket as ticketTable } from '../../db/schema';
import { addBranch, changeLead, createLeadsTestContext, events, manualClock } from '../leads/leads.fixtures';
import { getLeadStatus, leadFor } from '../quotes/quotes.fixtures';
import { openShop, type Shop } from '../tracking/tracking.fixtures';

// Monday 2030-03-04 14:00 UTC is 09:00 in Lima.
const clock = manualClock(new Date('2030-03-04T14:00:00.000Z'));
const HOUR = 3_600_000;
let ctx: TestContext;
let shop: Shop;
let other: Shop;

/** Monday to Friday 09:00-18:00, Saturday 09:00-13:00, in Lima. */
const SHOP_HOURS = {
  mon: [{ open: '09:00', close: '18:00' }],
  tue: [{ open: '09:00', close: '18:00' }],
  wed: [{ open: '09:00', close: '18:00' }],
  thu: [{ open: '09:00', close: '18:00' }],
  fri: [{ open: '09:00', close: '18:00' }],
  sat: [{ open: '09:00', close: '13:00' }],
};

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  shop = await openShop(ctx.app);
  other = await openShop(ctx.app);
  const hours = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}`,
    headers: shop.auth,
    payload: { businessHours: SHOP_HOURS },
  });
  expect(hours.statusCode, hours.body).toBe(200);
});
afterAll(() => ctx.close());

const seller = () => {
  const first = shop.sellers[0];
  if (!first) throw new Error('the shop was opened with sellers');
  return first;
};
const convert = (
  caller: { auth: Record<string, string> },
  leadId: string,
  payload: Record<string, unknown> = {},
) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/leads/${leadId}/convert-to-ticket`,
    headers: caller.auth,
    payload,
  });
const patchTicket = (
  caller: { auth: Record<string, string> },
  id: string,
  payload: Record<string, unknown>,
) => ctx.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${id}`, headers: caller.auth, payload });

describe('POST /leads/{id}/convert-to-ticket', () => {
  it('opens a ticket with its SLA in business hours, records TICKET_CREATED and qualifies the lead', async () => {
    const lead = await leadFor(ctx.app, shop, seller(), 'Miguel Torres');
    // Friday 16:00 in Lima: a MEDIUM ticket (24 business hours) runs 2 h Friday, 4 h Saturday,
    // 9 h Monday and Tuesday: due Tuesday 18:00 Lima.
    clock.advance(4 * 24 * HOUR + 7 * HOUR);
    const response = await convert(seller(), lead.id, {
      subject: 'Laptop no enciende',
      description: 'Se apagó y no vuelve a prender; tiene garantía',
      device: { type: 'Laptop', brand: 'Lenovo', model: 'IdeaPad 3', serial: 'PF3X9K2' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const ticket = response.json() as Ticket;
    expect(ticket).toMatchObject({
      leadId: lead.id,
      branchId: shop.branchId,
      contact: { id: lead.contact.id, name: 'Miguel Torres' },
      subject: 'Laptop no enciende',
      device: { type: 'Laptop', brand: 'Lenovo', model: 'IdeaPad 3', serial: 'PF3X9K2' },
      status: 'OPEN',
      priority: 'MEDIUM',
      slaHours: 24,
      slaDueAt: '2030-03-12T23:00:00.000Z',
      slaBreached: false,
      assignedToUserId: seller().id,
      createdByUserId: seller().id,
      resolvedAt: null,
      version: 1,
    });

    const moved = await getLeadStatus(ctx.app, shop, lead.id);
    expect(moved.status).toBe('QUALIFIED');
    expect(moved.firstResponseAt).toBe(clock.now().toISOString());
    const history = (await events(ctx.app, shop, lead.id)).filter((e) => e.type !== 'AI_SUGGESTED');
    expect(history.slice(-2).map((e) => [e.type, e.payload])).toEqual([
      [
        'TICKET_CREATED',
        { ticketId: ticket.id, subject: 'Laptop no enciende', priority: 'MEDIUM', slaDueAt: ticket.slaDueAt },
      ],
      ['STATUS_CHANGED', { from: 'NEW', to: 'QUALIFIED', ticketId: ticket.id }],
    ]);

    // A second conversion answers 409 with the ticket the lead has.
    const again = problem(await convert(shop, lead.id, { subject: 'Otra vez' }), 409);
    expect((again as unknown as { ticket: Ticket }).ticket).toEqual(ticket);
    expect(await ctx.owner.db.select().from(ticketTable).where(eq(ticketTable.leadId, lead.id))).toHaveLength(
      1,
    );
  });

  it('takes the priority given, with the SLA the shop set for it, and a default subject', async () => {
    const set = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/commerce-settings`,
      headers: shop.auth,
      payload: { slaHours: { HIGH: 3 } },
    });
    expect(set.statusCode, set.body).toBe(200);
    const lead = await leadFor(ctx.app, shop, shop, 'Ana Lucía Paredes');
    const contacted = await changeLead(ctx.app, shop, lead, { status: 'CONTACTED' });
    // Now: Friday 16:00 Lima. HIGH = 3 h: 2 h on Friday, 1 h from Saturday 09:00.
    const ticket = (await convert(shop, lead.id, { priority: 'HIGH' })).json() as Ticket;
    expect(ticket).toMatchObject({
      subject: 'Servicio técnico - Ana Lucía Paredes',
      priority: 'HIGH',
      slaHours: 3,
      slaDueAt: '2030-03-09T15:00:00.000Z',
      device: null,
      description: null,
    });
    expect((await getLeadStatus(ctx.app, shop, lead.id)).status).toBe('QUALIFIED');
    expect(contacted.status).toBe('CONTACTED');
  });

  it("skips the shop's holidays when it counts the SLA", async () => {
    const holidays = (days: string[]) =>
      ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/tenants/${shop.tenantId}/followup-policy`,
        headers: shop.auth,
        payload: { holidays: days },
      });
    // Saturday 2030-03-09 is a holiday: a HIGH ticket (3 h) at Friday 16:00 Lima runs 2 h Friday and
    // 1 h on Monday from 09:00, not on Saturday.
    expect((await holidays(['2030-03-09'])).statusCode).toBe(200);
    try {
      const lead = await leadFor(ctx.app, shop, shop, 'Rosa Feriado');
      const ticket = (await convert(shop, lead.id, { priority: 'HIGH' })).json() as Ticket;
      expect(ticket.slaDueAt).toBe('2030-03-11T15:00:00.000Z');
    } finally {
      expect((await holidays([])).statusCode).toBe(200);
    }
  });

  it('leaves a lead already past QUALIFIED where it is', async () => {
    const lead = await leadFor(ctx.app, shop);
    await changeLead(ctx.app, shop, lead, { status: 'WON' });
    const response = await convert(shop, lead.id, { subject: 'Garantía de la compra' });
    expect(response.statusCode, response.body).toBe(201);
    expect((await getLeadStatus(ctx.app, shop, lead.id)).status).toBe('WON');
    const types = (await events(ctx.app, shop, lead.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'STATUS_CHANGED')).toHaveLength(1);
    expect(types).toContain('TICKET_CREATED');
  });

  it('converts with the defaults when the POST has no body at all', async () => {
    const lead = await leadFor(ctx.app, shop);
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${lead.id}/convert-to-ticket`,
      headers: shop.auth,
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ leadId: lead.id, priority: lead.priority ?? 'MEDIUM' });
  });

  it('makes one ticket of two conversions at once', async () => {
    const lead = await leadFor(ctx.app, shop);
    const answers = await Promise.all([convert(shop, lead.id), convert(seller(), lead.id)]);
    expect(answers.map((a) => a.statusCode).toSorted()).toEqual([201, 409]);
    expect(await ctx.owner.db.select().from(ticketTable).where(eq(ticketTable.leadId, lead.id))).toHaveLength(
      1,
    );
  });

  it('names the field of bad input', async () => {
    const lead = await leadFor(ctx.app, shop);
    const cases: [Record<string, unknown>, string][] = [
      [{ priority: 'URGENT' }, 'body.priority'],
      [{ subject: '' }, 'body.subject'],
      [{ subject: 'x'.repeat(201) }, 'body.subject'],
      [{ device: { serial: 42 } }, 'body.device.serial'],
    ];
    for (const [payload, path] of cases) {
      const body = problem(await convert(shop, lead.id, payload), 400);
      expect(body.errors?.map((e) => e.path)).toContain(path);
    }
    expect((await getLeadStatus(ctx.app, shop, lead.id)).status).toBe('NEW');
  });
});

describe('PATCH /tickets/{id}', () => {
  it('moves through its statuses, stamping resolution, and refuses what the workflow forbids', async () => {
    const lead = await leadFor(ctx.app, shop);
    let ticket = (await convert(shop, lead.id)).json() as Ticket;
    const step = async (payload: Record<string, unknown>) => {
      const response = await patchTicket(shop, ticket.id, { version: ticket.version, ...payload });
      expect(response.statusCode, response.body).toBe(200);
      ticket = response.json();
      return ticket;
    };
    await step({ status: 'IN_PROGRESS' });
    await step({ status: 'WAITING_CUSTOMER' });
    clock.advance(HOUR);
    expect(await step({ status: 'RESOLVED' })).toMatchObject({
      resolvedAt: clock.now().toISOString(),
      version: 4,
    });
    expect(await step({ status: 'IN_PROGRESS' })).toMatchObject({ resolvedAt: null });
    expect(await step({ status: 'CLOSED' })).toMatchObject({
      closedAt: clock.now().toISOString(),
      resolvedAt: clock.now().toISOString(),
    });
    const closed = problem(
      await patchTicket(shop, ticket.id, { status: 'OPEN', version: ticket.version }),
      422,
    );
    expect(closed.errors).toEqual([{ path: 'status', message: expect.stringContaining('allowed: none') }]);
    problem(await patchTicket(shop, ticket.id, { status: 'IN_PROGRESS', version: ticket.version - 1 }), 409);
    problem(await patchTicket(shop, ticket.id, { version: ticket.version }), 400);
    problem(await patchTicket(shop, ticket.id, { status: 'DONE', version: ticket.version }), 400);
  });

  it('recomputes the SLA from the creation when the priority changes, and flags a breach', async () => {
    const lead = await leadFor(ctx.app, shop);
    const ticket = (await convert(shop, lead.id, { priority: 'LOW' })).json() as Ticket;
    expect(ticket.slaHours).toBe(48);
    const urgent = await patchTicket(shop, ticket.id, { priority: 'HIGH', version: ticket.version });
    expect(urgent.statusCode, urgent.body).toBe(200);
    expect(urgent.json()).toMatchObject({ priority: 'HIGH', slaHours: 3, slaBreached: false });
    clock.advance(7 * 24 * HOUR);
    const late = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: shop.auth,
    });
    expect(late.json()).toMatchObject({ slaBreached: true });
  });

  it('assigns only to someone who works the branch', async () => {
    const lead = await leadFor(ctx.app, shop);
    const ticket = (await convert(shop, lead.id)).json() as Ticket;
    const elsewhere = await addUser(ctx.app, shop, 'SELLER', [await addBranch(ctx.app, shop, 'Cusco')]);
    const refused = problem(
      await patchTicket(shop, ticket.id, { assignedToUserId: elsewhere.id, version: ticket.version }),
      422,
    );
    expect(refused.errors?.[0]?.path).toBe('assignedToUserId');
    const given = await patchTicket(shop, ticket.id, {
      assignedToUserId: seller().id,
      version: ticket.version,
    });
    expect(given.json()).toMatchObject({ assignedToUserId: seller().id });
  });
});

describe('GET /tenants/{tenantId}/tickets and /tickets/{id}', () => {
  it('lists the soonest due first, filters, pages, and keeps to the caller’s tenant and branches', async () => {
    const fresh = await openShop(ctx.app, { sellers: 1 });
    const made: Ticket[] = [];
    for (const priority of ['LOW', 'HIGH', 'MEDIUM']) {
      const lead = await leadFor(ctx.app, fresh);
      made.push((await convert(fresh, lead.id, { priority })).json());
    }
    const url = `/api/v1/tenants/${fresh.tenantId}/tickets`;
    const list = async (query: string, caller: { auth: Record<string, string> } = fresh) => {
      const response = await ctx.app.inject({ method: 'GET', url: `${url}${query}`, headers: caller.auth });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { items: Ticket[]; nextCursor: string | null };
    };
    const first = await list('?limit=2');
    expect(first.items.map((t) => t.priority)).toEqual(['HIGH', 'MEDIUM']);
    const rest = await list(`?limit=2&cursor=${first.nextCursor}`);
    expect(rest).toMatchObject({ nextCursor: null });
    expect(rest.items.map((t) => t.priority)).toEqual(['LOW']);
    expect((await list('?priority=HIGH')).items.map((t) => t.id)).toEqual([made[1]?.id]);
    expect((await list('?sort=-createdAt')).items.map((t) => t.id)).toEqual(made.map((t) => t.id).reverse());
    expect((await list('?open=false')).items).toEqual([]);
    expect((await list(`?leadId=${made[0]?.leadId}`)).items.map((t) => t.id)).toEqual([made[0]?.id]);
    // The seller of the branch sees them; a seller of another branch sees none.
    expect((await list('', fresh.sellers[0])).items).toHaveLength(3);
    const elsewhere = await addUser(ctx.app, fresh, 'SELLER', [await addBranch(ctx.app, fresh, 'Trujillo')]);
    expect((await list('', elsewhere)).items).toEqual([]);
    problem(
      await ctx.app.inject({ method: 'GET', url: `/api/v1/tickets/${made[0]?.id}`, headers: elsewhere.auth }),
      404,
    );
    problem(await ctx.app.inject({ method: 'GET', url: `${url}?cursor=bm9wZQ`, headers: fresh.auth }), 400);
  });

  it("answers 404 for another tenant's tickets and leads", async () => {
    const lead = await leadFor(ctx.app, shop);
    const ticket = (await convert(shop, lead.id)).json() as Ticket;
    problem(
      await ctx.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: other.auth }),
      404,
    );
    problem(await patchTicket(other, ticket.id, { status: 'IN_PROGRESS', version: ticket.version }), 404);
    problem(await convert(other, lead.id), 404);
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/tickets`,
        headers: other.auth,
      }),
      404,
    );
    problem(await ctx.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}` }), 401);
    const mine = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: shop.auth,
    });
    expect(mine.json()).toMatchObject({ id: ticket.id, status: 'OPEN' });
  });
});
