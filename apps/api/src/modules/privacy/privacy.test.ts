import type { Lead } from '@techmarket/contracts';
import { addMonths } from 'date-fns';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type TestContext } from '../../../test/harness';
import { contact, privacyAudit } from '../../db/schema';
import { changeLead, createLead, createLeadsTestContext, manualClock } from '../leads/leads.fixtures';
import { openShop, type Shop } from '../tracking/tracking.fixtures';
import { retentionSweepJob } from './privacy.jobs';

const clock = manualClock(new Date('2030-03-01T14:00:00.000Z'));
const DAY = 86_400_000;
let ctx: TestContext;
let shop: Shop;
let other: Shop;
let manager: { id: string; auth: { authorization: string } };

type Caller = { auth: { authorization: string } };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
const call = (caller: Caller, method: Method, url: string, payload?: unknown) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: caller.auth, ...(payload ? { payload } : {}) });

async function ok(caller: Caller, method: Method, url: string, payload?: unknown) {
  const response = await call(caller, method, url, payload);
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response;
}

/** Rows of every tenant-owned table of the shop whose text holds any of the needles. */
async function rowsHolding(tenantId: string, needles: string[]) {
  const tables = await ctx.owner.pool.query<{ table_name: string }>(
    `select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'tenant_id'
        and table_name in (select table_name from information_schema.tables where table_type = 'BASE TABLE')`,
  );
  const found: string[] = [];
  for (const { table_name: table } of tables.rows) {
    const result = await ctx.owner.pool.query(
      `select t::text as row from "${table}" t where tenant_id = $1 and t::text ilike any($2)`,
      [tenantId, needles.map((n) => `%${n}%`)],
    );
    for (const row of result.rows) found.push(`${table}: ${row.row}`);
  }
  return found;
}

const kpis = async (caller: Caller, tenantId: string) =>
  (
    await ok(caller, 'GET', `/tenants/${tenantId}/kpis?from=2029-01-01T00:00:00Z&to=2031-01-01T00:00:00Z`)
  ).json().totals as { leads: number; won: number; lost: number };

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  shop = await openShop(ctx.app);
  other = await openShop(ctx.app);
  manager = await addUser(ctx.app, shop, 'MANAGER');
});
afterAll(() => ctx.close());

