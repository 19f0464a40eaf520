import type { Quote } from '@techmarket/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type TestContext } from '../../../test/harness';
import { quoteCounter, quote as quoteTable } from '../../db/schema';
import { startOfLocalDay } from '../../platform/business-time';
import { maintenanceJobs } from '../../worker';
import {
  addBranch,
  addListing,
  createLead,
  createLeadsTestContext,
  events,
  manualClock,
} from '../leads/leads.fixtures';
import { openShop, type Shop } from '../tracking/tracking.fixtures';
import {
  createQuote,
  getLeadStatus,
  leadFor,
  patchQuote,
  pdfText,
  quoteFor,
  sendQuote,
} from './quotes.fixtures';
import { expireQuotesJob } from './quotes.jobs';
import { createQuotesRepository } from './quotes.repository';

const clock = manualClock();
const DAY = 86_400_000;
let ctx: TestContext;
let shop: Shop;
let other: Shop;
let manager: { id: string; auth: { authorization: string } };
let mouseId: string;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  shop = await openShop(ctx.app);
  other = await openShop(ctx.app);
  manager = await addUser(ctx.app, shop, 'MANAGER');
  mouseId = (
    await addListing(ctx.app, shop, {
      title: 'Mouse Logitech M185',
      category: 'ACCESSORIES',
      price: 4990,
      stock: 50,
    })
  ).id;
});
afterAll(() => ctx.close());

/** Valid through the end of the `days`-th day in Lima, where the shops of these tests are. */
const validThrough = (days: number) =>
  new Date(startOfLocalDay(clock.now(), 'America/Lima', days + 1).getTime() - 1).toISOString();

const seller = () => {
  const first = shop.sellers[0];
  if (!first) throw new Error('the shop was opened with sellers');
  return first;
};
const getQuote = (id: string, caller: { auth: Record<string, string> } = shop) =>
  ctx.app.inject({ method: 'GET', url: `/api/v1/quotes/${id}`, headers: caller.auth });

