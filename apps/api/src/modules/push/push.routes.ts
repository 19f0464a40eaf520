import {
  pushPreferencesSchema,
  pushPublicKeyResponse,
  pushSubscriptionBody,
  pushSubscriptionSchema,
  pushUnsubscribeBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { PushService } from './push.service';

export const pushRoutes: FastifyPluginAsyncZod<{ push: PushService }> = async (app, { push }) => {
  app.get(
    '/push/public-key',
    {
      schema: {
        tags: ['push'],
        summary: "The server's VAPID public key (base64url), to subscribe a browser with",
        security: [],
        response: { 200: pushPublicKeyResponse },
      },
    },
    async (_request, reply) => {
      // The same for the life of the server: a browser may keep it a day.
      reply.header('cache-control', 'public, max-age=86400');
      return push.publicKey();
    },
  );

  app.post(
    '/me/push-subscriptions',
    {
      schema: {
        tags: ['push'],
        summary: "Push alerts to this browser: its PushSubscription.toJSON(), and the app's language",
        body: pushSubscriptionBody,
        response: { 201: pushSubscriptionSchema, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await push.subscribe(requireUser(request), request.body)),
  );

  app.delete(
    '/me/push-subscriptions',
    {
      schema: {
        tags: ['push'],
        summary: 'Stop pushing to this browser (its endpoint)',
        body: pushUnsubscribeBody,
        response: { 204: z.null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await push.unsubscribe(requireUser(request), request.body.endpoint);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me/push-preferences',
    {
      schema: {
        tags: ['push'],
        summary: 'Which alerts I am pushed, and my quiet hours',
        response: { 200: pushPreferencesSchema, ...problems(401, 403) },
      },
    },
    async (request) => push.preferences(requireUser(request)),
  );

  app.put(
    '/me/push-preferences',
    {
      schema: {
        tags: ['push'],
        summary: 'Choose which alerts I am pushed, and quiet hours (in my time zone, or the lead’s branch’s)',
        body: pushPreferencesSchema,
        response: { 200: pushPreferencesSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => push.savePreferences(requireUser(request), request.body),
  );
};
