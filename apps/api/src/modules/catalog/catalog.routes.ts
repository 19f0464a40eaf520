import {
  createListingBody,
  id,
  listingSchema,
  listingsQuery,
  page,
  skuParam,
  tenantParams,
  updateListingBody,
  upsertListingBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requireTenant, requireUser } from '../../platform/auth';
import { forbidden } from '../../platform/errors';
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
  app.put(
    '/tenants/:tenantId/listings/by-sku/:sku',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Create or update the listing with this SKU (the marketplace keeps the catalog in sync)',
        params: tenantParams.extend({ sku: skuParam }),
        body: upsertListingBody,
        response: { 200: listingSchema, 201: listingSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const principal = requireTenant(request, request.params.tenantId);
      // A key reaches here with catalog:write (platform/api-key-scopes.ts); a person must manage the shop.
      if (principal.kind === 'user' && principal.role === 'SELLER') throw forbidden();
      const { listing, created } = await catalog.upsertBySku(
        request.params.tenantId,
        request.params.sku,
        request.body,
      );
      return reply.status(created ? 201 : 200).send(listing);
    },
  );
};
