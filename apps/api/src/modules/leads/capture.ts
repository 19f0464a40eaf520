import type { Lead, LeadSource } from '@techmarket/contracts';
import { and, desc, eq, gte, notInArray, sql } from 'drizzle-orm';
import { customAlphabet } from 'nanoid';
import { lead } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import { type Assignment, assignNewLead } from './assignment';
import { createLeadsRepository, type NewLeadEvent } from './leads.repository';

/**
 * A customer's click turned into a lead. A click of a contact who already has an open lead at the branch
 * (anything but WON or LOST, active in the last 7 days) joins that lead as an event; otherwise it opens a
 * new lead, assigned at once. Runs in the caller's transaction.
 */

// No 0/O, 1/I/L: the customer may retype it. 31^6 ≈ 887 million codes per tenant, drawn at random.
export const newRefCode = customAlphabet('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 6);

/** How long a click keeps landing on the same conversation instead of opening a new lead. */
export const OPEN_LEAD_WINDOW_MS = 7 * 24 * 3600_000;

export interface ClickCapture {
  tenantId: string;
  branchId: string;
  contact: { id: string; name: string | null; phone: string | null };
  source: LeadSource;
  customerUserId: string | null;
  listingId: string | null;
  campaignId: string | null;
  /**
   * What the click event records: the listing and campaign as they were at click time, and where from. Null for
   * a customer who wrote on WhatsApp without clicking: no click event then.
   */
  clickPayload: Record<string, unknown> | null;
  /**
   * Which open lead the customer continues: one active within OPEN_LEAD_WINDOW_MS (a click), or any open one
   * ('any': a message in an ongoing WhatsApp conversation belongs to it however long it lay quiet).
   */
  openLead?: 'recent' | 'any';
  message: string | null;
  /** Where the customer wrote `message`: the marketplace's contact box unless said otherwise. */
  messageChannel?: 'MARKETPLACE' | 'WHATSAPP';
  at: string;
}

export interface CapturedLead {
  lead: Lead;
  refCode: string;
  created: boolean;
  assignment: Assignment | null;
}

export async function captureClick(tx: Tx, click: ClickCapture): Promise<CapturedLead> {
  const repo = createLeadsRepository();
  const { tenantId, branchId, contact, at } = click;
  const [open] = await lockOpenLead(tx, {
    tenantId,
    contactId: contact.id,
    branchId,
    since: click.openLead === 'any' ? null : new Date(Date.parse(at) - OPEN_LEAD_WINDOW_MS).toISOString(),
  }).then((row) => (row ? [row] : []));

  const event = (leadId: string, type: NewLeadEvent['type'], payload: Record<string, unknown>) => ({
    tenantId,
    leadId,
    type,
    payload,
    actorUserId: null,
    createdAt: at,
  });
  const messageEvents = (leadId: string) =>
    click.message
      ? [
          event(leadId, 'MESSAGE_RECEIVED', {
            channel: click.messageChannel ?? 'MARKETPLACE',
            text: click.message,
          }),
        ]
      : [];

  if (open) {
    const refCode = open.refCode ?? (await giveRefCode(tx, tenantId, open.id));
    await repo.insertEvents(tx, [
      ...(click.clickPayload ? [event(open.id, 'WHATSAPP_CLICK', { ...click.clickPayload, refCode })] : []),
      ...messageEvents(open.id),
    ]);
    // The update answers the lead's columns; the contact is the one this click was matched to.
    const current = await repo.touchActivity(tx, tenantId, open.id, at);
    if (!current) throw new Error(`lead ${open.id} vanished inside its transaction`);
    return { lead: { ...current, contact }, refCode, created: false, assignment: null };
  }

  const assignment = await assignNewLead(tx, tenantId, branchId, new Date(at));
  const { row, refCode } = await insertWithFreshRefCode((code) =>
    repo.insertLeadUnlessRefTaken(tx, {
      tenantId,
      branchId,
      contactId: contact.id,
      source: click.source,
      customerUserId: click.customerUserId,
      listingId: click.listingId,
      campaignId: click.campaignId,
      assignedToUserId: assignment.userId,
      refCode: code,
      statusChangedAt: at,
      lastActivityAt: at,
      createdAt: at,
      updatedAt: at,
    }),
  );
  await repo.insertEvents(tx, [
    event(row.id, 'CREATED', { source: click.source, listingId: click.listingId, contactId: contact.id }),
    ...(click.clickPayload ? [event(row.id, 'WHATSAPP_CLICK', { ...click.clickPayload, refCode })] : []),
    ...messageEvents(row.id),
    ...(assignment.userId || assignment.offShift
      ? [
          event(row.id, 'ASSIGNED', {
            fromUserId: null,
            toUserId: assignment.userId,
            strategy: assignment.strategy,
            ...(assignment.offShift ? { offShift: true } : {}),
          }),
        ]
      : []),
  ]);
  return { lead: { ...row, contact }, refCode, created: true, assignment };
}

/** The lock that makes a contact's conversation at a branch one lead. */
const openLeadLock = (tenantId: string, contactId: string, branchId: string) =>
  `lead-open:${tenantId}:${contactId}:${branchId}`;

/**
 * The contact's open lead at the branch (active since `since`, or any when null), after taking the lock that
 * makes it one conversation per contact and branch: concurrent clicks and messages wait here and then find it.
 */
export async function lockOpenLead(
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
}

/**
 * lockOpenLead for several contacts, each at a branch, with no time limit: every lock in one statement (sorted,
 * so two batches never wait on each other's second lock), then every open lead in one more. Keyed
 * `${contactId}:${branchId}`; a pair with no open lead is absent (and stays so while the lock is held).
 */
export async function lockOpenLeads(
  tx: Tx,
  tenantId: string,
  pairs: readonly { contactId: string; branchId: string }[],
) {
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
  for (const row of rows) found.set(`${row.contactId}:${row.branchId}`, { id: row.id, refCode: row.refCode });
  return found;
}

/** Codes are random, so a clash is rare; the insert skips a taken code (null) and the next attempt draws again. */
async function insertWithFreshRefCode<T>(insert: (code: string) => Promise<T | null>) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const code = newRefCode();
    const row = await insert(code);
    if (row !== null) return { row, refCode: code };
  }
  throw new Error('no free reference code in 5 draws');
}

/** An update cannot skip a clash; a savepoint lets it try again without losing the transaction. */
async function withFreshRefCode<T>(tx: Tx, insert: (code: string) => Promise<T>) {
  for (let attempt = 1; ; attempt++) {
    const code = newRefCode();
    try {
      const row = await tx.transaction(() => insert(code));
      return { row, refCode: code };
    } catch (error) {
      if (attempt >= 5 || !isUniqueViolation(error, 'lead_tenant_ref_code_key')) throw error;
    }
  }
}

async function giveRefCode(tx: Tx, tenantId: string, leadId: string) {
  const { refCode } = await withFreshRefCode(tx, (code) =>
    tx
      .update(lead)
      .set({ refCode: code })
      .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId))),
  );
  return refCode;
}