describe("a customer's data, handed over and erased", () => {
  let lead: Lead;

  beforeAll(async () => {
    lead = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'Ana Pérez Quispe', phone: '987 222 333' },
      listingId: shop.listingId,
      message: 'Hola, soy Ana Pérez Quispe, escríbeme a anaperez@correo.pe',
    });
    await ok(shop, 'POST', `/leads/${lead.id}/notes`, { text: 'Ana Pérez Quispe pasa el sábado' });
    await ok(shop, 'POST', `/contacts/${lead.contact.id}/consent`, { source: 'en tienda' });
    await ok(shop, 'POST', `/leads/${lead.id}/create-quote`, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
      notes: 'Entregar a Ana Pérez Quispe',
    });
    await ok(shop, 'POST', `/leads/${lead.id}/convert-to-ticket`, {
      subject: 'Laptop de Ana Pérez Quispe',
      description: 'La laptop de Ana Pérez Quispe no carga',
    });
    // What a person wrote on the customer's page: tags and notes are theirs too.
    const customerUrl = `/contacts/${lead.contact.id}`;
    const { version } = (await ok(shop, 'GET', customerUrl)).json() as { version: number };
    await ok(shop, 'PATCH', customerUrl, {
      version,
      tags: ['vecina-del-taller'],
      notes: 'Ana Pérez Quispe paga en efectivo',
    });
    const current = (await ok(shop, 'GET', `/leads/${lead.id}`)).json() as Lead;
    const valued = await changeLead(ctx.app, shop, current, { value: 189900, currency: 'PEN' });
    await changeLead(ctx.app, shop, valued, { status: 'WON' });
  });

  it('hands an owner or manager everything held on the customer, as JSON and as a page, and audits it', async () => {
    const json = (await ok(manager, 'GET', `/contacts/${lead.contact.id}/data-export`)).json();
    expect(json.contact).toMatchObject({
      name: 'Ana Pérez Quispe',
      phone: '+51987222333',
      tags: ['vecina-del-taller'],
      notes: 'Ana Pérez Quispe paga en efectivo',
    });
    expect(json.leads).toHaveLength(1);
    expect(json.notes[0].text).toBe('Ana Pérez Quispe pasa el sábado');
    expect(json.tickets).toHaveLength(1);
    expect(json.quotes).toHaveLength(1);
    expect(json.consentHistory).toHaveLength(1);
    expect(json.events.map((e: { type: string }) => e.type)).toContain('MESSAGE_RECEIVED');

    const page = await ok(shop, 'GET', `/contacts/${lead.contact.id}/data-export?format=html`);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Ana Pérez Quispe pasa el sábado');

    problem(await call(shop.sellers[0] as Caller, 'GET', `/contacts/${lead.contact.id}/data-export`), 403);
    problem(await call(other, 'GET', `/contacts/${lead.contact.id}/data-export`), 404);
  });

  it('lets only the owner erase, with confirmation, and never another shop', async () => {
    const url = `/contacts/${lead.contact.id}/erase`;
    problem(await call(manager, 'POST', url, { confirm: true }), 403);
    problem(await call(shop.sellers[0] as Caller, 'POST', url, { confirm: true }), 403);
    expect(problem(await call(shop, 'POST', url, {}), 400).errors?.[0]?.path).toContain('confirm');
    problem(await call(other, 'POST', url, { confirm: true }), 404);
  });

  it('erases every personal datum, keeps the lead, its figures and the consent history', async () => {
    const before = await kpis(shop, shop.tenantId);
    const needles = ['Ana Pérez', 'anaperez@correo.pe', '987222333', 'vecina-del-taller'];
    expect((await rowsHolding(shop.tenantId, needles)).length).toBeGreaterThan(3);

    const erased = (await ok(shop, 'POST', `/contacts/${lead.contact.id}/erase`, { confirm: true })).json();
    expect(erased).toMatchObject({
      contactId: lead.contact.id,
      erasedByUserId: shop.ownerId,
      leads: 1,
      notes: 1,
    });

    expect(await rowsHolding(shop.tenantId, needles)).toEqual([]);
    expect(await kpis(shop, shop.tenantId)).toEqual(before);
    const kept = (await ok(shop, 'GET', `/leads/${lead.id}`)).json();
    expect(kept).toMatchObject({ status: 'WON', contact: { name: null, phone: null } });
    const [row] = await ctx.owner.db
      .select({ tags: contact.tags, notes: contact.notes, erasedAt: contact.erasedAt })
      .from(contact)
      .where(eq(contact.id, lead.contact.id));
    expect(row).toMatchObject({ tags: [], notes: null });
    expect(row?.erasedAt).not.toBeNull();
    const history = (await ok(shop, 'GET', `/leads/${lead.id}/events`)).json().items as { type: string }[];
    expect(history.filter((e) => e.type === 'CONSENT_CHANGED')).toHaveLength(1);
    expect(history.filter((e) => e.type === 'STATUS_CHANGED').length).toBeGreaterThan(0);
    // A value change holds figures only ({from, to, currency}): kept like the other figure events.
    const valueChange = history.find((e) => e.type === 'VALUE_CHANGED') as { payload?: unknown } | undefined;
    expect(valueChange?.payload).toMatchObject({ to: 189900, currency: 'PEN' });

    problem(await call(shop, 'POST', `/contacts/${lead.contact.id}/erase`, { confirm: true }), 409);
    // The customers list (and so its search) leaves the erased customer out; their page says they were erased.
    const listed = (await ok(shop, 'GET', `/tenants/${shop.tenantId}/contacts?limit=200`)).json().items as {
      id: string;
    }[];
    expect(listed.map((c) => c.id)).not.toContain(lead.contact.id);
    const page = (await ok(shop, 'GET', `/contacts/${lead.contact.id}`)).json();
    expect(page).toMatchObject({ name: null, phone: null, erasedAt: expect.any(String) });
    const audit = (await ok(shop, 'GET', `/contacts/${lead.contact.id}/privacy-audit`)).json().items;
    expect(audit.map((a: { action: string; actorUserId: string }) => [a.action, a.actorUserId])).toEqual([
      ['EXPORT', manager.id],
      ['EXPORT', shop.ownerId],
      ['ERASE', shop.ownerId],
    ]);
  });
});

