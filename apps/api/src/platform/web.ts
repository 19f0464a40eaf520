import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { type AppConfig, repoRoot } from '../config';
import { AppError } from './errors';

/**
 * Serves the built web app at `/` (the placeholder page until it is built). The app routes in the
 * browser (/board, /leads/…), so a GET for a page that is not a file gets index.html; /api/*, /simulator/* and
 * files with an extension keep their 404 problem.
 */
export async function registerWeb(app: FastifyInstance, config: AppConfig) {
  const built = existsSync(path.join(config.WEB_DIST_DIR, 'index.html'));
  const root = built ? config.WEB_DIST_DIR : path.join(repoRoot, 'apps/web/public');
  if (!existsSync(root)) return;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // The build writes .br and .gz beside each asset; browsers that accept them get them.
    preCompressed: true,
    // Hashed bundles never change; index.html must be revalidated so a deploy is picked up.
    setHeaders: (reply, file) => {
      reply.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  if (!built) return;

  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '';
    // The API and the simulator's pages are not the web app's: an unknown one is a 404, never the app's page.
    if (pathname.startsWith('/api/') || pathname.startsWith('/simulator/') || path.extname(pathname)) {
      throw new AppError('NOT_FOUND', `No route ${request.method} ${pathname}`);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
