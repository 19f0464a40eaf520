import {
  assistanceFeedbackBody,
  assistanceFeedbackSchema,
  assistanceSchema,
  assistParams,
  idParams,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { AssistantService } from './assistant.service';

export const assistantRoutes: FastifyPluginAsyncZod<{ assistant: AssistantService }> = async (
  app,
  { assistant },
) => {
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
