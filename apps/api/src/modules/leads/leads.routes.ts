import {
  conversationReadSchema,
  createLeadBody,
  createNoteBody,
  idParams,
  leadDetailSchema,
  leadEventSchema,
  leadInboxItemSchema,
  leadInboxQuery,
  leadNoteSchema,
  leadSchema,
  page,
  tenantParams,
  updateLeadBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requireTenant, requireUser } from '../../platform/auth';
import { problems, projectingSerializerCompiler } from '../../platform/http';
import type { LeadsService } from './leads.service';

export const leadsRoutes: FastifyPluginAsyncZod<{ leads: LeadsService }> = async (app, { leads }) => {
  app.get(
    '/tenants/:tenantId/leads',
    {
      schema: {
        tags: ['leads'],
        summary: 'The inbox: filterable, sorted, cursor-paginated',
        params: tenantParams,
        querystring: leadInboxQuery,
        response: { 200: page(leadInboxItemSchema), ...problems(400, 401, 404) },
      },
      // The hottest page of the app: written by projection on the schema, not re-validated (platform/http.ts).
      serializerCompiler: projectingSerializerCompiler,
    },
    async (request) => {
      const viewer = requireTenant(request, request.params.tenantId);
      return leads.inbox(viewer, request.params.tenantId, request.query);
    },
  );

  app.post(
    '/tenants/:tenantId/leads',
    {
      schema: {
        tags: ['leads'],
        summary: 'Enter a lead by hand (a walk-in, a phone call)',
        params: tenantParams,
        body: createLeadBody,
        response: { 201: leadSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request);
      return reply.status(201).send(await leads.createLead(actor, request.body));
    },
  );

  app.get(
    '/leads/:id',
    {
      schema: {
        tags: ['leads'],
        summary: 'A lead with its contact, listing, campaign, assignee and latest AI assistance',
        params: idParams,
        response: { 200: leadDetailSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => leads.getLead(requirePrincipal(request), request.params.id),
  );

  app.get(
    '/leads/:id/events',
    {
      schema: {
        tags: ['leads'],
        summary: "The lead's history, oldest first",
        params: idParams,
        response: { 200: z.object({ items: z.array(leadEventSchema) }), ...problems(400, 401, 404) },
      },
    },
    async (request) => leads.listEvents(requirePrincipal(request), request.params.id),
  );

  app.patch(
    '/leads/:id',
    {
      schema: {
        tags: ['leads'],
        summary: 'Move, assign or re-prioritise a lead (optimistic: send the version you read)',
        params: idParams,
        body: updateLeadBody,
        response: { 200: leadSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => leads.updateLead(requireUser(request), request.params.id, request.body),
  );

  app.post(
    '/leads/:id/notes',
    {
      schema: {
        tags: ['leads'],
        summary: 'Add an internal note',
        params: idParams,
        body: createNoteBody,
        response: { 201: leadNoteSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const note = await leads.addNote(requireUser(request), request.params.id, request.body.text);
      return reply.status(201).send(note);
    },
  );

  app.post(
    '/leads/:id/messages/read',
    {
      schema: {
        tags: ['leads'],
        summary: "The conversation was read (the lead's page shows it): its unread count goes back to 0",
        params: idParams,
        response: { 200: conversationReadSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => leads.markConversationRead(requireUser(request), request.params.id),
  );
};
