import {
  contactDataQuery,
  eraseContactBody,
  erasureSchema,
  idParams,
  privacyAuditSchema,
  privacySettingsSchema,
  tenantParams,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import { customerDataPage, type PrivacyService } from './privacy.service';

const dataBody = z.any().describe("the customer's data as application/json or a readable text/html page");

export const privacyRoutes: FastifyPluginAsyncZod<{ privacy: PrivacyService }> = async (app, { privacy }) => {
  app.get(
    '/contacts/:id/data-export',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Everything held on one customer (their right of access): JSON or a readable page',
        description:
          'OWNER or MANAGER. Leads, their history, messages, notes, tickets, quotes and the consent history. Audited.',
        params: idParams,
        querystring: contactDataQuery,
        response: { 200: dataBody, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      const data = await privacy.customerData(actor, request.params.id);
      const date = data.exportedAt.slice(0, 10);
      const html = request.query.format === 'html';
      return reply
        .type(html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="cliente-${date}.${html ? 'html' : 'json'}"`)
        .header('cache-control', 'private, no-store')
        .send(html ? customerDataPage(data) : JSON.stringify(data, null, 2));
    },
  );

  app.post(
    '/contacts/:id/erase',
    {
      schema: {
        tags: ['privacy'],
        summary: "Erase a customer's personal data on their request (OWNER; send {confirm: true})",
        description:
          'Anonymises name, phone, e-mail, visitor and marketplace ids, message bodies, notes and ticket texts; leads stay with their stages and times, and the consent history stays. 409 when already erased.',
        params: idParams,
        body: eraseContactBody,
        response: { 200: erasureSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => privacy.erase(requireUser(request, 'OWNER'), request.params.id),
  );

  app.get(
    '/contacts/:id/privacy-audit',
    {
      schema: {
        tags: ['privacy'],
        summary: "Who exported or erased the customer's data, and when (OWNER)",
        params: idParams,
        response: { 200: z.object({ items: z.array(privacyAuditSchema) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => privacy.auditOf(requireUser(request, 'OWNER'), request.params.id),
  );

  app.get(
    '/tenants/:tenantId/privacy-settings',
    {
      schema: {
        tags: ['privacy'],
        summary: "The shop's retention period (OWNER or MANAGER)",
        params: tenantParams,
        response: { 200: privacySettingsSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return privacy.settings(request.params.tenantId);
    },
  );

  app.put(
    '/tenants/:tenantId/privacy-settings',
    {
      schema: {
        tags: ['privacy'],
        summary:
          'Set the retention period: months after a lead closes before its customer is anonymised (OWNER)',
        params: tenantParams,
        body: privacySettingsSchema,
        response: { 200: privacySettingsSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER');
      return privacy.saveSettings(request.params.tenantId, request.body);
    },
  );
};
