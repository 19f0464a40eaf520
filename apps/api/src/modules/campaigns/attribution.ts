import type { Lead, MetricTotals } from '@techmarket/contracts';
import { LRUCache } from 'lru-cache';
import { localDate, startOfLocalDay } from '../../platform/business-time';
import { DAY_COUNTER_DAYS, type DayCounters } from '../../platform/cache';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { createCampaignMetricsRepository, type MetricField } from './campaign-metrics.repository';
import { type CampaignRow, createCampaignsRepository } from './campaigns.repository';

/**
 * Attribution: what each campaign's funnel counts, day by day in the shop's time zone.
 * - impressions: listing views that carry the campaign; clicks: WhatsApp clicks (calls and tracked links) that
 *   carry it. Counted when the campaign is live (ACTIVE and inside its window) at the event.
 * - leads: new leads that carry the campaign, when it is live at their creation.
 * - wins: leads that carry the campaign and go WON, once per lead, on the day they are won, live or not (a sale
 *   closed after the campaign ended is still its sale).
 * Counts are taken after the event's transaction commits. With Redis they are increments of per-day counters
 * that the worker folds into campaign_metric_daily every minute (those that changed since the last fold, however
 * late it runs, within the counters' eight days); without it, one upsert per event.
 */

export interface CampaignAttribution {
  viewed(tenantId: string, campaignIds: string[], at: string): Promise<void>;
  clicked(tenantId: string, campaignId: string, at: string): Promise<void>;
  leadCreated(lead: Lead): Promise<void>;
  leadChanged(lead: Lead): Promise<void>;
  /** Folds the Redis counters that changed since the last fold into the table; a no-op without Redis. */
  fold(): Promise<number>;
  /** The counters not yet folded for one campaign's days (Redis only; empty otherwise). */
  pending(tenantId: string, campaignId: string, days: string[]): Promise<Map<string, Record<string, number>>>;
  /** Forgets what this instance remembers of a campaign (after its status or window changed). */
  forget(campaignId: string): void;
  /**
   * The campaign's days within the counters' life counted again from the stored rows, written over the folded
   * figures and the Redis counters: after Redis lost counts (a restart without persistence, the counts held by an
   * instance that died while Redis was away), the daily figures agree with the breakdown again. With Redis it is
   * exact while events go on: the rows up to a watermark, Redis's per-second buckets after it, set in one step.
   * Returns the days written.
   */
  rebuild(tenantId: string, campaignId: string): Promise<number>;
  /** True once after Redis lost its counters (see DayCounters.forgotten); false without Redis. */
  countersForgotten(): Promise<boolean>;
}

interface CampaignWindow {
  status: CampaignRow['status'];
  startAt: string | null;
  endAt: string | null;
  timezone: string;
}

/**
 * The rebuild's watermark lies this far back: an event older than that has committed and been counted in Redis
 * (a click's transaction and its count take milliseconds; a statement is cut long before), and the instances'
 * clocks agree within it.
 */
const REBUILD_SETTLE_MS = 10_000;
/** How far ahead of ours another instance's clock may run: its events' buckets are read up to there. */
const CLOCK_REACH_MS = 60_000;

/** How long an instance trusts what it read of a campaign's status; its own changes forget it at once. */
const WINDOW_TTL_MS = 15_000;

export const isLive = (c: Pick<CampaignWindow, 'status' | 'startAt' | 'endAt'>, at: string) =>
  c.status === 'ACTIVE' && (c.startAt === null || c.startAt <= at) && (c.endAt === null || at < c.endAt);

const counterKey = (tenantId: string, campaignId: string) => `campaign:${tenantId}:${campaignId}`;

