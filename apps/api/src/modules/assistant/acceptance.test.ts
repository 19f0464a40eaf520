import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem } from '../../../test/harness';
import {
  type ConnectedShop,
  connectedShop,
  customerWaId,
  customerWrites,
  startWhatsappWorld,
} from '../whatsapp/whatsapp.fixtures';
import { acceptanceByShop, compareSent } from './acceptance';

/** Measured acceptance: what sellers did with the suggested replies, told or read off what they sent. */

let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld();
});
afterAll(async () => world?.close());

/** A customer writes on WhatsApp: a new lead, read by the assistant. Its id and the suggestion the owner reads. */
async function newLead(shop: ConnectedShop, text: string) {
  const { ctx, sim } = world;
  const wamid = await customerWrites(ctx.app, sim, shop, { from: customerWaId(), text });
  const leadId = (
    await ctx.owner.pool.query<{ lead_id: string }>(
      'select lead_id from whatsapp_message where wa_message_id = $1',
      [wamid],
    )
  ).rows[0]?.lead_id;
  const lead = await ctx.app.inject({ method: 'GET', url: `/api/v1/leads/${leadId}`, headers: shop.auth });
  expect(lead.statusCode, lead.body).toBe(200);
  const assistance = lead.json().assistance as { id: string; suggestedReply: string };
  expect(assistance).toBeTruthy();
  return { leadId: leadId as string, assistance };
}

async function send(shop: ConnectedShop, leadId: string, text: string) {
  const sent = await world.ctx.app.inject({
    method: 'POST',
    url: `/api/v1/leads/${leadId}/messages`,
    headers: shop.auth,
    payload: { text },
  });
  expect(sent.statusCode, sent.body).toBe(202);
}

async function kpis(shop: ConnectedShop, query = '', tenantId = shop.tenantId) {
  return world.ctx.app.inject({
    method: 'GET',
    url: `/api/v1/tenants/${tenantId}/kpis/assistant${query}`,
    headers: shop.auth,
  });
}

describe('comparing a sent text with the suggestion', () => {
  it('reads as is, edited and not used, and counts the characters not typed', () => {
    const suggestion =
      'Hola Rosa, te escribe Ana de Tecno Lima. Sí tenemos la Lenovo LOQ a S/ 4,499. ¿Te la separo?';
    expect(compareSent(suggestion, `  ${suggestion.replace('Hola', 'hola')} `)).toMatchObject({
      outcome: 'USED',
      similarity: 1,
      savedChars: suggestion.length,
    });
    const edited = compareSent(
      suggestion,
      suggestion.replace('¿Te la separo?', 'Puedes pasar hoy por la tienda.'),
    );
    expect(edited.outcome).toBe('EDITED');
    expect(edited.savedChars).toBeGreaterThan(0);
    expect(edited.savedChars).toBeLessThan(suggestion.length);
    expect(compareSent(suggestion, 'ok, ya te llamo')).toMatchObject({ outcome: 'IGNORED', savedChars: 0 });
  });
});

