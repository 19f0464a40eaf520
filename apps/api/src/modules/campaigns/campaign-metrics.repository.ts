import type { MetricTotals } from '@techmarket/contracts';
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { campaign, campaignMetricDaily, campaignWin, lead } from '../../db/schema';
import type { Tx } from '../../platform/db';

export type MetricCell = MetricTotals & { day: string };
export const METRIC_FIELDS = ['impressions', 'clicks', 'leads', 'wins'] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];

const totalsColumns = {
  impressions: sql<number>`coalesce(sum(${campaignMetricDaily.impressions}), 0)::int`,
  clicks: sql<number>`coalesce(sum(${campaignMetricDaily.clicks}), 0)::int`,
  leads: sql<number>`coalesce(sum(${campaignMetricDaily.leads}), 0)::int`,
  wins: sql<number>`coalesce(sum(${campaignMetricDaily.wins}), 0)::int`,
};

/** Campaign funnels' data access: the daily figures, wins, and the breakdown read from the events. */
export function createCampaignMetricsRepository() {
  return {
    /** Sums per campaign, for the list's key figures. */
    async totals(tx: Tx, tenantId: string, campaignIds: string[]) {
      if (campaignIds.length === 0) return new Map<string, MetricTotals>();
      const rows = await tx
        .select({ campaignId: campaignMetricDaily.campaignId, ...totalsColumns })
        .from(campaignMetricDaily)
        .where(
          and(
            eq(campaignMetricDaily.tenantId, tenantId),
            inArray(campaignMetricDaily.campaignId, campaignIds),
          ),
        )
        .groupBy(campaignMetricDaily.campaignId);
      return new Map(rows.map(({ campaignId, ...totals }) => [campaignId, totals]));
    },

    /** The stored days of some campaigns from `from` (to `to` when given), oldest first. */
    /** The value of a campaign's leads won between two local days (inclusive), per currency. */
    async revenue(tx: Tx, tenantId: string, campaignId: string, from: string, to: string, timeZone: string) {
      const rows = await tx
        .select({
          currency: lead.valueCurrency,
          total: sql<string>`sum(${lead.value})::bigint`,
        })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            eq(lead.campaignId, campaignId),
            eq(lead.statusCode, 4),
            sql`${lead.valueCurrency} is not null`,
            sql`(${lead.statusChangedAt} at time zone ${timeZone})::date between ${from}::date and ${to}::date`,
          ),
        )
        .groupBy(lead.valueCurrency)
        .orderBy(asc(lead.valueCurrency));
      return rows.flatMap((r) =>
        r.currency === null ? [] : [{ currency: r.currency, total: Number(r.total) }],
      );
    },

    async days(tx: Tx, tenantId: string, campaignIds: string[], from: string, to?: string) {
      if (campaignIds.length === 0) return [];
      return tx
        .select({
          campaignId: campaignMetricDaily.campaignId,
          day: campaignMetricDaily.day,
          impressions: campaignMetricDaily.impressions,
          clicks: campaignMetricDaily.clicks,
          leads: campaignMetricDaily.leads,
          wins: campaignMetricDaily.wins,
        })
        .from(campaignMetricDaily)
        .where(
          and(
            eq(campaignMetricDaily.tenantId, tenantId),
            inArray(campaignMetricDaily.campaignId, campaignIds),
            gte(campaignMetricDaily.day, from),
            to === undefined ? undefined : lte(campaignMetricDaily.day, to),
          ),
        )
        .orderBy(asc(campaignMetricDaily.day));
    },

    /** Adds to a day's counts (the path without Redis): one upsert, atomic under concurrent events. */
    async addToDay(
      tx: Tx,
      tenantId: string,
      campaignId: string,
      day: string,
      add: Partial<Record<MetricField, number>>,
      at: string,
    ) {
      const v = (f: MetricField) => add[f] ?? 0;
      await tx
        .insert(campaignMetricDaily)
        .values({
          tenantId,
          campaignId,
          day,
          impressions: v('impressions'),
          clicks: v('clicks'),
          leads: v('leads'),
          wins: v('wins'),
          updatedAt: at,
        })
        .onConflictDoUpdate({
          target: [campaignMetricDaily.tenantId, campaignMetricDaily.campaignId, campaignMetricDaily.day],
          set: {
            impressions: sql`${campaignMetricDaily.impressions} + excluded.impressions`,
            clicks: sql`${campaignMetricDaily.clicks} + excluded.clicks`,
            leads: sql`${campaignMetricDaily.leads} + excluded.leads`,
            wins: sql`${campaignMetricDaily.wins} + excluded.wins`,
            updatedAt: at,
          },
        });
    },

    /**
     * Writes a day's totals as folded from Redis: absolute values, never lowered, so a repeated or late fold
     * changes nothing. A campaign unknown here (another database on the same Redis) writes nothing.
     */
    async foldDay(
      tx: Tx,
      tenantId: string,
      campaignId: string,
      day: string,
      totals: MetricTotals,
      at: string,
    ) {
      await tx.execute(sql`
        insert into ${campaignMetricDaily} (tenant_id, campaign_id, day, impressions, clicks, leads, wins, updated_at)
        select ${campaign.tenantId}, ${campaign.id}, ${day}::date, ${totals.impressions}, ${totals.clicks},
               ${totals.leads}, ${totals.wins}, ${at}::timestamptz
          from ${campaign} where ${campaign.tenantId} = ${tenantId} and ${campaign.id} = ${campaignId}
        on conflict (tenant_id, campaign_id, day) do update set
          impressions = greatest(${campaignMetricDaily.impressions}, excluded.impressions),
          clicks = greatest(${campaignMetricDaily.clicks}, excluded.clicks),
          leads = greatest(${campaignMetricDaily.leads}, excluded.leads),
          wins = greatest(${campaignMetricDaily.wins}, excluded.wins),
          updated_at = excluded.updated_at`);
    },

    /**
     * The funnel counted again from the stored rows, per local day of `timeZone`, over [from, to): the same rows
     * the breakdown reads (views, clicks and leads that carry the campaign, its recorded wins).
     */
    async countedDays(
      tx: Tx,
      tenantId: string,
      campaignId: string,
      from: string,
      to: string,
      timeZone: string,
    ) {
      const rows = await tx.execute<{ kind: MetricField; day: string; n: number }>(sql`
        select 'impressions' as kind, (v.created_at at time zone ${timeZone})::date::text as day, count(*)::int as n
          from listing_view v
         where v.tenant_id = ${tenantId} and v.campaign_id = ${campaignId}::uuid
           and v.created_at >= ${from}::timestamptz and v.created_at < ${to}::timestamptz
         group by 2
        union all
        select 'clicks', (e.created_at at time zone ${timeZone})::date::text, count(*)::int
          from lead l join lead_event e on e.tenant_id = l.tenant_id and e.lead_id = l.id
         where l.tenant_id = ${tenantId} and l.campaign_id = ${campaignId}::uuid
           and e.type = 'WHATSAPP_CLICK' and e.payload->'campaign'->>'id' = ${campaignId}
           and e.created_at >= ${from}::timestamptz and e.created_at < ${to}::timestamptz
         group by 2
        union all
        select 'leads', (l.created_at at time zone ${timeZone})::date::text, count(*)::int
          from lead l
         where l.tenant_id = ${tenantId} and l.campaign_id = ${campaignId}::uuid
           and l.created_at >= ${from}::timestamptz and l.created_at < ${to}::timestamptz
         group by 2
        union all
        select 'wins', (w.won_at at time zone ${timeZone})::date::text, count(*)::int
          from campaign_win w
         where w.tenant_id = ${tenantId} and w.campaign_id = ${campaignId}::uuid
           and w.won_at >= ${from}::timestamptz and w.won_at < ${to}::timestamptz
         group by 2`);
      const days = new Map<string, MetricTotals>();
      for (const row of rows.rows) {
        const cell = days.get(row.day) ?? { impressions: 0, clicks: 0, leads: 0, wins: 0 };
        cell[row.kind] += row.n;
        days.set(row.day, cell);
      }
      return days;
    },

    /** Writes a day's totals as counted from the rows: they replace what the counters had folded. */
    async setDay(
      tx: Tx,
      tenantId: string,
      campaignId: string,
      day: string,
      totals: MetricTotals,
      at: string,
    ) {
      await tx
        .insert(campaignMetricDaily)
        .values({ tenantId, campaignId, day, ...totals, updatedAt: at })
        .onConflictDoUpdate({
          target: [campaignMetricDaily.tenantId, campaignMetricDaily.campaignId, campaignMetricDaily.day],
          set: { ...totals, updatedAt: at },
        });
    },

    /** The stored events carrying the campaign in [from, to), per branch and listing (see the breakdown contract). */
    async breakdown(tx: Tx, tenantId: string, campaignId: string, from: string, to: string) {
      const rows = await tx.execute<{
        kind: 'impressions' | 'clicks' | 'leads' | 'wins';
        branch_id: string | null;
        listing_id: string | null;
        n: number;
      }>(sql`
        select 'impressions' as kind, null::uuid as branch_id, v.listing_id, count(*)::int as n
          from listing_view v
         where v.tenant_id = ${tenantId} and v.campaign_id = ${campaignId}::uuid
           and v.created_at >= ${from}::timestamptz and v.created_at < ${to}::timestamptz
         group by v.listing_id
        union all
        select 'clicks', l.branch_id, (e.payload->'listing'->>'id')::uuid, count(*)::int
          from lead l join lead_event e on e.tenant_id = l.tenant_id and e.lead_id = l.id
         where l.tenant_id = ${tenantId} and l.campaign_id = ${campaignId}::uuid
           and e.type = 'WHATSAPP_CLICK' and e.payload->'campaign'->>'id' = ${campaignId}
           and e.created_at >= ${from}::timestamptz and e.created_at < ${to}::timestamptz
         group by 2, 3
        union all
        select 'leads', l.branch_id, l.listing_id, count(*)::int
          from lead l
         where l.tenant_id = ${tenantId} and l.campaign_id = ${campaignId}::uuid
           and l.created_at >= ${from}::timestamptz and l.created_at < ${to}::timestamptz
         group by 2, 3
        union all
        select 'wins', l.branch_id, l.listing_id, count(*)::int
          from campaign_win w join lead l on l.tenant_id = w.tenant_id and l.id = w.lead_id
         where w.tenant_id = ${tenantId} and w.campaign_id = ${campaignId}::uuid
           and w.won_at >= ${from}::timestamptz and w.won_at < ${to}::timestamptz
         group by 2, 3`);
      const branches = await tx.execute<{ id: string; name: string }>(
        sql`select id, name from branch where tenant_id = ${tenantId}`,
      );
      const listingIds = [...new Set(rows.rows.flatMap((r) => (r.listing_id ? [r.listing_id] : [])))];
      const listings =
        listingIds.length === 0
          ? { rows: [] as { id: string; title: string }[] }
          : await tx.execute<{ id: string; title: string }>(
              sql`select id, title from listing where tenant_id = ${tenantId} and id in (${sql.join(
                listingIds.map((l) => sql`${l}::uuid`),
                sql`, `,
              )})`,
            );
      return { rows: rows.rows, branches: branches.rows, listings: listings.rows };
    },

    /** True when this call recorded the lead as the campaign's win (the first time it is seen WON). */
    async recordWin(tx: Tx, tenantId: string, campaignId: string, leadId: string, wonAt: string) {
      const rows = await tx
        .insert(campaignWin)
        .values({ tenantId, campaignId, leadId, wonAt })
        .onConflictDoNothing()
        .returning({ leadId: campaignWin.leadId });
      return rows.length > 0;
    },
  };
}
