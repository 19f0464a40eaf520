import {
  type CreateQuoteInput,
  canMoveTicket,
  type convertToTicketBody,
  isoInstant,
  type Lead,
  type LeadPriority,
  type openCustomerTicketBody,
  type Quote,
  type Ticket,
  type TicketsQuery,
  ticketSorts,
  ticketTransitions,
  type updateTicketBody,
} from '@techmarket/contracts';
import { z } from 'zod';
import { branchScope, type Principal, type UserPrincipal } from '../../platform/auth';
import { addBusinessTime } from '../../platform/business-time';
import type { Clock } from '../../platform/clock';
import { cursorCodec, paginate } from '../../platform/cursor';
import type { Database, Tx } from '../../platform/db';
import { AppError, badField, invalidField, notFound } from '../../platform/errors';
import type { ContactsService } from '../contacts';
import type { FollowupsService } from '../followups';
import type { IdentityService } from '../identity';
import { createLeadProgress, isEarlierThan, type LeadFeed, type ReplyChannels } from '../leads';
import type { CommerceSettingsService, QuotesService } from '../quotes';
import { createTicketsRepository, type TicketChanges, type TicketRow } from './tickets.repository';

/**
 * Service tickets: a lead about a repair or an installation becomes a ticket. The rules:
 * - One ticket per lead: converting again answers 409 with the ticket that exists.
 * - The SLA is the shop's hours for the ticket's priority (commerce settings), counted in the business hours
 *   of the lead's branch, in its time zone, from the moment of conversion; a branch with no hours counts
 *   calendar hours; the shop's holidays (follow-up policy) are closed days. Changing the priority recomputes the due time from the ticket's creation.
 * - OPEN -> IN_PROGRESS <-> WAITING_CUSTOMER -> RESOLVED -> CLOSED; any open status may go straight to RESOLVED
 *   or CLOSED; a RESOLVED ticket may be reopened (IN_PROGRESS); CLOSED is final. resolved_at and closed_at
 *   are stamped on the way, and cleared when a resolved ticket is reopened.
 * - The lead gets TICKET_CREATED, and moves to QUALIFIED when it was earlier in the funnel (NEW, CONTACTED).
 * - A SELLER works the tickets of their branches only; another tenant's or branch's ticket is 404.
 * - Ticket first: a ticket may be opened for a customer without a lead (a device brought to the counter). A quote
 *   made from a ticket (spec 11.2.2: "un ticket puede generar cotización") belongs to the ticket's lead; a ticket
 *   without one gets its lead then (MANUAL, SERVICE: spec 11.2.1, a lead is born of a quote asked for), in the same
 *   transaction, so the quote moves a pipeline and counts in the KPIs like any other.
 */

export interface TicketsDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  identity: Pick<IdentityService, 'findBranch' | 'findUser'>;
  settings: Pick<CommerceSettingsService, 'slaHoursFor'>;
  /** A quote in the ticket's transaction (a ticket's quote). */
  quoting: Pick<QuotesService, 'quoteLead'>;
  /** The customer a ticket is opened for, as the person opening it may see them. */
  contacts: Pick<ContactsService, 'findVisible'>;
  /** The shop's holidays, kept with the follow-up policy. */
  holidays: Pick<FollowupsService, 'holidaysOf'>;
  feed?: Pick<LeadFeed, 'changed'>;
  /** The branches with a messaging channel, where a stage move is not the first response. */
  channels: ReplyChannels;
}

export type ConvertToTicketInput = z.output<typeof convertToTicketBody>;
export type OpenTicketInput = z.output<typeof openCustomerTicketBody>;
export type UpdateTicketInput = z.output<typeof updateTicketBody>;

const versionConflict = () =>
  new AppError('VERSION_CONFLICT', 'The ticket was changed by someone else; reload it and try again', {
    errors: [{ path: 'version', message: 'stale version' }],
  });

/** Thrown by convert: the lead already has this ticket (the route answers 409 with it). */
export class TicketExists extends Error {
  constructor(readonly ticket: Ticket) {
    super('This lead already has a ticket');
  }
}

/** The position carries its sort: a cursor of the other sort is refused. */
const ticketCursor = cursorCodec(z.object({ sort: z.enum(ticketSorts), at: isoInstant, id: z.uuid() }));

