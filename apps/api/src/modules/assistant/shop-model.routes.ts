import {
  paginationQuery,
  shopModelListSchema,
  shopModelParams,
  shopModelTrainSchema,
  shopModelVersionSchema,
  tenantParams,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { JobQueue } from '../../platform/jobs';
import { trainShopModel } from './assistant.jobs';
import type { ShopModelService } from './shop-model.service';

/** The shop's own model: its versions, and a person's hand on which is in use (OWNER, MANAGER). */
export const shopModelRoutes: FastifyPluginAsyncZod<{
  shopModels: ShopModelService;
  queue: Pick<JobQueue, 'send'>;
}> = async (app, { shopModels, queue }) => {
  app.get(
    '/tenants/:tenantId/assistant/models',
    {
      schema: {
        tags: ['assistant'],
        summary: "The versions of the shop's own model, newest first, with their scores (OWNER, MANAGER)",
        params: tenantParams,
        querystring: paginationQuery,
        response: { 200: shopModelListSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return shopModels.list(actor, request.params.tenantId, request.query);
    },
  );

  app.post(
    '/tenants/:tenantId/assistant/models/:version/activate',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Use this version from now on: a roll-back or a roll-forward (OWNER, MANAGER)',
        params: shopModelParams,
        response: { 200: shopModelVersionSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return shopModels.activate(actor, request.params.tenantId, request.params.version);
    },
  );

  app.delete(
    '/tenants/:tenantId/assistant/models/active',
    {
      schema: {
        tags: ['assistant'],
        summary: "Back to the shared model alone; the shop's versions are kept (OWNER, MANAGER)",
        params: tenantParams,
        response: { 204: z.null(), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      await shopModels.deactivate(request.params.tenantId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/tenants/:tenantId/assistant/models/train',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Train a new version now from the examples since the last one (OWNER, MANAGER)',
        description:
          'Queued: the new version appears in the list once trained, active only if it scored at least as well.',
        params: tenantParams,
        response: { 202: shopModelTrainSchema, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      await trainShopModel.send(
        queue,
        { tenantId: request.params.tenantId, force: true },
        { singletonKey: request.params.tenantId },
      );
      return reply.status(202).send({ queued: true });
    },
  );
};
