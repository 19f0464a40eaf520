import {
  convertToTicketBody,
  createQuoteBody,
  idParams,
  openCustomerTicketBody,
  page,
  problemSchema,
  quoteSchema,
  tenantParams,
  ticketSchema,
  ticketsQuery,
  updateTicketBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import { TicketExists, type TicketsService } from './tickets.service';

/** The 409 of a second conversion: a problem that carries the ticket the lead already has. */
const ticketConflict = problemSchema.extend({ ticket: ticketSchema }).meta({ id: 'TicketExistsProblem' });

export const ticketsRoutes: FastifyPluginAsyncZod<{ tickets: TicketsService }> = async (app, { tickets }) => {
  app.post(
    '/leads/:id/convert-to-ticket',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Open a service ticket for the lead, with its SLA; a second conversion answers 409 with it',
        params: idParams,
        body: convertToTicketBody,
        response: { 201: ticketSchema, 409: ticketConflict, ...problems(400, 401, 403, 404, 422) },
      },
      // Every field is optional, so a POST with no body at all is a conversion with the defaults.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      try {
        const ticket = await tickets.convertLead(requireUser(request), request.params.id, request.body);
        return reply.status(201).send(ticket);
      } catch (error) {
        if (!(error instanceof TicketExists)) throw error;
        return reply.status(409).type('application/problem+json').send({
          type: 'urn:techmarket:problem:conflict',
          title: 'Conflict',
          status: 409,
          detail: error.message,
          instance: request.url,
          code: 'CONFLICT',
          ticket: error.ticket,
        });
      }
    },
  );

  app.post(
    '/contacts/:id/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Open a ticket for a customer, without a lead (a device brought to the counter)',
        description:
          'A SELLER opens tickets at their own branches, for customers they see (a lead or ticket at one of their branches); else 404.',
        params: idParams,
        body: openCustomerTicketBody,
        response: { 201: ticketSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const ticket = await tickets.openForCustomer(requireUser(request), request.params.id, request.body);
      return reply.status(201).send(ticket);
    },
  );

  app.post(
    '/tickets/:id/create-quote',
    {
      schema: {
        tags: ['tickets'],
        summary:
          "A quote from the ticket: catalog parts and free-text lines (labour); the ticket's lead goes QUOTED",
        description:
          'A ticket without a lead gets one (MANUAL, SERVICE) in the same transaction, and the quote is on it.',
        params: idParams,
        body: createQuoteBody,
        response: { 201: quoteSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const quote = await tickets.quoteTicket(requireUser(request), request.params.id, request.body);
      return reply.status(201).send(quote);
    },
  );

  app.get(
    '/tenants/:tenantId/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary:
          "The shop's tickets: soonest SLA first (or newest), filterable; a seller sees their branches'",
        params: tenantParams,
        querystring: ticketsQuery,
        response: { 200: page(ticketSchema), ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const viewer = requireTenant(request, request.params.tenantId);
      return tickets.listTickets(viewer, request.params.tenantId, request.query);
    },
  );

  app.get(
    '/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'A ticket with its SLA',
        params: idParams,
        response: { 200: ticketSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => tickets.getTicket(requirePrincipal(request), request.params.id),
  );

  app.patch(
    '/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Move, re-prioritise, assign or edit a ticket (optimistic: send the version you read)',
        params: idParams,
        body: updateTicketBody,
        response: { 200: ticketSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => tickets.updateTicket(requireUser(request), request.params.id, request.body),
  );
};
