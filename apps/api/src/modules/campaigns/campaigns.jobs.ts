import type pg from 'pg';
import { z } from 'zod';
import { DAY_COUNTER_DAYS } from '../../platform/cache';
import { defineJob, type JobDefinition, type JobQueue } from '../../platform/jobs';
import type { CampaignAttribution } from './attribution';
import type { ReactivationService } from './reactivation.service';

/** One reactivation pass over one campaign: idempotent (one send per contact and campaign). */
export const reactivateCampaign = defineJob({
  name: 'campaigns.reactivate',
  schema: z.object({ tenantId: z.uuid(), campaignId: z.uuid() }),
});

export const reactivateCampaignJob = (reactivation: Pick<ReactivationService, 'reactivate'>) =>
  reactivateCampaign.handledBy(({ tenantId, campaignId }) => reactivation.reactivate(tenantId, campaignId));

/** One campaign's recent days counted again from the stored rows (attribution.ts `rebuild`); repeating is harmless. */
export const rebuildCampaignMetrics = defineJob({
  name: 'campaigns.rebuild-metrics',
  schema: z.object({ tenantId: z.uuid(), campaignId: z.uuid() }),
});

export const rebuildCampaignMetricsJob = (attribution: Pick<CampaignAttribution, 'rebuild'>) =>
  rebuildCampaignMetrics.handledBy(({ tenantId, campaignId }) => attribution.rebuild(tenantId, campaignId));

/**
 * Every hour, and whenever the fold finds that Redis lost its counters: a rebuild of each campaign whose days the
 * counters may still hold (not ended, or ended within their life), on the owner connection (across shops).
 */
export const rebuildAllCampaignMetrics = defineJob({
  name: 'campaigns.rebuild-all-metrics',
  schema: z.object({}),
  cron: '41 * * * *',
});

export const rebuildAllCampaignMetricsJob = (ownerPool: pg.Pool, queue: Pick<JobQueue, 'send'>) =>
  rebuildAllCampaignMetrics.handledBy(async () => {
    const { rows } = await ownerPool.query<{ tenant_id: string; id: string }>(
      `select tenant_id, id from campaign
        where status <> 'ENDED' or updated_at > now() - make_interval(days => $1)`,
      [DAY_COUNTER_DAYS + 1],
    );
    for (const row of rows)
      await rebuildCampaignMetrics.send(queue, { tenantId: row.tenant_id, campaignId: row.id });
  });

/**
 * Every minute: Redis counters into campaign_metric_daily (absolute values, so repeating is harmless). A Redis
 * that lost its counters (restarted without persistence) has them start again from zero: the figures are then
 * rebuilt from the stored rows.
 */
export const foldCampaignMetricsJob = (
  attribution: Pick<CampaignAttribution, 'fold' | 'countersForgotten'>,
  queue: Pick<JobQueue, 'send'>,
): JobDefinition => ({
  name: 'campaigns.fold-metrics',
  cron: '* * * * *',
  async handle() {
    await attribution.fold();
    if (await attribution.countersForgotten()) await rebuildAllCampaignMetrics.send(queue, {});
  },
});

/**
 * Every minute, on the owner connection (it looks across shops): ACTIVE or PAUSED campaigns whose end has
 * passed become ENDED, and every five minutes each live REACTIVATION campaign gets a pass of its own.
 */
export const campaignWindowsJob = (
  ownerPool: pg.Pool,
  queue: Pick<JobQueue, 'send'>,
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
    for (const row of rows)
      await reactivateCampaign.send(queue, { tenantId: row.tenant_id, campaignId: row.id });
  },
});
