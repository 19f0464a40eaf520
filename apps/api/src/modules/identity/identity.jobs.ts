import type pg from 'pg';
import type { JobDefinition } from '../../platform/jobs';

/** Expired and revoked sessions are kept a week for audit, then removed. Idempotent: a retry deletes nothing new. */
export const purgeSessionsJob = (ownerPool: pg.Pool): JobDefinition => ({
  name: 'identity.purge-sessions',
  cron: '17 * * * *',
  async handle() {
    await ownerPool.query(
      `delete from session where expires_at < now() - interval '7 days' or revoked_at < now() - interval '7 days'`,
    );
  },
});