describe('POST /leads/{id}/create-quote', () => {
  it('prices the lines from the catalog with IGV included, per line, and moves the lead to QUOTED', async () => {
    const lead = await leadFor(ctx.app, shop, seller());
    const quote = await quoteFor(ctx.app, seller(), lead, {
      items: [
        { listingId: shop.listingId, quantity: 2 },
        { listingId: mouseId, quantity: 3 },
      ],
      notes: 'Incluye instalación de Windows',
    });
    expect(quote).toMatchObject({
      leadId: lead.id,
      branchId: shop.branchId,
      status: 'DRAFT',
      currency: 'PEN',
      taxName: 'IGV',
      taxRateBps: 1800,
      pricesIncludeTax: true,
      // 499800 / 1.18 = 423559.32 -> 423559 (IGV 76241); 14970 / 1.18 = 12686.44 -> 12686 (IGV 2284).
      subtotal: 436245,
      tax: 78525,
      total: 514770,
      discount: 0,
      notes: 'Incluye instalación de Windows',
      contact: { name: 'Rosa Quispe Huamán', phone: lead.contact.phone },
      createdByUserId: seller().id,
      warnings: [],
    });
    expect(quote.items.map((i) => [i.title, i.quantity, i.unitPrice, i.subtotal, i.tax, i.total])).toEqual([
      ['Laptop Lenovo IdeaPad 3 15" Ryzen 5', 2, 249900, 423559, 76241, 499800],
      ['Mouse Logitech M185', 3, 4990, 12686, 2284, 14970],
    ]);
    // Made on 1 March at 09:00 in Lima: valid through 8 March, to midnight in Lima.
    expect(quote.validUntil).toBe('2030-03-09T04:59:59.999Z');

    expect((await getLeadStatus(ctx.app, shop, lead.id)).status).toBe('QUOTED');
    // The assistant's reading of the new lead may land in between: look at the quote's own events.
    const history = (await events(ctx.app, shop, lead.id)).filter((e) => e.type !== 'AI_SUGGESTED');
    expect(history.slice(-2).map((e) => [e.type, e.payload])).toEqual([
      ['QUOTE_CREATED', { quoteId: quote.id, number: quote.number, total: 514770, currency: 'PEN' }],
      ['STATUS_CHANGED', { from: 'NEW', to: 'QUOTED', quoteId: quote.id }],
    ]);
    // The quote reads back the same.
    const read = await getQuote(quote.id, seller());
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual(quote);
  });

  it('warns, without refusing, when a quantity exceeds the stock', async () => {
    const lead = await leadFor(ctx.app, shop);
    const quote = await quoteFor(ctx.app, shop, lead, {
      items: [
        { listingId: mouseId, quantity: 1 },
        { listingId: shop.listingId, quantity: 5 },
      ],
    });
    expect(quote.warnings).toEqual([
      { path: 'items.1.quantity', code: 'EXCEEDS_STOCK', message: '5 asked, 4 in stock' },
    ]);
    expect(quote.items[1]?.stockAtQuote).toBe(4);
  });

  it('lets a manager change a price and give a discount, and refuses both to a seller, naming the field', async () => {
    const lead = await leadFor(ctx.app, shop, seller());
    const byManager = await quoteFor(ctx.app, manager, lead, {
      items: [{ listingId: shop.listingId, quantity: 1, unitPrice: 239900, discount: 10000 }],
      validDays: 15,
    });
    // 229900 / 1.18 = 194830.51 -> 194831.
    expect(byManager).toMatchObject({ subtotal: 194831, tax: 35069, total: 229900, discount: 10000 });
    expect(byManager.items[0]).toMatchObject({ unitPrice: 239900, discount: 10000, total: 229900 });
    expect(byManager.validUntil).toBe(validThrough(15));

    const price = problem(
      await createQuote(ctx.app, seller(), lead.id, {
        items: [{ listingId: shop.listingId, quantity: 1, unitPrice: 1 }],
      }),
      403,
    );
    expect(price.errors).toEqual([
      { path: 'items.0.unitPrice', message: expect.stringContaining('manager') },
    ]);
    const discount = problem(
      await createQuote(ctx.app, seller(), lead.id, {
        items: [
          { listingId: mouseId, quantity: 1 },
          { listingId: shop.listingId, quantity: 1, discount: 500 },
        ],
      }),
      403,
    );
    expect(discount.errors?.[0]?.path).toBe('items.1.discount');
    // The catalog price itself is not an override.
    await quoteFor(ctx.app, seller(), lead, {
      items: [{ listingId: shop.listingId, quantity: 1, unitPrice: 249900 }],
    });
  });

  it('names the field of bad input, and writes nothing', async () => {
    const lead = await leadFor(ctx.app, shop);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ items: [] }, 400, 'body.items'],
      [{}, 400, 'body.items'],
      [{ items: [{ listingId: shop.listingId, quantity: 0 }] }, 400, 'body.items.0.quantity'],
      [{ items: [{ listingId: shop.listingId, quantity: 1.5 }] }, 400, 'body.items.0.quantity'],
      [{ items: [{ listingId: 'laptop', quantity: 1 }] }, 400, 'body.items.0.listingId'],
      [{ items: [{ listingId: shop.listingId, quantity: 1, unitPrice: -5 }] }, 400, 'body.items.0.unitPrice'],
      [{ items: [{ listingId: shop.listingId, quantity: 1 }], validDays: 0 }, 400, 'body.validDays'],
      [{ items: [{ listingId: other.listingId, quantity: 1 }] }, 422, 'items.0.listingId'],
      [{ items: [{ listingId: shop.listingId, quantity: 1, discount: 249901 }] }, 422, 'items.0.discount'],
      [
        { items: [{ listingId: shop.listingId, quantity: 100_000, unitPrice: 999_999_999 }] },
        422,
        'items.0.quantity',
      ],
    ];
    for (const [payload, status, path] of cases) {
      const body = problem(await createQuote(ctx.app, manager, lead.id, payload), status);
      expect(
        body.errors?.map((e) => e.path),
        JSON.stringify(payload),
      ).toContain(path);
    }
    const usd = await addListing(ctx.app, shop, { title: 'Router TP-Link', price: 5000, currency: 'USD' });
    const mixed = problem(
      await createQuote(ctx.app, shop, lead.id, {
        items: [
          { listingId: shop.listingId, quantity: 1 },
          { listingId: usd.id, quantity: 1 },
        ],
      }),
      422,
    );
    expect(mixed.errors).toEqual([
      {
        path: 'items.1.listingId',
        message: expect.stringContaining('one currency'),
        code: 'CURRENCY_MISMATCH',
      },
    ]);
    const inactive = await addListing(ctx.app, shop, { title: 'Discontinuado' });
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/listings/${inactive.id}`,
      headers: shop.auth,
      payload: { active: false },
    });
    problem(
      await createQuote(ctx.app, shop, lead.id, { items: [{ listingId: inactive.id, quantity: 1 }] }),
      422,
    );

    expect(await ctx.owner.db.select().from(quoteTable).where(eq(quoteTable.leadId, lead.id))).toEqual([]);
    expect((await getLeadStatus(ctx.app, shop, lead.id)).status).toBe('NEW');
  });

  it('refuses a lead the pipeline cannot move to QUOTED', async () => {
    const lead = await leadFor(ctx.app, shop);
    const lost = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lead.id}`,
      headers: shop.auth,
      payload: { status: 'LOST', lostReason: 'PRICE', version: lead.version },
    });
    expect(lost.statusCode, lost.body).toBe(200);
    const body = problem(
      await createQuote(ctx.app, shop, lead.id, { items: [{ listingId: shop.listingId, quantity: 1 }] }),
      422,
    );
    expect(body.errors?.[0]?.path).toBe('status');
  });
});

