import { type LeadSource, type LeadStatus, leadStatuses, openLeadStatuses } from '@techmarket/contracts';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { campaign, lead } from '../../db/schema';
import type { Tx } from '../../platform/db';

/**
 * The money figures, read from the value kept on each lead (lead.value, lead.value_currency): the open pipeline
 * per stage, and the leads won in a period (lead_won_idx) grouped five ways in one scan. Always grouped by
 * currency too: no statement adds amounts of different currencies.
 */

export interface RevenueScope {
  tenantId: string;
  from: string;
  to: string;
  /** Null: every branch. */
  branchIds: readonly string[] | null;
}

export type RevenueDimension = 'total' | 'source' | 'branch' | 'seller' | 'campaign';

const statusCode = (status: LeadStatus) => leadStatuses.indexOf(status);
const WON = statusCode('WON');
const OPEN = openLeadStatuses.map(statusCode);

const inScope = (scope: Pick<RevenueScope, 'tenantId' | 'branchIds'>) =>
  and(
    eq(lead.tenantId, scope.tenantId),
    scope.branchIds === null ? undefined : inArray(lead.branchId, [...scope.branchIds]),
  );

/** grouping(source, branch_id, assigned_to_user_id, campaign_id): a bit set for each column not grouped on. */
const dimensionByGrouping = new Map<number, RevenueDimension>([
  [15, 'total'],
  [7, 'source'],
  [11, 'branch'],
  [13, 'seller'],
  [14, 'campaign'],
]);

export function createRevenueRepository() {
  return {
    /** Open leads per stage and currency, with their summed value. */
    async pipeline(tx: Tx, scope: Pick<RevenueScope, 'tenantId' | 'branchIds'>) {
      const rows = await tx
        .select({
          status: lead.status,
          currency: lead.valueCurrency,
          leads: sql<number>`count(*)::int`,
          amount: sql<string>`coalesce(sum(${lead.value}), 0)::bigint`,
        })
        .from(lead)
        .where(and(inScope(scope), sql`${lead.statusCode} in (${sql.join(OPEN, sql`, `)})`))
        .groupBy(lead.status, lead.valueCurrency);
      return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
    },

    /** Leads won in the period, per currency: in total, and per source, branch, seller and campaign. */
    async won(tx: Tx, scope: RevenueScope) {
      const rows = await tx.execute<{
        grouping: number;
        source: LeadSource | null;
        branch_id: string | null;
        seller_id: string | null;
        campaign_id: string | null;
        currency: string | null;
        leads: number;
        amount: string;
      }>(sql`
        select grouping(source, branch_id, assigned_to_user_id, campaign_id)::int as grouping,
          source::text as source, branch_id::text as branch_id, assigned_to_user_id::text as seller_id,
          campaign_id::text as campaign_id, value_currency as currency,
          count(*)::int as leads, coalesce(sum(value), 0)::bigint as amount
        from ${lead}
        where ${inScope(scope)} and ${lead.statusCode} = ${sql.raw(String(WON))}
          and ${lead.statusChangedAt} >= ${scope.from} and ${lead.statusChangedAt} < ${scope.to}
        group by grouping sets ((value_currency), (source, value_currency), (branch_id, value_currency),
          (assigned_to_user_id, value_currency), (campaign_id, value_currency))`);
      return rows.rows.flatMap((r) => {
        const dimension = dimensionByGrouping.get(Number(r.grouping));
        if (!dimension) return [];
        const key =
          dimension === 'source'
            ? r.source
            : dimension === 'branch'
              ? r.branch_id
              : dimension === 'seller'
                ? r.seller_id
                : dimension === 'campaign'
                  ? r.campaign_id
                  : null;
        return [{ dimension, key, currency: r.currency, leads: r.leads, amount: Number(r.amount) }];
      });
    },

    async campaignNames(tx: Tx, tenantId: string) {
      return tx
        .select({ id: campaign.id, name: campaign.name })
        .from(campaign)
        .where(eq(campaign.tenantId, tenantId))
        .orderBy(asc(campaign.name));
    },
  };
}
