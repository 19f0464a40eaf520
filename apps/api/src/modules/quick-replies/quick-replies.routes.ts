import {
  createQuickReplyBody,
  idParams,
  page,
  quickRepliesQuery,
  quickReplySchema,
  tenantParams,
  updateQuickReplyBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { QuickRepliesService } from './quick-replies.service';

export const quickRepliesRoutes: FastifyPluginAsyncZod<{ quickReplies: QuickRepliesService }> = async (
  app,
  { quickReplies },
) => {
  app.get(
    '/tenants/:tenantId/quick-replies',
    {
      schema: {
        tags: ['quick-replies'],
        summary: "The shop's quick replies, oldest first",
        params: tenantParams,
        querystring: quickRepliesQuery,
        response: { 200: page(quickReplySchema), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      return quickReplies.list(requireUser(request), request.params.tenantId, request.query);
    },
  );

  app.post(
    '/tenants/:tenantId/quick-replies',
    {
      schema: {
        tags: ['quick-replies'],
        summary: 'Save a quick reply; its text may use {nombre}, {producto} and {precio}',
        params: tenantParams,
        body: createQuickReplyBody,
        response: { 201: quickReplySchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return reply.status(201).send(await quickReplies.create(actor, request.params.tenantId, request.body));
    },
  );

  app.patch(
    '/quick-replies/:id',
    {
      schema: {
        tags: ['quick-replies'],
        summary: 'Edit a quick reply (optimistic: send the version you read)',
        params: idParams,
        body: updateQuickReplyBody,
        response: { 200: quickReplySchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      quickReplies.update(requireUser(request, 'OWNER', 'MANAGER'), request.params.id, request.body),
  );

  app.delete(
    '/quick-replies/:id',
    {
      schema: {
        tags: ['quick-replies'],
        summary: 'Delete a quick reply',
        params: idParams,
        response: { 204: z.null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await quickReplies.remove(requireUser(request, 'OWNER', 'MANAGER'), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
