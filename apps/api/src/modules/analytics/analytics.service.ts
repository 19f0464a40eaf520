import {
  type FollowupPolicy,
  type KpiFigures,
  type KpiQuery,
  type Kpis,
  leadSources,
  lostReasons,
  type Reputation,
} from '@techmarket/contracts';
import { branchScope, narrowScope, type Principal } from '../../platform/auth';
import { type BusinessCalendar, businessMinutesBetween } from '../../platform/business-time';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { badField, notFound } from '../../platform/errors';
import { type LaggingReads, primaryReads } from '../../platform/read-replica';
import {
  type AnalyticsRepository,
  createAnalyticsRepository,
  type KpiGrouping,
} from './analytics.repository';

/**
 * KPIs and the response-time reputation. Definitions (also in the README):
 * - The period is [from, to); leads count in it by their creation, tasks by their due time.
 * - First response: minutes from a lead's creation to its first response (first move out of NEW, or first
 *   message sent); business minutes when the shop's policy counts business hours. Median and p90 over the
 *   leads answered; `unanswered` counts the others.
 * - Conversion: leads now WON over leads created. Win rate: WON over WON + LOST (leads created in the period).
 * - Follow-up compliance: tasks due in the period (and by now), not cancelled, done by their due time, over
 *   those tasks.
 * - Lost reasons: leads of the period now LOST, by reason.
 * - Previous: the totals of the period of the same length just before, by the same queries.
 * - Reputation, per branch, over the last 30 days (see `reputation` below for the formula).
 */

export interface AnalyticsDeps {
  database: Pick<Database, 'withTenant'>;
  /** Where the figures are read: the read replica when one is configured (they may lag a moment). */
  reads?: LaggingReads<Pick<Database, 'withTenant'>>;
  clock: Clock;
  followups: {
    policyOf(tenantId: string): Promise<FollowupPolicy>;
    /** Measures answered leads' response time before the figures read it. */
    stampResponseTimes(tenantId: string): Promise<number>;
  };
}

const DAY_MS = 86_400_000;
const DEFAULT_PERIOD_DAYS = 30;
const REPUTATION_DAYS = 30;
/** The longest period one call may ask for: two years. */
const MAX_PERIOD_DAYS = 731;

export const REPUTATION_FORMULA =
  'score = round(100 × (0.6 × onTimeRate + 0.2 × answeredRate + 0.2 × speedScore)); onTimeRate = answeredOnTime / leads; ' +
  'answeredRate = answered / leads; speedScore = min(1, targetMinutes / medianMinutes) (0 when nothing was answered); ' +
  'leads = leads created in the last 30 days that were answered or have waited longer than targetMinutes ' +
  '(the policy’s newLeadAlertMinutes, in business time when the policy counts business hours)';

const rate = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

function emptyFigures(): KpiFigures {
  return {
    leads: 0,
    bySource: Object.fromEntries(leadSources.map((s) => [s, 0])) as KpiFigures['bySource'],
    firstResponse: { responded: 0, unanswered: 0, medianMinutes: null, p90Minutes: null },
    won: 0,
    lost: 0,
    conversionRate: null,
    winRate: null,
    followUp: { due: 0, onTime: 0, compliance: null },
    lostReasons: Object.fromEntries(lostReasons.map((r) => [r, 0])) as KpiFigures['lostReasons'],
  };
}

type KpiRows = {
  counts: Awaited<ReturnType<AnalyticsRepository['leadCounts']>>;
  percentiles: Awaited<ReturnType<AnalyticsRepository['responsePercentiles']>>;
  compliance: Awaited<ReturnType<AnalyticsRepository['taskCompliance']>>;
};

