import type pg from 'pg';
import { type Clock, systemClock } from '../../platform/clock';
import type { JobDefinition } from '../../platform/jobs';

export const EXPIRE_QUOTES = 'quotes.expire';

/**
 * DRAFT and SENT quotes whose validity has ended become EXPIRED, in every shop, every 15 minutes. Reads already
 * show them expired the moment their validity ends (quote-view.ts); this makes it stored, for lists and
 * reports. One statement on the owner connection; idempotent: a rerun finds nothing left to expire.
 */
export const expireQuotesJob = (ownerPool: pg.Pool, clock: Clock = systemClock): JobDefinition => ({
  name: EXPIRE_QUOTES,
  cron: '*/15 * * * *',
  async handle() {
    await ownerPool.query(
      `update quote set status = 'EXPIRED', updated_at = $1, version = version + 1
        where status in ('DRAFT', 'SENT') and valid_until <= $1`,
      [clock.now().toISOString()],
    );
  },
});
