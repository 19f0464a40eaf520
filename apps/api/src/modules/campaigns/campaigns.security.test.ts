import type { Lead } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type TestContext } from '../../../test/harness';
import { addBranch, createLead, createLeadsTestContext, events } from '../leads/leads.fixtures';
import { openShop, type Shop } from '../tracking/tracking.fixtures';
import { activate, createCampaign } from './campaigns.fixtures';

/**
 * A seller sees the customers of their branches only, as in the inbox: segments and the links a campaign
 * handed out are owner and manager work, and another branch's customer's consent is a 404. Consent is changed
 * by a person, and the change is on the customer's leads' history with who made it.
 */

let ctx: TestContext;
let shop: Shop;
let northId: string;
/** A seller of the first branch only, and one of the northern branch only. */
let seller: { id: string; auth: { authorization: string } };
let northSeller: { id: string; auth: { authorization: string } };
let manager: { id: string; auth: { authorization: string } };

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  shop = await openShop(ctx.app, { sellers: 0 });
  northId = await addBranch(ctx.app, shop, 'Trujillo');
  seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
  northSeller = await addUser(ctx.app, shop, 'SELLER', [northId]);
  manager = await addUser(ctx.app, shop, 'MANAGER');
});
afterAll(() => ctx.close());

const call = (method: 'GET' | 'POST', url: string, caller: { auth: object }, payload?: object) =>
  ctx.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: caller.auth as Record<string, string>,
    ...(payload ? { payload } : {}),
  });

let phones = 0;
const phone = () => `+51 97${String(process.pid % 100).padStart(2, '0')}${String(++phones).padStart(5, '0')}`;

const customerAt = (branchId: string, name: string, phoneNumber = phone()): Promise<Lead> =>
  createLead(ctx.app, shop, { branchId, contact: { name, phone: phoneNumber } });

async function apiKey() {
  const created = await call('POST', `/tenants/${shop.tenantId}/api-keys`, shop, { name: 'ERP' });
  expect(created.statusCode, created.body).toBe(201);
  return { auth: { authorization: `Bearer ${created.json().key as string}` } };
}

describe('segment preview', () => {
  it('is refused to a seller (a BRANCH rule of another branch named its customers), answered to a manager', async () => {
    await customerAt(northId, 'Cliente del norte');
    const segment = { rules: [{ rule: 'BRANCH', branchIds: [northId] }] };
    const url = `/tenants/${shop.tenantId}/segments/preview`;
    for (const who of [seller, northSeller]) {
      const refused = problem(await call('POST', url, who, { segment }), 403);
      expect(JSON.stringify(refused)).not.toContain('Cliente del norte');
    }
    const answered = await call('POST', url, manager, { segment });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().sample.map((m: { name: string }) => m.name)).toContain('Cliente del norte');
  });
});

describe('campaign sends', () => {
  it('are refused to a seller, answered to the owner and a manager', async () => {
    const campaign = await createCampaign(ctx.app, shop, { type: 'REACTIVATION' });
    await activate(ctx.app, shop, campaign.id);
    problem(await call('GET', `/campaigns/${campaign.id}/sends`, seller), 403);
    for (const who of [shop, manager])
      expect((await call('GET', `/campaigns/${campaign.id}/sends`, who)).statusCode).toBe(200);
  });
});

describe("another branch's customer", () => {
  it('is a 404 to a seller for consent and opt-out, and stays untouched', async () => {
    const north = await customerAt(northId, 'Norteña');
    const contactId = north.contact.id;
    problem(await call('GET', `/contacts/${contactId}/consent`, seller), 404);
    problem(await call('POST', `/contacts/${contactId}/consent`, seller, { source: 'tienda' }), 404);
    problem(await call('POST', `/contacts/${contactId}/opt-out`, seller), 404);
    const card = await call('GET', `/contacts/${contactId}/consent`, northSeller);
    expect(card.statusCode, card.body).toBe(200);
    expect(card.json()).toMatchObject({ marketingConsent: false, optedOutAt: null, consentAt: null });
    expect((await events(ctx.app, shop, north.id)).map((e) => e.type)).not.toContain('CONSENT_CHANGED');
  });

  it('is reachable by the sellers of each branch where the customer has a lead', async () => {
    const number = phone();
    const here = await customerAt(shop.branchId, 'En las dos', number);
    const there = await customerAt(northId, 'En las dos', number);
    expect(there.contact.id).toBe(here.contact.id);
    for (const who of [seller, northSeller])
      expect((await call('GET', `/contacts/${here.contact.id}/consent`, who)).statusCode).toBe(200);
  });
});

describe('consent changes', () => {
  it('need a signed-in person: an API key reads consent but cannot change it', async () => {
    const lead = await customerAt(shop.branchId, 'Por API');
    const key = await apiKey();
    expect((await call('GET', `/contacts/${lead.contact.id}/consent`, key)).statusCode).toBe(200);
    problem(await call('POST', `/contacts/${lead.contact.id}/consent`, key, { source: 'api' }), 403);
    problem(await call('POST', `/contacts/${lead.contact.id}/opt-out`, key), 403);
    const card = await call('GET', `/contacts/${lead.contact.id}/consent`, shop);
    expect(card.json()).toMatchObject({ marketingConsent: false, consentSource: null, optedOutAt: null });
  });

  it("are written on each of the customer's leads' history with who made them", async () => {
    const number = phone();
    const here = await customerAt(shop.branchId, 'Con historia', number);
    const there = await customerAt(northId, 'Con historia', number);
    const yes = await call('POST', `/contacts/${here.contact.id}/consent`, seller, { source: 'en tienda' });
    expect(yes.statusCode, yes.body).toBe(200);
    const out = await call('POST', `/contacts/${here.contact.id}/opt-out`, northSeller);
    expect(out.statusCode, out.body).toBe(200);
    // Opting out again changes nothing, and writes nothing.
    expect((await call('POST', `/contacts/${here.contact.id}/opt-out`, manager)).statusCode).toBe(200);

    for (const lead of [here, there]) {
      const changes = (await events(ctx.app, shop, lead.id)).filter((e) => e.type === 'CONSENT_CHANGED');
      expect(changes).toMatchObject([
        {
          actorUserId: seller.id,
          payload: { contactId: here.contact.id, marketingConsent: true, source: 'en tienda' },
        },
        {
          actorUserId: northSeller.id,
          payload: { contactId: here.contact.id, marketingConsent: false, optedOut: true },
        },
      ]);
    }
  });
});
