import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { privacyAudit } from '../../db/schema';
import { type Clock, systemClock } from '../../platform/clock';
import type { JobDefinition } from '../../platform/jobs';
import { eraseContact } from './privacy.repository';

export const RETENTION_SWEEP = 'privacy.retention-sweep';
const BATCH = 200;

/**
 * Daily, across shops on the owner connection: in each shop with a retention period, the customers whose every
 * lead closed (WON or LOST) longer ago than that period are anonymised, one transaction each, audited as
 * RETENTION_ERASE. A customer with an open lead, or a lead closed within the period, is kept. Idempotent: an
 * erased customer is never picked again, so a rerun only finds what is left.
 */
export const retentionSweepJob = (ownerPool: pg.Pool, clock: Clock = systemClock): JobDefinition => ({
  name: RETENTION_SWEEP,
  cron: '17 3 * * *',
  async handle() {
    const db = drizzle(ownerPool);
    const at = clock.now().toISOString();
    for (;;) {
      const due = await db.execute<{ tenant_id: string; id: string }>(sql`
        select c.tenant_id, c.id
          from contact c
          join tenant t on t.id = c.tenant_id
         where t.retention_months is not null and c.erased_at is null
           and exists (select 1 from lead l where l.tenant_id = c.tenant_id and l.contact_id = c.id)
           and not exists (
             select 1 from lead l
              where l.tenant_id = c.tenant_id and l.contact_id = c.id
                and (l.status not in ('WON', 'LOST')
                     or l.status_changed_at > ${at}::timestamptz - make_interval(months => t.retention_months)))
         limit ${BATCH}`);
      for (const { tenant_id: tenantId, id } of due.rows) {
        await db.transaction(async (tx) => {
          const counts = await eraseContact(tx, tenantId, id, at);
          if (!counts) return;
          await tx.insert(privacyAudit).values({
            tenantId,
            contactId: id,
            action: 'RETENTION_ERASE',
            actorUserId: null,
            details: { ...counts },
            createdAt: at,
          });
        });
      }
      if (due.rows.length < BATCH) return;
    }
  },
});
