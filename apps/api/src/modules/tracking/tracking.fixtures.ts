import { expect } from 'vitest';
import { addUser, type SignedUp, signUp } from '../../../test/harness';
import type { App } from '../../app';
import { campaign } from '../../db/schema';
import type { createOwnerDb } from '../../platform/db';

/** Open every day, all day: assignment tests that need closed hours set them themselves. */
export const ALWAYS_OPEN = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '23:59' }]]),
);

export interface Shop extends SignedUp {
  listingId: string;
  sellers: { id: string; auth: { authorization: string } }[];
}

/** A shop with its branch open, two sellers there and one listing, all through the API. */
export async function openShop(
  app: App,
  options: { sellers?: number; overrides?: Record<string, unknown> } = {},
) {
  const tenant = await signUp(app, options.overrides);
  const hours = await app.inject({
    method: 'PATCH',
    url: `/api/v1/tenants/${tenant.tenantId}/branches/${tenant.branchId}`,
    headers: tenant.auth,
    payload: { businessHours: ALWAYS_OPEN },
  });
  expect(hours.statusCode, hours.body).toBe(200);
  const sellers = [];
  for (let i = 0; i < (options.sellers ?? 2); i++) sellers.push(await addUser(app, tenant, 'SELLER'));
  const listing = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenant.tenantId}/listings`,
    headers: tenant.auth,
    payload: {
      title: 'Laptop Lenovo IdeaPad 3 15" Ryzen 5',
      category: 'LAPTOPS',
      price: 249900,
      currency: 'PEN',
      stock: 4,
      branchId: tenant.branchId,
    },
  });
  expect(listing.statusCode, listing.body).toBe(201);
  return { ...tenant, listingId: listing.json().id as string, sellers } satisfies Shop;
}

export async function insertCampaign(
  owner: ReturnType<typeof createOwnerDb>,
  tenantId: string,
  name = 'Cyber Wow',
) {
  const [row] = await owner.db
    .insert(campaign)
    .values({ tenantId, name, type: 'CATEGORY', status: 'ACTIVE' })
    .returning({ id: campaign.id });
  if (!row) throw new Error('campaign insert returned nothing');
  return row.id;
}

export const click = (app: App, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/tracking/whatsapp-click', payload, headers });

/** The shop's API key as the marketplace's server sends it: the caller that may name a customer. */
export async function marketplaceKey(app: App, shop: SignedUp) {
  const key = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/api-keys`,
    headers: shop.auth,
    payload: { name: 'marketplace' },
  });
  expect(key.statusCode, key.body).toBe(201);
  return { authorization: `Bearer ${key.json().key as string}` };
}