describe('the retention period', () => {
  it('is set by the owner only, in months', async () => {
    const url = `/tenants/${shop.tenantId}/privacy-settings`;
    expect((await ok(manager, 'GET', url)).json()).toEqual({ retentionMonths: null });
    problem(await call(manager, 'PUT', url, { retentionMonths: 6 }), 403);
    expect(problem(await call(shop, 'PUT', url, { retentionMonths: 0 }), 400).errors?.[0]?.path).toContain(
      'retentionMonths',
    );
    problem(await call(other, 'PUT', url, { retentionMonths: 6 }), 404);
    expect((await ok(shop, 'PUT', url, { retentionMonths: 6 })).json()).toEqual({ retentionMonths: 6 });
  });

  it("anonymises only the customers of leads closed longer ago than the shop's period", async () => {
    const keeper = await openShop(ctx.app);
    const retained = await openShop(ctx.app);
    await ok(retained, 'PUT', `/tenants/${retained.tenantId}/privacy-settings`, { retentionMonths: 6 });
    const lead = (tenant: Shop, name: string, phone: string) =>
      createLead(ctx.app, tenant, { branchId: tenant.branchId, contact: { name, phone } });

    const oldWon = await lead(retained, 'Cerrado Antiguo', '987 400 001');
    const oldLost = await lead(retained, 'Perdido Reciente', '987 400 002');
    const stillOpen = await lead(retained, 'Sigue Abierto', '987 400 003');
    const otherShop = await lead(keeper, 'Sin Retención', '987 400 004');
    const closedAt = clock.now();
    await changeLead(ctx.app, retained, oldWon, { status: 'WON' });
    await changeLead(ctx.app, keeper, otherShop, { status: 'WON' });
    clock.advance(DAY);
    await changeLead(ctx.app, retained, oldLost, { status: 'LOST', lostReason: 'PRICE' });

    // Six months and half a day after the first closings: the lead lost a day later is still inside the period.
    const sweepAt = new Date(addMonths(closedAt, 6).getTime() + DAY / 2);
    const sweepClock = { now: () => sweepAt };
    await retentionSweepJob(ctx.owner.pool, sweepClock).handle({});
    const nameOf = async (id: string) =>
      (await ctx.owner.db.select({ name: contact.name }).from(contact).where(eq(contact.id, id)))[0]?.name;
    expect(await nameOf(oldWon.contact.id)).toBeNull();
    expect(await nameOf(oldLost.contact.id)).toBe('Perdido Reciente');
    expect(await nameOf(stillOpen.contact.id)).toBe('Sigue Abierto');
    expect(await nameOf(otherShop.contact.id)).toBe('Sin Retención');
    const audit = await ctx.owner.db
      .select()
      .from(privacyAudit)
      .where(eq(privacyAudit.tenantId, retained.tenantId));
    expect(audit.map((a) => [a.contactId, a.action, a.actorUserId])).toEqual([
      [oldWon.contact.id, 'RETENTION_ERASE', null],
    ]);
    // Run again: nothing left to do.
    await retentionSweepJob(ctx.owner.pool, sweepClock).handle({});
    expect(
      await ctx.owner.db.select().from(privacyAudit).where(eq(privacyAudit.tenantId, retained.tenantId)),
    ).toHaveLength(1);
  });
});
