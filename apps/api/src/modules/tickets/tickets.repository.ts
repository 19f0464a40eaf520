import type { LeadPriority, TicketStatus } from '@techmarket/contracts';
import { and, asc, desc, eq, gt, inArray, lt, notInArray, or, sql } from 'drizzle-orm';
import { contact, ticket } from '../../db/schema';
import type { Tx } from '../../platform/db';

const ticketColumns = {
  id: ticket.id,
  tenantId: ticket.tenantId,
  branchId: ticket.branchId,
  leadId: ticket.leadId,
  subject: ticket.subject,
  description: ticket.description,
  device: ticket.device,
  status: ticket.status,
  priority: ticket.priority,
  slaHours: ticket.slaHours,
  slaDueAt: ticket.slaDueAt,
  assignedToUserId: ticket.assignedToUserId,
  createdByUserId: ticket.createdByUserId,
  resolvedAt: ticket.resolvedAt,
  closedAt: ticket.closedAt,
  createdAt: ticket.createdAt,
  updatedAt: ticket.updatedAt,
  version: ticket.version,
};

const ticketWithContact = {
  ...ticketColumns,
  contact: { id: contact.id, name: contact.name, phone: contact.phone },
};

export type TicketChanges = Partial<
  Pick<
    typeof ticket.$inferInsert,
    | 'status'
    | 'subject'
    | 'description'
    | 'device'
    | 'priority'
    | 'slaHours'
    | 'slaDueAt'
    | 'assignedToUserId'
    | 'resolvedAt'
    | 'closedAt'
  >
>;

export interface TicketListFilter {
  branchIds: readonly string[] | null;
  status?: TicketStatus | undefined;
  open?: boolean | undefined;
  priority?: LeadPriority | undefined;
  leadId?: string | undefined;
}

export type TicketSortPosition = { sort: 'slaDueAt' | '-createdAt'; at: string; id: string };

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createTicketsRepository() {
  const joinContact = and(eq(contact.tenantId, ticket.tenantId), eq(contact.id, ticket.contactId));
  const inScope = (branchIds: readonly string[] | null) =>
    branchIds === null ? undefined : inArray(ticket.branchId, [...branchIds]);

  return {
    async insertTicket(tx: Tx, values: typeof ticket.$inferInsert) {
      const [row] = await tx.insert(ticket).values(values).returning(ticketColumns);
      if (!row) throw new Error('ticket insert returned nothing');
      return row;
    },

    /** `lock`: the ticket's row is locked until the transaction ends (a quote made from it). */
    async findTicket(
      tx: Tx,
      tenantId: string,
      ticketId: string,
      branchIds: readonly string[] | null,
      lock = false,
    ) {
      const query = tx
        .select(ticketWithContact)
        .from(ticket)
        .innerJoin(contact, joinContact)
        .where(and(eq(ticket.tenantId, tenantId), eq(ticket.id, ticketId), inScope(branchIds)));
      const [row] = await (lock ? query.for('update', { of: ticket }) : query);
      return row ?? null;
    },
    /** The lead a ticket without one got (its quote's). */
    async setLead(tx: Tx, tenantId: string, ticketId: string, leadId: string, at: string) {
      await tx
        .update(ticket)
        .set({ leadId, updatedAt: at, version: sql`${ticket.version} + 1` })
        .where(and(eq(ticket.tenantId, tenantId), eq(ticket.id, ticketId)));
    },

    async findByLead(tx: Tx, tenantId: string, leadId: string) {
      const [row] = await tx
        .select(ticketWithContact)
        .from(ticket)
        .innerJoin(contact, joinContact)
        .where(and(eq(ticket.tenantId, tenantId), eq(ticket.leadId, leadId)));
      return row ?? null;
    },

    /** `slaDueAt`: soonest due first; `-createdAt`: newest first. Resumes after the cursor's row. */
    async listTickets(
      tx: Tx,
      tenantId: string,
      filter: TicketListFilter,
      sort: TicketSortPosition['sort'],
      after: TicketSortPosition | null,
      limit: number,
    ) {
      const byDue = sort === 'slaDueAt';
      const column = byDue ? ticket.slaDueAt : ticket.createdAt;
      const resume = after
        ? byDue
          ? or(gt(column, after.at), and(eq(column, after.at), gt(ticket.id, after.id)))
          : or(lt(column, after.at), and(eq(column, after.at), lt(ticket.id, after.id)))
        : undefined;
      return tx
        .select(ticketWithContact)
        .from(ticket)
        .innerJoin(contact, joinContact)
        .where(
          and(
            eq(ticket.tenantId, tenantId),
            inScope(filter.branchIds),
            filter.status ? eq(ticket.status, filter.status) : undefined,
            filter.open === true ? notInArray(ticket.status, ['RESOLVED', 'CLOSED']) : undefined,
            filter.open === false ? inArray(ticket.status, ['RESOLVED', 'CLOSED']) : undefined,
            filter.priority ? eq(ticket.priority, filter.priority) : undefined,
            filter.leadId ? eq(ticket.leadId, filter.leadId) : undefined,
            resume,
          ),
        )
        .orderBy(...(byDue ? [asc(column), asc(ticket.id)] : [desc(column), desc(ticket.id)]))
        .limit(limit + 1);
    },

    /** Optimistic: changes the ticket only at the version the caller read; null when it moved on. */
    async updateTicket(
      tx: Tx,
      tenantId: string,
      ticketId: string,
      expectedVersion: number,
      changes: TicketChanges,
      at: string,
    ) {
      const [row] = await tx
        .update(ticket)
        .set({ ...changes, updatedAt: at, version: sql`${ticket.version} + 1` })
        .where(
          and(eq(ticket.tenantId, tenantId), eq(ticket.id, ticketId), eq(ticket.version, expectedVersion)),
        )
        .returning(ticketColumns);
      return row ?? null;
    },
  };
}

export type TicketsRepository = ReturnType<typeof createTicketsRepository>;
export type TicketRow = NonNullable<Awaited<ReturnType<TicketsRepository['findTicket']>>>;
