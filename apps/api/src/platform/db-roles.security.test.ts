import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestContext, signUp, type TestContext } from '../../test/harness';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { appLoginUrl, ensureAppLogin } from './app-login';
import { createDatabase, createOwnerDb, runMigrations } from './db';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** Drizzle wraps a failed query's error; the driver's is its cause. */
const causeOf = (error: unknown) =>
  error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);

describe('row-level security on every tenant table', () => {
  it('is enabled, forced, and has a tenant policy on every table with a tenant_id (and on tenant)', async () => {
    const { rows } = await ctx.owner.pool.query<{
      table: string;
      enabled: boolean;
      forced: boolean;
      policies: string[];
    }>(
      `select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
              coalesce(array_agg(p.polname::text order by p.polname) filter (where p.polname is not null), '{}'::text[]) as policies
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
         left join pg_policy p on p.polrelid = c.oid
        where c.relkind in ('r', 'p')
          and (c.relname = 'tenant'
               or exists (select from pg_attribute a
                           where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))
        group by c.relname, c.relrowsecurity, c.relforcerowsecurity
        order by c.relname`,
    );
    expect(rows.length).toBeGreaterThan(20);
    const unguarded = rows.filter(
      (row) => !row.enabled || !row.forced || !row.policies.includes('tenant_isolation'),
    );
    expect(unguarded).toEqual([]);
  });
});

describe("the app's own connection", () => {
  it('is a login role that is neither superuser, BYPASSRLS, nor the owner of any table', async () => {
    const [me] = (
      await ctx.database.withoutTransaction((db) =>
        db.execute<{ session: string; current: string; superuser: boolean; bypass: boolean; owned: number }>(
          sql`select session_user as session, current_user as current, r.rolsuper as superuser,
                     r.rolbypassrls as bypass,
                     (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
                from pg_roles r where r.rolname = session_user`,
        ),
      )
    ).rows;
    expect(me).toEqual({
      session: 'crm_app_login',
      current: 'crm_app_login',
      superuser: false,
      bypass: false,
      owned: 0,
    });
  });

  it('cannot set role to the owner or to a superuser, nor reset its way out', async () => {
    const { rows: owners } = await ctx.owner.pool.query<{ owner: string }>(
      `select distinct pg_get_userbyid(relowner) as owner from pg_class where relname in ('lead', 'tenant')`,
    );
    const targets = new Set([...owners.map((row) => row.owner), 'postgres']);
    for (const target of targets) {
      const attempt = ctx.database.withoutTenant((tx) => tx.execute(sql.raw(`set role "${target}"`)));
      expect(causeOf(await attempt.catch((error: unknown) => error))).toMatch(/permission denied/);
    }
    const [after] = (
      await ctx.database.withoutTenant(async (tx) => {
        await tx.execute(sql`set local role none`);
        return (await tx.execute<{ current: string }>(sql`select current_user as current`)).rows;
      })
    ).concat();
    expect(after?.current).toBe('crm_app_login');
  });

  it('is checked at start-up: an APP_DATABASE_URL that is a superuser or the owner is refused', async () => {
    await expect(ensureAppLogin(ctx.databaseUrl, ctx.databaseUrl)).rejects.toThrow(/is a superuser/);
    await expect(ensureAppLogin(ctx.databaseUrl)).resolves.toBe(ctx.appUrl);
  });

  it('sees no tenant rows without a tenant, and only its own with one', async () => {
    const a = await signUp(ctx.app);
    await signUp(ctx.app);
    const none = await ctx.database.withoutTenant((tx) => tx.execute(sql`select id from tenant`));
    expect(none.rows).toEqual([]);
    const own = await ctx.database.withTenant(a.tenantId, (tx) => tx.execute(sql`select id from tenant`));
    expect(own.rows).toEqual([{ id: a.tenantId }]);
  });
});

describe('the owner connection', () => {
  it('still sees every tenant (seeding, maintenance jobs, these assertions)', async () => {
    const a = await signUp(ctx.app);
    const b = await signUp(ctx.app);
    const { rows } = await ctx.owner.pool.query<{ id: string }>(
      'select id from tenant where id = any($1::uuid[])',
      [[a.tenantId, b.tenantId]],
    );
    expect(rows).toHaveLength(2);
  });
});

describe('an owner that is not a superuser (FORCE binds it)', () => {
  it('migrates, lets people sign up and log in through the SECURITY DEFINER look-ups, and sees every tenant only when it says so', async () => {
    const adminUrl = inject('adminUrl');
    const suffix = randomBytes(4).toString('hex');
    const ownerRole = `crm_owner_${suffix}`;
    const name = `crm_t_owner_${suffix}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const ownerUrl = new URL(adminUrl);
    ownerUrl.username = ownerRole;
    ownerUrl.password = `pw-${suffix}`;
    ownerUrl.pathname = `/${name}`;
    try {
      await admin.query(`create role ${ownerRole} login nosuperuser nocreaterole password 'pw-${suffix}'`);
      await admin.query(`create database ${name} owner ${ownerRole}`);
      await runMigrations(ownerUrl.toString());
      // As production would: an owner without CREATEROLE cannot set the login role's password, so the app is
      // given its login (the one global setup gave a password) as APP_DATABASE_URL.
      const loginUrl = new URL(appLoginUrl(adminUrl));
      loginUrl.pathname = `/${name}`;
      const appUrl = await ensureAppLogin(ownerUrl.toString(), loginUrl.toString());
      await expect(ensureAppLogin(ownerUrl.toString(), ownerUrl.toString())).rejects.toThrow(
        /owns \d+ relations/,
      );
      const database = createDatabase({ appUrl, poolSize: 2 });
      const config = loadConfig(
        {},
        { NODE_ENV: 'test', DATABASE_URL: ownerUrl.toString(), LOG_LEVEL: 'silent', SEED_DEMO: 'false' },
      );
      const app = await buildApp({ config, database, jobs: 'deferred' });
      const owner = createOwnerDb(ownerUrl.toString(), 1);
      const plainOwner = new pg.Client({ connectionString: ownerUrl.toString() });
      try {
        const shop = await signUp(app);
        const login = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: shop.email, password: 'correct-horse-battery' },
        });
        expect(login.statusCode).toBe(200);
        const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: shop.auth });
        expect(me.statusCode).toBe(200);
        // The owner's declared cross-tenant connection sees the shop; a plain owner session sees no tenant row.
        const seen = await owner.pool.query('select id from tenant where id = $1', [shop.tenantId]);
        expect(seen.rows).toEqual([{ id: shop.tenantId }]);
        await plainOwner.connect();
        const hidden = await plainOwner.query('select id from tenant');
        expect(hidden.rows).toEqual([]);
      } finally {
        await plainOwner.end().catch(() => undefined);
        await app.close();
        await database.close();
        await owner.pool.end();
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`drop role if exists ${ownerRole}`);
      await admin.end();
    }
  });
});
