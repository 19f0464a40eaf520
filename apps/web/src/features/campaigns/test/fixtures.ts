import {
  branchSchema,
  type Campaign,
  type CampaignBreakdown,
  type CampaignMetrics,
  listingSchema,
} from '@techmarket/contracts';
import type { RequestHandler } from 'msw';
import { listing } from '../../../test/mocks/api';
import { aBranch } from '../../../test/mocks/fixtures';
import { recordRequests, server } from '../../../test/mocks/server';

export const tenantId = '0190f0f0-0000-7000-8000-000000000002';
export const branchId = '0190f0f0-0000-7000-8000-0000000000b1';

export const campaign: Campaign = {
  id: '0190f0f0-0000-7000-8000-0000000000c1',
  tenantId,
  name: 'Cyber Wow gamer',
  type: 'CATEGORY',
  status: 'ACTIVE',
  startAt: '2026-11-01T05:00:00.000Z',
  endAt: '2026-12-01T05:00:00.000Z',
  live: true,
  segment: { rules: [{ rule: 'INTERESTED_IN', category: 'GAMING', withinDays: 90 }] },
  messageTemplate: '¡Hola {name}! 15 % en gaming',
  reactivation: null,
  whatsappTemplate: null,
  standing: false,
  totals: { impressions: 4800, clicks: 240, leads: 60, wins: 12 },
  createdAt: '2026-10-20T15:00:00.000Z',
  updatedAt: '2026-10-20T15:00:00.000Z',
  version: 3,
};

export const metrics: CampaignMetrics = {
  campaignId: campaign.id,
  from: '2026-11-01',
  to: '2026-11-03',
  days: [
    { day: '2026-11-01', impressions: 1000, clicks: 50, leads: 10, wins: 2 },
    { day: '2026-11-02', impressions: 1500, clicks: 70, leads: 20, wins: 3 },
    { day: '2026-11-03', impressions: 1500, clicks: 80, leads: 10, wins: 0 },
  ],
  totals: { impressions: 4000, clicks: 200, leads: 40, wins: 5 },
  revenue: [{ currency: 'PEN', total: 1249500 }],
};

export const breakdown: CampaignBreakdown = {
  campaignId: campaign.id,
  from: '2026-11-01',
  to: '2026-11-03',
  byBranch: [{ branchId, name: 'Lima – Miraflores', clicks: 150, leads: 30, wins: 4 }],
  byListing: [
    {
      listingId: '0190f0f0-0000-7000-8000-0000000000f1',
      title: 'Laptop gamer ASUS TUF',
      impressions: 2500,
      clicks: 120,
      leads: 25,
      wins: 3,
    },
  ],
};

export const branch = aBranch({
  id: branchId,
  tenantId,
  name: 'Lima – Miraflores',
  zone: 'Lima Centro',
  timezone: 'America/Lima',
});

/**
 * The API of the campaign screens: the shop's one branch and no listings, and then `handlers` (typed from the
 * contracts, see test/mocks/api.ts). Returns every request the screen sends, in order.
 */
export function serveCampaignScreens(...handlers: RequestHandler[]) {
  server.use(
    listing(`/tenants/${tenantId}/branches`, branchSchema, [branch]),
    listing(`/tenants/${tenantId}/listings`, listingSchema, []),
    ...handlers,
  );
  return recordRequests();
}
