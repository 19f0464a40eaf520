import type { CampaignStatus, CampaignType } from '@techmarket/contracts';
import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import { campaign, tenant } from '../../db/schema';
import type { Tx } from '../../platform/db';

export type CampaignRow = typeof campaign.$inferSelect;

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

    /** How many of these branches are the shop's own. */
    async countBranches(tx: Tx, tenantId: string, branchIds: readonly string[]) {
      const found = await tx.execute<{ n: number }>(
        sql`select count(*)::int as n from branch where tenant_id = ${tenantId} and id in (${sql.join(
          branchIds.map((b) => sql`${b}::uuid`),
          sql`, `,
        )})`,
      );
      return found.rows[0]?.n ?? 0;
    },

    async hasListing(tx: Tx, tenantId: string, listingId: string) {
      const found = await tx.execute(
        sql`select 1 from listing where tenant_id = ${tenantId} and id = ${listingId}::uuid`,
      );
      return found.rows.length > 0;
    },

    /** The contacts a condition over `contact c` holds: how many, and the newest `sampleSize` of them. */
    async segmentMembers(tx: Tx, condition: SQL, sampleSize: number) {
      // JIT compiles these plans for longer than they run (the subplans' estimates look costly; the shop is small).
      await tx.execute(sql`set local jit = off`);
      // One pass: the window count is taken over every member before the sample is cut. The window sits in a
      // subquery (never flattened) so the planner joins all members at once and sorts only then; with the sort
      // and limit on the same level it probed each contact's leads one by one hoping to stop early, which a
      // window count never lets it do (docs/benchmarks.md, "Campaign segments: preview").
      const rows = await tx.execute<{
        id: string;
        name: string | null;
        phone: string | null;
        marketing_consent: boolean;
        opted_out_at: string | null;
        total: number;
      }>(
        sql`select s.id, s.name, s.phone, s.marketing_consent, s.opted_out_at, s.total
              from (select c.id, c.name, c.phone, c.marketing_consent, c.opted_out_at, c.created_at,
                           (count(*) over ())::int as total
                      from contact c where ${condition}) s
             order by s.created_at desc, s.id desc limit ${sampleSize}`,
      );
      return rows.rows;
    },
  };
}

export type CampaignsRepository = ReturnType<typeof createCampaignsRepository>;
