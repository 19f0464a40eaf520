/**
 * The built web app served by the real API (buildApp) on a fresh PostgreSQL database seeded with the demo shop:
 * what the screens e2e test and `npm run bench:web` drive. DATABASE_URL names the server to create the database
 * on; without it an embedded PostgreSQL starts under .data/.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { build } from 'vite';
import { buildApp } from '../../api/src/app';
import { loadConfig } from '../../api/src/config';
import { seedDemo } from '../../api/src/db/seed/demo';
import { ensureAppLogin } from '../../api/src/platform/app-login';
import { createDatabase, createOwnerDb, runMigrations } from '../../api/src/platform/db';
import { startEmbeddedPostgres } from '../../api/src/platform/embedded-postgres';
import { type ApiLog, createApiLog, E2E_API_LOG_LEVEL } from './api-log';

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_OWNER = { email: 'owner@techperu.pe', password: 'techmarket2026' };
export const DEMO_SELLER = { email: 'lucia.ramos@techperu.pe', password: 'techmarket2026' };

export interface DemoServer {
  baseUrl: string;
  /** The built app's folder (index.html, assets/). */
  dist: string;
  /** The API's warnings and errors (e2e/logs/<name>-api.log): print them when a test fails. */
  apiLog: ApiLog;
  stop(): Promise<void>;
}

export async function startDemoServer({
  name,
  embeddedPortOffset,
  nodeEnv = 'test',
}: {
  /** Prefix of the database's name, so a left-over one says what made it. */
  name: string;
  /** Which embedded PostgreSQL (EMBEDDED_PG_PORT + offset) to use when DATABASE_URL is unset. */
  embeddedPortOffset: number;
  /** `production` serves the app as `npm start` does (what a benchmark measures). */
  nodeEnv?: 'test' | 'production';
}): Promise<DemoServer> {
  const dist = mkdtempSync(path.join(tmpdir(), `tm-web-${name}-`));
  await build({
    root: webRoot,
    configFile: path.join(webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: dist, emptyOutDir: true },
  });

  const embedded = process.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({
        dataDir: path.join(webRoot, `../../.data/pg-${name}`),
        port: Number(process.env.EMBEDDED_PG_PORT ?? 54329) + embeddedPortOffset,
      });
  const adminUrl = process.env.DATABASE_URL ?? embedded?.adminUrl ?? '';
  const dbName = `${name.replace(/\W/g, '_')}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  await runMigrations(databaseUrl);
  const owner = createOwnerDb(databaseUrl, 2);
  await seedDemo(owner.db);

  const config = loadConfig(
    {},
    {
      NODE_ENV: nodeEnv,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: E2E_API_LOG_LEVEL,
      SEED_DEMO: 'false',
      COOKIE_SECURE: 'false',
      WEB_DIST_DIR: dist,
      PORT: '0',
      // Production requires these; no signed link or WhatsApp channel is used here, so this run's own will do.
      LINK_SIGNING_SECRET: randomBytes(32).toString('base64url'),
      WHATSAPP_SECRETS_KEY: randomBytes(32).toString('base64'),
      PLATFORM_API_KEY: randomBytes(32).toString('base64url'),
      // The push tests' push service is on 127.0.0.1: reachable only with this setting, never in production.
      ...(nodeEnv === 'production' ? {} : { PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' }),
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    },
  );
  const database = createDatabase({ appUrl: await ensureAppLogin(databaseUrl), poolSize: 5 });
  const apiLog = createApiLog(name);
  const app = await buildApp({ config, database, logStream: apiLog.stream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');

  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    dist,
    apiLog,
    async stop() {
      await app.close();
      await database.close();
      await owner.pool.end();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`drop database if exists "${dbName}" with (force)`);
      await drop.end();
      await embedded?.stop();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}
