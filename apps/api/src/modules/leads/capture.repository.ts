import type { Lead, LeadSource } from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import { escapeLiteral } from 'pg';
import { pgInstantToIso } from '../../db/columns';
import { trackedLink } from '../../db/schema';
import type { Tx } from '../../platform/db';

/**
 * The statements of a click or message finding its lead (capture.ts): each calls one of the functions that hold the
 * rules (drizzle/0025_one_capture.sql), so they stand in one place. Every function takes the tenant first.
 */
export function createCaptureRepository() {
  /**
   * lock_open_leads: each contact's open lead at its branch (active since `since`, or any when null), after taking
   * the locks that make it one conversation per contact and branch (sorted: two batches never wait on each other's
   * second), so concurrent clicks and messages wait there and then find it. Keyed `${contactId}:${branchId}`; a pair
   * with no open lead is absent (and stays so while the lock is held).
   */
  async function lockOpenLeads(
    tx: Tx,
    tenantId: string,
    pairs: readonly { contactId: string; branchId: string }[],
    since: string | null = null,
  ) {
    const found = new Map<string, { id: string; refCode: string | null }>();
    if (pairs.length === 0) return found;
    const rows = await tx.execute<{
      contact_id: string;
      branch_id: string;
      id: string;
      ref_code: string | null;
    }>(
      sql`select o.contact_id, o.branch_id, o.id, o.ref_code
            from lock_open_leads(${tenantId}::uuid, ${arrayLiteral(pairs.map((p) => p.contactId))}::uuid[],
                                 ${arrayLiteral(pairs.map((p) => p.branchId))}::uuid[], ${since}::timestamptz) o`,
    );
    for (const row of rows.rows)
      found.set(`${row.contact_id}:${row.branch_id}`, { id: row.id, refCode: row.ref_code });
    return found;
  }

  return {
    lockOpenLeads,

    /** lockOpenLeads for one contact at one branch: its open lead, or null. */
    async lockOpenLead(
      tx: Tx,
      key: { tenantId: string; contactId: string; branchId: string; since: string | null },
    ) {
      const found = await lockOpenLeads(tx, key.tenantId, [key], key.since);
      return found.get(`${key.contactId}:${key.branchId}`) ?? null;
    },
  };
}

/** What capture_lead (migration 0025) is told; see its comments for each argument. */
export interface LeadAtOnce {
  tenantId: string;
  branchId: string;
  contactId: string;
  source: LeadSource;
  customerUserId: string | null;
  listingId: string | null;
  campaignId: string | null;
  clickPayload: Record<string, unknown> | null;
  message: string | null;
  messageChannel: 'MARKETPLACE' | 'WHATSAPP';
  since: string | null;
  at: string;
  /** [lead, CREATED, WHATSAPP_CLICK, MESSAGE_RECEIVED, ASSIGNED]. */
  ids: readonly string[];
  refCodes: readonly string[];
}

/**
 * A known contact's lead in one statement: capture_lead joins the open one or opens and assigns a new one, with its
 * events. Answers the lead's columns (the caller knows the contact), whether it was created, its reference code and
 * the ASSIGNED event's payload of a new lead.
 */
export async function captureLeadAtOnce(tx: Tx, input: LeadAtOnce) {
  const result = await tx.execute<LeadRow & { created: boolean; ref: string; assigned: Assigned | null }>(sql`
    select c.created, c.ref, c.assigned, ${leadRowColumns}
      from capture_lead(
        ${input.tenantId}::uuid, ${input.branchId}::uuid, ${input.contactId}::uuid, ${input.source}::lead_source,
        ${input.customerUserId}::text, ${input.listingId}::uuid, ${input.campaignId}::uuid,
        ${input.clickPayload === null ? null : JSON.stringify(input.clickPayload)}::jsonb, ${input.message}::text,
        ${input.messageChannel}::text, ${input.since}::timestamptz, ${input.at}::timestamptz,
        ${arrayLiteral(input.ids)}::uuid[], ${arrayLiteral(input.refCodes)}::text[]) c`);
  const row = result.rows[0];
  if (!row) throw new Error('capture_lead answered no row');
  return { created: row.created, refCode: row.ref, assigned: row.assigned, lead: toLeadColumns(row) };
}

/** The ASSIGNED event's payload of a new lead's assignment (assign_next_seller). */
export type Assigned = Record<string, unknown>;

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

