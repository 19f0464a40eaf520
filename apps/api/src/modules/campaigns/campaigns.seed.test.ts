import type { Campaign } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { seedDemo } from '../../db/seed/demo';
import { createLeadsTestContext } from '../leads/leads.fixtures';
import { metrics } from './campaigns.fixtures';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  await seedDemo(ctx.owner.db);
});
afterAll(() => ctx.close());

describe('the demo shop’s campaigns', () => {
  it('hold figures that add up: the leads and wins are the leads that carry the campaign', async () => {
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@techperu.pe', password: 'techmarket2026' },
    });
    const owner = { auth: { authorization: `Bearer ${login.json().token}` } };
    const tenantId = login.json().user.tenantId as string;
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenantId}/campaigns`,
      headers: owner.auth,
    });
    const campaigns = list.json().items as Campaign[];
    expect(campaigns.map((c) => `${c.type}:${c.status}`).sort()).toEqual([
      'CATEGORY:ACTIVE',
      'REACTIVATION:DRAFT',
      'ZONE:ENDED',
    ]);
    for (const campaign of campaigns.filter((c) => c.type !== 'REACTIVATION')) {
      const figures = await metrics(ctx.app, owner, campaign.id, '');
      const { rows } = await ctx.owner.pool.query<{ leads: number; wins: number }>(
        `select count(*)::int as leads, count(*) filter (where status = 'WON')::int as wins
           from lead where tenant_id = $1 and campaign_id = $2`,
        [tenantId, campaign.id],
      );
      expect(figures.totals.leads).toBeGreaterThan(0);
      expect(figures.totals.leads).toBe(rows[0]?.leads);
      expect(figures.totals.wins).toBe(rows[0]?.wins);
      expect(figures.totals.clicks).toBeGreaterThanOrEqual(figures.totals.leads);
      expect(figures.totals.impressions).toBeGreaterThan(figures.totals.clicks);
    }
  });
});
