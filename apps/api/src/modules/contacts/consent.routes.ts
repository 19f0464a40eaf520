import { consentBody, contactConsentSchema, idParams } from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { ConsentService } from './consent.service';

// Tagged with the campaigns in the API document: consent is what lets a campaign reach the customer.
export const consentRoutes: FastifyPluginAsyncZod<{ consent: ConsentService }> = async (app, { consent }) => {
  app.get(
    '/contacts/:id/consent',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Whether the customer agreed to marketing messages, and whether they opted out',
        description: "A SELLER reaches the customers of their branches' leads only (else 404).",
        params: idParams,
        response: { 200: contactConsentSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => consent.consentOf(requirePrincipal(request), request.params.id),
  );

  app.post(
    '/contacts/:id/consent',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'The customer agreed to marketing messages (lifts an earlier opt-out)',
        description:
          "A signed-in person, not an API key; recorded on each of the customer's leads (CONSENT_CHANGED) with who. " +
          "A SELLER reaches the customers of their branches' leads only (else 404).",
        params: idParams,
        body: consentBody,
        response: { 200: contactConsentSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => consent.giveConsent(requireUser(request), request.params.id, request.body.source),
  );

  app.post(
    '/contacts/:id/opt-out',
    {
      schema: {
        tags: ['campaigns'],
        summary:
          'No more marketing to this customer: out of every campaign, open reactivation tasks cancelled',
        description:
          "A signed-in person, not an API key; recorded on each of the customer's leads (CONSENT_CHANGED) with who. " +
          "A SELLER reaches the customers of their branches' leads only (else 404).",
        params: idParams,
        response: { 200: contactConsentSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => consent.optOut(requireUser(request), request.params.id),
  );
};
