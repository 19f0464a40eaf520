import type { Lead, LeadSource } from '@techmarket/contracts';
import { and, desc, eq, gte, notInArray, sql } from 'drizzle-orm';
import { pgInstantToIso } from '../../db/columns';
import { lead, trackedLink } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';

/** The lock that makes a contact's conversation at a branch one lead. */
const openLeadLock = (tenantId: string, contactId: string, branchId: string) =>
  `lead-open:${tenantId}:${contactId}:${branchId}`;

/**
 * The statements of a click or message finding its lead (capture.ts): the open-lead locks and the lead's reference
 * code. Every function takes the tenant first.
 */
export function createCaptureRepository() {
  return {
    /**
     * The contact's open lead at the branch (active since `since`, or any when null), after taking the lock that
     * makes it one conversation per contact and branch: concurrent clicks and messages wait here and then find it.
     */
    async lockOpenLead(
      tx: Tx,
      key: { tenantId: string; contactId: string; branchId: string; since: string | null },
    ) {
      const { tenantId, contactId, branchId, since } = key;
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${openLeadLock(tenantId, contactId, branchId)}, 0))`,
      );
      const [open] = await tx
        .select({ id: lead.id, refCode: lead.refCode })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            eq(lead.contactId, contactId),
            eq(lead.branchId, branchId),
            notInArray(lead.status, ['WON', 'LOST']),
            since === null ? undefined : gte(lead.lastActivityAt, since),
          ),
        )
        .orderBy(desc(lead.lastActivityAt))
        .limit(1);
      return open ?? null;
    },

    /**
     * lockOpenLead for several contacts, each at a branch, with no time limit: every lock in one statement (sorted,
     * so two batches never wait on each other's second lock), then every open lead in one more. Keyed
     * `${contactId}:${branchId}`; a pair with no open lead is absent (and stays so while the lock is held).
     */
    async lockOpenLeads(tx: Tx, tenantId: string, pairs: readonly { contactId: string; branchId: string }[]) {
      const found = new Map<string, { id: string; refCode: string | null }>();
      const unique = new Map(pairs.map((pair) => [`${pair.contactId}:${pair.branchId}`, pair]));
      if (unique.size === 0) return found;
      const keys = [...unique.values()].map((p) => openLeadLock(tenantId, p.contactId, p.branchId)).sort();
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(t.k, 0))
          from unnest(${sql.param(keys)}::text[]) with ordinality as t(k, i) order by t.i`,
      );
      const list = [...unique.values()];
      const rows = await tx
        .selectDistinctOn([lead.contactId, lead.branchId], {
          id: lead.id,
          refCode: lead.refCode,
          contactId: lead.contactId,
          branchId: lead.branchId,
        })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            sql`(${lead.contactId}, ${lead.branchId}) in (select * from unnest(${sql.param(list.map((p) => p.contactId))}::uuid[], ${sql.param(list.map((p) => p.branchId))}::uuid[]))`,
            notInArray(lead.status, ['WON', 'LOST']),
          ),
        )
        .orderBy(lead.contactId, lead.branchId, desc(lead.lastActivityAt));
      for (const row of rows)
        found.set(`${row.contactId}:${row.branchId}`, { id: row.id, refCode: row.refCode });
      return found;
    },

    /**
     * Gives the lead this reference code unless another lead of the tenant has it: false then, and the caller
     * draws another. An update cannot skip a clash as an insert can; a savepoint keeps the transaction alive.
     */
    async setRefCodeUnlessTaken(tx: Tx, tenantId: string, leadId: string, code: string) {
      try {
        await tx.transaction((savepoint) =>
          savepoint
            .update(lead)
            .set({ refCode: code })
            .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId))),
        );
        return true;
      } catch (error) {
        if (isUniqueViolation(error, 'lead_tenant_ref_code_key')) return false;
        throw error;
      }
    },
  };
}

