import {
  leadStatuses,
  type MoneyFigure,
  type Revenue,
  type RevenueGroup,
  type RevenueQuery,
} from '@techmarket/contracts';
import { branchScope, narrowScope, type Principal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { badField, notFound } from '../../platform/errors';
import { type LaggingReads, primaryReads } from '../../platform/read-replica';
import { createAnalyticsRepository } from './analytics.repository';
import { createRevenueRepository, type RevenueDimension } from './revenue.repository';

/**
 * The dashboard's money (README, "Money"): the open pipeline's value per stage, and the leads won in the period
 * (by when they were won) with their revenue and average ticket, in total and per source, branch, seller and
 * campaign. Each figure is per currency; a won lead without a value counts in a `currency: null` row.
 */

export interface RevenueDeps {
  database: Pick<Database, 'withTenant'>;
  /** Where the money is read: the read replica when one is configured (it may lag a moment). */
  reads?: LaggingReads<Pick<Database, 'withTenant'>>;
  clock: Clock;
}

const DAY_MS = 86_400_000;
const DEFAULT_PERIOD_DAYS = 30;
const MAX_PERIOD_DAYS = 731;

function figure(currency: string | null, leads: number, amount: number): MoneyFigure {
  return {
    currency,
    leads,
    amount,
    averageTicket: currency === null || leads === 0 ? null : Math.round(amount / leads),
  };
}

/** Groups first by key (nulls last), then currency (no value last). */
const byKeyThenCurrency = (a: RevenueGroup, b: RevenueGroup) =>
  (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff') ||
  (a.currency ?? '\uffff').localeCompare(b.currency ?? '\uffff');

export function createRevenueService({ database, reads = primaryReads(database), clock }: RevenueDeps) {
  const repo = createRevenueRepository();
  const names = createAnalyticsRepository();

  return {
    async revenue(viewer: Principal, tenantId: string, query: RevenueQuery): Promise<Revenue> {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      const to = query.to ? new Date(query.to) : clock.now();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
      if (from >= to) throw badField('from', 'must be before to', 'END_BEFORE_START');
      if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS)
        throw badField('from', 'at most two years', 'RANGE_TOO_LONG');
      // A seller sees the money of their own branches, like their inbox.
      const branchIds = narrowScope(branchScope(viewer), query.branchId);
      const scope = { tenantId, from: from.toISOString(), to: to.toISOString(), branchIds };

      const read =
        branchIds?.length === 0
          ? null
          : await (await reads.forReader(viewer)).withTenant(tenantId, async (tx) => ({
              pipeline: await repo.pipeline(tx, scope),
              won: await repo.won(tx, scope),
              branches: await names.branchNames(tx, tenantId),
              users: await names.userNames(tx, tenantId),
              campaigns: await repo.campaignNames(tx, tenantId),
            }));

      const labels: Record<Exclude<RevenueDimension, 'total'>, Map<string, string>> = {
        source: new Map(),
        branch: new Map(read?.branches.map((b) => [b.id, b.name])),
        seller: new Map(read?.users.map((u) => [u.id, u.name])),
        campaign: new Map(read?.campaigns.map((c) => [c.id, c.name])),
      };
      const groups = (dimension: Exclude<RevenueDimension, 'total'>): RevenueGroup[] =>
        (read?.won ?? [])
          .filter((row) => row.dimension === dimension)
          .map((row) => ({
            key: row.key,
            label: row.key === null ? null : (labels[dimension].get(row.key) ?? null),
            ...figure(row.currency, row.leads, row.amount),
          }))
          .sort(byKeyThenCurrency);

      return {
        from: scope.from,
        to: scope.to,
        branchId: query.branchId ?? null,
        pipeline: (read?.pipeline ?? [])
          .map((row) => ({ status: row.status, ...figure(row.currency, row.leads, row.amount) }))
          .sort(
            (a, b) =>
              leadStatuses.indexOf(a.status) - leadStatuses.indexOf(b.status) ||
              (a.currency ?? '\uffff').localeCompare(b.currency ?? '\uffff'),
          ),
        won: (read?.won ?? [])
          .filter((row) => row.dimension === 'total')
          .map((row) => figure(row.currency, row.leads, row.amount))
          .sort((a, b) => (a.currency ?? '\uffff').localeCompare(b.currency ?? '\uffff')),
        bySource: groups('source'),
        byBranch: groups('branch'),
        bySeller: groups('seller'),
        byCampaign: groups('campaign'),
      };
    },
  };
}

export type RevenueService = ReturnType<typeof createRevenueService>;
