import {
  commerceSettingsSchema,
  createQuoteBody,
  idParams,
  page,
  quoteSchema,
  quotesQuery,
  sentQuoteSchema,
  tenantParams,
  updateCommerceSettingsBody,
  updateQuoteBody,
} from '@techmarket/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { CommerceSettingsService } from './commerce-settings.service';
import type { QuotesService } from './quotes.service';

const pdfBody = z.any().describe('the quote as application/pdf');

const sendPdf = (reply: FastifyReply, file: { pdf: Buffer; filename: string }) =>
  reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${file.filename}"`)
    .header('cache-control', 'private, no-store')
    .send(file.pdf);

export const quotesRoutes: FastifyPluginAsyncZod<{
  quotes: QuotesService;
  settings: CommerceSettingsService;
}> = async (app, { quotes, settings }) => {
  app.post(
    '/leads/:id/create-quote',
    {
      schema: {
        tags: ['quotes'],
        summary: "A quote from the shop's catalog for the lead's customer; the lead goes QUOTED",
        params: idParams,
        body: createQuoteBody,
        response: { 201: quoteSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const quote = await quotes.createQuote(requireUser(request), request.params.id, request.body);
      return reply.status(201).send(quote);
    },
  );

  app.get(
    '/tenants/:tenantId/quotes',
    {
      schema: {
        tags: ['quotes'],
        summary: "The shop's quotes, newest first (a seller sees their branches')",
        params: tenantParams,
        querystring: quotesQuery,
        response: { 200: page(quoteSchema), ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const viewer = requireTenant(request, request.params.tenantId);
      return quotes.listQuotes(viewer, request.params.tenantId, request.query);
    },
  );

  app.get(
    '/quotes/:id',
    {
      schema: {
        tags: ['quotes'],
        summary: 'A quote with its lines, totals and stock warnings',
        params: idParams,
        response: { 200: quoteSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => quotes.getQuote(requirePrincipal(request), request.params.id),
  );

  app.patch(
    '/quotes/:id',
    {
      schema: {
        tags: ['quotes'],
        summary:
          'Edit a DRAFT, or record the answer: ACCEPTED (lead WON) or REJECTED with a reason (lead LOST)',
        params: idParams,
        body: updateQuoteBody,
        response: { 200: quoteSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => quotes.updateQuote(requireUser(request), request.params.id, request.body),
  );

  app.post(
    '/quotes/:id/send',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Mark the quote SENT and get its signed PDF link and the WhatsApp message for the customer',
        params: idParams,
        response: { 200: sentQuoteSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => quotes.sendQuote(requireUser(request), request.params.id),
  );

  app.post(
    '/quotes/:id/revoke-link',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Withdraw every public link sent so far (they answer 410); sending again issues a fresh one',
        params: idParams,
        response: { 200: quoteSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => quotes.revokeLinks(requireUser(request), request.params.id),
  );

  app.get(
    '/quotes/:id/pdf',
    {
      schema: {
        tags: ['quotes'],
        summary: "The quote's PDF (Spanish, or Portuguese for Brazilian branches)",
        params: idParams,
        response: { 200: pdfBody, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) =>
      sendPdf(reply, await quotes.pdfFor(requirePrincipal(request), request.params.id)),
  );

  app.get(
    '/tenants/:tenantId/commerce-settings',
    {
      schema: {
        tags: ['quotes'],
        summary: "The shop's tax rule, quote validity and ticket SLAs (defaults follow its currency)",
        params: tenantParams,
        response: { 200: commerceSettingsSchema, ...problems(401, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      return settings.get(request.params.tenantId);
    },
  );

  app.patch(
    '/tenants/:tenantId/commerce-settings',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Change the tax rule, quote validity or ticket SLAs (OWNER or MANAGER)',
        params: tenantParams,
        body: updateCommerceSettingsBody,
        response: { 200: commerceSettingsSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return settings.update(request.params.tenantId, request.body);
    },
  );
};

/** GET /q/{token}, outside the API base: the signed link a customer opens from WhatsApp, no login. */
export const publicQuoteRoutes: FastifyPluginAsyncZod<{ quotes: QuotesService }> = async (
  app,
  { quotes },
) => {
  app.get(
    '/q/:token',
    {
      // Unguessable links, but each answer renders a PDF: a client gets a reasonable number per minute.
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: {
        tags: ['quotes'],
        summary: "A quote's PDF through its signed, expiring public link",
        security: [],
        params: z.object({ token: z.string().regex(/^[\w-]{20,100}\.[\w-]{20,100}$/, 'not a quote link') }),
        response: { 200: pdfBody, ...problems(400, 404, 410) },
      },
    },
    async (request, reply) => sendPdf(reply, await quotes.publicPdf(request.params.token)),
  );
};
