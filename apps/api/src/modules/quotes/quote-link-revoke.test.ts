import type { Quote } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type TestContext } from '../../../test/harness';
import { addBranch, createLeadsTestContext, manualClock } from '../leads/leads.fixtures';
import { openShop, type Shop } from '../tracking/tracking.fixtures';
import { leadFor, quoteFor, sendQuote } from './quotes.fixtures';

const clock = manualClock();
let ctx: TestContext;
let shop: Shop;
let other: Shop;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  shop = await openShop(ctx.app, { sellers: 1 });
  other = await openShop(ctx.app, { sellers: 1 });
});
afterAll(() => ctx.close());

const seller = () => {
  const first = shop.sellers[0];
  if (!first) throw new Error('the shop was opened with a seller');
  return first;
};

async function sentQuote() {
  const lead = await leadFor(ctx.app, shop, seller());
  const quote = await quoteFor(ctx.app, seller(), lead, {
    items: [{ listingId: shop.listingId, quantity: 1 }],
  });
  const sent = await sendQuote(ctx.app, seller(), quote.id);
  expect(sent.statusCode, sent.body).toBe(200);
  return { quote, path: new URL(sent.json().pdfUrl).pathname };
}

const revoke = (id: string, caller: { auth: Record<string, string> }) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/quotes/${id}/revoke-link`, headers: caller.auth });

describe('POST /quotes/{id}/revoke-link', () => {
  it('makes every link sent so far answer 410, and a later send issues a fresh link that works', async () => {
    const { quote, path: first } = await sentQuote();
    const resent = await sendQuote(ctx.app, seller(), quote.id);
    const second = new URL(resent.json().pdfUrl).pathname;
    expect((await ctx.app.inject({ method: 'GET', url: first })).statusCode).toBe(200);

    const response = await revoke(quote.id, seller());
    expect(response.statusCode, response.body).toBe(200);
    const revoked = response.json() as Quote;
    expect(revoked).toMatchObject({
      id: quote.id,
      status: 'SENT',
      linksRevokedAt: clock.now().toISOString(),
    });
    expect(revoked).not.toHaveProperty('linkGeneration');

    for (const path of [first, second]) {
      const gone = problem(await ctx.app.inject({ method: 'GET', url: path }), 410);
      expect(gone.detail).toMatch(/withdrew/);
    }
    // The shop's own view of the PDF is not a public link: it still works.
    const own = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/quotes/${quote.id}/pdf`,
      headers: shop.auth,
    });
    expect(own.statusCode).toBe(200);

    const again = await sendQuote(ctx.app, seller(), quote.id);
    expect(again.statusCode, again.body).toBe(200);
    const fresh = new URL(again.json().pdfUrl).pathname;
    expect(fresh).not.toBe(second);
    const pdf = await ctx.app.inject({ method: 'GET', url: fresh });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // Revoked links stay revoked after the new send.
    problem(await ctx.app.inject({ method: 'GET', url: second }), 410);
  });

  it('may be done by a manager as well as the owner', async () => {
    const manager = await addUser(ctx.app, shop, 'MANAGER');
    const { quote, path } = await sentQuote();
    expect((await revoke(quote.id, manager)).statusCode).toBe(200);
    expect((await revoke(quote.id, shop)).statusCode).toBe(200);
    problem(await ctx.app.inject({ method: 'GET', url: path }), 410);
  });

  it('is 404 for another tenant and for a seller of another branch, and the link keeps working', async () => {
    const { quote, path } = await sentQuote();
    problem(await revoke(quote.id, other), 404);
    const elsewhere = await addUser(ctx.app, shop, 'SELLER', [await addBranch(ctx.app, shop, 'Surco')]);
    problem(await revoke(quote.id, elsewhere), 404);
    expect((await ctx.app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
  });

  it('is 401 without a session, 403 for an API key, and 400 naming id for a bad id', async () => {
    const { quote } = await sentQuote();
    problem(await ctx.app.inject({ method: 'POST', url: `/api/v1/quotes/${quote.id}/revoke-link` }), 401);
    const key = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/api-keys`,
      headers: shop.auth,
      payload: { name: 'marketplace' },
    });
    problem(await revoke(quote.id, { auth: { authorization: `Bearer ${key.json().key}` } }), 403);
    const bad = problem(await revoke('not-a-uuid', shop), 400);
    expect(bad.errors?.[0]?.path).toBe('params.id');
  });
});
