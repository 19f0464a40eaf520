import type { Lead, LeadSource } from '@techmarket/contracts';
import { customAlphabet } from 'nanoid';
import { newId } from '../../db/columns';
import type { Tx } from '../../platform/db';
import { type Assignment, assignedPayload, assignNewLead } from './assignment';
import {
  type ClickAtOnce,
  type ClickAtOnceResult,
  captureClickAtOnce,
  captureLinkVisitAtOnce,
  createCaptureRepository,
  type LinkVisitAtOnce,
} from './capture.repository';
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

const repo = createLeadsRepository();
const capture = createCaptureRepository();

export async function captureClick(tx: Tx, click: ClickCapture): Promise<CapturedLead> {
  const { tenantId, branchId, contact, at } = click;
  const [open] = await capture
    .lockOpenLead(tx, {
      tenantId,
      contactId: contact.id,
      branchId,
      since: click.openLead === 'any' ? null : new Date(Date.parse(at) - OPEN_LEAD_WINDOW_MS).toISOString(),
    })
    .then((row) => (row ? [row] : []));

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
  const { row, refCode } = await withFreshRefCode((code) =>
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
  const assigned = assignedPayload(assignment);
  await repo.insertEvents(tx, [
    event(row.id, 'CREATED', { source: click.source, listingId: click.listingId, contactId: contact.id }),
    ...(click.clickPayload ? [event(row.id, 'WHATSAPP_CLICK', { ...click.clickPayload, refCode })] : []),
    ...messageEvents(row.id),
    ...(assigned ? [event(row.id, 'ASSIGNED', assigned)] : []),
  ]);
  return { lead: { ...row, contact }, refCode, created: true, assignment };
}

/** Reference codes a click brings to the server: a clash is one in millions, five in a row never happens. */
const REF_CODE_DRAWS = 5;

export type TrackedClick = Omit<ClickAtOnce, 'since' | 'ids' | 'refCodes'>;

/**
 * A marketplace click (tracking), the whole of it in one statement: the customer found or created (as
 * findOrCreateForClick would, or as a visitor only for a click without the key), then captureClick's rules, assignNewLead's included, carried
 * out by capture_click in the database (drizzle/0024_click_capture.sql). The ids and reference codes it may need are
 * drawn here. Answers a problem of the input instead when there is one; nothing is written then.
 */
export function captureTrackedClick(tx: Tx, click: TrackedClick): Promise<ClickAtOnceResult> {
  return captureClickAtOnce(tx, {
    ...click,
    since: new Date(Date.parse(click.at) - OPEN_LEAD_WINDOW_MS).toISOString(),
    ids: Array.from({ length: 6 }, newId),
    refCodes: Array.from({ length: REF_CODE_DRAWS }, () => newRefCode()),
  });
}

export type TrackedLinkVisit = Omit<LinkVisitAtOnce, 'since' | 'ids' | 'refCodes'>;

/** A person's visit to a tracked link, as captureTrackedClick with the link's own branch, listing and campaign. */
export function captureTrackedLinkVisit(tx: Tx, visit: TrackedLinkVisit) {
  return captureLinkVisitAtOnce(tx, {
    ...visit,
    since: new Date(Date.parse(visit.at) - OPEN_LEAD_WINDOW_MS).toISOString(),
    ids: Array.from({ length: 6 }, newId),
    refCodes: Array.from({ length: REF_CODE_DRAWS }, () => newRefCode()),
  });
}

/**
 * Codes are random, so a clash is rare; the write skips a taken code (null: an insert that did nothing, an update
 * rolled back to its savepoint) and the next attempt draws again.
 */
async function withFreshRefCode<T>(write: (code: string) => Promise<T | null>) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const code = newRefCode();
    const row = await write(code);
    if (row !== null) return { row, refCode: code };
  }
  throw new Error('no free reference code in 5 draws');
}

async function giveRefCode(tx: Tx, tenantId: string, leadId: string) {
  const { refCode } = await withFreshRefCode(async (code) =>
    (await capture.setRefCodeUnlessTaken(tx, tenantId, leadId, code)) ? true : null,
  );
  return refCode;
}
