import { randomUUID } from 'node:crypto';
import type { UpdateShopFactsInput } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm } from '../../../test/fake-llm';
import { createTestContext, problem, type TestContext } from '../../../test/harness';
import { click, marketplaceKey, openShop, type Shop } from '../tracking/tracking.fixtures';

/** A shop that delivers to two districts, takes cards, Yape and Plin, and gives a year of warranty. */
const limaFacts = (branchId: string): UpdateShopFactsInput => ({
  delivery: {
    offered: true,
    zones: [
      { name: 'Miraflores', price: 1000, days: 1 },
      { name: 'San Isidro', price: 0, days: 1 },
    ],
    note: null,
  },
  pickup: { offered: true, note: null },
  payment: {
    methods: ['CARD', 'YAPE', 'PLIN', 'CASH'],
    installments: { offered: true, maxCount: 12, interestFree: false },
    note: null,
  },
  warranty: { months: 12, note: null },
  repair: { turnaroundDays: 3, diagnosisPrice: 3000, note: null },
  branches: [{ branchId, address: 'Av. Larco 345, Miraflores' }],
});

const url = (shop: Shop) => `/api/v1/tenants/${shop.tenantId}/shop-facts`;

async function putFacts(
  ctx: TestContext,
  shop: Shop,
  payload: unknown,
  headers: Record<string, string> = shop.auth,
) {
  return ctx.app.inject({
    method: 'PUT',
    url: url(shop),
    headers,
    payload: payload as Record<string, unknown>,
  });
}

/** A tracked click from a customer the marketplace knows, with their words; the lead as the shop reads it. */
async function leadFrom(ctx: TestContext, shop: Shop, server: Record<string, string>, message: string) {
  const response = await click(
    ctx.app,
    {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      listingId: shop.listingId,
      visitorId: randomUUID(),
      phone: `+51 9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      name: 'Rosa Quispe',
      message,
    },
    server,
  );
  expect(response.statusCode, response.body).toBe(201);
  await ctx.app.drainJobs();
  const lead = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/leads/${response.json().leadId}`,
    headers: shop.auth,
  });
  return lead.json();
}