/** What capture_click (migration 0024) is told; see its comments for each argument. */
export interface ClickAtOnce {
  tenantId: string;
  branchId: string;
  listingId: string | null;
  campaignId: string | null;
  source: LeadSource;
  trusted: boolean;
  userId: string | null;
  visitorId: string | null;
  /** E.164. */
  phone: string | null;
  name: string | null;
  identityProblem: 'phone' | 'visitorId' | null;
  clickPayload: Record<string, unknown>;
  message: string | null;
  since: string;
  at: string;
  /** [contact, lead, CREATED, WHATSAPP_CLICK, MESSAGE_RECEIVED, ASSIGNED]. */
  ids: readonly string[];
  refCodes: readonly string[];
}

export type ClickProblem =
  | 'tenant'
  | 'branch'
  | 'branch-whatsapp'
  | 'listing'
  | 'campaign'
  | 'phone'
  | 'visitorId';

export type ClickAtOnceResult =
  | { problem: ClickProblem }
  | {
      problem: null;
      created: boolean;
      refCode: string;
      lead: Lead;
      branch: { whatsappPhone: string; countryCode: string | null };
      listingTitle: string | null;
    };

/** A PostgreSQL array literal of ids or codes (hex, dashes, [2-9A-Z]: nothing to quote). */
const arrayLiteral = (items: readonly string[]) => `{${items.join(',')}}`;