describe('quote numbers', () => {
  it('are sequential per shop with no gaps or repeats under 20 concurrent creations', async () => {
    const fresh = await openShop(ctx.app, { sellers: 0 });
    const leads = [];
    for (let i = 0; i < 20; i++) leads.push(await leadFor(ctx.app, fresh, fresh, `Cliente ${i}`));
    const answers = await Promise.all(
      leads.map((lead) =>
        createQuote(ctx.app, fresh, lead.id, { items: [{ listingId: fresh.listingId, quantity: 1 }] }),
      ),
    );
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(201);
    const numbers = answers.map((a) => (a.json() as Quote).number).toSorted((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    // A transaction that takes a number and rolls back gives it back: the next quote is 21, not 22.
    const repo = createQuotesRepository();
    await expect(
      ctx.database.withTenant(fresh.tenantId, async (tx) => {
        expect(await repo.nextQuoteNumber(tx, fresh.tenantId)).toBe(21);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const next = await quoteFor(ctx.app, fresh, leads[0] ?? (await leadFor(ctx.app, fresh)), {
      items: [{ listingId: fresh.listingId, quantity: 1 }],
    });
    expect(next.number).toBe(21);
    // Another shop counts on its own.
    const theirs = await quoteFor(ctx.app, other, await leadFor(ctx.app, other), {
      items: [{ listingId: other.listingId, quantity: 1 }],
    });
    expect(theirs.number).toBe(1);
    const [counter] = await ctx.owner.db
      .select()
      .from(quoteCounter)
      .where(eq(quoteCounter.tenantId, fresh.tenantId));
    expect(counter?.lastNumber).toBe(21);
  });
});

describe('tax settings', () => {
  it('start from the currency and apply to new quotes only; a seller cannot change them', async () => {
    const mx = await openShop(ctx.app, { sellers: 1, overrides: { currency: 'MXN' } });
    const url = `/api/v1/tenants/${mx.tenantId}/commerce-settings`;
    const defaults = await ctx.app.inject({ method: 'GET', url, headers: mx.auth });
    expect(defaults.statusCode, defaults.body).toBe(200);
    expect(defaults.json()).toEqual({
      currency: 'MXN',
      taxName: 'IVA',
      taxRateBps: 1600,
      pricesIncludeTax: true,
      quoteValidDays: 7,
      slaHours: { HIGH: 4, MEDIUM: 24, LOW: 48 },
      customized: false,
    });

    const mxListing = await addListing(ctx.app, mx, { title: 'Consola', price: 999900, currency: 'MXN' });
    const lead = await leadFor(ctx.app, mx);
    const before = await quoteFor(ctx.app, mx, lead, { items: [{ listingId: mxListing.id, quantity: 1 }] });
    // 999900 / 1.16 = 861982.76 -> 861983.
    expect(before).toMatchObject({ subtotal: 861983, tax: 137917, total: 999900 });

    const sellerTry = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: mx.sellers[0]?.auth ?? {},
      payload: { taxRateBps: 0 },
    });
    problem(sellerTry, 403);
    problem(
      await ctx.app.inject({ method: 'PATCH', url, headers: mx.auth, payload: { taxRateBps: 10_001 } }),
      400,
    );
    problem(await ctx.app.inject({ method: 'PATCH', url, headers: mx.auth, payload: {} }), 400);
    const changed = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: mx.auth,
      payload: { pricesIncludeTax: false, quoteValidDays: 10, slaHours: { HIGH: 2 } },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      taxRateBps: 1600,
      pricesIncludeTax: false,
      quoteValidDays: 10,
      slaHours: { HIGH: 2, MEDIUM: 24, LOW: 48 },
      customized: true,
    });

    const after = await quoteFor(ctx.app, mx, lead, { items: [{ listingId: mxListing.id, quantity: 1 }] });
    // 999900 × 16 % = 159984 on top.
    expect(after).toMatchObject({ subtotal: 999900, tax: 159984, total: 1_159_884, pricesIncludeTax: false });
    expect(after.validUntil).toBe(validThrough(10));
    const again = (await getQuote(before.id, mx)).json();
    expect(again).toMatchObject({ subtotal: 861983, tax: 137917, total: 999900, pricesIncludeTax: true });
    // Either way the message states the amount to pay, with the tax it holds: never "plus tax" on a total.
    const sentAfter = (await sendQuote(ctx.app, mx, after.id)).json();
    expect(sentAfter.message).toContain('total $11,598.84 (incluye IVA de $1,599.84)');
    const sentBefore = (await sendQuote(ctx.app, mx, before.id)).json();
    expect(sentBefore.message).toContain('total $9,999.00 (incluye IVA de $1,379.17)');

    problem(await ctx.app.inject({ method: 'GET', url, headers: shop.auth }), 404);
  });
});

describe('sending, the PDF and its public link', () => {
  it('records QUOTE_SENT and answers a signed PDF link and a WhatsApp message for the customer', async () => {
    const lead = await leadFor(ctx.app, shop, seller(), 'Carlos Mendoza');
    const quote = await quoteFor(ctx.app, seller(), lead, {
      items: [{ listingId: shop.listingId, quantity: 2 }],
    });
    const response = await sendQuote(ctx.app, seller(), quote.id);
    expect(response.statusCode, response.body).toBe(200);
    const sent = response.json();
    expect(sent.quote).toMatchObject({ id: quote.id, status: 'SENT', sentAt: clock.now().toISOString() });
    expect(sent.quote.version).toBe(quote.version + 1);
    expect(sent.pdfUrl).toMatch(new RegExp(`^${ctx.config.publicUrl}/q/[\\w-]+\\.[\\w-]+$`));
    expect(sent.pdfUrlExpiresAt).toBe(quote.validUntil);
    const wa = new URL(sent.whatsappUrl);
    expect(`${wa.origin}${wa.pathname}`).toBe(`https://wa.me/${lead.contact.phone?.slice(1)}`);
    expect(wa.searchParams.get('text')).toBe(sent.message);
    const number = String(quote.number).padStart(6, '0');
    expect(sent.message).toContain(`¡Hola, Carlos! Te enviamos la cotización N.º ${number}`);
    expect(sent.message).toContain('total S/ 4,998.00 (incluye IGV de S/ 762.41)');
    expect(sent.message).toContain('válida hasta el 8 de marzo de 2030');
    expect(sent.message).toContain(sent.pdfUrl);

    const history = await events(ctx.app, shop, lead.id);
    expect(history.find((e) => e.type === 'QUOTE_SENT')).toMatchObject({
      type: 'QUOTE_SENT',
      actorUserId: seller().id,
      payload: { quoteId: quote.id, number: quote.number, total: 499800, currency: 'PEN', resent: false },
    });

    // The customer opens the link without logging in.
    const path = new URL(sent.pdfUrl).pathname;
    const pdf = await ctx.app.inject({ method: 'GET', url: path });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`inline; filename="cotizacion-${number}.pdf"`);
    const text = await pdfText(pdf.rawPayload);
    for (const expected of [
      `Cotización N.º ${number}`,
      'Sucursal: Miraflores',
      `Cliente: Carlos Mendoza - ${lead.contact.phone}`,
      'Vendedor: Usuario SELLER',
      'Laptop Lenovo IdeaPad 3 15" Ryzen 5',
      'S/ 2,499.00',
      'Subtotal S/ 4,235.59',
      'IGV 18 % S/ 762.41',
      'Total S/ 4,998.00',
      'Válida hasta: 8 de marzo de 2030',
      'Los precios incluyen IGV.',
    ]) {
      expect(text).toContain(expected);
    }

    // Sending again is a resend.
    const resend = await sendQuote(ctx.app, seller(), quote.id);
    expect(resend.statusCode, resend.body).toBe(200);
    const sends = (await events(ctx.app, shop, lead.id)).filter((e) => e.type === 'QUOTE_SENT');
    expect(sends.map((e) => e.payload.resent)).toEqual([false, true]);
  });

  it('refuses a tampered link, and an expired one with 410', async () => {
    const lead = await leadFor(ctx.app, shop);
    const quote = await quoteFor(ctx.app, shop, lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
      validDays: 1,
    });
    const sent = (await sendQuote(ctx.app, shop, quote.id)).json();
    // A one-day quote still gets a week-long link.
    expect(sent.pdfUrlExpiresAt).toBe(new Date(clock.now().getTime() + 7 * DAY).toISOString());
    const path = new URL(sent.pdfUrl).pathname;
    const token = path.slice('/q/'.length);
    const [payload = '', signature = ''] = token.split('.');
    const flipped = (text: string) => `${text.slice(0, 4)}${text[4] === 'A' ? 'B' : 'A'}${text.slice(5)}`;
    problem(await ctx.app.inject({ method: 'GET', url: `/q/${flipped(payload)}.${signature}` }), 404);
    problem(await ctx.app.inject({ method: 'GET', url: `/q/${payload}.${flipped(signature)}` }), 404);
    problem(await ctx.app.inject({ method: 'GET', url: '/q/not-a-token' }), 400);

    clock.advance(7 * DAY - 1000);
    expect((await ctx.app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    clock.advance(1000);
    const gone = problem(await ctx.app.inject({ method: 'GET', url: path }), 410);
    expect(gone.detail).toContain('expired');
  });

  it('serves the PDF to the shop, in Portuguese for a Brazilian branch', async () => {
    const br = await openShop(ctx.app, {
      sellers: 0,
      overrides: {
        currency: 'BRL',
        tenantName: 'Loja Tech Paulista',
        branch: { name: 'Paulista', whatsappPhone: '+55 11 98765 4321', timezone: 'America/Sao_Paulo' },
      },
    });
    const listing = await addListing(ctx.app, br, {
      title: 'Notebook Acer Aspire 5',
      price: 329900,
      currency: 'BRL',
    });
    const lead = await leadFor(ctx.app, br, br, 'João Conceição');
    const quote = await quoteFor(ctx.app, br, lead, { items: [{ listingId: listing.id, quantity: 1 }] });
    expect(quote).toMatchObject({ taxName: 'Impostos', taxRateBps: 0, tax: 0, total: 329900 });
    const pdf = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/quotes/${quote.id}/pdf`,
      headers: br.auth,
    });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-disposition']).toContain('orcamento-000001.pdf');
    const text = await pdfText(pdf.rawPayload);
    for (const expected of [
      'Orçamento nº 000001',
      'Loja Tech Paulista',
      'Cliente: João Conceição',
      'R$ 3.299,00',
      'Válido até',
    ]) {
      expect(text).toContain(expected);
    }
    const sent = (await sendQuote(ctx.app, br, quote.id)).json();
    expect(sent.message).toContain('Olá, João! Segue o orçamento nº 000001 da Loja Tech Paulista');
  });
});

describe('PATCH /quotes/{id}', () => {
  it('ACCEPTED moves the lead to WON, with the events', async () => {
    const lead = await leadFor(ctx.app, shop, seller());
    const quote = await quoteFor(ctx.app, seller(), lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    const sent = (await sendQuote(ctx.app, seller(), quote.id)).json().quote as Quote;
    const accepted = await patchQuote(ctx.app, seller(), quote.id, {
      status: 'ACCEPTED',
      version: sent.version,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'ACCEPTED', decidedAt: clock.now().toISOString() });
    expect((await getLeadStatus(ctx.app, shop, lead.id)).status).toBe('WON');
    const history = (await events(ctx.app, shop, lead.id)).filter((e) => e.type !== 'AI_SUGGESTED');
    expect(history.slice(-2).map((e) => [e.type, e.payload])).toEqual([
      ['STATUS_CHANGED', { from: 'QUOTED', to: 'WON', quoteId: quote.id }],
      ['QUOTE_ACCEPTED', { quoteId: quote.id, number: quote.number }],
    ]);
    // A decided quote is final.
    const again = problem(
      await patchQuote(ctx.app, seller(), quote.id, {
        status: 'REJECTED',
        lostReason: 'PRICE',
        version: sent.version + 1,
      }),
      422,
    );
    expect(again.errors?.[0]?.path).toBe('status');
  });

  it('ACCEPTED on a lead given up as LOST reopens it and wins it', async () => {
    const lead = await leadFor(ctx.app, shop, seller());
    const quote = await quoteFor(ctx.app, seller(), lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    const read = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/leads/${lead.id}`,
      headers: seller().auth,
    });
    const lost = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lead.id}`,
      headers: seller().auth,
      payload: { status: 'LOST', lostReason: 'NO_RESPONSE', version: read.json().version },
    });
    expect(lost.statusCode, lost.body).toBe(200);

    const accepted = await patchQuote(ctx.app, seller(), quote.id, {
      status: 'ACCEPTED',
      version: quote.version,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await getLeadStatus(ctx.app, shop, lead.id)).status).toBe('WON');
    const history = (await events(ctx.app, shop, lead.id)).filter((e) => e.type !== 'AI_SUGGESTED');
    expect(history.slice(-3).map((e) => [e.type, e.payload])).toEqual([
      ['STATUS_CHANGED', { from: 'LOST', to: 'CONTACTED', quoteId: quote.id, reopened: true }],
      ['STATUS_CHANGED', { from: 'CONTACTED', to: 'WON', quoteId: quote.id }],
      ['QUOTE_ACCEPTED', { quoteId: quote.id, number: quote.number }],
    ]);
  });

  it('REJECTED needs a reason and moves the lead to LOST, unless another quote is still open', async () => {
    const lead = await leadFor(ctx.app, shop);
    const first = await quoteFor(ctx.app, shop, lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    const second = await quoteFor(ctx.app, shop, lead, { items: [{ listingId: mouseId, quantity: 1 }] });

    const noReason = problem(
      await patchQuote(ctx.app, shop, first.id, { status: 'REJECTED', version: first.version }),
      422,
    );
    expect(noReason.errors).toEqual([
      { path: 'lostReason', message: expect.any(String), code: 'REASON_REQUIRED' },
    ]);
    problem(await patchQuote(ctx.app, shop, first.id, { status: 'DRAFT', version: first.version }), 400);
    problem(await patchQuote(ctx.app, shop, first.id, { lostReason: 'PRICE', version: first.version }), 422);

    const rejected = await patchQuote(ctx.app, shop, first.id, {
      status: 'REJECTED',
      lostReason: 'PRICE',
      version: first.version,
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'REJECTED', rejectionReason: 'PRICE' });
    expect((await getLeadStatus(ctx.app, shop, lead.id)).status).toBe('QUOTED');

    const last = await patchQuote(ctx.app, shop, second.id, {
      status: 'REJECTED',
      lostReason: 'COMPETITOR',
      version: second.version,
    });
    expect(last.statusCode, last.body).toBe(200);
    const after = await getLeadStatus(ctx.app, shop, lead.id);
    expect(after).toMatchObject({ status: 'LOST', lostReason: 'COMPETITOR' });
    const types = (await events(ctx.app, shop, lead.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'QUOTE_REJECTED')).toHaveLength(2);
    expect(
      (await events(ctx.app, shop, lead.id)).find(
        (e) => e.type === 'STATUS_CHANGED' && e.payload.to === 'LOST',
      )?.payload,
    ).toEqual({
      from: 'QUOTED',
      to: 'LOST',
      lostReason: 'COMPETITOR',
      quoteId: second.id,
    });
  });

  it('edits a DRAFT only, repricing its lines, and refuses a stale version', async () => {
    const lead = await leadFor(ctx.app, shop);
    const quote = await quoteFor(ctx.app, shop, lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    const edited = await patchQuote(ctx.app, shop, quote.id, {
      items: [{ listingId: mouseId, quantity: 2 }],
      notes: 'Precio especial',
      validDays: 3,
      version: quote.version,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      total: 9980,
      subtotal: 8458,
      tax: 1522,
      notes: 'Precio especial',
      version: quote.version + 1,
      validUntil: validThrough(3),
    });
    expect(edited.json().items).toHaveLength(1);
    problem(await patchQuote(ctx.app, shop, quote.id, { notes: 'otra', version: quote.version }), 409);
    problem(
      await patchQuote(ctx.app, seller(), quote.id, {
        items: [{ listingId: mouseId, quantity: 1, discount: 1 }],
        version: quote.version + 1,
      }),
      403,
    );
    await sendQuote(ctx.app, shop, quote.id);
    const locked = problem(
      await patchQuote(ctx.app, shop, quote.id, { notes: 'tarde', version: quote.version + 2 }),
      422,
    );
    expect(locked.errors?.[0]?.path).toBe('notes');
  });
});

describe('expiry', () => {
  it('reads a quote past its validity as EXPIRED at once, and the worker stores it', async () => {
    const lead = await leadFor(ctx.app, shop);
    const quote = await quoteFor(ctx.app, shop, lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
      validDays: 2,
    });
    await sendQuote(ctx.app, shop, quote.id);
    clock.advance(2 * DAY);
    // Two days later it is still valid, to the end of that day where the shop is.
    expect((await getQuote(quote.id)).json().status).toBe('SENT');
    clock.advance(DAY);
    const read = (await getQuote(quote.id)).json() as Quote;
    expect(read.status).toBe('EXPIRED');
    problem(await sendQuote(ctx.app, shop, quote.id), 422);
    problem(await patchQuote(ctx.app, shop, quote.id, { status: 'ACCEPTED', version: read.version }), 422);
    // Lists filter by the same status the quote reports, before the sweep has written it.
    const listed = async (status: string) =>
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/tenants/${shop.tenantId}/quotes?status=${status}&leadId=${lead.id}`,
          headers: shop.auth,
        })
      ).json().items as Quote[];
    expect((await listed('EXPIRED')).map((q) => q.id)).toEqual([quote.id]);
    expect(await listed('SENT')).toEqual([]);

    // The lead's other quote is rejected: the expired one no longer keeps the lead alive.
    const other = await quoteFor(ctx.app, shop, lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    const rejected = await patchQuote(ctx.app, shop, other.id, {
      status: 'REJECTED',
      lostReason: 'PRICE',
      version: other.version,
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await getLeadStatus(ctx.app, shop, lead.id)).status).toBe('LOST');

    const job = expireQuotesJob(ctx.owner.pool, clock);
    expect(job.cron).toBeDefined();
    await job.handle({});
    const [stored] = await ctx.owner.db.select().from(quoteTable).where(eq(quoteTable.id, quote.id));
    expect(stored?.status).toBe('EXPIRED');
    await job.handle({});
    const [again] = await ctx.owner.db.select().from(quoteTable).where(eq(quoteTable.id, quote.id));
    expect(again?.version).toBe(stored?.version);
    // Quotes still valid are left alone.
    const fresh = await quoteFor(ctx.app, shop, await leadFor(ctx.app, shop), {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    await job.handle({});
    expect((await getQuote(fresh.id)).json().status).toBe('DRAFT');
  });
});

