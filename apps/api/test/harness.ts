import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { type App, buildApp } from '../src/app';
import { type AppConfig, loadConfig } from '../src/config';
import { appLoginUrl } from '../src/platform/app-login';
import type { Clock } from '../src/platform/clock';
import { createDatabase, createOwnerDb, type Database } from '../src/platform/db';
import type { Ticker } from '../src/platform/ticker';

export interface TestContext {
  app: App;
  config: AppConfig;
  database: Database;
  /** The owner connection: sees every tenant, for assertions the app must not be able to make. */
  owner: ReturnType<typeof createOwnerDb>;
  /** The owner's connection string to this file's database. */
  databaseUrl: string;
  /** The app's: its login role, which row-level security binds (global setup gave it its password). */
  appUrl: string;
  close(): Promise<void>;
}

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

/** A database of this test file's own, copied from the migrated template, and the app on it. */
export async function createTestContext(
  options: { clock?: Clock; ticker?: Ticker; env?: Record<string, string | undefined> } = {},
): Promise<TestContext> {
  const adminUrl = inject('adminUrl');
  const templateDb = inject('templateDb');
  const name = `crm_t_${randomBytes(4).toString('hex')}_${templateDb.slice('crm_tpl_'.length)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database "${name}" template "${templateDb}"`);
      break;
    } catch (error) {
      // Two files copying the template at the same instant: PostgreSQL refuses one; try again.
      if (attempt >= 20 || !String(error).includes('being accessed')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  const databaseUrl = withDatabase(adminUrl, name);
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      // Every file calls from 127.0.0.1 and, with Redis, counts in one place: the limits' own tests set theirs.
      TRACKING_LIMIT_PER_IP: '1000000',
      SIGNUP_LIMIT_PER_IP: '1000000',
      // The machine's Redis when the run has one (CI does); each file then shares it like instances do.
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      ...options.env,
    },
  );
  const appUrl = appLoginUrl(databaseUrl);
  const database = createDatabase({ appUrl, poolSize: 5 });
  const app = await buildApp({
    config,
    database,
    jobs: 'deferred',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.ticker ? { ticker: options.ticker } : {}),
  });
  await app.ready();
  const owner = createOwnerDb(databaseUrl, 2);
  return {
    app,
    config,
    database,
    owner,
    databaseUrl,
    appUrl,
    async close() {
      await app.close();
      await database.close();
      await owner.pool.end();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

let counter = 0;
export const unique = (prefix: string) =>
  `${prefix}-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`;

export interface SignedUp {
  tenantId: string;
  branchId: string;
  ownerId: string;
  token: string;
  email: string;
  auth: { authorization: string };
}

/** A fresh tenant through the real signup endpoint; tests never share rows. */
export async function signUp(app: App, overrides: Record<string, unknown> = {}): Promise<SignedUp> {
  const email = `${unique('owner')}@example.com`;
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: {
      tenantName: `Tienda ${unique('t')}`,
      name: 'Dueña de prueba',
      email,
      password: 'correct-horse-battery',
      branch: { name: 'Miraflores', whatsappPhone: '+51 987 654 321', timezone: 'America/Lima' },
      ...overrides,
    },
  });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const body = response.json();
  return {
    tenantId: body.tenant.id,
    branchId: body.branch.id,
    ownerId: body.user.id,
    token: body.token,
    email,
    auth: { authorization: `Bearer ${body.token}` },
  };
}

/** A user of the tenant with the given role, created by the owner, logged in. */
export async function addUser(
  app: App,
  tenant: SignedUp,
  role: 'OWNER' | 'MANAGER' | 'SELLER',
  branchIds: string[] = [tenant.branchId],
) {
  const email = `${unique(role.toLowerCase())}@example.com`;
  const created = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenant.tenantId}/users`,
    headers: tenant.auth,
    payload: { name: `Usuario ${role}`, email, role, branchIds, password: 'correct-horse-battery' },
  });
  if (created.statusCode !== 201)
    throw new Error(`user creation failed: ${created.statusCode} ${created.body}`);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: 'correct-horse-battery' },
  });
  const body = login.json();
  return { id: body.user.id as string, email, auth: { authorization: `Bearer ${body.token}` } };
}

/** Asserts the answer is RFC 9457 problem+json with the status, and returns it. */
export function problem(response: LightMyRequestResponse, status: number) {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
  if (!String(response.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${response.headers['content-type']}`);
  }
  return response.json() as {
    type: string;
    title: string;
    status: number;
    detail: string;
    errors?: { path: string; message: string; code?: string; minimum?: number; format?: string }[];
  };
}

/** A second app instance on the same database (and Redis, when the run has one): what scale-out runs. */
export async function startInstance(ctx: TestContext) {
  const database = createDatabase({ appUrl: ctx.appUrl, poolSize: 5 });
  const app = await buildApp({ config: ctx.config, database, jobs: 'deferred' });
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
