import {
  assistanceFeedbackBody,
  assistanceFeedbackSchema,
  assistanceSchema,
  assistantKpiQuery,
  assistantKpiSchema,
  assistParams,
  idParams,
  tenantParams,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { Acceptance } from './acceptance';
import type { AssistantService } from './assistant.service';

export const assistantRoutes: FastifyPluginAsyncZod<{
  assistant: AssistantService;
  acceptance: Acceptance;
}> = async (app, { assistant, acceptance }) => {
  app.get(
    '/tenants/:tenantId/kpis/assistant',
    {
      schema: {
        tags: ['analytics'],
        summary:
          'Acceptance of the suggested replies made in [from, to): sent as is, edited, not used, and the typing time saved',
        description:
          'Default period: the last 30 days. An outcome is what the seller said (feedback) or, without it, read off the first WhatsApp text they sent on the lead after the suggestion. A SELLER gets the figures of their branches.',
        params: tenantParams,
        querystring: assistantKpiQuery,
        response: { 200: assistantKpiSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      acceptance.kpis(
        requireTenant(request, request.params.tenantId),
        request.params.tenantId,
        request.query,
      ),
  );

  app.post(
    '/leads/:id/assist',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Run the assistant again on the lead, with its latest messages',
        params: idParams,
        response: { 200: assistanceSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => assistant.assist(requireUser(request), request.params.id),
  );

  app.post(
    '/leads/:id/assist/:assistanceId/feedback',
    {
      schema: {
        tags: ['assistant'],
        summary: 'What the seller did with a suggestion: used it, edited it, or ignored it',
        params: assistParams,
        body: assistanceFeedbackBody,
        response: { 201: assistanceFeedbackSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await assistant.feedback(
            requireUser(request),
            request.params.id,
            request.params.assistanceId,
            request.body,
          ),
        ),
  );
};
