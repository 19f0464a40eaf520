import type pg from 'pg';
import type { JobDefinition } from '../../platform/jobs';

/** Idempotency keys answer retries for 24 hours, then go. Idempotent itself: a rerun deletes nothing new. */
export const purgeIdempotencyKeysJob = (ownerPool: pg.Pool): JobDefinition => ({
  name: 'tracking.purge-idempotency-keys',
  cron: '23 * * * *',
  async handle() {
    await ownerPool.query(`delete from idempotency_key where created_at < now() - interval '24 hours'`);
  },
});
