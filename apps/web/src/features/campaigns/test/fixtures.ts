import type { Campaign, CampaignBreakdown, CampaignMetrics } from '@techmarket/contracts';
import { vi } from 'vitest';

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
};

export const breakdown: CampaignBreakdown = {
  campaignId: campaign.id,
  from: '2026-11-01',
  to: '2026-11-03',
  byBranch: [{ branchId, name: 'Lima – Miraflores', clicks: 150, leads: 30, wins: 4 }],
  byListing: [
    {
      listingId: '0190f0f0-0000-7000-8000-0000000000l1',
      title: 'Laptop gamer ASUS TUF',
      impressions: 2500,
      clicks: 120,
      leads: 25,
      wins: 3,
    },
  ],
};

export const branch = {
  id: branchId,
  tenantId,
  name: 'Lima – Miraflores',
  zone: 'Lima Centro',
  timezone: 'America/Lima',
};

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

export interface Call {
  url: string;
  method: string;
  body: unknown;
}

/** Stubs fetch: branches and listings are answered here, the rest by `answer` (a 404 when it has none). */
export function mockApi(answer: (call: Call) => Response | undefined) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const call = {
        url: String(input),
        method: init?.method ?? 'GET',
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      };
      calls.push(call);
      if (call.url.includes('/branches')) return json({ items: [branch] });
      if (call.url.includes('/listings')) return json({ items: [], nextCursor: null });
      return answer(call) ?? json({ type: 'x', title: 'Not Found', status: 404 }, 404);
    }),
  );
  return calls;
}
