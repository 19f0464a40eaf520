import { randomUUID } from 'node:crypto';
import {
  createLinkBody,
  linkParams,
  listingViewBody,
  listingViewResponse,
  tenantParams,
  trackedLinkSchema,
  updateLinkBody,
  whatsappClickBody,
  whatsappClickResponse,
} from '@techmarket/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant, requireUser } from '../../platform/auth';
import { problems, projectingSerializerCompiler } from '../../platform/http';
import type { IdempotentAnswer } from '../../platform/idempotency';
import { readIdempotencyKey } from '../../platform/idempotency';
import { bindTenant } from '../../platform/tracing';
import type { CallerMeta, TrackingService } from './tracking.service';

const VISITOR_COOKIE = 'tm_vid';

const callerMeta = (request: FastifyRequest, reply: FastifyReply): CallerMeta => ({
  onTenant: (tenantId) => bindTenant(request, reply, [tenantId]),
  ip: request.ip,
  userAgent: request.headers['user-agent'],
  referrer: request.headers.referer,
  idempotencyKey: readIdempotencyKey(request.headers['idempotency-key']),
  principal: request.principal,
});

const sendAnswer = <T>(reply: FastifyReply, answer: IdempotentAnswer<T>) => {
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(answer.status).send(answer.body);
};

/** The marketplace's endpoints (public, rate limited, idempotent) and the shop's tracked links. */
export const trackingRoutes: FastifyPluginAsyncZod<{ tracking: TrackingService }> = async (
  app,
  { tracking },
) => {
  app.post(
    '/tracking/whatsapp-click',
    {
      // The service keeps the key in the click's own transaction.
      config: { idempotency: 'service' },
      schema: {
        tags: ['tracking'],
        summary: 'A WhatsApp button was clicked: find or open the lead and get the wa.me link',
        security: [],
        body: whatsappClickBody,
        response: {
          200: whatsappClickResponse,
          201: whatsappClickResponse,
          ...problems(400, 404, 409, 422, 429),
        },
      },
      // The marketplace's hottest call: its answer written by a serializer compiled from the schema (platform/http.ts).
      serializerCompiler: projectingSerializerCompiler,
    },
    async (request, reply) => {
      // The shop the click is for, on every line of it (a public call: no principal says it).
      bindTenant(request, reply, [request.body.tenantId]);
      return sendAnswer(reply, await tracking.whatsappClick(request.body, callerMeta(request, reply)));
    },
  );

  app.post(
    '/tracking/listing-view',
    {
      config: { idempotency: 'service' },
      schema: {
        tags: ['tracking'],
        summary: 'Listing views, one or a batch of up to 100',
        security: [],
        body: listingViewBody,
        response: { 202: listingViewResponse, ...problems(400, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const items = Array.isArray(request.body) ? request.body : [request.body];
      bindTenant(
        request,
        reply,
        items.map((item) => item.tenantId),
      );
      return sendAnswer(reply, await tracking.listingViews(request.body, callerMeta(request, reply)));
    },
  );

  app.get(
    '/tenants/:tenantId/links',
    {
      schema: {
        tags: ['tracking'],
        params: tenantParams,
        response: { 200: z.object({ items: z.array(trackedLinkSchema) }), ...problems(401, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      return tracking.listLinks(request.params.tenantId);
    },
  );

  app.post(
    '/tenants/:tenantId/links',
    {
      schema: {
        tags: ['tracking'],
        summary: 'A tracked short link (/w/{code}) for a QR code, a flyer or a social bio',
        params: tenantParams,
        body: createLinkBody,
        response: { 201: trackedLinkSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return reply.status(201).send(await tracking.createLink(request.params.tenantId, request.body));
    },
  );

  app.patch(
    '/tenants/:tenantId/links/:linkId',
    {
      schema: {
        tags: ['tracking'],
        params: linkParams,
        body: updateLinkBody,
        response: { 200: trackedLinkSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return tracking.updateLink(request.params.tenantId, request.params.linkId, request.body);
    },
  );
};

/** GET /w/{code}, outside the API base: short enough for a QR code. */
export const shortLinkRoutes: FastifyPluginAsyncZod<{
  tracking: TrackingService;
  cookieSecure: boolean;
}> = async (app, { tracking, cookieSecure }) => {
  app.get(
    '/w/:code',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Visit a tracked link: logs the click and redirects to WhatsApp',
        security: [],
        params: z.object({ code: z.string().regex(/^[0-9a-z]{4,32}$/, 'not a link code') }),
        response: { 302: z.null().describe('Location: https://wa.me/…'), ...problems(400, 404, 429) },
      },
    },
    async (request, reply) => {
      // The visitor cookie keeps a person's repeat scans on one lead, as the marketplace's visitor id does.
      const known = request.cookies[VISITOR_COOKIE];
      const visitorId = known && /^[0-9a-f-]{36}$/.test(known) ? known : randomUUID();
      const { url } = await tracking.visitLink(request.params.code, {
        ...callerMeta(request, reply),
        idempotencyKey: null,
        visitorId: `link:${visitorId}`,
      });
      if (visitorId !== known) {
        reply.setCookie(VISITOR_COOKIE, visitorId, {
          httpOnly: true,
          sameSite: 'lax',
          secure: cookieSecure,
          path: '/w/',
          maxAge: 365 * 24 * 3600,
        });
      }
      return reply.header('cache-control', 'no-store').redirect(url, 302);
    },
  );
};
