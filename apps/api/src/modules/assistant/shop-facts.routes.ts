import { shopFactsSchema, tenantParams, updateShopFactsBody } from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { ShopFactsService } from './shop-facts.service';

/** The shop's facts for the assistant's replies: anyone of the shop reads them, the owner or a manager sets them. */
export const shopFactsRoutes: FastifyPluginAsyncZod<{ shopFacts: ShopFactsService }> = async (
  app,
  { shopFacts },
) => {
  app.get(
    '/tenants/:tenantId/shop-facts',
    {
      schema: {
        tags: ['assistant'],
        summary:
          "What the shop tells customers: delivery, pick-up, payment, warranty, repairs, branches' addresses and hours",
        params: tenantParams,
        response: { 200: shopFactsSchema, ...problems(401, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      return shopFacts.get(request.params.tenantId);
    },
  );

  app.put(
    '/tenants/:tenantId/shop-facts',
    {
      schema: {
        tags: ['assistant'],
        summary: "Replace the shop's facts (OWNER or MANAGER); a stale `version` is refused",
        params: tenantParams,
        body: updateShopFactsBody,
        response: { 200: shopFactsSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return shopFacts.update(request.params.tenantId, request.body);
    },
  );
};
