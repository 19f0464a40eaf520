import type { Lead, LeadCounts, LeadStatus, MoneyTotal, StreamEventType } from '@techmarket/contracts';
import { leadStatuses } from '@techmarket/contracts';
import type { Cache } from '../../platform/cache';
import type { Database } from '../../platform/db';
import type { RealtimeBus } from '../../platform/realtime';
import { createInboxRepository } from './inbox.repository';
import type { BranchScope } from './lead-columns';

/**
 * What happens after a lead changes, once its transaction has committed: the board is told (server-sent
 * events, across instances through Redis) and the inbox counts are invalidated. The counts are cached per
 * tenant under a generation number; a change bumps the generation, so no reader ever gets counts older
 * than the last committed change it could have seen.
 */
export interface LeadFeed {
  changed(type: StreamEventType, lead: Lead): Promise<void>;
  /** Work that follows every new lead (the assistant), started after the lead is committed. */
  onCreated(listener: (lead: Lead) => Promise<void>): void;
  /** Work that follows every committed change of a lead, new ones included (campaign attribution of wins). */
  onChanged(listener: (type: StreamEventType, lead: Lead) => Promise<void>): void;
  counts(
    tenantId: string,
    scope: BranchScope,
    filter: { assignedTo?: string | undefined },
  ): Promise<LeadCounts>;
}

const COUNTS_TTL_MS = 10 * 60_000;
const generationKey = (tenantId: string) => `inbox-gen:${tenantId}`;

export function createLeadFeed(deps: {
  database: Pick<Database, 'withTenant'>;
  cache: Cache;
  realtime: RealtimeBus;
  onError: (error: unknown) => void;
}): LeadFeed {
  const { database, cache, realtime, onError } = deps;
  const inbox = createInboxRepository();
  const createdListeners: ((lead: Lead) => Promise<void>)[] = [];
  const changedListeners: ((type: StreamEventType, lead: Lead) => Promise<void>)[] = [];

  return {
    onCreated(listener) {
      createdListeners.push(listener);
    },
    onChanged(listener) {
      changedListeners.push(listener);
    },
    async changed(type, changedLead) {
      if (type === 'lead.created') {
        for (const listener of createdListeners) await listener(changedLead).catch(onError);
      }
      for (const listener of changedListeners) await listener(type, changedLead).catch(onError);
      // The change is committed: a cache or Redis hiccup must not turn it into an error for the caller.
      await Promise.all([
        cache.incr(generationKey(changedLead.tenantId)).catch(onError),
        realtime
          .publish(changedLead.tenantId, { type, branchId: changedLead.branchId, data: changedLead })
          .catch(onError),
      ]);
    },

    async counts(tenantId, scope, filter) {
      const counts = Object.fromEntries(leadStatuses.map((s) => [s, 0])) as Record<LeadStatus, number>;
      const amounts = Object.fromEntries(leadStatuses.map((s) => [s, [] as MoneyTotal[]])) as Record<
        LeadStatus,
        MoneyTotal[]
      >;
      // A seller asking about a branch that is not theirs asked about nothing.
      if (scope !== null && scope.length === 0) return { counts, total: 0, amounts };
      const generation = (await cache.get(generationKey(tenantId)).catch(() => null)) ?? '0';
      // v3: the amounts are the leads' values since; an entry written before summed product prices.
      const key = `inbox-counts:v3:${tenantId}:${generation}:${scope?.toSorted().join(',') ?? '*'}:${filter.assignedTo ?? '*'}`;
      const cached = await cache.get(key).catch(() => null);
      if (cached) return JSON.parse(cached) as LeadCounts;

      const rows = await database.withTenant(tenantId, (tx) =>
        inbox.countByStatus(tx, tenantId, scope, filter.assignedTo),
      );
      for (const row of rows) {
        counts[row.status] += row.n;
        if (row.currency !== null)
          amounts[row.status].push({ currency: row.currency, total: Number(row.amount) });
      }
      for (const totals of Object.values(amounts))
        totals.sort((a, b) => a.currency.localeCompare(b.currency));
      const result = { counts, total: rows.reduce((sum, r) => sum + r.n, 0), amounts };
      await cache.set(key, JSON.stringify(result), COUNTS_TTL_MS).catch(onError);
      return result;
    },
  };
}