describe('who can see a quote', () => {
  it("answers 404 for another tenant's quote and lead, and a seller of another branch; 401 without a login", async () => {
    const lead = await leadFor(ctx.app, shop);
    const quote = await quoteFor(ctx.app, shop, lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    const otherBranch = await addBranch(ctx.app, shop, 'Arequipa');
    const elsewhere = await addUser(ctx.app, shop, 'SELLER', [otherBranch]);
    for (const caller of [other, elsewhere]) {
      problem(await getQuote(quote.id, caller), 404);
      problem(
        await ctx.app.inject({ method: 'GET', url: `/api/v1/quotes/${quote.id}/pdf`, headers: caller.auth }),
        404,
      );
      problem(await patchQuote(ctx.app, caller, quote.id, { notes: 'x', version: quote.version }), 404);
      problem(await sendQuote(ctx.app, caller, quote.id), 404);
      problem(
        await createQuote(ctx.app, caller, lead.id, { items: [{ listingId: shop.listingId, quantity: 1 }] }),
        404,
      );
    }
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/quotes?leadId=${lead.id}`,
      headers: other.auth,
    });
    problem(list, 404);
    const mine = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/quotes?leadId=${lead.id}`,
      headers: shop.auth,
    });
    expect(mine.json().items.map((q: Quote) => q.id)).toEqual([quote.id]);
    const theirs = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/quotes`,
      headers: elsewhere.auth,
    });
    expect(theirs.json().items).toEqual([]);
    problem(await ctx.app.inject({ method: 'GET', url: `/api/v1/quotes/${quote.id}` }), 401);
  });

  it('pages the list newest first with a cursor', async () => {
    const fresh = await openShop(ctx.app, { sellers: 0 });
    const lead = await leadFor(ctx.app, fresh);
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(
        await quoteFor(ctx.app, fresh, lead, { items: [{ listingId: fresh.listingId, quantity: i + 1 }] }),
      );
      clock.advance(1000);
    }
    const url = `/api/v1/tenants/${fresh.tenantId}/quotes?limit=2`;
    const first = (await ctx.app.inject({ method: 'GET', url, headers: fresh.auth })).json();
    expect(first.items.map((q: Quote) => q.number)).toEqual([3, 2]);
    const second = (
      await ctx.app.inject({ method: 'GET', url: `${url}&cursor=${first.nextCursor}`, headers: fresh.auth })
    ).json();
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.items.map((q: Quote) => q.number)).toEqual([1]);
    problem(await ctx.app.inject({ method: 'GET', url: `${url}&cursor=bm9wZQ`, headers: fresh.auth }), 400);
  });
});

describe('the rest of the shop', () => {
  it('tells the board: the inbox counts follow the lead to QUOTED', async () => {
    const fresh = await openShop(ctx.app, { sellers: 0 });
    const counts = async () =>
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/tenants/${fresh.tenantId}/leads/counts`,
          headers: fresh.auth,
        })
      ).json().counts as Record<string, number>;
    const lead = await leadFor(ctx.app, fresh);
    expect(await counts()).toMatchObject({ NEW: 1, QUOTED: 0 });
    await quoteFor(ctx.app, fresh, lead, { items: [{ listingId: fresh.listingId, quantity: 1 }] });
    expect(await counts()).toMatchObject({ NEW: 0, QUOTED: 1 });
  });

  it('lets an API key read a quote but not make or change one: changes need a person', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/api-keys`,
      headers: shop.auth,
      payload: { name: 'ERP' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const key = { auth: { authorization: `Bearer ${created.json().key}` } };
    const lead = await leadFor(ctx.app, shop);
    const quote = await quoteFor(ctx.app, shop, lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    expect((await getQuote(quote.id, key)).statusCode).toBe(200);
    problem(
      await createQuote(ctx.app, key, lead.id, { items: [{ listingId: shop.listingId, quantity: 1 }] }),
      403,
    );
    problem(await sendQuote(ctx.app, key, quote.id), 403);
    problem(await patchQuote(ctx.app, key, quote.id, { status: 'ACCEPTED', version: quote.version }), 403);
  });

  it('takes one answer of two given at once: the other is a stale version', async () => {
    const lead = await leadFor(ctx.app, shop);
    const quote = await quoteFor(ctx.app, shop, lead, {
      items: [{ listingId: shop.listingId, quantity: 1 }],
    });
    const answers = await Promise.all([
      patchQuote(ctx.app, shop, quote.id, { status: 'ACCEPTED', version: quote.version }),
      patchQuote(ctx.app, manager, quote.id, {
        status: 'REJECTED',
        lostReason: 'PRICE',
        version: quote.version,
      }),
    ]);
    expect(answers.map((a) => a.statusCode).toSorted()).toEqual([200, 409]);
    const winner = answers.find((a) => a.statusCode === 200)?.json() as Quote;
    const status = (await getLeadStatus(ctx.app, shop, lead.id)).status;
    expect(status).toBe(winner.status === 'ACCEPTED' ? 'WON' : 'LOST');
  });

  it('sends a quote for a customer without a phone through WhatsApp’s own contact picker', async () => {
    const lead = await createLead(ctx.app, shop, {
      branchId: shop.branchId,
      contact: { name: 'Sin Teléfono' },
    });
    const quote = await quoteFor(ctx.app, shop, lead, { items: [{ listingId: mouseId, quantity: 1 }] });
    const sent = (await sendQuote(ctx.app, shop, quote.id)).json();
    expect(sent.whatsappUrl).toMatch(/^https:\/\/wa\.me\/\?text=%C2%A1Hola%2C%20Sin!/);
  });

  it('has the worker run the expiry sweep', () => {
    const names = maintenanceJobs(ctx.owner.pool, { send: async () => {}, drain: async () => {} }).map(
      (j) => j.name,
    );
    expect(names).toContain('quotes.expire');
  });

  it('documents the routes under the names of the contract', async () => {
    const document = (await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const paths = document.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/v1/leads/{id}/create-quote'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/v1/leads/{id}/convert-to-ticket'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/v1/quotes/{id}'] ?? {})).toEqual(['get', 'patch']);
    expect(Object.keys(paths['/api/v1/quotes/{id}/send'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/v1/quotes/{id}/pdf'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/api/v1/tickets/{id}'] ?? {})).toEqual(['get', 'patch']);
    expect(Object.keys(paths['/api/v1/tenants/{tenantId}/tickets'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/api/v1/tenants/{tenantId}/quotes'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/api/v1/tenants/{tenantId}/commerce-settings'] ?? {})).toEqual([
      'get',
      'patch',
    ]);
    expect(Object.keys(paths['/q/{token}'] ?? {})).toEqual(['get']);
  });
});
