import type pg from 'pg';
import { z } from 'zod';
import { defineJob, type JobDefinition, type JobQueue } from '../../platform/jobs';
import type { ReputationFeedService } from './reputation-feed.service';

/** One shop's reputation stored for the marketplace's feed. Idempotent: a rerun overwrites the same rows. */
export const refreshReputation = defineJob({
  name: 'analytics.refresh-reputation',
  schema: z.object({ tenantId: z.uuid() }),
  singleton: true,
});

export const refreshReputationJob = (feed: Pick<ReputationFeedService, 'refresh'>) =>
  refreshReputation.handledBy(({ tenantId }) => feed.refresh(tenantId));

/**
 * Every hour, on the owner connection (it looks across shops): each shop with a branch gets a refresh of its
 * own, worked by whichever worker is free; the feed is never more than an hour behind.
 */
export const reputationSweepJob = (ownerPool: pg.Pool, queue: Pick<JobQueue, 'send'>): JobDefinition => ({
  name: 'analytics.reputation-sweep',
  cron: '7 * * * *',
  async handle() {
    const { rows } = await ownerPool.query<{ id: string }>(
      'select t.id from tenant t where exists (select 1 from branch b where b.tenant_id = t.id)',
    );
    for (const row of rows)
      await refreshReputation.send(queue, { tenantId: row.id }, { singletonKey: row.id });
  },
});
