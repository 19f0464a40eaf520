import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signUp, type TestContext } from '../../test/harness';

/**
 * Every key carries tenant_id, so a deployment can distribute the tables by tenant_id (README, "Growing past one
 * database"): a primary key, unique constraint or unique index without it could not be enforced on one node, a
 * foreign key without it would join across nodes.
 *
 * The allow-list: what is global by nature (reference tables on Citus, copied to every node), each with why.
 */
const GLOBAL_TABLES = {
  // The tenants themselves: the reference table every tenant row points at.
  tenant: 'the tenants',
  // One row for the whole deployment: the Web Push key pair.
  push_vapid_key: 'one key pair per deployment',
} as const;

/**
 * What a request brings before its shop is known, each looked up across shops in a small table keyed by the value
 * → (tenant_id, id) of its row (migration 0031), kept by a trigger on the tenant table. They have tenant_id (the
 * answer), not as a key: reference tables too.
 */
const LOOKUP_TABLES = {
  // look-up table: [tenant table, its column, the look-up's key (the old unique index's name, which the app's
  // unique-violation handling names), what it finds]
  session_lookup: ['session', 'token_hash', 'session_token_hash_key', 'session cookie → session'],
  api_key_lookup: ['api_key', 'key_hash', 'api_key_hash_key', 'API key → key'],
  invitation_lookup: ['app_user', 'invite_token_hash', 'app_user_invite_token_key', 'invitation link → user'],
  password_reset_lookup: [
    'password_reset',
    'token_hash',
    'password_reset_token_hash_key',
    'reset link → reset',
  ],
  tracked_link_lookup: ['tracked_link', 'code', 'tracked_link_code_key', 'tracking link /w/{code} → link'],
  whatsapp_channel_lookup: [
    'whatsapp_channel',
    'phone_number_id',
    'whatsapp_channel_phone_number_key',
    'webhook phone number id → channel',
  ],
} as const;

const REFERENCE_TABLES = [...Object.keys(GLOBAL_TABLES), ...Object.keys(LOOKUP_TABLES)];

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

  it('is in every primary key, unique constraint and unique index of every tenant table, with no exception', async () => {
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
      [REFERENCE_TABLES],
    );
    expect(rows).toEqual([]);
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

describe('the global look-ups', () => {
  it('are small tables keyed by the looked-up value alone, that the app role cannot read or write', async () => {
    for (const [lookup, [, , keyName]] of Object.entries(LOOKUP_TABLES)) {
      const { rows } = await ctx.owner.pool.query<{ name: string; definition: string; granted: boolean }>(
        `select con.conname as name, pg_get_constraintdef(con.oid) as definition,
                has_table_privilege('crm_app', $1::regclass, 'SELECT')
                  or has_table_privilege('crm_app', $1::regclass, 'INSERT, UPDATE, DELETE') as granted
           from pg_constraint con where con.conrelid = $1::regclass and con.contype = 'p'`,
        [lookup],
      );
      expect(rows).toEqual([{ name: keyName, definition: 'PRIMARY KEY (key)', granted: false }]);
    }
  });

  it('follow their rows: written with the row, moved with its value, gone with it; a value taken is refused', async () => {
    const shop = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    const sessionOf = async (tenantId: string) =>
      (
        await ctx.owner.pool.query<{ id: string; token_hash: string; user_id: string }>(
          'select id, token_hash, user_id from session where tenant_id = $1 limit 1',
          [tenantId],
        )
      ).rows[0];
    const lookedUp = async (key: string) =>
      (
        await ctx.owner.pool.query<{ tenant_id: string; id: string }>(
          'select tenant_id, id from session_lookup where key = $1',
          [key],
        )
      ).rows;
    const mine = await sessionOf(shop.tenantId);
    const theirs = await sessionOf(other.tenantId);
    if (!mine || !theirs) throw new Error('signing up made no session');
    // Written with the row (the sign-up's session).
    expect(await lookedUp(mine.token_hash)).toEqual([{ tenant_id: shop.tenantId, id: mine.id }]);

    // Another shop's session may not take the same token hash: the same unique violation as the index gave.
    await expect(
      ctx.owner.pool.query('update session set token_hash = $2 where tenant_id = $1 and id = $3', [
        other.tenantId,
        mine.token_hash,
        theirs.id,
      ]),
    ).rejects.toMatchObject({ code: '23505', constraint: 'session_token_hash_key' });

    // Moved with its value, gone with its row.
    await ctx.owner.pool.query("update session set token_hash = 'moved' || token_hash where id = $1", [
      mine.id,
    ]);
    expect(await lookedUp(mine.token_hash)).toEqual([]);
    expect(await lookedUp(`moved${mine.token_hash}`)).toEqual([{ tenant_id: shop.tenantId, id: mine.id }]);
    await ctx.owner.pool.query('delete from session where id = $1', [mine.id]);
    expect(await lookedUp(`moved${mine.token_hash}`)).toEqual([]);

    // Every look-up table holds exactly its tenant table's values, no more, no fewer.
    for (const [lookup, [table, column]] of Object.entries(LOOKUP_TABLES)) {
      const { rows } = await ctx.owner.pool.query<{ n: number }>(
        `select count(*)::int as n
           from (select ${column}::text as key, tenant_id, id from ${table} where ${column} is not null) t
           full join ${lookup} l using (key, tenant_id, id)
          where t.key is null or l.key is null`,
      );
      expect(rows[0]?.n, lookup).toBe(0);
    }
  });
});