interface ClickRow extends Record<string, unknown> {
  problem: ClickProblem | null;
  created: boolean;
  ref: string;
  wa_phone: string;
  wa_country: string | null;
  listing_title: string | null;
  customer: Lead['contact'];
  id: string;
  tenant_id: string;
  branch_id: string;
  customer_user_id: string | null;
  status: Lead['status'];
  source: Lead['source'];
  campaign_id: string | null;
  listing_id: string | null;
  priority: Lead['priority'];
  lead_type: Lead['leadType'];
  assigned_to_user_id: string | null;
  lost_reason: Lead['lostReason'];
  /** bigint: text from pg. */
  value: string | null;
  value_currency: string | null;
  value_source: Lead['valueSource'];
  first_response_at: string | null;
  status_changed_at: string;
  last_activity_at: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/**
 * A click in one statement: capture_click (drizzle/0024_click_capture.sql) does in the server what
 * findOrCreateForClick, captureClick and assignNewLead do statement by statement. Every parameter is a plain value
 * (arrays and JSON as text), so the statement can also travel inlined in one message (Database.writeWithTenant).
 */
/** What the app reads of capture_click's answer (aliased `c`): the outcome and the lead's wire columns. */
const clickColumns =
  sql.raw(`c.problem, c.created, c.ref, c.wa_phone, c.wa_country, c.listing_title, c.customer,
  (c.lead_row).id, (c.lead_row).tenant_id, (c.lead_row).branch_id, (c.lead_row).customer_user_id,
  (c.lead_row).status, (c.lead_row).source, (c.lead_row).campaign_id, (c.lead_row).listing_id,
  (c.lead_row).priority, (c.lead_row).lead_type, (c.lead_row).assigned_to_user_id,
  (c.lead_row).lost_reason, (c.lead_row).value, (c.lead_row).value_currency, (c.lead_row).value_source,
  (c.lead_row).first_response_at, (c.lead_row).status_changed_at,
  (c.lead_row).last_activity_at, (c.lead_row).created_at, (c.lead_row).updated_at, (c.lead_row).version`);

export async function captureClickAtOnce(tx: Tx, click: ClickAtOnce): Promise<ClickAtOnceResult> {
  const result = await tx.execute<ClickRow>(sql`
    select ${clickColumns}
      from capture_click(
        ${click.tenantId}::uuid, ${click.branchId}::uuid, ${click.listingId}::uuid, ${click.campaignId}::uuid,
        ${click.source}::lead_source, ${click.trusted}::boolean, ${click.userId}::text, ${click.visitorId}::text,
        ${click.phone}::text, ${click.name}::text, ${click.identityProblem}::text,
        ${JSON.stringify(click.clickPayload)}::jsonb, ${click.message}::text,
        ${click.since}::timestamptz, ${click.at}::timestamptz,
        ${arrayLiteral(click.ids)}::uuid[], ${arrayLiteral(click.refCodes)}::text[]) c`);
  const row = result.rows[0];
  if (!row) throw new Error('capture_click answered no row');
  return toClickResult(row);
}

/** What a visit to a tracked link (/w/{code}) tells capture_click: the link says the rest. */
export interface LinkVisitAtOnce {
  tenantId: string;
  code: string;
  visitorId: string;
  /** The click event's payload without the link's source (and the listing, campaign and code, as for a click). */
  clickPayload: Record<string, unknown>;
  since: string;
  at: string;
  ids: readonly string[];
  refCodes: readonly string[];
}

/**
 * A person's visit to an active tracked link in one statement: the link read, capture_click called with its branch,
 * listing, campaign and source for an anonymous visitor, and the link's visit counted unless capture_click found a
 * problem. Null when there is no such active link; nothing is written then.
 */
export async function captureLinkVisitAtOnce(
  tx: Tx,
  visit: LinkVisitAtOnce,
): Promise<{ result: ClickAtOnceResult; campaignId: string | null } | null> {
  const result = await tx.execute<ClickRow & { link_campaign: string | null }>(sql`
    with link as (
      select l.branch_id, l.listing_id, l.campaign_id, l.source from ${trackedLink} l
       where l.tenant_id = ${visit.tenantId}::uuid and l.code = ${visit.code} and l.active),
    c as (
      select link.campaign_id as link_campaign, c.*
        from link cross join lateral capture_click(
          ${visit.tenantId}::uuid, link.branch_id, link.listing_id, link.campaign_id, link.source, false, null,
          ${visit.visitorId}::text, null, null, null,
          jsonb_build_object('source', link.source) || ${JSON.stringify(visit.clickPayload)}::jsonb, null,
          ${visit.since}::timestamptz, ${visit.at}::timestamptz,
          ${arrayLiteral(visit.ids)}::uuid[], ${arrayLiteral(visit.refCodes)}::text[]) c),
    counted as (
      update ${trackedLink} l set clicks = l.clicks + 1
        from c
       where l.tenant_id = ${visit.tenantId}::uuid and l.code = ${visit.code} and c.problem is null
      returning l.id)
    select c.link_campaign, ${clickColumns} from c`);
  const row = result.rows[0];
  if (!row) return null;
  return { result: toClickResult(row), campaignId: row.link_campaign };
}

function toClickResult(row: ClickRow): ClickAtOnceResult {
  if (row.problem !== null) return { problem: row.problem };
  const instantOrNull = (value: string | null) => (value === null ? null : pgInstantToIso(value));
  return {
    problem: null,
    created: row.created,
    refCode: row.ref,
    branch: { whatsappPhone: row.wa_phone, countryCode: row.wa_country },
    listingTitle: row.listing_title,
    lead: {
      id: row.id,
      tenantId: row.tenant_id,
      branchId: row.branch_id,
      customerUserId: row.customer_user_id,
      status: row.status,
      source: row.source,
      campaignId: row.campaign_id,
      listingId: row.listing_id,
      priority: row.priority,
      leadType: row.lead_type,
      assignedToUserId: row.assigned_to_user_id,
      lostReason: row.lost_reason,
      value: row.value === null ? null : Number(row.value),
      currency: row.value_currency,
      valueSource: row.value_source,
      firstResponseAt: instantOrNull(row.first_response_at),
      statusChangedAt: pgInstantToIso(row.status_changed_at),
      lastActivityAt: pgInstantToIso(row.last_activity_at),
      createdAt: pgInstantToIso(row.created_at),
      updatedAt: pgInstantToIso(row.updated_at),
      version: row.version,
      contact: row.customer,
    },
  };
}

export type CaptureRepository = ReturnType<typeof createCaptureRepository>;
