import type { Lead, LeadSource } from '@techmarket/contracts';
import { customAlphabet } from 'nanoid';
import { newId } from '../../db/columns';
import type { Tx } from '../../platform/db';
import {
  type Assigned,
  type ClickAtOnce,
  type ClickAtOnceResult,
  captureClickAtOnce,
  captureClickText,
  captureLeadAtOnce,
  captureLinkVisitAtOnce,
  type LinkVisitAtOnce,
} from './capture.repository';

/**
 * A customer reaching a branch (a click, a WhatsApp message, a campaign reply) turned into a lead. A contact who
 * already has an open lead at the branch (anything but WON or LOST, active in the last 7 days, or ever for a message
 * in a conversation) joins that lead; otherwise a new lead opens, assigned at once. Runs in the caller's transaction.
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
  /** The ASSIGNED event's payload of a new lead; null for a lead joined, or one nobody got with nobody to tell. */
  assigned: Assigned | null;
}

/**
 * The rules (the open lead, the assignment, the events) are capture_lead's, in the database
 * (drizzle/0025_one_capture.sql), shared with a marketplace click's capture_click: here the window is set and the
 * ids and reference codes it may need are drawn, and the one statement runs.
 */
export async function captureClick(tx: Tx, click: ClickCapture): Promise<CapturedLead> {
  const captured = await captureLeadAtOnce(tx, {
    tenantId: click.tenantId,
    branchId: click.branchId,
    contactId: click.contact.id,
    source: click.source,
    customerUserId: click.customerUserId,
    listingId: click.listingId,
    campaignId: click.campaignId,
    clickPayload: click.clickPayload,
    message: click.message,
    messageChannel: click.messageChannel ?? 'MARKETPLACE',
    since: click.openLead === 'any' ? null : sinceWindow(click.at),
    at: click.at,
    ids: Array.from({ length: 5 }, newId),
    refCodes: drawRefCodes(),
  });
  // The lead's columns as stored; the contact is the one this click was matched to.
  return { ...captured, lead: { ...captured.lead, contact: click.contact } };
}

/** Reference codes a click brings to the server: a clash is one in millions, five in a row never happens. */
const REF_CODE_DRAWS = 5;
const drawRefCodes = () => Array.from({ length: REF_CODE_DRAWS }, () => newRefCode());
/** The start of the window in which a click joins the contact's open lead. */
const sinceWindow = (at: string) => new Date(Date.parse(at) - OPEN_LEAD_WINDOW_MS).toISOString();

export type TrackedClick = Omit<ClickAtOnce, 'since' | 'ids' | 'refCodes'>;

/**
 * A marketplace click (tracking), the whole of it in one statement: capture_click finds or makes the customer (by
 * marketplace user, visitor or phone with the shop's key; as a visitor only without it), then capture_lead does what
 * captureClick does. The ids and reference codes it may need are drawn here. Answers a problem of the input instead when there is one; nothing is written then.
 */
export function captureTrackedClick(tx: Tx, click: TrackedClick): Promise<ClickAtOnceResult> {
  return captureClickAtOnce(tx, {
    ...click,
    since: sinceWindow(click.at),
    ids: Array.from({ length: 6 }, newId),
    refCodes: drawRefCodes(),
  });
}

/**
 * captureTrackedClick as SQL text, for Database.writeSqlWithTenant (one message, no query builder): the hottest
 * write. Its one row is read by clickResultOf.
 */
export function trackedClickText(click: TrackedClick): string {
  return captureClickText({
    ...click,
    since: sinceWindow(click.at),
    ids: Array.from({ length: 6 }, newId),
    refCodes: drawRefCodes(),
  });
}

export type TrackedLinkVisit = Omit<LinkVisitAtOnce, 'since' | 'ids' | 'refCodes'>;

/** A person's visit to a tracked link, as captureTrackedClick with the link's own branch, listing and campaign. */
export function captureTrackedLinkVisit(tx: Tx, visit: TrackedLinkVisit) {
  return captureLinkVisitAtOnce(tx, {
    ...visit,
    since: sinceWindow(visit.at),
    ids: Array.from({ length: 6 }, newId),
    refCodes: drawRefCodes(),
  });
}
