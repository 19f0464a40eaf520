import type {
  Assistance,
  ConversationRead,
  Lead,
  LeadDetail,
  LeadInboxItem,
  LeadInboxQuery,
  updateLeadBody,
} from '@techmarket/contracts';
import type { z } from 'zod';
import { branchScope, narrowScope, type Principal, type UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, invalidField, notFound } from '../../platform/errors';
import type { ContactsService } from '../contacts';
import type { IdentityService } from '../identity';
import { createInboxRepository, type InboxRow } from './inbox.repository';
import { decodeCursor, encodeCursor, type InboxPosition } from './inbox-cursor';
import type { LeadFeed } from './lead-feed';
import { isFirstResponseMove, type ReplyChannels } from './lead-progress';
import { createLeadsRepository, type LeadChanges, type LeadRow, type NewLeadEvent } from './leads.repository';
import { type CreateLeadInput, createManualEntry } from './manual-entry';
import { assertTransition, isReopening } from './pipeline';

/**
 * Leads: the inbox, a lead's page, its history and notes, and the changes people make to it.
 * Rules beyond the pipeline (pipeline.ts):
 * - A SELLER sees and works the leads of their own branches only; anything else is "not found".
 *   MANAGER, OWNER and tenant API keys see the whole tenant. API keys read; changes need a person,
 *   because every change is recorded with its actor.
 * - Every command is one transaction: the lead, its events and its notes change together or not at all.
 * - Edits are optimistic: the caller sends the version it read; a stale one is a 409, never a lost update.
 * - A lead entered by hand goes to the seller who entered it; entered by a manager or owner, to the branch's
 *   strategy (round-robin or fewest open, on shift first), exactly as a tracked click's lead does.
 * - A lead is assigned only to someone who can see it: an active MANAGER or OWNER, or an active SELLER of
 *   the lead's branch.
 * - LOST needs a reason (the campaigns segment "lost by price" reads it); leaving LOST clears it.
 * - The first move out of NEW stamps first_response_at once: the response-time figure the marketplace
 *   ranks shops by. Not at a branch with a WhatsApp channel: there the first message a person sends does
 *   (conversation-leads.ts), so the figure is when the customer heard back, not when the card moved.
 */

export interface LeadsDeps {
  database: Pick<Database, 'withTenant' | 'readWithTenant'>;
  clock: Clock;
  contacts: Pick<ContactsService, 'findOrCreateByPhone'>;
  identity: Pick<IdentityService, 'findUser' | 'findBranch'>;
  /** The branches with a messaging channel, where a stage move is not the first response. */
  channels: ReplyChannels;
  /** Told after each committed change: live updates and inbox counts. */
  feed?: Pick<LeadFeed, 'changed'>;
  /**
   * The lead page shows the assistant's latest reading; a person's type or priority is a labelled example for the
   * shop's own model, stored with the change.
   */
  assistant?: {
    latest(viewer: Principal, leadId: string): Promise<Assistance | null>;
    learnFromCorrection?(
      tx: Tx,
      correction: { tenantId: string; leadId: string; userId: string },
    ): Promise<void>;
  };
}

export type UpdateLeadInput = z.output<typeof updateLeadBody>;
export type { CreateLeadInput };

/**
 * A value typed by hand (it wins over the product's price and holds until a quote is accepted), or null to go
 * back to the automatic value; nothing when it is what the lead already has.
 */
function valueChange(current: LeadRow, value: number | null, currency: string | undefined) {
  if (value === null) {
    if (current.valueSource !== 'MANUAL') return null;
    return {
      changes: { value: null, valueCurrency: null, valueSource: null } satisfies LeadChanges,
      payload: { from: current.value, to: null, currency: current.currency },
    };
  }
  if (current.valueSource === 'MANUAL' && current.value === value && current.currency === currency)
    return null;
  return {
    changes: { value, valueCurrency: currency ?? null, valueSource: 'MANUAL' } satisfies LeadChanges,
    payload: { from: current.value, fromCurrency: current.currency, to: value, currency },
  };
}

function positionAfter(sort: LeadInboxQuery['sort'], row: Lead): InboxPosition {
  switch (sort) {
    case 'priority':
      return { sort, priority: row.priority, at: row.createdAt, id: row.id };
    case 'waiting':
      return { sort, answered: row.firstResponseAt !== null, at: row.createdAt, id: row.id };
    case '-createdAt':
      return { sort, at: row.createdAt, id: row.id };
    case '-lastActivityAt':
      return { sort, at: row.lastActivityAt, id: row.id };
  }
}

