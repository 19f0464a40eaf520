import type { CampaignBreakdown, CampaignMetrics, MetricTotals } from '@techmarket/contracts';
import type { Principal } from '../../platform/auth';
import { localDate, startOfLocalDay } from '../../platform/business-time';
import { DAY_COUNTER_DAYS } from '../../platform/cache';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { badField } from '../../platform/errors';
import type { CampaignAttribution } from './attribution';
import {
  createCampaignMetricsRepository,
  METRIC_FIELDS,
  type MetricCell,
} from './campaign-metrics.repository';
import { requireCampaign, ZERO_TOTALS as ZERO } from './campaign-view';
import { createCampaignsRepository } from './campaigns.repository';

/**
 * Campaigns' funnel figures as of now: the days folded into campaign_metric_daily, each replaced by its Redis
 * counter where that is ahead (what attribution.ts counts, and when, is described at its top).
 */

/**
 * A day's figures as of now: a Redis counter is the day's running total, never lowered, so it is the larger
 * of it and the folded cell (which it is ahead of until the next fold).
 */
const freshest = (saved: Partial<MetricTotals> | undefined, live: Record<string, number> | undefined) => {
  const cell = { ...ZERO };
  for (const field of METRIC_FIELDS) cell[field] = Math.max(saved?.[field] ?? 0, live?.[field] ?? 0);
  return cell;
};

const MAX_METRIC_DAYS = 366;
const DAY_MS = 86_400_000;