export function createTicketsService(deps: TicketsDeps) {
  const { database, clock, identity, settings, holidays, feed } = deps;
  const repo = createTicketsRepository();
  const progress = createLeadProgress(deps.channels);

  const toTicket = (row: TicketRow): Ticket => {
    const due = Date.parse(row.slaDueAt);
    const doneAt = row.resolvedAt ?? row.closedAt;
    return {
      ...row,
      slaBreached: doneAt ? Date.parse(doneAt) > due : clock.now().getTime() > due,
    };
  };

  /** The SLA's due time for a priority, counted in the branch's business hours from `from`. */
  async function slaFor(tx: Tx, tenantId: string, branchId: string, priority: LeadPriority, from: Date) {
    const hours = await settings.slaHoursFor(tx, tenantId, priority);
    const branch = await identity.findBranch(tx, tenantId, branchId);
    const calendar = branch && {
      hours: branch.businessHours,
      timeZone: branch.timezone,
      holidays: await holidays.holidaysOf(tx, tenantId),
    };
    const due =
      (calendar && addBusinessTime(calendar, from, hours * 60)) ??
      new Date(from.getTime() + hours * 3_600_000);
    return { slaHours: hours, slaDueAt: due.toISOString() };
  }

  async function assertAssignable(tx: Tx, tenantId: string, userId: string, branchId: string) {
    const user = await identity.findUser(tx, tenantId, userId);
    const worksBranch = user?.role !== 'SELLER' || user.branchIds.includes(branchId);
    if (!user?.active || !worksBranch) {
      throw invalidField(
        'assignedToUserId',
        "must be an active user of this shop who works the ticket's branch",
        'ASSIGNEE_NOT_ELIGIBLE',
      );
    }
  }

  return {
    /** Opens the lead's ticket. Throws TicketExists when the lead has one already. */
    async convertLead(actor: UserPrincipal, leadId: string, input: ConvertToTicketInput): Promise<Ticket> {
      const { ticket, moved } = await database.withTenant(actor.tenantId, async (tx) => {
        const lead = await progress.lockLead(tx, actor, leadId);
        const existing = await repo.findByLead(tx, actor.tenantId, lead.id);
        if (existing) throw new TicketExists(toTicket(existing));
        const at = clock.now();
        const iso = at.toISOString();
        const priority = input.priority ?? lead.priority;
        const who = lead.contact.name ?? lead.contact.phone;
        const row = await repo.insertTicket(tx, {
          tenantId: actor.tenantId,
          branchId: lead.branchId,
          leadId: lead.id,
          contactId: lead.contact.id,
          subject: input.subject ?? `Servicio técnico${who ? ` - ${who}` : ''}`,
          description: input.description ?? null,
          device: input.device && Object.keys(input.device).length > 0 ? input.device : null,
          status: 'OPEN',
          priority,
          ...(await slaFor(tx, actor.tenantId, lead.branchId, priority, at)),
          assignedToUserId: lead.assignedToUserId,
          createdByUserId: actor.userId,
          createdAt: iso,
          updatedAt: iso,
        });
        await progress.recordEvents(tx, [
          {
            tenantId: actor.tenantId,
            leadId: lead.id,
            type: 'TICKET_CREATED',
            payload: { ticketId: row.id, subject: row.subject, priority, slaDueAt: row.slaDueAt },
            actorUserId: actor.userId,
            createdAt: iso,
          },
        ]);
        const movedLead = isEarlierThan(lead.status, 'QUALIFIED')
          ? await progress.advance(
              tx,
              lead,
              { to: 'QUALIFIED', cause: { ticketId: row.id } },
              actor.userId,
              iso,
            )
          : null;
        if (!movedLead) await progress.touch(tx, actor.tenantId, lead.id, iso);
        return { ticket: toTicket({ ...row, contact: lead.contact }), moved: movedLead };
      });
      if (moved) await feed?.changed('lead.updated', moved satisfies Lead);
      return ticket;
    },

    /** A ticket for a customer with no lead behind it (from the customer's page). */
    async openForCustomer(actor: UserPrincipal, contactId: string, input: OpenTicketInput): Promise<Ticket> {
      const { tenantId } = actor;
      if (actor.role === 'SELLER' && !actor.branchIds.includes(input.branchId)) {
        throw invalidField(
          'branchId',
          'a seller opens tickets at their own branches only',
          'BRANCH_NOT_YOURS',
        );
      }
      return database.withTenant(tenantId, async (tx) => {
        const customer = await deps.contacts.findVisible(tx, actor, contactId);
        if (!customer) throw notFound('Customer');
        const branch = await identity.findBranch(tx, tenantId, input.branchId);
        if (!branch?.active)
          throw invalidField('branchId', 'no active branch of this shop has this id', 'NOT_FOUND_IN_SHOP');
        const at = clock.now();
        const iso = at.toISOString();
        const priority = input.priority ?? 'MEDIUM';
        const row = await repo.insertTicket(tx, {
          tenantId,
          branchId: input.branchId,
          leadId: null,
          contactId: customer.id,
          subject: input.subject,
          description: input.description ?? null,
          device: input.device && Object.keys(input.device).length > 0 ? input.device : null,
          status: 'OPEN',
          priority,
          ...(await slaFor(tx, tenantId, input.branchId, priority, at)),
          assignedToUserId: actor.role === 'SELLER' ? actor.userId : null,
          createdByUserId: actor.userId,
          createdAt: iso,
          updatedAt: iso,
        });
        return toTicket({ ...row, contact: customer });
      });
    },

    /**
     * A quote made from the ticket (parts from the catalog, labour as a free-text line). A ticket without a lead gets
     * one first (see the rules above); the quote moves that lead to QUOTED.
     */
    async quoteTicket(actor: UserPrincipal, ticketId: string, input: CreateQuoteInput): Promise<Quote> {
      const { tenantId } = actor;
      const { quote, created, moved } = await database.withTenant(tenantId, async (tx) => {
        const current = await repo.findTicket(tx, tenantId, ticketId, branchScope(actor), true);
        if (!current) throw notFound('Ticket');
        let created: Lead | null = null;
        let leadId = current.leadId;
        if (leadId === null) {
          const iso = clock.now().toISOString();
          const lead = await progress.openLead(tx, {
            tenantId,
            branchId: current.branchId,
            contact: current.contact,
            leadType: 'SERVICE',
            priority: current.priority,
            assignedToUserId: current.assignedToUserId ?? actor.userId,
            actorUserId: actor.userId,
            at: iso,
            cause: { ticketId: current.id },
          });
          await repo.setLead(tx, tenantId, current.id, lead.id, iso);
          await progress.recordEvents(tx, [
            {
              tenantId,
              leadId: lead.id,
              type: 'TICKET_CREATED',
              payload: {
                ticketId: current.id,
                subject: current.subject,
                priority: current.priority,
                slaDueAt: current.slaDueAt,
              },
              actorUserId: actor.userId,
              createdAt: iso,
            },
          ]);
          created = lead;
          leadId = lead.id;
        }
        return { ...(await deps.quoting.quoteLead(tx, actor, leadId, input, current.id)), created };
      });
      if (created) await feed?.changed('lead.created', moved ?? created);
      else if (moved) await feed?.changed('lead.updated', moved);
      return quote;
    },

    getTicket: (viewer: Principal, ticketId: string) =>
      database.withTenant(viewer.tenantId, async (tx) => {
        const row = await repo.findTicket(tx, viewer.tenantId, ticketId, branchScope(viewer));
        if (!row) throw notFound('Ticket');
        return toTicket(row);
      }),

    async listTickets(viewer: Principal, tenantId: string, query: TicketsQuery) {
      const scope = branchScope(viewer);
      const branchIds = query.branchId
        ? scope === null || scope.includes(query.branchId)
          ? [query.branchId]
          : []
        : scope;
      if (branchIds?.length === 0) return { items: [], nextCursor: null };
      const after = query.cursor ? ticketCursor.decode(query.cursor) : null;
      if (after && after.sort !== query.sort)
        throw badField('cursor', 'not a cursor of this list and sort', 'CURSOR_INVALID');
      const rows = await database.withTenant(tenantId, (tx) =>
        repo.listTickets(
          tx,
          tenantId,
          {
            branchIds,
            status: query.status,
            open: query.open,
            priority: query.priority,
            leadId: query.leadId,
          },
          query.sort,
          after,
          query.limit,
        ),
      );
      const page = paginate(rows, query.limit, ticketCursor, (last) => ({
        sort: query.sort,
        at: query.sort === 'slaDueAt' ? last.slaDueAt : last.createdAt,
        id: last.id,
      }));
      return { items: page.rows.map(toTicket), nextCursor: page.nextCursor };
    },

    updateTicket: (actor: UserPrincipal, ticketId: string, input: UpdateTicketInput) =>
      database.withTenant(actor.tenantId, async (tx) => {
        const current = await repo.findTicket(tx, actor.tenantId, ticketId, branchScope(actor));
        if (!current) throw notFound('Ticket');
        if (current.version !== input.version) throw versionConflict();
        const iso = clock.now().toISOString();
        const changes: TicketChanges = {};

        if (input.status !== undefined && input.status !== current.status) {
          if (!canMoveTicket(current.status, input.status)) {
            const allowed = ticketTransitions[current.status];
            const message = `a ${current.status} ticket cannot move to ${input.status}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`;
            throw new AppError('INVALID_TRANSITION', message, { errors: [{ path: 'status', message }] });
          }
          changes.status = input.status;
          if (input.status === 'RESOLVED') changes.resolvedAt = iso;
          if (input.status === 'CLOSED') {
            changes.closedAt = iso;
            if (!current.resolvedAt) changes.resolvedAt = iso;
          }
          if (current.status === 'RESOLVED' && input.status === 'IN_PROGRESS') changes.resolvedAt = null;
        }
        if (input.subject !== undefined) changes.subject = input.subject;
        if (input.description !== undefined) changes.description = input.description;
        if (input.device !== undefined) {
          changes.device = input.device && Object.keys(input.device).length > 0 ? input.device : null;
        }
        if (input.priority !== undefined && input.priority !== current.priority) {
          changes.priority = input.priority;
          Object.assign(
            changes,
            await slaFor(tx, actor.tenantId, current.branchId, input.priority, new Date(current.createdAt)),
          );
        }
        if (input.assignedToUserId !== undefined && input.assignedToUserId !== current.assignedToUserId) {
          if (input.assignedToUserId !== null) {
            await assertAssignable(tx, actor.tenantId, input.assignedToUserId, current.branchId);
          }
          changes.assignedToUserId = input.assignedToUserId;
        }
        if (Object.keys(changes).length === 0) return toTicket(current);
        const updated = await repo.updateTicket(
          tx,
          actor.tenantId,
          current.id,
          current.version,
          changes,
          iso,
        );
        if (!updated) throw versionConflict();
        return toTicket({ ...updated, contact: current.contact });
      }),
  };
}

export type TicketsService = ReturnType<typeof createTicketsService>;
