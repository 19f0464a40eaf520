import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { branch, campaign, listing, listingView, tenant, trackedLink } from '../../db/schema';
import type { Queryable, Tx } from '../../platform/db';

const linkColumns = {
  id: trackedLink.id,
  tenantId: trackedLink.tenantId,
  code: trackedLink.code,
  branchId: trackedLink.branchId,
  listingId: trackedLink.listingId,
  campaignId: trackedLink.campaignId,
  source: trackedLink.source,
  label: trackedLink.label,
  clicks: trackedLink.clicks,
  botClicks: trackedLink.botClicks,
  active: trackedLink.active,
  createdAt: trackedLink.createdAt,
};

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createTrackingRepository() {
  return {
    async tenantExists(tx: Tx, tenantId: string) {
      const [row] = await tx.select({ id: tenant.id }).from(tenant).where(eq(tenant.id, tenantId));
      return row !== undefined;
    },
    /** The listing as the customer saw it: the click's event keeps this copy, whatever changes later. */
    async listingSnapshot(tx: Tx, tenantId: string, listingId: string) {
      const [row] = await tx
        .select({
          id: listing.id,
          title: listing.title,
          price: listing.price,
          currency: listing.currency,
          stock: listing.stock,
        })
        .from(listing)
        .where(and(eq(listing.tenantId, tenantId), eq(listing.id, listingId)));
      return row ?? null;
    },
    async campaignRef(tx: Tx, tenantId: string, campaignId: string) {
      const [row] = await tx
        .select({ id: campaign.id, name: campaign.name, status: campaign.status })
        .from(campaign)
        .where(and(eq(campaign.tenantId, tenantId), eq(campaign.id, campaignId)));
      return row ?? null;
    },
    async existingListings(tx: Tx, tenantId: string, ids: string[]) {
      const rows = await tx
        .select({ id: listing.id })
        .from(listing)
        .where(and(eq(listing.tenantId, tenantId), inArray(listing.id, ids)));
      return new Set(rows.map((r) => r.id));
    },
    async existingCampaigns(tx: Tx, tenantId: string, ids: string[]) {
      if (ids.length === 0) return new Set<string>();
      const rows = await tx
        .select({ id: campaign.id })
        .from(campaign)
        .where(and(eq(campaign.tenantId, tenantId), inArray(campaign.id, ids)));
      return new Set(rows.map((r) => r.id));
    },
    /** Stores the views; answers the ids of those by a customer who may be known (a user or visitor id). */
    async insertViews(tx: Tx, rows: (typeof listingView.$inferInsert)[]) {
      const inserted = await tx.insert(listingView).values(rows).returning({
        id: listingView.id,
        userId: listingView.marketplaceUserId,
        visitorId: listingView.visitorId,
      });
      return inserted.flatMap((r) => (r.userId !== null || r.visitorId !== null ? [r.id] : []));
    },

    async viewsByIds(tx: Tx, tenantId: string, ids: number[]) {
      return tx
        .select({
          viewId: listingView.id,
          listingId: listingView.listingId,
          campaignId: listingView.campaignId,
          marketplaceUserId: listingView.marketplaceUserId,
          visitorId: listingView.visitorId,
          createdAt: listingView.createdAt,
        })
        .from(listingView)
        .where(and(eq(listingView.tenantId, tenantId), inArray(listingView.id, ids)));
    },
    /**
     * A shop's batch of views in one statement: stored whole when every listing and campaign is the shop's, and
     * not at all otherwise (answers how many were stored: all or none). The items travel as one JSON text, so the
     * statement can go inlined in one message (Database.writeWithTenant).
     */
    async insertViewsIfKnown(
      tx: Tx,
      tenantId: string,
      items: {
        listingId: string;
        campaignId: string | null;
        userId: string | null;
        visitorId: string | null;
      }[],
      at: string,
    ): Promise<{ count: number; knownIds: number[] }> {
      const result = await tx.execute<{ stored: number; known_ids: number[] | null }>(sql`
        with item as (
          select * from jsonb_to_recordset(${JSON.stringify(items)}::jsonb)
                     as i("listingId" uuid, "campaignId" uuid, "userId" text, "visitorId" text)),
        known as (
          select i.* from item i
           where exists (select 1 from ${listing} l where l.tenant_id = ${tenantId} and l.id = i."listingId")
             and (i."campaignId" is null
                  or exists (select 1 from ${campaign} c where c.tenant_id = ${tenantId} and c.id = i."campaignId"))),
        stored as (
          insert into ${listingView} (tenant_id, listing_id, campaign_id, marketplace_user_id, visitor_id, created_at)
          select ${tenantId}, k."listingId", k."campaignId", k."userId", k."visitorId", ${at}::timestamptz
            from known k
           where (select count(*) from known) = (select count(*) from item)
          returning id, (marketplace_user_id is not null or visitor_id is not null) as known)
        select count(*)::int as stored,
               array_agg(id) filter (where known) as known_ids
          from stored`);
      const row = result.rows[0];
      // A view by someone who may be a known customer goes on their lead, by a job (LISTING_VIEW).
      return { count: row?.stored ?? 0, knownIds: (row?.known_ids ?? []).map(Number) };
    },

    async insertLink(tx: Tx, values: typeof trackedLink.$inferInsert) {
      const [row] = await tx.insert(trackedLink).values(values).returning(linkColumns);
      if (!row) throw new Error('link insert returned nothing');
      return row;
    },
    listLinks: (tx: Tx, tenantId: string) =>
      tx
        .select(linkColumns)
        .from(trackedLink)
        .where(eq(trackedLink.tenantId, tenantId))
        .orderBy(desc(trackedLink.createdAt), desc(trackedLink.id))
        .limit(500),
    async findLink(tx: Tx, tenantId: string, by: { id: string } | { code: string }) {
      const [row] = await tx
        .select(linkColumns)
        .from(trackedLink)
        .where(
          and(
            eq(trackedLink.tenantId, tenantId),
            'id' in by ? eq(trackedLink.id, by.id) : eq(trackedLink.code, by.code),
          ),
        );
      return row ?? null;
    },
    async updateLink(
      tx: Tx,
      tenantId: string,
      linkId: string,
      changes: { label?: string | null; active?: boolean },
    ) {
      const [row] = await tx
        .update(trackedLink)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(and(eq(trackedLink.tenantId, tenantId), eq(trackedLink.id, linkId)))
        .returning(linkColumns);
      return row ?? null;
    },
    /** Counts a visit of an active link, found by its code, and answers the link; null when there is none. */
    async countVisit(tx: Tx, tenantId: string, code: string, bot: boolean) {
      const column = bot ? trackedLink.botClicks : trackedLink.clicks;
      const [row] = await tx
        .update(trackedLink)
        .set(bot ? { botClicks: sql`${column} + 1` } : { clicks: sql`${column} + 1` })
        .where(
          and(eq(trackedLink.tenantId, tenantId), eq(trackedLink.code, code), eq(trackedLink.active, true)),
        )
        .returning({
          branchId: trackedLink.branchId,
          listingId: trackedLink.listingId,
          campaignId: trackedLink.campaignId,
          source: trackedLink.source,
        });
      return row ?? null;
    },
    /** The branch's country, which reads a phone typed without "+"; null when there is no such branch. */
    async branchCountry(tx: Tx, tenantId: string, branchId: string) {
      const [row] = await tx
        .select({ countryCode: branch.countryCode })
        .from(branch)
        .where(and(eq(branch.tenantId, tenantId), eq(branch.id, branchId)));
      return row?.countryCode ?? null;
    },
    /** The tenant of a public link code, through the one SECURITY DEFINER door RLS leaves for it. */
    async linkTenant(db: Queryable, code: string): Promise<string | null> {
      const result = await db.execute<{ tenant_id: string | null }>(
        sql`select tracked_link_tenant(${code}) as tenant_id`,
      );
      return result.rows[0]?.tenant_id ?? null;
    },
  };
}

export type LinkRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof createTrackingRepository>['findLink']>>
>;
