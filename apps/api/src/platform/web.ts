import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { type AppConfig, repoRoot } from '../config';

/** Serves the built web app at `/`, falling back to the placeholder page until it is built. */
export async function registerWeb(app: FastifyInstance, config: AppConfig) {
  const root = existsSync(path.join(config.WEB_DIST_DIR, 'index.html'))
    ? config.WEB_DIST_DIR
    : path.join(repoRoot, 'apps/web/public');
  if (!existsSync(root)) return;
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
}