/** The rows of the three queries folded into the totals and, when grouped, one set of figures per group. */
function aggregate(rows: KpiRows, groupBy: KpiGrouping | null) {
  const totals = emptyFigures();
  const groups = new Map<string | null, KpiFigures>();
  const groupOf = (key: string | null) => {
    let figures = groups.get(key);
    if (!figures) {
      figures = emptyFigures();
      groups.set(key, figures);
    }
    return figures;
  };
  for (const row of rows.counts) {
    for (const figures of groupBy ? [totals, groupOf(row.key)] : [totals]) {
      figures.leads += row.leads;
      figures.bySource[row.source] += row.leads;
      figures.firstResponse.responded += row.responded;
      if (row.status === 'WON') figures.won += row.leads;
      if (row.status === 'LOST') {
        figures.lost += row.leads;
        figures.lostReasons[row.lostReason ?? 'OTHER'] += row.leads;
      }
    }
  }
  for (const row of rows.percentiles) {
    const figures = row.total ? totals : groupBy ? groupOf(row.key) : null;
    if (!figures) continue;
    figures.firstResponse.medianMinutes = oneDecimal(row.median);
    figures.firstResponse.p90Minutes = oneDecimal(row.p90);
  }
  for (const row of rows.compliance) {
    for (const figures of groupBy ? [totals, groupOf(row.key)] : [totals]) {
      figures.followUp.due += row.due;
      figures.followUp.onTime += row.onTime;
    }
  }
  const finish = (f: KpiFigures) => {
    f.firstResponse.unanswered = f.leads - f.firstResponse.responded;
    f.conversionRate = rate(f.won, f.leads);
    f.winRate = rate(f.won, f.won + f.lost);
    f.followUp.compliance = rate(f.followUp.onTime, f.followUp.due);
    return f;
  };
  finish(totals);
  for (const figures of groups.values()) finish(figures);
  return { totals, groups };
}

