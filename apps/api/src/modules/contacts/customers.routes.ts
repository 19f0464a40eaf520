import {
  customerDetailSchema,
  customerDuplicatesSchema,
  customerListItemSchema,
  customerSchema,
  customersQuery,
  customerTimelinePageSchema,
  customerTimelineQuery,
  idParams,
  mergeCustomersBody,
  mergedCustomerSchema,
  page,
  tenantParams,
  updateCustomerBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requireTenant, requireUser } from '../../platform/auth';
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
    '/tenants/:tenantId/contacts',
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
    '/contacts/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'A customer with their leads, tickets and the first page of their timeline, across branches',
        description: sellerNote,
        params: idParams,
        response: { 200: customerDetailSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => customers.get(requirePrincipal(request), request.params.id),
  );

  app.get(
    '/contacts/:id/timeline',
    {
      schema: {
        tags: ['customers'],
        summary:
          "A customer's history, newest first: lead events, messages, tickets, quotes, consent changes",
        description: sellerNote,
        params: idParams,
        querystring: customerTimelineQuery,
        response: { 200: customerTimelinePageSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => customers.timeline(requirePrincipal(request), request.params.id, request.query),
  );

  app.patch(
    '/contacts/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Edit a customer (optimistic: send the version you read)',
        description: `The phone is stored E.164 (422 naming \`phone\` when it is none); a stale version is a 409. ${sellerNote}`,
        params: idParams,
        body: updateCustomerBody,
        response: { 200: customerSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      return customers.update(requireUser(request), request.params.id, request.body);
    },
  );

  app.get(
    '/contacts/:id/duplicates',
    {
      schema: {
        tags: ['customers'],
        summary: 'Other records of the same person, with why and what a merge would move',
        description: sellerNote,
        params: idParams,
        response: { 200: customerDuplicatesSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => merging.duplicates(requirePrincipal(request), request.params.id),
  );

  app.post(
    '/contacts/:id/merge',
    {
      schema: {
        tags: ['customers'],
        summary:
          "Merge a duplicate record of the same person into this one: the duplicate's leads, events and consent move here",
        description:
          "Answers the survivor as `GET /contacts/{id}` does, with what moved (`merged`). Both of this shop (another shop's " +
          `is a 404); \`version\`, optional, is this customer's as read (409 when stale). ${sellerNote}`,
        params: idParams,
        body: mergeCustomersBody,
        response: { 200: mergedCustomerSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      const merged = await merging.merge(actor, request.params.id, request.body);
      return { ...(await customers.get(actor, request.params.id)), merged };
    },
  );
};
