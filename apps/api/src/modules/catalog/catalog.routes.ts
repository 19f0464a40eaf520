import {
  createListingBody,
  id,
  listingSchema,
  listingsQuery,
  page,
  tenantParams,
  updateListingBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { CatalogService } from './catalog.service';

const listingParams = tenantParams.extend({ listingId: id });

export const catalogRoutes: FastifyPluginAsyncZod<{ catalog: CatalogService }> = async (app, { catalog }) => {
  app.get(
    '/tenants/:tenantId/listings',
    {
      schema: {
        tags: ['catalog'],
        params: tenantParams,
        querystring: listingsQuery,
        response: { 200: page(listingSchema), ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      return catalog.list(request.params.tenantId, request.query);
    },
  );
  app.get(
    '/tenants/:tenantId/listings/:listingId',
    {
      schema: {
        tags: ['catalog'],
        params: listingParams,
        response: { 200: listingSchema, ...problems(401, 404) },
      },
    },
    async (request) => {
      requirePrincipal(request);
      requireTenant(request, request.params.tenantId);
      return catalog.get(request.params.tenantId, request.params.listingId);
    },
  );
  app.post(
    '/tenants/:tenantId/listings',
    {
      schema: {
        tags: ['catalog'],
        params: tenantParams,
        body: createListingBody,
        response: { 201: listingSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return reply.status(201).send(await catalog.create(request.params.tenantId, request.body));
    },
  );
  app.patch(
    '/tenants/:tenantId/listings/:listingId',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Edit a listing, or deactivate it with {active: false}',
        params: listingParams,
        body: updateListingBody,
        response: { 200: listingSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return catalog.update(request.params.tenantId, request.params.listingId, request.body);
    },
  );
};