export function createAnalyticsService({
  database,
  reads = primaryReads(database),
  clock,
  followups,
}: AnalyticsDeps) {
  const repo = createAnalyticsRepository();

  const service = {
    async kpis(viewer: Principal, tenantId: string, query: KpiQuery): Promise<Kpis> {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      const now = clock.now();
      const to = query.to ? new Date(query.to) : now;
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
      if (from >= to) throw badField('from', 'must be before to', 'END_BEFORE_START');
      if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS)
        throw badField('from', 'at most two years', 'RANGE_TOO_LONG');
      // A seller sees the figures of their own branches, like their inbox.
      const scope = branchScope(viewer);
      const branchIds = narrowScope(scope, query.branchId);
      const groupBy: KpiGrouping | null = query.groupBy ?? null;

      const policy = await followups.policyOf(tenantId);
      const stamped = policy.businessHoursOnly ? await followups.stampResponseTimes(tenantId) : 0;
      // Stamps just written are read back on the primary, where they are (a replica may not have them yet).
      const source = stamped > 0 ? database : await reads.forReader(viewer);

      const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
      const result = await source.withTenant(tenantId, async (tx) => {
        const timeZone = await repo.tenantTimezone(tx, tenantId);
        const scopeOf = async (start: Date, end: Date, grouping: KpiGrouping | null) => ({
          tenantId,
          from: start.toISOString(),
          to: end.toISOString(),
          branchIds,
          timeZone,
          dayOffset:
            grouping === 'day'
              ? await repo.fixedOffset(tx, timeZone, start.toISOString(), end.toISOString())
              : null,
        });
        const figuresOf = async (start: Date, end: Date, grouping: KpiGrouping | null) => {
          if (branchIds?.length === 0) return { counts: [], percentiles: [], compliance: [] };
          const kpiScope = await scopeOf(start, end, grouping);
          return {
            counts: await repo.leadCounts(tx, kpiScope, grouping),
            percentiles: await repo.responsePercentiles(tx, kpiScope, grouping, policy.businessHoursOnly),
            compliance: await repo.taskCompliance(tx, kpiScope, grouping, now.toISOString()),
          };
        };
        const current = await figuresOf(from, to, groupBy);
        // The period before, of the same length, by the same queries: what each figure is compared with. A caller
        // that shows no comparison (the dashboard's per-day trends) spares these queries.
        const previous = query.compare === false ? null : await figuresOf(previousFrom, from, null);
        let labels = new Map<string, string>();
        if (groupBy === 'branch')
          labels = new Map((await repo.branchNames(tx, tenantId)).map((b) => [b.id, b.name]));
        if (groupBy === 'seller')
          labels = new Map((await repo.userNames(tx, tenantId)).map((u) => [u.id, u.name]));
        return { current, previous, labels };
      });

      const current = aggregate(result.current, groupBy);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        branchId: query.branchId ?? null,
        groupBy,
        businessHoursOnly: policy.businessHoursOnly,
        totals: current.totals,
        groups: [...current.groups.entries()]
          .map(([key, figures]) => ({
            key,
            label: key === null ? null : (result.labels.get(key) ?? null),
            ...figures,
          }))
          .sort((a, b) => (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff')),
        previous: result.previous && {
          from: previousFrom.toISOString(),
          to: from.toISOString(),
          totals: aggregate(result.previous, null).totals,
        },
      };
    },

    /**
     * The response-time score per branch that the marketplace ranks shops by: 0-100 over the last 30 days,
     * with the figures it comes from (REPUTATION_FORMULA).
     */
    async reputation(viewer: Principal, tenantId: string): Promise<Reputation> {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      return service.reputationOf(tenantId, viewer);
    },

    /**
     * The reputation of a shop's branches, for whoever may read it (the shop itself, the marketplace's feed):
     * `reader`, when a caller asks, keeps their own writes in view on a lagging replica.
     */
    async reputationOf(tenantId: string, reader: Principal | null = null): Promise<Reputation> {
      const now = clock.now();
      const from = new Date(now.getTime() - REPUTATION_DAYS * DAY_MS);
      const policy = await followups.policyOf(tenantId);
      const stamped = policy.businessHoursOnly ? await followups.stampResponseTimes(tenantId) : 0;
      const target = policy.newLeadAlertMinutes;
      const holidays = new Set(policy.holidays);
      const source = stamped > 0 ? database : await reads.forReader(reader);

      const { branches, answered, waiting } = await source.withTenant(tenantId, async (tx) => ({
        branches: await repo.branchCalendars(tx, tenantId),
        answered: await repo.responseByBranch(
          tx,
          tenantId,
          from.toISOString(),
          now.toISOString(),
          target,
          policy.businessHoursOnly,
        ),
        // Unanswered leads that may have missed the target: the clock is a bound, business time decides below.
        waiting: await repo.unansweredSince(
          tx,
          tenantId,
          from.toISOString(),
          new Date(now.getTime() - target * 60_000).toISOString(),
        ),
      }));

      const calendars = new Map<string, BusinessCalendar>(
        branches.map((b) => [b.id, { hours: b.hours, timeZone: b.timezone, holidays }]),
      );
      const overdue = new Map<string, number>();
      for (const lead of waiting) {
        const calendar = calendars.get(lead.branchId);
        const waited =
          policy.businessHoursOnly && calendar
            ? businessMinutesBetween(calendar, new Date(lead.createdAt), now)
            : (now.getTime() - Date.parse(lead.createdAt)) / 60_000;
        if (waited > target) overdue.set(lead.branchId, (overdue.get(lead.branchId) ?? 0) + 1);
      }
      const byBranch = new Map(answered.map((a) => [a.branchId, a]));

      return {
        from: from.toISOString(),
        to: now.toISOString(),
        windowDays: REPUTATION_DAYS,
        formula: REPUTATION_FORMULA,
        branches: branches.map((b) => {
          const a = byBranch.get(b.id);
          const answeredCount = a?.answered ?? 0;
          const leads = answeredCount + (overdue.get(b.id) ?? 0);
          const median = a?.median ?? null;
          const onTimeRate = rate(a?.onTime ?? 0, leads);
          const answeredRate = rate(answeredCount, leads);
          const speedScore =
            leads === 0
              ? null
              : median === null
                ? 0
                : median <= 0
                  ? 1
                  : rate(Math.min(target, median), median);
          const score =
            leads === 0 || onTimeRate === null || answeredRate === null || speedScore === null
              ? null
              : Math.round(100 * (0.6 * onTimeRate + 0.2 * answeredRate + 0.2 * speedScore));
          return {
            branchId: b.id,
            name: b.name,
            score,
            inputs: {
              leads,
              answered: answeredCount,
              answeredOnTime: a?.onTime ?? 0,
              targetMinutes: target,
              businessHoursOnly: policy.businessHoursOnly,
              medianMinutes: oneDecimal(median),
              p90Minutes: oneDecimal(a?.p90 ?? null),
              onTimeRate,
              answeredRate,
              speedScore,
            },
          };
        }),
      };
    },
  };
  return service;
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
