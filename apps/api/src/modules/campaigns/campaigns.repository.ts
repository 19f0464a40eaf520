import type { CampaignStatus, CampaignType, MetricTotals } from '@techmarket/contracts';
import { and, asc, desc, eq, exists, gte, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import {
  campaign,
  campaignAsset,
  campaignMetricDaily,
  campaignSend,
  campaignWin,
  contact,
  lead,
  tenant,
} from '../../db/schema';
import type { Tx } from '../../platform/db';

export type CampaignRow = typeof campaign.$inferSelect;
export type MetricCell = MetricTotals & { day: string };
export const METRIC_FIELDS = ['impressions', 'clicks', 'leads', 'wins'] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];

const totalsColumns = {
  impressions: sql<number>`coalesce(sum(${campaignMetricDaily.impressions}), 0)::int`,
  clicks: sql<number>`coalesce(sum(${campaignMetricDaily.clicks}), 0)::int`,
  leads: sql<number>`coalesce(sum(${campaignMetricDaily.leads}), 0)::int`,
  wins: sql<number>`coalesce(sum(${campaignMetricDaily.wins}), 0)::int`,
};

/** Campaigns' data access: every call takes the tenant first and runs in the caller's transaction. */
export function createCampaignsRepository() {
  return {
    async tenantTimezone(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({ timezone: tenant.timezone })
        .from(tenant)
        .where(eq(tenant.id, tenantId));
      return row?.timezone ?? null;
    },

    async insert(tx: Tx, values: typeof campaign.$inferInsert) {
      const [row] = await tx.insert(campaign).values(values).returning();
      if (!row) throw new Error('campaign insert returned nothing');
      return row;
    },

    async find(tx: Tx, tenantId: string, id: string, options: { lock?: boolean } = {}) {
      const query = tx
        .select()
        .from(campaign)
        .where(and(eq(campaign.tenantId, tenantId), eq(campaign.id, id)));
      const [row] = options.lock ? await query.for('update') : await query;
      return row ?? null;
    },

    async list(
      tx: Tx,
      tenantId: string,
      filter: { status?: CampaignStatus | undefined; type?: CampaignType | undefined },
      after: { createdAt: string; id: string } | null,
      limit: number,
    ) {
      return tx
        .select()
        .from(campaign)
        .where(
          and(
            eq(campaign.tenantId, tenantId),
            filter.status ? eq(campaign.status, filter.status) : undefined,
            filter.type ? eq(campaign.type, filter.type) : undefined,
            after
              ? or(
                  lt(campaign.createdAt, after.createdAt),
                  and(eq(campaign.createdAt, after.createdAt), lt(campaign.id, after.id)),
                )
              : undefined,
          ),
        )
        .orderBy(desc(campaign.createdAt), desc(campaign.id))
        .limit(limit + 1);
    },

    async update(
      tx: Tx,
      tenantId: string,
      id: string,
      expectedVersion: number | null,
      changes: Partial<typeof campaign.$inferInsert>,
      at: string,
    ) {
      const [row] = await tx
        .update(campaign)
        .set({ ...changes, updatedAt: at, version: sql`${campaign.version} + 1` })
        .where(
          and(
            eq(campaign.tenantId, tenantId),
            eq(campaign.id, id),
            expectedVersion === null ? undefined : eq(campaign.version, expectedVersion),
          ),
        )
        .returning();
      return row ?? null;
    },

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

    /** The contact's most recent lead: whose seller sends the reactivation message, and at which branch. */
    async latestLeads(tx: Tx, tenantId: string, contactIds: string[]) {
      if (contactIds.length === 0) return new Map<string, LatestLead>();
      const rows = await tx.execute<{
        contact_id: string;
        id: string;
        branch_id: string;
        assigned_to_user_id: string | null;
        timezone: string;
      }>(sql`
        select distinct on (l.contact_id) l.contact_id, l.id, l.branch_id, l.assigned_to_user_id, b.timezone
          from ${lead} l join branch b on b.tenant_id = l.tenant_id and b.id = l.branch_id
         where l.tenant_id = ${tenantId} and l.contact_id in (${sql.join(
           contactIds.map((id) => sql`${id}::uuid`),
           sql`, `,
         )})
         order by l.contact_id, l.last_activity_at desc, l.id desc`);
      return new Map(
        rows.rows.map((r) => [
          r.contact_id,
          { id: r.id, branchId: r.branch_id, assignedToUserId: r.assigned_to_user_id, timezone: r.timezone },
        ]),
      );
    },

    /** The shop's standing reactivation campaign that is ACTIVE, locked (its passes and pick-ups queue), or null. */
    async findStanding(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select()
        .from(campaign)
        .where(
          and(
            eq(campaign.tenantId, tenantId),
            eq(campaign.standing, true),
            eq(campaign.status, 'ACTIVE'),
            eq(campaign.type, 'REACTIVATION'),
          ),
        )
        .for('update');
      return row ?? null;
    },

    /** Another standing campaign of the shop, not ENDED (one per shop). */
    async otherStanding(tx: Tx, tenantId: string, exceptId: string | null) {
      const [row] = await tx
        .select({ id: campaign.id })
        .from(campaign)
        .where(
          and(
            eq(campaign.tenantId, tenantId),
            eq(campaign.standing, true),
            sql`${campaign.status} <> 'ENDED'`,
            exceptId ? sql`${campaign.id} <> ${exceptId}::uuid` : undefined,
          ),
        );
      return row ?? null;
    },

    /**
     * The leads just moved to DORMANT whose contact is in the segment (`members`, a condition over `contact c`),
     * with what a send needs; `capped` when the contact had any reactivation message since `capFrom`, or this
     * campaign already picked this lead up.
     */
    async dormantMembers(
      tx: Tx,
      tenantId: string,
      campaignId: string,
      leadIds: string[],
      members: SQL,
      capFrom: string,
    ) {
      if (leadIds.length === 0) return [];
      const rows = await tx.execute<{
        lead_id: string;
        branch_id: string;
        assigned_to_user_id: string | null;
        timezone: string;
        contact_id: string;
        name: string | null;
        phone: string | null;
        capped: boolean;
      }>(sql`
        select l.id as lead_id, l.branch_id, l.assigned_to_user_id, b.timezone, c.id as contact_id, c.name, c.phone,
               exists (select 1 from campaign_send s where s.tenant_id = c.tenant_id and s.contact_id = c.id
                         and (s.created_at > ${capFrom}::timestamptz
                              or (s.campaign_id = ${campaignId}::uuid and s.lead_id = l.id))) as capped
          from ${lead} l
          join contact c on c.tenant_id = l.tenant_id and c.id = l.contact_id
          join branch b on b.tenant_id = l.tenant_id and b.id = l.branch_id
         where l.tenant_id = ${tenantId} and l.id in (${sql.join(
           leadIds.map((id) => sql`${id}::uuid`),
           sql`, `,
         )}) and ${members}
         order by l.id
           for share of c`);
      return rows.rows.map((r) => ({
        contactId: r.contact_id,
        name: r.name,
        phone: r.phone,
        capped: r.capped,
        lead: {
          id: r.lead_id,
          branchId: r.branch_id,
          assignedToUserId: r.assigned_to_user_id,
          timezone: r.timezone,
        },
      }));
    },

    /** Template messages of the campaign whose quiet hours are over, locked, with whether they may still go. */
    async waitingSends(tx: Tx, tenantId: string, campaignId: string, now: string, limit: number) {
      const rows = await tx.execute<{
        id: string;
        lead_id: string;
        ref_code: string;
        name: string | null;
        reachable: boolean;
      }>(sql`
        select s.id, s.lead_id, s.ref_code, c.name, (c.marketing_consent and c.opted_out_at is null) as reachable
          from ${campaignSend} s join contact c on c.tenant_id = s.tenant_id and c.id = s.contact_id
         where s.tenant_id = ${tenantId} and s.campaign_id = ${campaignId}::uuid
           and s.send_after is not null and s.send_after <= ${now}::timestamptz
         order by s.send_after, s.id
         limit ${limit}
           for update of s skip locked`);
      return rows.rows.map((r) => ({
        id: r.id,
        leadId: r.lead_id,
        refCode: r.ref_code,
        name: r.name,
        reachable: r.reachable,
      }));
    },

    /** The send went out as a template message (or, with null, will not: the customer opted out meanwhile). */
    async settleSend(tx: Tx, tenantId: string, sendId: string, messageId: string | null) {
      await tx
        .update(campaignSend)
        .set({ whatsappMessageId: messageId, sendAfter: null })
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.id, sendId)));
    },

    async insertSends(tx: Tx, rows: (typeof campaignSend.$inferInsert)[]) {
      if (rows.length === 0) return [];
      return tx.insert(campaignSend).values(rows).onConflictDoNothing().returning();
    },

    async listSends(tx: Tx, tenantId: string, campaignId: string, limit: number) {
      return tx
        .select()
        .from(campaignSend)
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.campaignId, campaignId)))
        .orderBy(desc(campaignSend.createdAt), desc(campaignSend.id))
        .limit(limit);
    },

    /** The send a reply quotes, with the branch of its lead; locked, so two replies to it queue. */
    async findSendByRef(tx: Tx, tenantId: string, refCode: string) {
      const [row] = await tx
        .select({
          id: campaignSend.id,
          campaignId: campaignSend.campaignId,
          contactId: campaignSend.contactId,
          taskId: campaignSend.taskId,
          refCode: campaignSend.refCode,
          repliedAt: campaignSend.repliedAt,
          replyLeadId: campaignSend.replyLeadId,
          branchId: lead.branchId,
        })
        .from(campaignSend)
        .innerJoin(lead, and(eq(lead.tenantId, campaignSend.tenantId), eq(lead.id, campaignSend.leadId)))
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.refCode, refCode)))
        .for('update', { of: campaignSend });
      return row ?? null;
    },

    async markSendReplied(tx: Tx, tenantId: string, sendId: string, repliedAt: string, replyLeadId: string) {
      await tx
        .update(campaignSend)
        .set({ repliedAt, replyLeadId })
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.id, sendId)));
    },

    async sendTaskIdsOfContact(tx: Tx, tenantId: string, contactId: string) {
      const rows = await tx
        .select({ taskId: campaignSend.taskId })
        .from(campaignSend)
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.contactId, contactId)));
      return rows.flatMap((r) => (r.taskId ? [r.taskId] : []));
    },

    /**
     * The contact; with `branchIds` (a seller's branches) only when one of its leads is at one of them, as the
     * inbox shows a seller only their branches' customers.
     */
    async findContact(
      tx: Tx,
      tenantId: string,
      contactId: string,
      branchIds: readonly string[] | null = null,
    ) {
      const [row] = await tx
        .select()
        .from(contact)
        .where(
          and(
            eq(contact.tenantId, tenantId),
            eq(contact.id, contactId),
            branchIds === null
              ? undefined
              : exists(
                  tx
                    .select({ one: sql`1` })
                    .from(lead)
                    .where(
                      and(
                        eq(lead.tenantId, tenantId),
                        eq(lead.contactId, contact.id),
                        inArray(lead.branchId, [...branchIds]),
                      ),
                    ),
                ),
          ),
        );
      return row ?? null;
    },

    async updateContactConsent(
      tx: Tx,
      tenantId: string,
      contactId: string,
      changes: Pick<
        Partial<typeof contact.$inferInsert>,
        'marketingConsent' | 'consentAt' | 'consentSource' | 'optedOutAt'
      >,
      at: string,
    ) {
      const [row] = await tx
        .update(contact)
        .set({ ...changes, updatedAt: at, version: sql`${contact.version} + 1` })
        .where(and(eq(contact.tenantId, tenantId), eq(contact.id, contactId)))
        .returning();
      return row ?? null;
    },

    async insertAsset(tx: Tx, values: typeof campaignAsset.$inferInsert) {
      const [row] = await tx.insert(campaignAsset).values(values).returning(assetColumns);
      if (!row) throw new Error('asset insert returned nothing');
      return row;
    },

    async listAssets(tx: Tx, tenantId: string, campaignId: string) {
      return tx
        .select(assetColumns)
        .from(campaignAsset)
        .where(and(eq(campaignAsset.tenantId, tenantId), eq(campaignAsset.campaignId, campaignId)))
        .orderBy(asc(campaignAsset.createdAt), asc(campaignAsset.id));
    },

    async assetContent(tx: Tx, tenantId: string, campaignId: string, assetId: string) {
      const [row] = await tx
        .select({
          content: campaignAsset.content,
          contentType: campaignAsset.contentType,
          sha256: campaignAsset.sha256,
        })
        .from(campaignAsset)
        .where(
          and(
            eq(campaignAsset.tenantId, tenantId),
            eq(campaignAsset.campaignId, campaignId),
            eq(campaignAsset.id, assetId),
          ),
        );
      return row ?? null;
    },

    async deleteAsset(tx: Tx, tenantId: string, campaignId: string, assetId: string) {
      const rows = await tx
        .delete(campaignAsset)
        .where(
          and(
            eq(campaignAsset.tenantId, tenantId),
            eq(campaignAsset.campaignId, campaignId),
            eq(campaignAsset.id, assetId),
          ),
        )
        .returning({ id: campaignAsset.id });
      return rows.length > 0;
    },
  };
}

export interface LatestLead {
  id: string;
  branchId: string;
  assignedToUserId: string | null;
  timezone: string;
}

/** Every column but the bytes: lists never carry images. */
const assetColumns = {
  id: campaignAsset.id,
  campaignId: campaignAsset.campaignId,
  kind: campaignAsset.kind,
  document: campaignAsset.document,
  contentType: campaignAsset.contentType,
  byteSize: campaignAsset.byteSize,
  createdAt: campaignAsset.createdAt,
  version: campaignAsset.version,
};
export type CampaignsRepository = ReturnType<typeof createCampaignsRepository>;
export type AssetRow = Awaited<ReturnType<CampaignsRepository['listAssets']>>[number];
