import type pg from 'pg';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../platform/jobs';

/** Idempotency keys answer retries for 24 hours, then go. Idempotent itself: a rerun deletes nothing new. */
export const purgeIdempotencyKeysJob = (ownerPool: pg.Pool): JobDefinition => ({
  name: 'tracking.purge-idempotency-keys',
  cron: '23 * * * *',
  async handle() {
    await ownerPool.query(`delete from idempotency_key where created_at < now() - interval '24 hours'`);
  },
});

/**
 * Stored listing views of known customers (a marketplace user id or visitor id), put on their open leads as
 * LISTING_VIEW events. Idempotent: each view is recorded once, keyed by its id.
 */
export const viewsOnLeads = defineJob({
  name: 'tracking.views-on-leads',
  schema: z.object({ tenantId: z.uuid(), viewIds: z.array(z.number().int().positive()).min(1).max(1000) }),
});

export const viewsOnLeadsJob = (tracking: {
  putViewsOnLeads(tenantId: string, viewIds: number[]): Promise<number>;
}) => viewsOnLeads.handledBy(({ tenantId, viewIds }) => tracking.putViewsOnLeads(tenantId, viewIds));
