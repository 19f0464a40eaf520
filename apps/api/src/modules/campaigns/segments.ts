import type { Segment, SegmentRule } from '@techmarket/contracts';
import { type SQL, sql } from 'drizzle-orm';

/**
 * The segment rule language compiled to SQL over the shop's contacts (`c`). Every value travels as a bound
 * parameter of drizzle's `sql` template; identifiers are fixed here. Each rule is one predicate and a segment is
 * their conjunction, so a contact belongs when every rule holds for them.
 *
 * - VIEWED: a view of the listing (or of any listing of the category) in the period, matched to the contact by
 *   marketplace user id or anonymous visitor id; with `withoutWin`, and no lead of that listing or category WON
 *   since the period began ("viewed X and did not buy").
 * - LOST: a lead LOST for one of the reasons (any reason when none is named), in the period if one is given.
 * - INTERESTED_IN: a lead on a listing of the category, or a view of one, in the period if one is given.
 * - DORMANT: a lead that is DORMANT now. ZONE / BRANCH: a lead at a branch of the zones / at the branches.
 * - CONSENT: marketing consent given and not opted out.
 * - CLICKED_NOT_WRITTEN: a tracked WhatsApp click (WHATSAPP_CLICK on a lead) in the period, at a branch with a
 *   WhatsApp channel, at least `withinHours` ago, after which no message of the customer arrived on that lead
 *   within `withinHours` (the code the click put in the chat never came back). Branches without a channel are
 *   left out: the CRM cannot see whether their customers wrote.
 */

const DAY_MS = 86_400_000;
const since = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** Contacts who viewed a listing of the target (one listing, or a category) since a time. */
function viewers(tenantId: string, target: { listingId?: string; category?: string }, from: string): SQL {
  const listings = target.listingId
    ? sql`select ${target.listingId}::uuid as id`
    : sql`select l.id from listing l where l.tenant_id = ${tenantId} and lower(l.category) = lower(${target.category ?? ''})`;
  return sql`(
    select vc.id from (${listings}) t
      join listing_view v on v.tenant_id = ${tenantId} and v.listing_id = t.id and v.created_at >= ${from}::timestamptz
      join contact vc on vc.tenant_id = v.tenant_id and vc.marketplace_user_id = v.marketplace_user_id
    union
    select vc.id from (${listings}) t
      join listing_view v on v.tenant_id = ${tenantId} and v.listing_id = t.id and v.created_at >= ${from}::timestamptz
      join contact vc on vc.tenant_id = v.tenant_id and vc.visitor_id = v.visitor_id
  )`;
}

function leadOnCategory(category: string): SQL {
  return sql`exists (select 1 from listing l where l.tenant_id = x.tenant_id and l.id = x.listing_id
                      and lower(l.category) = lower(${category}))`;
}

function rulePredicate(tenantId: string, rule: SegmentRule, now: Date): SQL {
  const contactLead = (condition: SQL) =>
    sql`exists (select 1 from lead x where x.tenant_id = c.tenant_id and x.contact_id = c.id and ${condition})`;
  switch (rule.rule) {
    case 'VIEWED': {
      const from = since(now, rule.withinDays);
      const target = rule.listingId ? { listingId: rule.listingId } : { category: rule.category ?? '' };
      const viewed = sql`c.id in ${viewers(tenantId, target, from)}`;
      if (!rule.withoutWin) return viewed;
      const ofTarget = rule.listingId
        ? sql`x.listing_id = ${rule.listingId}::uuid`
        : leadOnCategory(rule.category ?? '');
      return sql`(${viewed} and not ${contactLead(
        sql`x.status = 'WON' and x.status_changed_at >= ${from}::timestamptz and ${ofTarget}`,
      )})`;
    }
    case 'LOST': {
      const reasons =
        rule.reasons.length > 0 ? sql` and x.lost_reason::text in (${list(rule.reasons)})` : sql``;
      const period =
        rule.withinDays !== undefined
          ? sql` and x.status_changed_at >= ${since(now, rule.withinDays)}::timestamptz`
          : sql``;
      return contactLead(sql`x.status = 'LOST'${reasons}${period}`);
    }
    case 'INTERESTED_IN': {
      const from = rule.withinDays !== undefined ? since(now, rule.withinDays) : '-infinity';
      return sql`(${contactLead(
        sql`x.created_at >= ${from}::timestamptz and ${leadOnCategory(rule.category)}`,
      )} or c.id in ${viewers(tenantId, { category: rule.category }, from)})`;
    }
    case 'DORMANT':
      return contactLead(sql`x.status = 'DORMANT'`);
    case 'ZONE':
      return contactLead(
        sql`exists (select 1 from branch b where b.tenant_id = x.tenant_id and b.id = x.branch_id
                      and lower(b.zone) in (${list(rule.zones.map((z) => z.toLowerCase()))}))`,
      );
    case 'BRANCH':
      return contactLead(
        sql`x.branch_id in (${sql.join(
          rule.branchIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      );
    case 'CONSENT':
      return sql`(c.marketing_consent and c.opted_out_at is null)`;
    case 'CLICKED_NOT_WRITTEN': {
      const hours = sql`make_interval(hours => ${rule.withinHours}::int)`;
      return contactLead(sql`exists (select 1 from whatsapp_channel w
                                       where w.tenant_id = x.tenant_id and w.branch_id = x.branch_id)
        and exists (select 1 from lead_event e
                     where e.tenant_id = x.tenant_id and e.lead_id = x.id and e.type = 'WHATSAPP_CLICK'
                       and e.created_at >= ${since(now, rule.withinDays)}::timestamptz
                       and e.created_at <= ${now.toISOString()}::timestamptz - ${hours}
                       and not exists (select 1 from whatsapp_message m
                                        where m.tenant_id = x.tenant_id and m.lead_id = x.id and m.direction = 'IN'
                                          and m.created_at >= e.created_at
                                          and m.created_at < e.created_at + ${hours}))`);
    }
  }
}

/** The WHERE condition over `contact c` that selects the segment's members in the tenant. */
export function segmentCondition(tenantId: string, segment: Segment, now: Date): SQL {
  const predicates = segment.rules.map((rule) => rulePredicate(tenantId, rule, now));
  return sql.join([sql`c.tenant_id = ${tenantId}`, ...predicates], sql` and `);
}

/** Who may receive marketing: consent given, not opted out, and a phone to reach them on. */
export const reachableCondition = sql`c.marketing_consent and c.opted_out_at is null`;
