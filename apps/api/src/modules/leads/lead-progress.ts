import type { Lead, LeadStatus, LostReason } from '@techmarket/contracts';
import { branchScope, type Principal } from '../../platform/auth';
import type { Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { createLeadsRepository, type LeadChanges, type LeadRow, type NewLeadEvent } from './leads.repository';
import { canTransition } from './pipeline';

/**
 * What the leads module lets other modules (tickets, quotes) do to a lead, inside their own transaction:
 * lock it, record an event on its timeline, and move it forward by the pipeline's rules. The caller publishes
 * the moved lead (LeadFeed) after its transaction commits.
 */

const funnel: readonly LeadStatus[] = ['NEW', 'CONTACTED', 'QUALIFIED', 'QUOTED', 'WON'];

/** Whether `status` comes before `target` in the sales funnel (DORMANT, LOST and WON come before nothing). */
export const isEarlierThan = (status: LeadStatus, target: LeadStatus) => {
  const at = funnel.indexOf(status);
  return at >= 0 && at < funnel.indexOf(target);
};

export interface LeadMove {
  to: LeadStatus;
  lostReason?: LostReason;
  /** Added to the STATUS_CHANGED payload: what caused the move (`{ quoteId }`, `{ ticketId }`). */
  cause: Record<string, unknown>;
}

/** Where a messaging channel holds the conversation: the WhatsApp module's `channelBranches` answers it. */
export interface ReplyChannels {
  channelBranches(tx: Tx, tenantId: string): Promise<ReadonlySet<string>>;
}

/**
 * Whether a move out of NEW is the lead's first response: only while it has none, and only at a branch without
 * a messaging channel. Where one is connected, the first reply a person sends is the first response
 * (conversation-leads.ts), not a stage move: the figure counts when the customer heard back.
 */
export async function isFirstResponseMove(
  tx: Tx,
  channels: ReplyChannels | null,
  current: Pick<LeadRow, 'tenantId' | 'branchId' | 'firstResponseAt'>,
  from: LeadStatus,
) {
  if (from !== 'NEW' || current.firstResponseAt !== null) return false;
  return channels === null || !(await channels.channelBranches(tx, current.tenantId)).has(current.branchId);
}

/** `channels`: which branches answer through a channel (first response rule); null for callers that never move. */
export function createLeadProgress(channels: ReplyChannels | null) {
  const repo = createLeadsRepository();

  return {
    /**
     * The lead, row-locked until the transaction ends, so two commands on one lead (two conversions, an accept
     * and a reject) run one after the other. A SELLER reaches the leads of their branches only: else 404.
     */
    async lockLead(tx: Tx, viewer: Principal, leadId: string): Promise<LeadRow> {
      if (!(await repo.lockLead(tx, viewer.tenantId, leadId, branchScope(viewer)))) throw notFound('Lead');
      const row = await repo.findLead(tx, viewer.tenantId, leadId, null);
      if (!row) throw notFound('Lead');
      return row;
    },

    recordEvents: (tx: Tx, events: NewLeadEvent[]) => repo.insertEvents(tx, events),

    /** One event on each lead of a contact: a change to the customer (their consent) that every lead's history shows. */
    async recordOnContactLeads(tx: Tx, contactId: string, event: Omit<NewLeadEvent, 'leadId'>) {
      const leadIds = await repo.leadIdsOfContact(tx, event.tenantId, contactId);
      await repo.insertEvents(
        tx,
        leadIds.map((leadId) => ({ ...event, leadId })),
      );
      return leadIds.length;
    },

    /**
     * Moves the (locked) lead when the pipeline allows it from where it is, with its STATUS_CHANGED event;
     * answers the moved lead, or null when it stays (already there, or the pipeline forbids the move).
     */
    async advance(
      tx: Tx,
      current: LeadRow,
      move: LeadMove,
      actorUserId: string | null,
      at: string,
    ): Promise<Lead | null> {
      const from = current.status;
      if (from === move.to || !canTransition(from, move.to)) return null;
      const changes: LeadChanges = {
        status: move.to,
        statusChangedAt: at,
        lostReason: move.to === 'LOST' ? (move.lostReason ?? 'OTHER') : null,
      };
      if (await isFirstResponseMove(tx, channels, current, from)) changes.firstResponseAt = at;
      const updated = await repo.updateLead(tx, current.tenantId, current.id, current.version, changes, at);
      // The row is locked: its version cannot have moved since lockLead read it.
      if (!updated) throw new Error(`lead ${current.id} changed under its row lock`);
      await repo.insertEvents(tx, [
        {
          tenantId: current.tenantId,
          leadId: current.id,
          type: 'STATUS_CHANGED',
          payload: {
            from,
            to: move.to,
            ...(move.to === 'LOST' ? { lostReason: changes.lostReason } : {}),
            ...move.cause,
          },
          actorUserId,
          createdAt: at,
        },
      ]);
      return { ...updated, contact: current.contact };
    },

    /**
     * A lead born of something other than a click or a message (spec 11.2.1: a ticket opened, a quote asked for):
     * MANUAL, with its CREATED event carrying `cause` (`{ ticketId }`). The caller publishes it as lead.created.
     */
    async openLead(
      tx: Tx,
      values: {
        tenantId: string;
        branchId: string;
        contact: LeadRow['contact'];
        leadType: LeadRow['leadType'];
        priority: LeadRow['priority'];
        assignedToUserId: string | null;
        actorUserId: string | null;
        at: string;
        cause: Record<string, unknown>;
      },
    ): Promise<LeadRow> {
      const { tenantId, at } = values;
      const created = await repo.insertLead(tx, {
        tenantId,
        branchId: values.branchId,
        contactId: values.contact.id,
        source: 'MANUAL',
        leadType: values.leadType,
        priority: values.priority,
        assignedToUserId: values.assignedToUserId,
        statusChangedAt: at,
        lastActivityAt: at,
        createdAt: at,
        updatedAt: at,
      });
      await repo.insertEvents(tx, [
        {
          tenantId,
          leadId: created.id,
          type: 'CREATED',
          payload: { source: 'MANUAL', listingId: null, contactId: values.contact.id, ...values.cause },
          actorUserId: values.actorUserId,
          createdAt: at,
        },
      ]);
      return { ...created, contact: values.contact };
    },

    /** Activity that is not an edit (a ticket, a quote) keeps the lead fresh in the inbox. */
    touch: (tx: Tx, tenantId: string, leadId: string, at: string) =>
      repo.touchActivity(tx, tenantId, leadId, at),
  };
}

export type LeadProgress = ReturnType<typeof createLeadProgress>;
