import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { problems } from '../../platform/http';
import type { RedisLink } from '../../platform/redis';

export interface HealthOptions {
  redis: RedisLink | null;
  /** Asked as the owner (platform/db.ts `migrationsApplied`); an app built without it (tests) does not check. */
  migrationsApplied?: (() => Promise<boolean>) | undefined;
  /** True once the process was told to stop: it answers what it has, but takes nothing new. */
  shuttingDown(): boolean;
}

/** What `/ready` may find not ready, as its 503 names them in `notReady`. */
type NotReady = 'shutting down' | 'database' | 'redis' | 'migrations';

const readyChecks = z.object({
  database: z.literal('up'),
  redis: z.enum(['up', 'not configured']),
  migrations: z.enum(['applied', 'not checked']),
});

export const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (
  app,
  { redis, migrationsApplied, shuttingDown },
) => {
  // Liveness: the process answers and reaches its database. A failing readiness does not make it fail: a
  // process waiting for Redis or draining for shutdown is not to be restarted.
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

  // Readiness: whether a load balancer should send this instance traffic now.
  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: database and Redis reachable, migrations applied, not shutting down',
        description:
          'A 503 problem names what is not ready in `notReady` (an extension member: a list of `shutting down`, ' +
          '`database`, `redis`, `migrations`), and in `detail` for people.',
        security: [],
        response: { 200: z.object({ status: z.literal('ready'), checks: readyChecks }), ...problems(503) },
      },
    },
    async () => {
      const unready: NotReady[] = [];
      if (shuttingDown()) unready.push('shutting down');
      const [database, redisUp, migrated] = await Promise.all([
        app.database.ping(),
        redis
          ? redis.client.ping().then(
              () => true,
              () => false,
            )
          : true,
        migrationsApplied ? migrationsApplied().catch(() => false) : true,
      ]);
      if (!database) unready.push('database');
      if (!redisUp) unready.push('redis');
      if (!migrated) unready.push('migrations');
      if (unready.length > 0) {
        throw new AppError('UNAVAILABLE', `Not ready: ${unready.join(', ')}`, {
          extensions: { notReady: unready },
        });
      }
      return {
        status: 'ready' as const,
        checks: {
          database: 'up' as const,
          redis: redis ? ('up' as const) : ('not configured' as const),
          migrations: migrationsApplied ? ('applied' as const) : ('not checked' as const),
        },
      };
    },
  );
};