describe('GET /tenants/{tenantId}/kpis/assistant', () => {
  it('infers what the seller did from the first message sent, prefers what they said, and stays in the shop', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const other = await connectedShop(ctx, sim);

    const asIs = await newLead(shop, 'hola, tienen laptops gamer? precio?');
    await send(shop, asIs.leadId, asIs.assistance.suggestedReply);
    // Only the first message after the suggestion says what became of it.
    await send(shop, asIs.leadId, 'ok, cualquier cosa me escribes');

    const edited = await newLead(shop, 'buenas, tienen mouse inalambrico?');
    const draft = edited.assistance.suggestedReply;
    await send(
      shop,
      edited.leadId,
      `${draft.slice(0, Math.round(draft.length * 0.7))} Pasa hoy y lo pruebas.`,
    );

    const notUsed = await newLead(shop, 'hola, reparan celulares?');
    await send(shop, notUsed.leadId, 'sí, tráelo hoy');

    // The seller said they edited it, after sending it as is: what they said counts.
    const told = await newLead(shop, 'hola, tienen impresoras?');
    await send(shop, told.leadId, told.assistance.suggestedReply);
    const feedback = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${told.leadId}/assist/${told.assistance.id}/feedback`,
      headers: shop.auth,
      payload: { outcome: 'IGNORED' },
    });
    expect(feedback.statusCode, feedback.body).toBe(201);

    // A suggestion nobody answered yet: counted as made, with no outcome.
    await newLead(shop, 'hola, venden monitores?');

    const response = await kpis(shop);
    expect(response.statusCode, response.body).toBe(200);
    const figures = response.json();
    expect(figures).toMatchObject({
      suggestions: 5,
      withOutcome: 4,
      inferred: 3,
      sentAsIs: 1,
      edited: 1,
      notUsed: 2,
      shares: { sentAsIs: 0.25, edited: 0.25, notUsed: 0.5 },
      branchId: null,
    });
    const full = asIs.assistance.suggestedReply.trim().replace(/\s+/g, ' ').length;
    expect(figures.timeSaved.characters).toBeGreaterThan(full);
    expect(figures.timeSaved.minutes).toBeCloseTo(
      figures.timeSaved.characters / figures.timeSaved.charsPerMinute,
      1,
    );

    // The other shop has its own (none); it cannot read this one's.
    expect((await kpis(other)).json()).toMatchObject({
      suggestions: 0,
      withOutcome: 0,
      shares: { sentAsIs: null },
    });
    problem(await kpis(other, '', shop.tenantId), 404);

    // The period: suggestions made in [from, to).
    const past = await kpis(shop, '?from=2020-01-01T00:00:00.000Z&to=2020-02-01T00:00:00.000Z');
    expect(past.json()).toMatchObject({ suggestions: 0, withOutcome: 0 });
    const now = Date.now();
    const around = await kpis(
      shop,
      `?from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now + 3_600_000).toISOString()}&branchId=${shop.branchId}`,
    );
    expect(around.json()).toMatchObject({ suggestions: 5, withOutcome: 4, branchId: shop.branchId });
    expect(
      problem(await kpis(shop, '?from=2020-02-01T00:00:00.000Z&to=2020-01-01T00:00:00.000Z'), 400).errors?.[0]
        ?.path,
    ).toBeTruthy();
  });
});

describe('acceptance over every shop (npm run report:assistant)', () => {
  it('gives each shop its own figures and the overall figures as their sum', async () => {
    const { ctx, sim } = world;
    const one = await connectedShop(ctx, sim);
    const two = await connectedShop(ctx, sim);
    const from = new Date(Date.now() - 60_000);
    const asIs = await newLead(one, 'hola, tienen audífonos bluetooth?');
    await send(one, asIs.leadId, asIs.assistance.suggestedReply);
    await newLead(one, 'hola, venden teclados?');
    const notUsed = await newLead(two, 'hola, reparan laptops?');
    await send(two, notUsed.leadId, 'sí, tráela mañana');

    const report = await acceptanceByShop(ctx.owner.db, from, new Date(Date.now() + 60_000));
    const of = (tenantId: string) => report.shops.find((shop) => shop.tenantId === tenantId);
    expect(of(one.tenantId)).toMatchObject({ suggestions: 2, withOutcome: 1, sentAsIs: 1, notUsed: 0 });
    expect(of(one.tenantId)?.shares.sentAsIs).toBe(1);
    expect(of(two.tenantId)).toMatchObject({ suggestions: 1, withOutcome: 1, sentAsIs: 0, notUsed: 1 });
    const sum = (pick: (shop: (typeof report.shops)[number]) => number) =>
      report.shops.reduce((total, shop) => total + pick(shop), 0);
    expect(report.overall).toMatchObject({
      suggestions: sum((shop) => shop.suggestions),
      withOutcome: sum((shop) => shop.withOutcome),
      sentAsIs: sum((shop) => shop.sentAsIs),
      notUsed: sum((shop) => shop.notUsed),
    });
    expect(report.overall.suggestions).toBeGreaterThanOrEqual(3);
  });
});
