import {
  customerDetailSchema,
  customerDuplicatesSchema,
  customerListItemSchema,
  customerParams,
  customerSchema,
  customersQuery,
  customerTimelinePageSchema,
  customerTimelineQuery,
  mergeCustomersBody,
  mergedCustomerSchema,
  page,
  tenantParams,
  updateCustomerBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { CustomerMergeService } from './customer-merge.service';
import type { CustomersService } from './customers.service';

const sellerNote =
  'A SELLER reaches the customers with a lead or ticket at one of their branches (else 404).';

export const customersRoutes: FastifyPluginAsyncZod<{
  customers: CustomersService;
  merging: CustomerMergeService;
}> = async (app, { customers, merging }) => {
  app.get(
    '/tenants/:tenantId/customers',
    {
      schema: {
        tags: ['customers'],
        summary: "The shop's customers, newest first: search and filters",
        description:
          "`q` matches a name (any part), an e-mail, a phone however it is typed, or a lead's reference code. " +
          sellerNote,
        params: tenantParams,
        querystring: customersQuery,
        response: { 200: page(customerListItemSchema), ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const viewer = requireTenant(request, request.params.tenantId);
      return customers.list(viewer, request.params.tenantId, request.query);
    },
  );

  app.get(
    '/tenants/:tenantId/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'A customer with their leads, tickets and the first page of their timeline, across branches',
        description: sellerNote,
        params: customerParams,
        response: { 200: customerDetailSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => customers.get(requireTenant(request, request.params.tenantId), request.params.id),
  );

  app.get(
    '/tenants/:tenantId/customers/:id/timeline',
    {
      schema: {
        tags: ['customers'],
        summary:
          "A customer's history, newest first: lead events, messages, tickets, quotes, consent changes",
        description: sellerNote,
        params: customerParams,
        querystring: customerTimelineQuery,
        response: { 200: customerTimelinePageSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      customers.timeline(requireTenant(request, request.params.tenantId), request.params.id, request.query),
  );

  app.patch(
    '/tenants/:tenantId/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Edit a customer (optimistic: send the version you read)',
        description: `The phone is stored E.164 (422 naming \`phone\` when it is none); a stale version is a 409. ${sellerNote}`,
        params: customerParams,
        body: updateCustomerBody,
        response: { 200: customerSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      requireTenant(request, request.params.tenantId);
      return customers.update(actor, request.params.id, request.body);
    },
  );

  app.get(
    '/tenants/:tenantId/customers/:id/duplicates',
    {
      schema: {
        tags: ['customers'],
        summary: 'Other records of the same person, with why and what a merge would move',
        description: sellerNote,
        params: customerParams,
        response: { 200: customerDuplicatesSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => merging.duplicates(requireTenant(request, request.params.tenantId), request.params.id),
  );

  app.post(
    '/tenants/:tenantId/customers/:id/merge',
    {
      schema: {
        tags: ['customers'],
        summary:
          'Merge another record of the same person into this one: everything of both is kept; says what moved',
        description: `Both of this shop (another shop's is a 404); \`version\` is this customer's (409 when stale). ${sellerNote}`,
        params: customerParams,
        body: mergeCustomersBody,
        response: { 200: mergedCustomerSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      requireTenant(request, request.params.tenantId);
      return merging.merge(actor, request.params.id, request.body);
    },
  );
};