/** A lead's wire columns as capture_lead and capture_click answer them (`(c.lead_row).*`). */
interface LeadRow extends Record<string, unknown> {
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

const leadRowColumns = sql.raw(`(c.lead_row).id, (c.lead_row).tenant_id, (c.lead_row).branch_id,
  (c.lead_row).customer_user_id, (c.lead_row).status, (c.lead_row).source, (c.lead_row).campaign_id,
  (c.lead_row).listing_id, (c.lead_row).priority, (c.lead_row).lead_type, (c.lead_row).assigned_to_user_id,
  (c.lead_row).lost_reason, (c.lead_row).value, (c.lead_row).value_currency, (c.lead_row).value_source,
  (c.lead_row).first_response_at, (c.lead_row).status_changed_at,
  (c.lead_row).last_activity_at, (c.lead_row).created_at, (c.lead_row).updated_at, (c.lead_row).version`);

function toLeadColumns(row: LeadRow): Omit<Lead, 'contact'> {
  const instantOrNull = (value: string | null) => (value === null ? null : pgInstantToIso(value));
  return {
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
  };
}

export interface ClickRow extends LeadRow {
  problem: ClickProblem | null;
  created: boolean;
  ref: string;
  wa_phone: string;
  wa_country: string | null;
  listing_title: string | null;
  customer: Lead['contact'];
}

/** clickColumns as text: the instants cast to text (the session's ISO, UTC output, as Drizzle reads them). */
const clickColumnsText = `c.problem, c.created, c.ref, c.wa_phone, c.wa_country, c.listing_title, c.customer,
  (c.lead_row).id, (c.lead_row).tenant_id, (c.lead_row).branch_id,
  (c.lead_row).customer_user_id, (c.lead_row).status, (c.lead_row).source, (c.lead_row).campaign_id,
  (c.lead_row).listing_id, (c.lead_row).priority, (c.lead_row).lead_type, (c.lead_row).assigned_to_user_id,
  (c.lead_row).lost_reason, (c.lead_row).value, (c.lead_row).value_currency, (c.lead_row).value_source,
  (c.lead_row).first_response_at::text as first_response_at, (c.lead_row).status_changed_at::text as status_changed_at,
  (c.lead_row).last_activity_at::text as last_activity_at, (c.lead_row).created_at::text as created_at,
  (c.lead_row).updated_at::text as updated_at, (c.lead_row).version`;

/** What the app reads of capture_click's answer (aliased `c`): the outcome and the lead's wire columns. */
const clickColumns = sql`c.problem, c.created, c.ref, c.wa_phone, c.wa_country, c.listing_title, c.customer,
  ${leadRowColumns}`;

/**
 * A click in one statement: capture_click (drizzle/0024_click_capture.sql, 0025_one_capture.sql) finds or makes the
 * customer and hands the rest to capture_lead. Every parameter is a plain value (arrays and JSON as text), so the
 * statement can also travel inlined in one message (Database.writeWithTenant).
 */
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

/** A value as a SQL literal: null, or quoted by pg's escapeLiteral. */
const literal = (value: string | null) => (value === null ? 'null' : escapeLiteral(value));

/**
 * The same click as SQL text, every value escaped into it (pg's escapeLiteral), for Database.writeSqlWithTenant: the
 * hottest write, sent with no query builder on the way. Read its one row with clickResultOf. The instants are read
 * as text, as Drizzle's session reads them.
 */
export function captureClickText(click: ClickAtOnce): string {
  return `select ${clickColumnsText} from capture_click(${literal(click.tenantId)}::uuid, ${literal(click.branchId)}::uuid,
${literal(click.listingId)}::uuid, ${literal(click.campaignId)}::uuid, ${literal(click.source)}::lead_source,
${click.trusted ? 'true' : 'false'}, ${literal(click.userId)}::text, ${literal(click.visitorId)}::text,
${literal(click.phone)}::text, ${literal(click.name)}::text, ${literal(click.identityProblem)}::text,
${literal(JSON.stringify(click.clickPayload))}::jsonb, ${literal(click.message)}::text,
${literal(click.since)}::timestamptz, ${literal(click.at)}::timestamptz,
${literal(arrayLiteral(click.ids))}::uuid[], ${literal(arrayLiteral(click.refCodes))}::text[]) c`;
}

/** capture_click's answer as captureClickText reads it. */
export function clickResultOf(row: ClickRow | undefined): ClickAtOnceResult {
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
  return {
    problem: null,
    created: row.created,
    refCode: row.ref,
    branch: { whatsappPhone: row.wa_phone, countryCode: row.wa_country },
    listingTitle: row.listing_title,
    lead: { ...toLeadColumns(row), contact: row.customer },
  };
}

export type CaptureRepository = ReturnType<typeof createCaptureRepository>;
