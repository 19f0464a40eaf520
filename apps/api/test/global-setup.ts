import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config';
import { ensureAppLogin } from '../src/platform/app-login';
import { runMigrations } from '../src/platform/db';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/platform/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

/**
 * Once per run: a PostgreSQL server (DATABASE_URL's, else an embedded one) and a migrated template
 * database. Each test file then gets a database of its own, copied from the template.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig(process.env, { NODE_ENV: 'test' });
  let embedded: EmbeddedDatabase | null = null;
  let adminUrl = config.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.DATA_DIR, 'pg-test'),
      port: config.EMBEDDED_PG_PORT + 1,
    });
    adminUrl = embedded.adminUrl;
  }
  const templateDb = `crm_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${templateDb}"`);
  await runMigrations(withDatabase(adminUrl, templateDb));
  // The app's login role, as `npm start` sets it up: each file's app then connects as it, not as the owner.
  await ensureAppLogin(withDatabase(adminUrl, templateDb));
  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', templateDb);

  return async () => {
    // Test databases left by a crashed file are named after the template; drop them all.
    const leftovers = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like 'crm_t\\_%' escape '\\' and datname like $1`,
      [`%_${templateDb.slice('crm_tpl_'.length)}%`],
    );
    for (const { datname } of leftovers.rows)
      await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.query(`drop database if exists "${templateDb}" with (force)`);
    await admin.end();
    await embedded?.stop();
  };
}