export function createCampaignMetricsService(deps: {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  attribution: Pick<CampaignAttribution, 'pending'>;
}) {
  const { database, clock, attribution } = deps;
  const repo = createCampaignMetricsRepository();
  const campaigns = createCampaignsRepository();

  /** UTC days a Redis counter may still hold (its life, and tomorrow): every shop's local day is among them. */
  const counterDays = () => {
    const at = clock.now().getTime();
    return Array.from({ length: DAY_COUNTER_DAYS + 2 }, (_, i) =>
      new Date(at + (1 - i) * DAY_MS).toISOString().slice(0, 10),
    );
  };

  /**
   * Campaigns' totals as of now: the folded days, each replaced by its Redis counter where that is ahead (see
   * `freshest`), as the metrics page reads them.
   */
  async function totalsOf(tx: Tx, tenantId: string, ids: string[]) {
    const totals = await repo.totals(tx, tenantId, ids);
    const recent = counterDays();
    const pending = await Promise.all(ids.map((id) => attribution.pending(tenantId, id, recent)));
    if (pending.every((days) => days.size === 0)) return totals;
    const saved = new Map<string, MetricCell>();
    for (const { campaignId, ...cell } of await repo.days(tx, tenantId, ids, recent.at(-1) ?? '')) {
      saved.set(`${campaignId}|${cell.day}`, cell);
    }
    ids.forEach((id, i) => {
      const sum = { ...(totals.get(id) ?? ZERO) };
      for (const [day, live] of pending[i] ?? []) {
        const stored = saved.get(`${id}|${day}`);
        const fresh = freshest(stored, live);
        for (const field of METRIC_FIELDS) sum[field] += fresh[field] - (stored?.[field] ?? 0);
      }
      totals.set(id, sum);
    });
    return totals;
  }

  /**
   * Every day of the range in the shop's time zone, zeros included. Defaults: from the campaign's first day
   * (its start, else its creation) to today, at most 366 days. Counters not yet folded from Redis
   * are read too, so the figures are current to the event.
   */
  async function metrics(
    viewer: Principal,
    id: string,
    range: { from?: string; to?: string },
  ): Promise<CampaignMetrics> {
    const { tenantId } = viewer;
    const { row, timezone } = await database.withTenant(tenantId, async (tx) => ({
      row: await requireCampaign(tx, tenantId, id),
      timezone: (await campaigns.tenantTimezone(tx, tenantId)) ?? 'UTC',
    }));
    const today = localDate(clock.now(), timezone);
    const dayAfter = (day: string, n: number) =>
      new Date(Date.parse(day) + n * DAY_MS).toISOString().slice(0, 10);
    const first = localDate(new Date(row.startAt ?? row.createdAt), timezone);
    // To today by default, also after the end: sales closed later still count as the campaign's wins.
    let to = range.to ?? (range.from && range.from > today ? range.from : today);
    let from = range.from ?? [first, to].toSorted()[0] ?? to;
    const span = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS) + 1;
    if (span(from, to) > MAX_METRIC_DAYS) {
      if (range.from && range.to)
        throw badField('to', `at most ${MAX_METRIC_DAYS} days from "from"`, 'RANGE_TOO_LONG');
      if (range.from) to = dayAfter(from, MAX_METRIC_DAYS - 1);
      else from = dayAfter(to, -(MAX_METRIC_DAYS - 1));
    }
    const { stored, revenue } = await database.withTenant(tenantId, async (tx) => ({
      stored: await repo.days(tx, tenantId, [id], from, to),
      revenue: await repo.revenue(tx, tenantId, id, from, to, timezone),
    }));
    const allDays = Array.from({ length: span(from, to) }, (_, i) => dayAfter(from, i));
    const live = new Set(counterDays());
    const pending = await attribution.pending(
      tenantId,
      id,
      allDays.filter((d) => live.has(d)),
    );
    const byDay = new Map(stored.map((c) => [c.day, c]));
    const totals = { ...ZERO };
    const days = allDays.map((day) => {
      const cell = { day, ...freshest(byDay.get(day), pending.get(day)) };
      for (const field of METRIC_FIELDS) totals[field] += cell[field];
      return cell;
    });
    return { campaignId: id, from, to, days, totals, revenue };
  }

  return {
    totalsOf,
    metrics,

    /** The funnel per branch and listing over the range's local days (default: the campaign's days to today). */
    async breakdown(
      viewer: Principal,
      id: string,
      range: { from?: string; to?: string },
    ): Promise<CampaignBreakdown> {
      const { tenantId } = viewer;
      const figures = await metrics(viewer, id, range);
      const timezone = await database.withTenant(tenantId, (tx) => campaigns.tenantTimezone(tx, tenantId));
      const zone = timezone ?? 'UTC';
      const start = startOfLocalDay(new Date(`${figures.from}T12:00:00Z`), zone).toISOString();
      const end = startOfLocalDay(new Date(`${figures.to}T12:00:00Z`), zone, 1).toISOString();
      const found = await database.withTenant(tenantId, (tx) => repo.breakdown(tx, tenantId, id, start, end));
      const branchName = new Map(found.branches.map((b) => [b.id, b.name]));
      const title = new Map(found.listings.map((l) => [l.id, l.title]));
      const byBranch = new Map<string, CampaignBreakdown['byBranch'][number]>();
      const byListing = new Map<string, CampaignBreakdown['byListing'][number]>();
      for (const row of found.rows) {
        if (row.branch_id && row.kind !== 'impressions') {
          const cell = byBranch.get(row.branch_id) ?? {
            branchId: row.branch_id,
            name: branchName.get(row.branch_id) ?? '',
            clicks: 0,
            leads: 0,
            wins: 0,
          };
          cell[row.kind] += row.n;
          byBranch.set(row.branch_id, cell);
        }
        const key = row.listing_id ?? '';
        const cell = byListing.get(key) ?? {
          listingId: row.listing_id,
          title: row.listing_id ? (title.get(row.listing_id) ?? null) : null,
          impressions: 0,
          clicks: 0,
          leads: 0,
          wins: 0,
        };
        cell[row.kind] += row.n;
        byListing.set(key, cell);
      }
      const busiest = <T extends { leads: number; clicks: number }>(a: T, b: T) =>
        b.leads - a.leads || b.clicks - a.clicks;
      return {
        campaignId: id,
        from: figures.from,
        to: figures.to,
        byBranch: [...byBranch.values()].sort(busiest),
        byListing: [...byListing.values()].sort(busiest),
      };
    },
  };
}

export type CampaignMetricsService = ReturnType<typeof createCampaignMetricsService>;