function toInboxItem(row: InboxRow): LeadInboxItem {
  const {
    lastMessageAt,
    lastMessagePreview,
    lastMessageDirection,
    unreadCount,
    listingTitle,
    listingPrice,
    listingCurrency,
    ...lead
  } = row;
  return {
    ...lead,
    listing:
      lead.listingId && listingTitle !== null && listingPrice !== null && listingCurrency !== null
        ? { id: lead.listingId, title: listingTitle, price: listingPrice, currency: listingCurrency }
        : null,
    lastMessage:
      lastMessageAt && lastMessageDirection
        ? { direction: lastMessageDirection, text: lastMessagePreview ?? '', createdAt: lastMessageAt }
        : null,
    unreadCount,
  };
}

const versionConflict = () =>
  new AppError('VERSION_CONFLICT', 'The lead was changed by someone else; reload it and try again', {
    errors: [{ path: 'version', message: 'stale version' }],
  });

export function createLeadsService({
  database,
  clock,
  contacts,
  identity,
  channels,
  feed,
  assistant,
}: LeadsDeps) {
  const repo = createLeadsRepository();
  const entry = createManualEntry({ database, clock, contacts, identity });
  const inboxRepo = createInboxRepository();
  const now = () => clock.now().toISOString();

  async function requireLead(tx: Tx, viewer: Principal, leadId: string): Promise<LeadRow> {
    const row = await repo.findLead(tx, viewer.tenantId, leadId, branchScope(viewer));
    if (!row) throw notFound('Lead');
    return row;
  }

  async function assertAssignable(tx: Tx, tenantId: string, userId: string, branchId: string) {
    const user = await identity.findUser(tx, tenantId, userId);
    const worksBranch = user?.role !== 'SELLER' || user.branchIds.includes(branchId);
    if (!user?.active || !worksBranch) {
      throw invalidField(
        'assignedToUserId',
        "must be an active user of this shop who works the lead's branch",
        'ASSIGNEE_NOT_ELIGIBLE',
      );
    }
  }

  const service = {
    async inbox(viewer: Principal, tenantId: string, query: LeadInboxQuery) {
      const after = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
      const scope = branchScope(viewer);
      const branchIds = narrowScope(scope, query.branchId);
      if (branchIds?.length === 0) return { items: [], nextCursor: null };

      // The inbox is the hottest read: one statement, sent with its transaction in one round trip.
      const rows = await database.readWithTenant(tenantId, (tx) =>
        inboxRepo.inbox(
          tx,
          tenantId,
          {
            branchIds,
            status: query.status,
            assignedTo: query.assignedTo,
            priority: query.priority,
            source: query.source,
            q: query.q,
          },
          query.sort,
          after,
          query.limit,
        ),
      );
      const items = rows.slice(0, query.limit).map(toInboxItem);
      const last = items.at(-1);
      const nextCursor =
        rows.length > query.limit && last ? encodeCursor(positionAfter(query.sort, last)) : null;
      return { items, nextCursor };
    },

    async getLead(viewer: Principal, leadId: string): Promise<LeadDetail> {
      const row = await database.withTenant(viewer.tenantId, (tx) =>
        repo.findLeadDetail(tx, viewer.tenantId, leadId, branchScope(viewer)),
      );
      if (!row) throw notFound('Lead');
      const assistance = (await assistant?.latest(viewer, leadId)) ?? null;
      return { ...row, assistance };
    },

    listEvents: (viewer: Principal, leadId: string) =>
      database.withTenant(viewer.tenantId, async (tx) => {
        await requireLead(tx, viewer, leadId);
        return { items: await repo.listEvents(tx, viewer.tenantId, leadId) };
      }),

    createLead: (actor: UserPrincipal, input: CreateLeadInput): Promise<Lead> =>
      entry.enterLead(actor, input),

    /** Applies what changed, one event per change, in one statement guarded by the version. */
    updateLead: (actor: UserPrincipal, leadId: string, input: UpdateLeadInput): Promise<Lead> =>
      database.withTenant(actor.tenantId, async (tx) => {
        const current = await requireLead(tx, actor, leadId);
        if (current.version !== input.version) throw versionConflict();
        const at = now();
        const changes: LeadChanges = {};
        const events: { type: NewLeadEvent['type']; payload: Record<string, unknown> }[] = [];

        if (input.status !== undefined && input.status !== current.status) {
          const { status: from } = current;
          const to = input.status;
          assertTransition(from, to);
          if (to === 'LOST' && !input.lostReason)
            throw invalidField('lostReason', 'say why the lead was lost', 'REASON_REQUIRED');
          if (to !== 'LOST' && input.lostReason)
            throw invalidField('lostReason', 'only a LOST lead has a lost reason', 'REASON_NOT_ALLOWED');
          changes.status = to;
          changes.statusChangedAt = at;
          changes.lostReason = to === 'LOST' ? input.lostReason : null;
          if (await isFirstResponseMove(tx, channels, current, from)) changes.firstResponseAt = at;
          events.push({
            type: 'STATUS_CHANGED',
            payload: {
              from,
              to,
              ...(to === 'LOST' ? { lostReason: input.lostReason } : {}),
              ...(isReopening(from, to) ? { reopened: true } : {}),
            },
          });
        } else if (input.lostReason !== undefined) {
          if (current.status !== 'LOST')
            throw invalidField('lostReason', 'only a LOST lead has a lost reason', 'REASON_NOT_ALLOWED');
          if (input.lostReason !== current.lostReason) changes.lostReason = input.lostReason;
        }

        if (input.assignedToUserId !== undefined && input.assignedToUserId !== current.assignedToUserId) {
          if (input.assignedToUserId !== null) {
            await assertAssignable(tx, actor.tenantId, input.assignedToUserId, current.branchId);
          }
          changes.assignedToUserId = input.assignedToUserId;
          events.push({
            type: 'ASSIGNED',
            payload: { fromUserId: current.assignedToUserId, toUserId: input.assignedToUserId },
          });
        }
        if (input.priority !== undefined && input.priority !== current.priority)
          changes.priority = input.priority;
        if (input.leadType !== undefined && input.leadType !== current.leadType)
          changes.leadType = input.leadType;
        // From now on the assistant suggests but no longer reclassifies: a person decided.
        if (changes.priority !== undefined || changes.leadType !== undefined) changes.classifiedBy = 'PERSON';

        if (input.value !== undefined) {
          const value = valueChange(current, input.value, input.currency);
          if (value) {
            Object.assign(changes, value.changes);
            events.push({ type: 'VALUE_CHANGED', payload: value.payload });
          }
        }

        // Asking for what is already true changes nothing: no new version, no event.
        if (Object.keys(changes).length === 0) return current;

        const updated = await repo.updateLead(tx, actor.tenantId, leadId, input.version, changes, at);
        if (!updated) throw versionConflict();
        if (changes.classifiedBy === 'PERSON')
          await assistant?.learnFromCorrection?.(tx, {
            tenantId: actor.tenantId,
            leadId,
            userId: actor.userId,
          });
        await repo.insertEvents(
          tx,
          events.map((e) => ({
            ...e,
            tenantId: actor.tenantId,
            leadId,
            actorUserId: actor.userId,
            createdAt: at,
          })),
        );
        return { ...updated, contact: current.contact };
      }),

    addNote: (actor: UserPrincipal, leadId: string, text: string) =>
      database.withTenant(actor.tenantId, async (tx) => {
        await requireLead(tx, actor, leadId);
        const at = now();
        const note = await repo.insertNote(tx, {
          tenantId: actor.tenantId,
          leadId,
          authorUserId: actor.userId,
          text,
          createdAt: at,
        });
        await repo.insertEvents(tx, [
          {
            tenantId: actor.tenantId,
            leadId,
            type: 'NOTE_ADDED',
            // The text too: the history is where a lead's notes are read back (GET /leads/{id}/events).
            payload: { noteId: note.id, text: note.text },
            actorUserId: actor.userId,
            createdAt: at,
          },
        ]);
        await repo.touchActivity(tx, actor.tenantId, leadId, at);
        return note;
      }),

    /** The lead page shows the conversation: it is read, nothing is unread any more. */
    markConversationRead: (actor: UserPrincipal, leadId: string) =>
      database.withTenant(actor.tenantId, async (tx) => {
        const current = await requireLead(tx, actor, leadId);
        const at = now();
        const marked = await repo.markConversationRead(tx, actor.tenantId, leadId, at);
        if (!marked) throw notFound('Lead');
        return { lead: current, unreadBefore: marked.unreadBefore, readAt: at };
      }),
  };

  return {
    ...service,
    async createLead(actor: UserPrincipal, input: CreateLeadInput): Promise<Lead> {
      const created = await service.createLead(actor, input);
      await feed?.changed('lead.created', created);
      return created;
    },
    async updateLead(actor: UserPrincipal, leadId: string, input: UpdateLeadInput): Promise<Lead> {
      const updated = await service.updateLead(actor, leadId, input);
      await feed?.changed(input.assignedToUserId === undefined ? 'lead.updated' : 'lead.assigned', updated);
      return updated;
    },
    async markConversationRead(actor: UserPrincipal, leadId: string): Promise<ConversationRead> {
      const { lead, unreadBefore, readAt } = await service.markConversationRead(actor, leadId);
      // Other inboxes drop the badge; nothing is announced when nothing was unread, so a page that marks the
      // conversation read on every live update does not set off another update.
      if (unreadBefore > 0) await feed?.changed('lead.updated', lead);
      return { leadId, unreadCount: 0, readAt };
    },
  };
}

export type LeadsService = ReturnType<typeof createLeadsService>;
