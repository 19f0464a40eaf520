import type pg from 'pg';
import { z } from 'zod';
import type { JobDefinition } from '../../platform/jobs';
import type { CampaignAttribution } from './attribution';
import type { ReactivationService } from './reactivation.service';

export const REACTIVATE_CAMPAIGN = 'campaigns.reactivate';

const reactivateData = z.object({ tenantId: z.uuid(), campaignId: z.uuid() });

/** One reactivation pass over one campaign: idempotent (one send per contact and campaign). */
export const reactivateCampaignJob = (
  reactivation: Pick<ReactivationService, 'reactivate'>,
): JobDefinition<z.infer<typeof reactivateData>> => ({
  name: REACTIVATE_CAMPAIGN,
  async handle(data) {
    const { tenantId, campaignId } = reactivateData.parse(data);
    await reactivation.reactivate(tenantId, campaignId);
  },
});

/** Every minute: Redis counters into campaign_metric_daily (absolute values, so repeating is harmless). */
export const foldCampaignMetricsJob = (attribution: Pick<CampaignAttribution, 'fold'>): JobDefinition => ({
  name: 'campaigns.fold-metrics',
  cron: '* * * * *',
  async handle() {
    await attribution.fold();
  },
});

/**
 * Every minute, on the owner connection (it looks across shops): ACTIVE or PAUSED campaigns whose end has
 * passed become ENDED, and every five minutes each live REACTIVATION campaign gets a pass of its own.
 */
export const campaignWindowsJob = (
  ownerPool: pg.Pool,
  send: (name: string, data: object) => Promise<void>,
  now: () => Date = () => new Date(),
): JobDefinition => ({
  name: 'campaigns.windows',
  cron: '* * * * *',
  async handle() {
    const at = now();
    await ownerPool.query(
      `update campaign set status = 'ENDED', updated_at = $1, version = version + 1
        where status in ('ACTIVE', 'PAUSED') and end_at is not null and end_at <= $1`,
      [at.toISOString()],
    );
    if (at.getUTCMinutes() % 5 !== 0) return;
    const { rows } = await ownerPool.query<{ tenant_id: string; id: string }>(
      `select tenant_id, id from campaign
        where status = 'ACTIVE' and type = 'REACTIVATION'
          and (start_at is null or start_at <= $1) and (end_at is null or end_at > $1)`,
      [at.toISOString()],
    );
    for (const row of rows) await send(REACTIVATE_CAMPAIGN, { tenantId: row.tenant_id, campaignId: row.id });
  },
});
