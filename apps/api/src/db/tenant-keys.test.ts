import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness';

/**
 * Every key carries tenant_id, so a deployment can distribute the tables by tenant_id (README, "Growing past one
 * database"): a primary key, unique constraint or unique index without it could not be enforced on one node, a
 * foreign key without it would join across nodes.
 *
 * The allow-list: what is global by nature, each with why.
 */
const GLOBAL_TABLES = {
  // The tenants themselves: the reference table every tenant row points at.
  tenant: 'the tenants',
  // One row for the whole deployment: the Web Push key pair.
  push_vapid_key: 'one key pair per deployment',
} as const;

/** Unique keys that must be unique across shops, because a request finds its shop through them. */
const GLOBAL_LOOKUP_KEYS = {
  // A session cookie, an API key, an invitation or a password reset names no shop: its token's hash finds it.
  session_token_hash_key: 'session cookie → session',
  api_key_hash_key: 'API key → key',
  app_user_invite_token_key: 'invitation link → user',
  password_reset_token_hash_key: 'reset link → user',
  // A tracking link /w/{code} and a WhatsApp webhook (phone number id) arrive with no shop either.
  tracked_link_code_key: 'tracking link → link',
  whatsapp_channel_phone_number_key: 'webhook phone number id → channel',
} as const;

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

interface KeyRow {
  table: string;
  key: string;
  kind: string;
  definition: string;
}

/** The app's tables (public schema; pg-boss keeps its own schema, the migrator its own). */
const APP_TABLES = `
  select c.oid, c.relname
    from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
   where c.relkind in ('r', 'p')`;

describe('tenant_id in every key', () => {
  it('is a column of every table but the global ones', async () => {
    const { rows } = await ctx.owner.pool.query<{ table: string }>(
      `select t.relname as table from (${APP_TABLES}) t
        where not exists (select from pg_attribute a
                           where a.attrelid = t.oid and a.attname = 'tenant_id' and not a.attisdropped)
        order by 1`,
    );
    expect(rows.map((row) => row.table)).toEqual(Object.keys(GLOBAL_TABLES).sort());
  });

  it('is in every primary key, unique constraint and unique index, but the global look-ups', async () => {
    const { rows } = await ctx.owner.pool.query<KeyRow>(
      `select t.relname as table, i.relname as key, case when x.indisprimary then 'primary key' else 'unique' end as kind,
              pg_get_indexdef(x.indexrelid) as definition
         from (${APP_TABLES}) t
         join pg_index x on x.indrelid = t.oid and x.indisunique
         join pg_class i on i.oid = x.indexrelid
        where t.relname <> all($1)
          and not exists (select from unnest(x.indkey) k
                            join pg_attribute a on a.attrelid = t.oid and a.attnum = k
                           where a.attname = 'tenant_id')
        order by 1, 2`,
      [Object.keys(GLOBAL_TABLES)],
    );
    expect(rows.map((row) => row.key).sort()).toEqual(Object.keys(GLOBAL_LOOKUP_KEYS).sort());
    // The global ones are plain unique look-ups, never a table's primary key.
    expect(rows.filter((row) => row.kind === 'primary key')).toEqual([]);
  });

  it('is in every foreign key, on both sides (the tenant itself aside)', async () => {
    const { rows } = await ctx.owner.pool.query<KeyRow>(
      `select t.relname as table, con.conname as key, 'foreign key' as kind, pg_get_constraintdef(con.oid) as definition
         from (${APP_TABLES}) t
         join pg_constraint con on con.conrelid = t.oid and con.contype = 'f'
        where not exists (select from unnest(con.conkey) k
                            join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k
                           where a.attname = 'tenant_id')
           or (con.confrelid <> 'tenant'::regclass
               and not exists (select from unnest(con.confkey) k
                                 join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k
                                where a.attname = 'tenant_id'))
        order by 1, 2`,
    );
    expect(rows).toEqual([]);
  });

  it('pairs tenant_id with tenant_id in every composite foreign key', async () => {
    // (tenant_id, lead_id) references lead(tenant_id, id): the tenant columns must meet, not cross.
    const { rows } = await ctx.owner.pool.query<KeyRow>(
      `select t.relname as table, con.conname as key, 'foreign key' as kind, pg_get_constraintdef(con.oid) as definition
         from (${APP_TABLES}) t
         join pg_constraint con on con.conrelid = t.oid and con.contype = 'f'
         cross join lateral unnest(con.conkey, con.confkey) as pair(mine, theirs)
         join pg_attribute a on a.attrelid = con.conrelid and a.attnum = pair.mine
         join pg_attribute b on b.attrelid = con.confrelid and b.attnum = pair.theirs
        where con.confrelid <> 'tenant'::regclass
          and (a.attname = 'tenant_id') <> (b.attname = 'tenant_id')
        order by 1, 2`,
    );
    expect(rows).toEqual([]);
  });
});