describe('shop facts', () => {
  let ctx: TestContext;
  let shop: Shop;
  let other: Shop;

  beforeAll(async () => {
    ctx = await createTestContext({ env: { LOGIN_MAX_ATTEMPTS: '1000' } });
    shop = await openShop(ctx.app, { sellers: 1 });
    other = await openShop(ctx.app, { sellers: 0 });
  });
  afterAll(() => ctx.close());

  it('start unknown, are replaced by the owner, and are read by anyone of the shop', async () => {
    const empty = await ctx.app.inject({ method: 'GET', url: url(shop), headers: shop.auth });
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({
      currency: 'PEN',
      delivery: { offered: null, zones: [], note: null },
      payment: { methods: [] },
      warranty: { months: null },
      branches: [{ branchId: shop.branchId, address: null }],
      version: 0,
      updatedAt: null,
    });
    // The branch's own hours come with it: they are edited on the branch, not here.
    expect(Object.keys(empty.json().branches[0].businessHours).length).toBeGreaterThan(0);

    const saved = await putFacts(ctx, shop, { ...limaFacts(shop.branchId), version: 0 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      delivery: {
        offered: true,
        zones: [{ name: 'Miraflores', price: 1000, days: 1 }, { name: 'San Isidro' }],
      },
      payment: { methods: ['CARD', 'YAPE', 'PLIN', 'CASH'], installments: { maxCount: 12 } },
      branches: [{ branchId: shop.branchId, address: 'Av. Larco 345, Miraflores' }],
      version: 1,
    });

    const seller = shop.sellers[0]?.auth ?? {};
    const read = await ctx.app.inject({ method: 'GET', url: url(shop), headers: seller });
    expect(read.json()).toEqual(saved.json());
    problem(await putFacts(ctx, shop, limaFacts(shop.branchId), seller), 403);
    // Someone who read version 0 before the save cannot overwrite it.
    problem(await putFacts(ctx, shop, { ...limaFacts(shop.branchId), version: 0 }), 409);
  });

  it("never shows or takes another shop's facts or branches", async () => {
    problem(await ctx.app.inject({ method: 'GET', url: url(shop), headers: other.auth }), 404);
    problem(await putFacts(ctx, shop, limaFacts(shop.branchId), other.auth), 404);
    const foreign = problem(await putFacts(ctx, other, limaFacts(shop.branchId)), 422);
    expect(foreign.errors).toEqual([
      expect.objectContaining({ path: 'branches.0.branchId', code: 'NOT_FOUND_IN_SHOP' }),
    ]);
    const untouched = await ctx.app.inject({ method: 'GET', url: url(other), headers: other.auth });
    expect(untouched.json()).toMatchObject({ version: 0, delivery: { zones: [] } });
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const facts = limaFacts(shop.branchId);
    const cases: [unknown, string][] = [
      [
        { ...facts, delivery: { ...facts.delivery, zones: [{ name: 'Surco', price: -5, days: null }] } },
        'body.delivery.zones.0.price',
      ],
      [
        {
          ...facts,
          delivery: {
            ...facts.delivery,
            zones: [...facts.delivery.zones, { name: 'miraflores', price: 5, days: null }],
          },
        },
        'body.delivery.zones.2.name',
      ],
      [{ ...facts, payment: { ...facts.payment, methods: ['CARD', 'BITCOIN'] } }, 'body.payment.methods.1'],
      [{ ...facts, warranty: { months: 1.5, note: null } }, 'body.warranty.months'],
      [{ ...facts, repair: undefined }, 'body.repair'],
    ];
    const before = (await ctx.app.inject({ method: 'GET', url: url(shop), headers: shop.auth })).json();
    for (const [payload, path] of cases) {
      const refused = problem(await putFacts(ctx, shop, payload), 400);
      expect(
        refused.errors?.map((e) => e.path),
        path,
      ).toContain(path);
    }
    const after = (await ctx.app.inject({ method: 'GET', url: url(shop), headers: shop.auth })).json();
    expect(after).toEqual(before);
  });

  it('let the first reply answer each question from the facts and the catalog', async () => {
    const server = await marketplaceKey(ctx.app, shop);
    const lead = await leadFrom(
      ctx,
      shop,
      server,
      '¿tienen la laptop en stock y hacen delivery a Miraflores?',
    );
    const reply: string = lead.assistance.suggestedReply;
    expect(reply).toContain('en stock');
    expect(reply).toMatch(/delivery a Miraflores cuesta S\/\s?10\.00/);

    const several = await leadFrom(
      ctx,
      shop,
      server,
      'aceptan pix? cuánto tiempo de garantía tiene y dónde están?',
    );
    expect(several.assistance.suggestedReply).toMatch(/no aceptamos Pix/);
    expect(several.assistance.suggestedReply).toContain('12 meses de garantía');
    expect(several.assistance.suggestedReply).toContain('Av. Larco 345');

    // A shop that said nothing: the seller will confirm, no cost is made up.
    const otherServer = await marketplaceKey(ctx.app, other);
    const unknown = await leadFrom(ctx, other, otherServer, '¿hacen delivery a Miraflores? ¿cuánto cuesta?');
    expect(unknown.assistance.suggestedReply).toMatch(/Si hacemos delivery a tu zona te lo confirmo/);
    expect(unknown.assistance.suggestedReply).not.toMatch(/cuesta S\//);
  });
});

describe('shop facts on the LLM path', () => {
  let ctx: TestContext;
  let shop: Shop;
  let reply = '';
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;

  beforeAll(async () => {
    llm = await startFakeLlm(() => ({
      content: JSON.stringify({
        leadType: 'SALE',
        priority: 'MEDIUM',
        suggestedReply: reply,
        nextBestAction: 'REPLY_NOW',
        alternatives: [],
        confidence: 0.9,
        reasons: ['Pregunta por delivery'],
      }),
    }));
    ctx = await createTestContext({
      env: {
        LOGIN_MAX_ATTEMPTS: '1000',
        AI_PROVIDER: 'openai-compatible',
        AI_MODEL: 'llama-test',
        AI_BASE_URL: llm.baseUrl,
        AI_TIMEOUT_MS: '2000',
      },
    });
    shop = await openShop(ctx.app, { sellers: 0 });
    expect((await putFacts(ctx, shop, limaFacts(shop.branchId))).statusCode).toBe(200);
  });
  afterAll(async () => {
    await ctx.close();
    await llm.close();
  });

  it("gives the model the shop's facts, and refuses a reply that states what they do not", async () => {
    const server = await marketplaceKey(ctx.app, shop);
    reply = 'Hola, soy {vendedor}. Sí, el delivery a Miraflores cuesta S/ 10.00. ¿Te la separo?';
    const kept = await leadFrom(ctx, shop, server, '¿hacen delivery a Miraflores?');
    expect(kept.assistance).toMatchObject({ provider: 'openai-compatible', fallbackReason: null });
    const sent = JSON.stringify(llm.requests.at(-1));
    expect(sent).toContain('datosTienda');
    expect(sent).toContain('Miraflores');
    expect(sent).toContain('YAPE');

    reply = 'Hola, soy {vendedor}. El delivery a Miraflores cuesta S/ 5.00 y aceptamos Pix. ¿Te la separo?';
    const refused = await leadFrom(ctx, shop, server, '¿hacen delivery a Miraflores?');
    expect(refused.assistance.provider).toBe('builtin');
    expect(refused.assistance.fallbackReason).toMatch(/amount .*S\/ 5\.00/);
    expect(refused.assistance.suggestedReply).toMatch(/delivery a Miraflores cuesta S\/\s?10\.00/);

    reply = 'Hola, soy {vendedor}. Sí, aceptamos Pix y Mercado Pago.';
    const method = await leadFrom(ctx, shop, server, '¿aceptan pix?');
    expect(method.assistance.fallbackReason).toMatch(/payment method .*PIX/);
  });
});
