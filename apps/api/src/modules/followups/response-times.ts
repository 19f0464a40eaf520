import { type BusinessCalendar, businessMsBetween } from '../../platform/business-time';
import type { Database, Tx } from '../../platform/db';
import { createEngineRepository } from './engine.repository';
import type { Branches } from './engine-plan';
import type { PolicyService } from './policy.service';

/**
 * The branches' business calendars, and each answered lead's first response measured once in its branch's
 * business time (`first_response_business_seconds`), so the KPIs never recompute business time per row. The
 * engine's first batch of a pass measures a batch; the KPIs measure what is left before figures are read.
 */

const STAMP_BATCH = 1000;
const MAX_STAMP_BATCHES = 50;

export function createResponseTimes({
  database,
  policies,
}: {
  database: Pick<Database, 'withTenant'>;
  policies: Pick<PolicyService, 'readPolicy'>;
}) {
  const repo = createEngineRepository();

  /** Each branch's calendar (weekly hours, time zone, the shop's holidays) and country. */
  async function calendars(tx: Tx, tenantId: string, holidays: string[]): Promise<Branches> {
    const days = new Set(holidays);
    const branches = await repo.branches(tx, tenantId);
    return new Map(
      branches.map((b) => [
        b.id,
        {
          calendar: { hours: b.hours, timeZone: b.timezone, holidays: days } as BusinessCalendar,
          country: b.countryCode,
        },
      ]),
    );
  }

  /** Measures answered leads' first response in business time, a batch at a time, in the caller's transaction. */
  async function stampWithin(tx: Tx, tenantId: string, branches: Branches, limit = STAMP_BATCH) {
    const rows = await repo.unstampedResponses(tx, tenantId, limit);
    if (rows.length === 0) return 0;
    const stamps = rows.flatMap((row) => {
      const calendar = branches.get(row.branchId)?.calendar;
      if (!calendar || !row.firstResponseAt) return [];
      const ms = businessMsBetween(calendar, new Date(row.createdAt), new Date(row.firstResponseAt));
      return [{ id: row.id, seconds: Math.round(ms / 1000) }];
    });
    await repo.stampResponses(tx, tenantId, stamps);
    return stamps.length;
  }

  return {
    calendars,
    stampWithin,

    /** For the KPIs: measures what is left to measure before figures are read. */
    async stampResponseTimes(tenantId: string) {
      let stamped = 0;
      for (let round = 0; round < MAX_STAMP_BATCHES; round++) {
        const n = await database.withTenant(tenantId, async (tx) => {
          const policy = await policies.readPolicy(tx, tenantId);
          return stampWithin(tx, tenantId, await calendars(tx, tenantId, policy.holidays));
        });
        stamped += n;
        if (n < STAMP_BATCH) break;
      }
      return stamped;
    },
  };
}
