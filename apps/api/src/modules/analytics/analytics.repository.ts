import type { LeadSource, LeadStatus, LostReason } from '@techmarket/contracts';
import { and, asc, eq, gte, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { appUser, branch, lead, task, tenant } from '../../db/schema';
import type { Tx } from '../../platform/db';

/**
 * The figures are SQL aggregates over the shop's leads created in the period (lead_inbox_created_idx) and its
 * tasks due in the period (task_status_idx): one scan each, whatever the grouping. Response times are read
 * from first_response_business_seconds, measured once per lead by the follow-up engine, so no figure
 * recomputes business time row by row.
 */

export type KpiGrouping = 'branch' | 'seller' | 'source' | 'day';

export interface KpiScope {
  tenantId: string;
  from: string;
  to: string;
  /** Null: every branch. */
  branchIds: readonly string[] | null;
  timeZone: string;
  /**
   * The zone's one UTC offset through the whole period (`fixedOffset`), or null when it changes in it (a
   * daylight-saving switch): with one, a lead's local date is plain arithmetic instead of a zone look-up.
   */
  dayOffset?: string | null;
}

/**
 * What a lead's group is computed from, row by row, in its own type: a day is the local date, not its text.
 * A date (or uuid, or enum) groups in a hash table the planner sizes right and sorts in fewer bytes, where
 * formatting 100,000 rows and sorting the text spilled the sort to disk (by day, 3x the other groupings);
 * `keyText` formats the few groups afterwards.
 */
function leadKey(groupBy: KpiGrouping | null, scope: KpiScope): SQL {
  switch (groupBy) {
    case 'branch':
      return sql`${lead.branchId}`;
    case 'seller':
      return sql`${lead.assignedToUserId}`;
    case 'source':
      return sql`${lead.source}`;
    case 'day':
      // The same local date either way: where the offset is fixed, the zone's rules add nothing but their cost
      // (a zone look-up per lead, a quarter of the by-day figures' CPU).
      return scope.dayOffset
        ? sql`(${lead.createdAt} at time zone ${scope.dayOffset}::interval)::date`
        : sql`(${lead.createdAt} at time zone ${scope.timeZone})::date`;
    default:
      return sql`null::text`;
  }
}

/** A group's key as the wire carries it, from the grouped value `key` of leadKey. */
const keyText = (groupBy: KpiGrouping | null) =>
  groupBy === 'day' ? sql`to_char(key, 'YYYY-MM-DD')` : sql`key::text`;

function taskKey(groupBy: KpiGrouping | null, timeZone: string): SQL<string | null> {
  switch (groupBy) {
    case 'branch':
      return sql`${task.branchId}::text`;
    case 'seller':
      return sql`${task.assigneeUserId}::text`;
    case 'source':
      return sql`${lead.source}::text`;
    case 'day':
      return sql`to_char(${task.dueAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;
    default:
      return sql`null::text`;
  }
}

/** Response minutes of a lead: business or calendar time, as the shop's policy counts. */
const responseMinutes = (businessHoursOnly: boolean) =>
  businessHoursOnly
    ? sql`${lead.firstResponseBusinessSeconds} / 60.0`
    : sql`extract(epoch from ${lead.firstResponseAt} - ${lead.createdAt}) / 60.0`;

const inBranches = (column: typeof lead.branchId | typeof task.branchId, ids: readonly string[] | null) =>
  ids === null ? undefined : inArray(column, [...ids]);

export function createAnalyticsRepository() {
  const leadsInPeriod = (scope: KpiScope) =>
    and(
      eq(lead.tenantId, scope.tenantId),
      gte(lead.createdAt, scope.from),
      lt(lead.createdAt, scope.to),
      inBranches(lead.branchId, scope.branchIds),
    );

  return {
    /**
     * The zone's UTC offset if it is the same all through [from, to], else null. PostgreSQL's own zone rules say
     * so, read every hour of the period and at its end: zone changes are months apart, never two in an hour.
     */
    async fixedOffset(tx: Tx, timeZone: string, from: string, to: string): Promise<string | null> {
      const rows = await tx.execute<{ offset: string | null }>(sql`
        select case when count(distinct utc_offset) = 1 then min(utc_offset)::text end as "offset"
        from (
          select (at at time zone ${timeZone}) - (at at time zone 'UTC') as utc_offset
          from generate_series(${from}::timestamptz, ${to}::timestamptz, interval '1 hour') at
          union all
          select (${to}::timestamptz at time zone ${timeZone}) - (${to}::timestamptz at time zone 'UTC')
        ) offsets`);
      return rows.rows[0]?.offset ?? null;
    },

    async tenantTimezone(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({ timezone: tenant.timezone })
        .from(tenant)
        .where(eq(tenant.id, tenantId));
      return row?.timezone ?? 'UTC';
    },

    async branchNames(tx: Tx, tenantId: string) {
      return tx
        .select({ id: branch.id, name: branch.name })
        .from(branch)
        .where(eq(branch.tenantId, tenantId))
        .orderBy(asc(branch.name), asc(branch.id));
    },

    async branchCalendars(tx: Tx, tenantId: string) {
      return tx
        .select({ id: branch.id, name: branch.name, timezone: branch.timezone, hours: branch.businessHours })
        .from(branch)
        .where(eq(branch.tenantId, tenantId))
        .orderBy(asc(branch.name), asc(branch.id));
    },

    async userNames(tx: Tx, tenantId: string) {
      return tx
        .select({ id: appUser.id, name: appUser.name })
        .from(appUser)
        .where(eq(appUser.tenantId, tenantId));
    },

    /** Leads per group, source, status and lost reason, with how many were answered: every count the KPIs need. */
    async leadCounts(tx: Tx, scope: KpiScope, groupBy: KpiGrouping | null) {
      const key = leadKey(groupBy, scope);
      const rows = await tx.execute<{
        key: string | null;
        source: LeadSource;
        status: LeadStatus;
        lostReason: LostReason | null;
        leads: number;
        responded: number;
      }>(sql`
        select ${keyText(groupBy)} as key, source, status, lost_reason as "lostReason", leads, responded
        from (
          select ${key} as key, ${lead.source} as source, ${lead.status} as status,
            ${lead.lostReason} as lost_reason, count(*)::int as leads, count(${lead.firstResponseAt})::int as responded
          from ${lead}
          where ${leadsInPeriod(scope)}
          group by 1, 2, 3, 4
        ) grouped`);
      return rows.rows;
    },

    /** Median and 90th percentile of response minutes, per group and overall (the `()` grouping set). */
    async responsePercentiles(
      tx: Tx,
      scope: KpiScope,
      groupBy: KpiGrouping | null,
      businessHoursOnly: boolean,
    ) {
      const minutes = responseMinutes(businessHoursOnly);
      const answered = sql`${leadsInPeriod(scope)} and ${lead.firstResponseAt} is not null`;
      // Without groups, one plain aggregate: grouping sets would sort every answered lead by a constant key.
      const rows = await tx.execute<{
        key: string | null;
        total: boolean;
        median: number | null;
        p90: number | null;
      }>(
        groupBy === null
          ? sql`
        select null::text as key, true as total,
          percentile_cont(0.5) within group (order by ${minutes}) as median,
          percentile_cont(0.9) within group (order by ${minutes}) as p90
        from ${lead}
        where ${answered}`
          : // The key is computed once in a subquery: GROUPING() must name it, and a parameter in it would not match.
            sql`
        select ${keyText(groupBy)} as key, total, median, p90
        from (
          select key, grouping(key) = 1 as total,
            percentile_cont(0.5) within group (order by minutes) as median,
            percentile_cont(0.9) within group (order by minutes) as p90
          from (
            select ${leadKey(groupBy, scope)} as key, ${minutes} as minutes from ${lead}
            where ${answered}
          ) answered
          group by grouping sets ((key), ())
        ) grouped`,
      );
      return rows.rows.map((r) => ({
        key: r.key,
        total: r.total,
        median: r.median === null ? null : Number(r.median),
        p90: r.p90 === null ? null : Number(r.p90),
      }));
    },

    /** Tasks due in the period (and by now), not cancelled, and those done by their due time, per group. */
    async taskCompliance(tx: Tx, scope: KpiScope, groupBy: KpiGrouping | null, now: string) {
      const key = taskKey(groupBy, scope.timeZone);
      const before = scope.to < now ? scope.to : now;
      const base = tx
        .select({
          key: sql<string | null>`${key}`.as('key'),
          due: sql<number>`count(*)::int`,
          onTime: sql<number>`(count(*) filter (where ${task.status} = 'DONE' and ${task.completedAt} <= ${task.dueAt}))::int`,
        })
        .from(task);
      const joined =
        groupBy === 'source'
          ? base.innerJoin(lead, and(eq(lead.tenantId, task.tenantId), eq(lead.id, task.leadId)))
          : base;
      return joined
        .where(
          and(
            eq(task.tenantId, scope.tenantId),
            // A task cancelled after it fell due (dropped when its lead went dormant) was missed, not excused.
            or(
              inArray(task.status, ['OPEN', 'DONE']),
              and(eq(task.status, 'CANCELLED'), lt(task.dueAt, task.updatedAt)),
            ),
            gte(task.dueAt, scope.from),
            lt(task.dueAt, before),
            inBranches(task.branchId, scope.branchIds),
          ),
        )
        .groupBy(sql`1`);
    },

    /** Per branch over a window: leads answered, answered within the target, the median and p90 response minutes. */
    async responseByBranch(
      tx: Tx,
      tenantId: string,
      from: string,
      to: string,
      targetMinutes: number,
      businessHoursOnly: boolean,
    ) {
      const minutes = responseMinutes(businessHoursOnly);
      return tx
        .select({
          branchId: lead.branchId,
          answered: sql<number>`count(*)::int`,
          onTime: sql<number>`(count(*) filter (where ${minutes} <= ${targetMinutes}))::int`,
          median: sql<number | null>`percentile_cont(0.5) within group (order by ${minutes})`.mapWith((v) =>
            v === null ? null : Number(v),
          ),
          p90: sql<number | null>`percentile_cont(0.9) within group (order by ${minutes})`.mapWith((v) =>
            v === null ? null : Number(v),
          ),
        })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            gte(lead.createdAt, from),
            lt(lead.createdAt, to),
            sql`${lead.firstResponseAt} is not null`,
          ),
        )
        .groupBy(lead.branchId);
    },

    /** Unanswered leads of the window old enough (by the clock) to have missed the target: checked in code. */
    async unansweredSince(tx: Tx, tenantId: string, from: string, olderThan: string) {
      return tx
        .select({ branchId: lead.branchId, createdAt: lead.createdAt })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            gte(lead.createdAt, from),
            lte(lead.createdAt, olderThan),
            isNull(lead.firstResponseAt),
          ),
        );
    },
  };
}

export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;
