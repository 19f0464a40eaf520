import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { problems } from '../../platform/http';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        security: [],
        response: { 200: z.object({ status: z.literal('ok'), database: z.literal('up') }), ...problems(503) },
      },
    },
    async () => {
      if (!(await app.database.ping())) throw new AppError('UNAVAILABLE', 'The database is not reachable');
      return { status: 'ok' as const, database: 'up' as const };
    },
  );
};