export function createCampaignAttribution(deps: {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  counters: DayCounters | null;
  onError: (error: unknown) => void;
  /** How long after its time an event is surely committed and counted (REBUILD_SETTLE_MS); 10 s. */
  rebuildSettleMs?: number;
}): CampaignAttribution {
  const { database, clock, counters, onError } = deps;
  const settleMs = deps.rebuildSettleMs ?? REBUILD_SETTLE_MS;
  const campaigns = createCampaignsRepository();
  const repo = createCampaignMetricsRepository();
  const windows = new LRUCache<string, CampaignWindow>({ max: 10_000, ttl: WINDOW_TTL_MS });

  async function windowOf(tenantId: string, campaignId: string): Promise<CampaignWindow | null> {
    const cached = windows.get(campaignId);
    if (cached) return cached;
    const found = await database.withTenant(tenantId, async (tx) => {
      const row = await campaigns.find(tx, tenantId, campaignId);
      if (!row) return null;
      const timezone = (await campaigns.tenantTimezone(tx, tenantId)) ?? 'UTC';
      return { status: row.status, startAt: row.startAt, endAt: row.endAt, timezone };
    });
    if (found) windows.set(campaignId, found);
    return found;
  }

  async function count(
    tenantId: string,
    campaignId: string,
    at: string,
    field: MetricField,
    by: number,
    onlyLive: boolean,
  ) {
    const window = await windowOf(tenantId, campaignId);
    if (!window || (onlyLive && !isLive(window, at))) return;
    const day = localDate(new Date(at), window.timezone);
    if (counters) {
      await counters.add(counterKey(tenantId, campaignId), day, { [field]: by }, Date.parse(at));
    } else {
      await database.withTenant(tenantId, (tx) =>
        repo.addToDay(tx, tenantId, campaignId, day, { [field]: by }, clock.now().toISOString()),
      );
    }
  }

  /** Without Redis every count is an upsert of the table: the rebuild writes the rows' counts over it. */
  async function rebuildInTable(tenantId: string, campaignId: string, at: Date) {
    const rebuilt = await database.withTenant(tenantId, async (tx) => {
      const row = await campaigns.find(tx, tenantId, campaignId);
      if (!row) return new Map<string, MetricTotals>();
      const timezone = (await campaigns.tenantTimezone(tx, tenantId)) ?? 'UTC';
      // The counters' life, in the shop's days: older days were folded many times over.
      const from = startOfLocalDay(at, timezone, -(DAY_COUNTER_DAYS - 1)).toISOString();
      const to = startOfLocalDay(at, timezone, 1).toISOString();
      const days = await repo.countedDays(tx, tenantId, campaignId, from, to, timezone);
      for (const [day, totals] of days)
        await repo.setDay(tx, tenantId, campaignId, day, totals, at.toISOString());
      return days;
    });
    return rebuilt.size;
  }

  // The event is committed: a failed count is reported, never turned into an error for the caller.
  const safely = (work: Promise<void>) => work.catch(onError);

  return {
    async viewed(tenantId, campaignIds, at) {
      const perCampaign = new Map<string, number>();
      for (const id of campaignIds) perCampaign.set(id, (perCampaign.get(id) ?? 0) + 1);
      for (const [id, n] of perCampaign) await safely(count(tenantId, id, at, 'impressions', n, true));
    },
    clicked: (tenantId, campaignId, at) => safely(count(tenantId, campaignId, at, 'clicks', 1, true)),
    async leadCreated(created) {
      if (!created.campaignId) return;
      await safely(count(created.tenantId, created.campaignId, created.createdAt, 'leads', 1, true));
    },
    async leadChanged(changed) {
      const campaignId = changed.campaignId;
      if (changed.status !== 'WON' || !campaignId) return;
      await safely(
        (async () => {
          const first = await database.withTenant(changed.tenantId, (tx) =>
            repo.recordWin(tx, changed.tenantId, campaignId, changed.id, changed.statusChangedAt),
          );
          if (first) await count(changed.tenantId, campaignId, changed.statusChangedAt, 'wins', 1, false);
        })(),
      );
    },

    async fold() {
      if (!counters) return 0;
      const { entries, settle } = await counters.changed();
      const at = clock.now().toISOString();
      const failed: typeof entries = [];
      let folded = 0;
      for (const entry of entries) {
        const [, tenantId, campaignId] = entry.key.split(':');
        if (!tenantId || !campaignId) continue;
        const totals: MetricTotals = {
          impressions: entry.values.impressions ?? 0,
          clicks: entry.values.clicks ?? 0,
          leads: entry.values.leads ?? 0,
          wins: entry.values.wins ?? 0,
        };
        try {
          await database.withTenant(tenantId, (tx) =>
            repo.foldDay(tx, tenantId, campaignId, entry.day, totals, at),
          );
          folded++;
        } catch (error) {
          failed.push(entry);
          onError(error);
        }
      }
      await settle(failed);
      return folded;
    },

    async pending(tenantId, campaignId, days) {
      if (!counters) return new Map();
      return counters.read(counterKey(tenantId, campaignId), days);
    },

    forget(campaignId) {
      windows.delete(campaignId);
    },

    async rebuild(tenantId, campaignId) {
      if (!counters) return rebuildInTable(tenantId, campaignId, clock.now());
      // Exact with Redis: the rows count the events up to a watermark a settling time ago (all committed and counted
      // by then), Redis's recent buckets the events since, and the two are put together in one Redis step. A click
      // counted while the rows are read is in the buckets, never lost and never counted twice.
      let at = clock.now();
      const since = await counters.coveredSince();
      // Redis forgot its memory moments ago: its buckets start then, so the watermark must not be earlier.
      if (since > at.getTime() - settleMs) {
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(since - (at.getTime() - settleMs), settleMs)),
        );
        at = clock.now();
      }
      const watermark = at.getTime() - settleMs;
      const read = await database.withTenant(tenantId, async (tx) => {
        const row = await campaigns.find(tx, tenantId, campaignId);
        if (!row) return null;
        const timezone = (await campaigns.tenantTimezone(tx, tenantId)) ?? 'UTC';
        const from = startOfLocalDay(at, timezone, -(DAY_COUNTER_DAYS - 1));
        const counted = await repo.countedDays(
          tx,
          tenantId,
          campaignId,
          from.toISOString(),
          new Date(watermark).toISOString(),
          timezone,
        );
        const days = Array.from({ length: DAY_COUNTER_DAYS }, (_, i) =>
          localDate(startOfLocalDay(at, timezone, i - (DAY_COUNTER_DAYS - 1)), timezone),
        );
        return { counted, days };
      });
      if (!read) return 0;
      const key = counterKey(tenantId, campaignId);
      const rebuilt = new Map<string, MetricTotals>();
      for (const day of read.days) {
        const counted = read.counted.get(day) ?? { impressions: 0, clicks: 0, leads: 0, wins: 0 };
        // Events of instances whose clocks run ahead are in buckets past our now: the reach covers them.
        const totals = await counters.rebuild(key, day, counted, watermark, at.getTime() + CLOCK_REACH_MS);
        const dayTotals: MetricTotals = {
          impressions: totals.impressions ?? 0,
          clicks: totals.clicks ?? 0,
          leads: totals.leads ?? 0,
          wins: totals.wins ?? 0,
        };
        if (read.counted.has(day) || Object.values(dayTotals).some((n) => n > 0)) rebuilt.set(day, dayTotals);
      }
      // The table takes the rebuilt figures at once (the next fold carries on from them).
      const written = clock.now().toISOString();
      await database.withTenant(tenantId, async (tx) => {
        for (const [day, totals] of rebuilt)
          await repo.setDay(tx, tenantId, campaignId, day, totals, written);
      });
      return rebuilt.size;
    },

    countersForgotten: () => counters?.forgotten() ?? Promise.resolve(false),
  };
}
