import type { Campaign, CampaignMetrics } from '@techmarket/contracts';
import { expect } from 'vitest';
import type { App } from '../../app';

/** Factories for the campaigns tests: every row is made through the public API. */

type Caller = { auth: { authorization: string } };
type Tenant = Caller & { tenantId: string };

export async function createCampaign(
  app: App,
  shop: Tenant,
  payload: Record<string, unknown> = {},
  caller: Caller = shop,
): Promise<Campaign> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: caller.auth,
    payload: { tenantId: shop.tenantId, name: 'Cyber Wow gamer', type: 'CATEGORY', ...payload },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export const campaignAction = (app: App, caller: Caller, id: string, action: 'activate' | 'pause' | 'end') =>
  app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/${action}`, headers: caller.auth });

export async function activate(app: App, caller: Caller, id: string): Promise<Campaign> {
  const response = await campaignAction(app, caller, id, 'activate');
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export async function metrics(app: App, caller: Caller, id: string, query = ''): Promise<CampaignMetrics> {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/campaigns/${id}/metrics${query ? `?${query}` : ''}`,
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export const views = (app: App, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/tracking/listing-view', payload: payload as object, headers });

export async function preview(app: App, shop: Tenant, rules: unknown[]) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/segments/preview`,
    headers: shop.auth,
    payload: { segment: { rules } },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    count: number;
    sample: { contactId: string; name: string | null; marketingConsent: boolean; optedOut: boolean }[];
  };
}

/** The smallest valid PNG: a 1x1 transparent pixel. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
export const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
