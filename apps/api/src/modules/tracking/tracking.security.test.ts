import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext } from '../../../test/harness';
import { contact } from '../../db/schema';
import { click, openShop, type Shop } from './tracking.fixtures';

let ctx: TestContext;
let shop: Shop;
let apiKey: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext({ env: { LOGIN_MAX_ATTEMPTS: '1000' } });
  shop = await openShop(ctx.app, { sellers: 1 });
  const key = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/api-keys`,
    headers: shop.auth,
    payload: { name: 'marketplace' },
  });
  expect(key.statusCode, key.body).toBe(201);
  apiKey = { authorization: `Bearer ${key.json().key}` };
});
afterAll(() => ctx.close());

const events = async (leadId: string) => {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/leads/${leadId}/events`,
    headers: shop.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as { type: string; payload: Record<string, unknown> }[];
};
const texts = async (leadId: string) =>
  (await events(leadId)).filter((e) => e.type === 'MESSAGE_RECEIVED').map((e) => e.payload.text);
const contactOf = async (leadId: string) => {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/leads/${leadId}`,
    headers: shop.auth,
  });
  return response.json();
};

/** A customer the marketplace vouched for (its API key): user id, visitor id, phone and name on file. */
async function knownCustomer() {
  const customer = { userId: `mkt-${randomUUID()}`, visitorId: `v-${randomUUID()}` };
  const answer = await click(
    ctx.app,
    {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      ...customer,
      phone: `+51 9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      message: 'Quiero la laptop',
    },
    apiKey,
  );
  expect(answer.statusCode, answer.body).toBe(201);
  return { ...customer, leadId: answer.json().leadId as string };
}

const FORGED = 'ya no me contacten, escriban al +51 900 000 000';

describe('whose click is it: identity comes from the shop’s API key', () => {
  it('does not let an anonymous click with a customer’s userId write on that customer’s lead', async () => {
    const victim = await knownCustomer();
    const forged = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      userId: victim.userId,
      visitorId: `v-${randomUUID()}`,
      name: 'Impostor',
      phone: '+51 900 000 000',
      message: FORGED,
    });
    expect(forged.statusCode, forged.body).toBe(201);
    expect(forged.json().leadId).not.toBe(victim.leadId);
    expect(await texts(victim.leadId)).toEqual(['Quiero la laptop']);
    // The anonymous click is a visitor's: no user id, phone or name taken from it.
    const lead = await contactOf(forged.json().leadId);
    expect(lead.customerUserId).toBeNull();
    expect(lead.contact).toMatchObject({ name: null, phone: null });
    const [onFile] = await ctx.owner.db
      .select()
      .from(contact)
      .where(eq(contact.marketplaceUserId, victim.userId));
    expect(onFile?.name).toBeNull();
  });

  it('does not let an anonymous click with a known customer’s visitorId reach that customer’s lead', async () => {
    const victim = await knownCustomer();
    const forged = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      visitorId: victim.visitorId,
      message: FORGED,
    });
    expect(forged.statusCode, forged.body).toBe(201);
    expect(forged.json().leadId).not.toBe(victim.leadId);
    expect(await texts(victim.leadId)).toEqual(['Quiero la laptop']);
  });

  it('keeps an anonymous visitor’s repeat clicks on one lead, and a logged-in click (API key) joins it', async () => {
    const visitorId = `v-${randomUUID()}`;
    const base = { tenantId: shop.tenantId, branchId: shop.branchId, visitorId };
    const first = (await click(ctx.app, { ...base, message: 'hola' })).json();
    const again = await click(ctx.app, { ...base, message: 'sigo aquí' });
    expect(again.statusCode).toBe(200);
    expect(again.json().leadId).toBe(first.leadId);
    const userId = `mkt-${randomUUID()}`;
    const loggedIn = await click(ctx.app, { ...base, userId, name: 'Rosa Quispe' }, apiKey);
    expect(loggedIn.json().leadId).toBe(first.leadId);
    expect((await contactOf(first.leadId)).contact.name).toBe('Rosa Quispe');
    expect(await texts(first.leadId)).toEqual(['hola', 'sigo aquí']);
  });

  it('asks an anonymous click without a visitorId to name one', async () => {
    const answer = problem(
      await click(ctx.app, { tenantId: shop.tenantId, branchId: shop.branchId, userId: 'mkt-1' }),
      422,
    );
    expect(answer.errors?.[0]?.path).toBe('visitorId');
    const byPhone = problem(
      await click(ctx.app, { tenantId: shop.tenantId, branchId: shop.branchId, phone: '+51 987 000 111' }),
      422,
    );
    expect(byPhone.errors?.[0]?.path).toBe('visitorId');
  });

  it('stores quotes, backslashes and SQL in what the caller sends exactly as sent (the click travels as SQL text)', async () => {
    const name = `O'Brien \\ "Rosa"'); drop table lead; --`;
    const message = `¿Tienen la "Pro"? It's 50% off\\n'; select pg_sleep(10); --`;
    const userId = `mkt-'${randomUUID()}\\`;
    const referrer = `https://market.example/p?q=it's\\x`;
    const answer = await click(
      ctx.app,
      {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        userId,
        visitorId: `v-'${randomUUID()}`,
        name,
        message,
      },
      { ...apiKey, referer: referrer },
    );
    expect(answer.statusCode, answer.body).toBe(201);
    const { leadId } = answer.json();
    const lead = await contactOf(leadId);
    expect(lead.customerUserId).toBe(userId);
    expect(lead.contact.name).toBe(name);
    expect(await texts(leadId)).toEqual([message]);
    const clicked = (await events(leadId)).find((e) => e.type === 'WHATSAPP_CLICK');
    expect(clicked?.payload.referrer).toBe(referrer);
  });
});
