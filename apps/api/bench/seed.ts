import pg from 'pg';
import { runMigrations } from '../src/platform/db';

/** Bump when the shape of the seeded data changes: an older bench database is then rebuilt. */
export const SEED_VERSION = '1';

export interface SeedPlan {
  tenants: number;
  bigTenants: number;
  bigTenantLeads: number;
  totalLeads: number;
}

export const defaultPlan: SeedPlan = {
  tenants: 2000,
  bigTenants: 5,
  bigTenantLeads: 50_000,
  totalLeads: 1_000_000,
};

/**
 * Leads per tenant: `bigTenants` tenants of `bigTenantLeads`, then a power-law long tail (rank^-0.8) that shares
 * the rest, so the largest small tenant has about 40,000 leads and the smallest about a hundred.
 */
export function leadCounts(plan: SeedPlan): number[] {
  const rest = plan.totalLeads - plan.bigTenants * plan.bigTenantLeads;
  const tail = plan.tenants - plan.bigTenants;
  const weights = Array.from({ length: tail }, (_, i) => (i + 1) ** -0.8);
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(1, Math.floor((rest * w) / sum)));
  const assigned = counts.reduce((a, b) => a + b, 0);
  if (counts.length > 0) counts[0] = (counts[0] ?? 0) + (rest - assigned);
  return [...Array.from({ length: plan.bigTenants }, () => plan.bigTenantLeads), ...counts];
}

export interface BenchDatabase {
  url: string;
  /** True when this run seeded it; false when an already seeded database was reused. */
  seeded: boolean;
  seedSeconds: number | null;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const databaseOf = (url: string) =>
  decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function isSeeded(url: string, plan: SeedPlan): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query<{ present: boolean }>(
      `select to_regclass('bench.meta') is not null as present`,
    );
    if (!exists.rows[0]?.present) return false;
    const meta = await client.query<{ key: string; value: string }>('select key, value from bench.meta');
    const values = new Map(meta.rows.map((row) => [row.key, row.value]));
    return values.get('seed_version') === SEED_VERSION && values.get('plan') === JSON.stringify(plan);
  } finally {
    await client.end();
  }
}

/**
 * Makes sure the bench database exists, is migrated and seeded. It lives next to the server's other databases
 * (named `techmarket_bench` unless BENCH_DB_NAME says otherwise) and is reused while its marker matches the plan.
 */
export async function ensureBenchDatabase(options: {
  serverUrl: string;
  name: string;
  reseed: boolean;
  plan: SeedPlan;
  log: (line: string) => void;
}): Promise<BenchDatabase> {
  const { serverUrl, name, reseed, plan, log } = options;
  const benchUrl = withDatabase(serverUrl, name);
  const adminUrl = databaseOf(serverUrl) === name ? withDatabase(serverUrl, 'postgres') : serverUrl;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount && !reseed && (await isSeeded(benchUrl, plan))) {
      log(`reusing the seeded database ${name} (BENCH_RESEED=1 rebuilds it)`);
      await runMigrations(benchUrl); // a migration committed since the seeding applies to the seeded data
      return { url: benchUrl, seeded: false, seedSeconds: null };
    }
    if (found.rowCount) {
      log(`dropping database ${name}`);
      await admin.query(`drop database ${quoteIdent(name)} with (force)`);
    }
    await admin.query(`create database ${quoteIdent(name)}`);
  } finally {
    await admin.end();
  }

  log(`migrating ${name}`);
  await runMigrations(benchUrl);
  const started = performance.now();
  await seed(benchUrl, plan, log);
  const seedSeconds = (performance.now() - started) / 1000;
  log(`seeded in ${seedSeconds.toFixed(1)} s`);
  return { url: benchUrl, seeded: true, seedSeconds };
}

/** Deterministic, valid (version 4, RFC 9562 variant) UUIDs from a text key, so ids can be computed, not looked up. */
const setupSql = `
create schema bench;
create table bench.meta (key text primary key, value text not null);
create table bench.tenant_plan (
  no integer primary key,
  id uuid not null,
  lead_count integer not null,
  branch_count integer not null
);
create function bench.uid(key text) returns uuid language sql immutable parallel safe
  as $$ select overlay(overlay(md5(key) placing '4' from 13) placing '8' from 17)::uuid $$;
`;

const tenantPlanSql = `
insert into bench.tenant_plan (no, id, lead_count, branch_count)
select u.no, bench.uid('tenant-' || u.no), u.cnt, case when u.cnt >= 20000 then 3 else 1 + u.no % 3 end
from unnest($1::int[]) with ordinality as u(cnt, no)
`;

const tenantsSql = `
insert into tenant (id, name, slug, default_currency, timezone, created_at, updated_at)
select p.id, 'Bench Shop ' || p.no, 'bench-shop-' || p.no,
       (array['PEN','MXN','COP','CLP','BRL'])[1 + p.no % 5],
       (array['America/Lima','America/Mexico_City','America/Bogota','America/Santiago','America/Sao_Paulo'])[1 + p.no % 5],
       $1::timestamptz - interval '400 days', $1::timestamptz - interval '400 days'
from bench.tenant_plan p
`;

const branchesSql = `
insert into branch (id, tenant_id, name, whatsapp_phone, country_code, zone, timezone, business_hours, created_at, updated_at)
select bench.uid('branch-' || p.no || '-' || k), p.id, 'Sede ' || k,
       '+519' || lpad((p.no * 10 + k)::text, 8, '0'), 'PE', 'Zona ' || k, 'America/Lima',
       '{"mon":[{"open":"09:00","close":"19:00"}],"tue":[{"open":"09:00","close":"19:00"}],"wed":[{"open":"09:00","close":"19:00"}],"thu":[{"open":"09:00","close":"19:00"}],"fri":[{"open":"09:00","close":"19:00"}],"sat":[{"open":"10:00","close":"14:00"}]}'::jsonb,
       $1::timestamptz - interval '400 days', $1::timestamptz - interval '400 days'
from bench.tenant_plan p cross join lateral generate_series(1, p.branch_count) k
`;

/**
 * Lead g of a tenant of n leads was created at age 365 days * (1 - (g - 0.5) / n)^1.5 before the seed time:
 * newer leads are denser, as in a growing shop. The contact of lead g is created at the same instant.
 */
const createdAtSql = (tenant: string, g: string) =>
  `$1::timestamptz - interval '365 days' * power(1 - (${g} - 0.5) / ${tenant}.lead_count, 1.5)`;

const contactsSql = `
insert into contact (id, tenant_id, marketplace_user_id, name, phone, email, marketing_consent, consent_at,
                     consent_source, created_at, updated_at)
select bench.uid('contact-' || p.no || '-' || g), p.id,
       case when g % 5 < 2 then 'mkt-' || p.no || '-' || g end,
       'Cliente ' || p.no || '-' || g,
       '+519' || lpad(((p.no::bigint * 1000003 + g) % 100000000)::text, 8, '0'),
       case when g % 3 = 0 then 'cliente' || g || '@example.com' end,
       g % 4 = 0,
       case when g % 4 = 0 then ${createdAtSql('p', 'g')} end,
       case when g % 4 = 0 then 'whatsapp' end,
       ${createdAtSql('p', 'g')}, ${createdAtSql('p', 'g')}
from bench.tenant_plan p cross join lateral generate_series(1, p.lead_count) g;
`;

/**
 * Statuses depend on age (recent leads are mostly open, older ones mostly closed); priorities are 15% HIGH,
 * 50% MEDIUM, 35% LOW; the first branch of a tenant gets half the leads. random() is seeded: the data is repeatable.
 */
const leadsSql = `
insert into lead (id, tenant_id, branch_id, customer_user_id, contact_id, status, source, priority, lead_type,
                  lost_reason, first_response_at, status_changed_at, last_activity_at, created_at, updated_at, version)
select s.id, s.tenant_id, s.branch_id, s.customer_user_id, s.contact_id, s.status::lead_status, s.source::lead_source,
       s.priority::lead_priority, s.lead_type::lead_type,
       case when s.status = 'LOST' then (array['PRICE','STOCK','NO_RESPONSE','COMPETITOR','OTHER'])[1 + floor(s.r4 * 5)::int]::lost_reason end,
       case when s.status <> 'NEW' then s.created_at + interval '3 hours' * s.r4 end,
       case when s.status = 'NEW' then s.created_at else s.created_at + ($1::timestamptz - s.created_at) * 0.3 * s.r5 end,
       case when s.status = 'NEW' then s.created_at else s.created_at + ($1::timestamptz - s.created_at) * 0.4 * s.r5 end,
       s.created_at,
       case when s.status = 'NEW' then s.created_at else s.created_at + ($1::timestamptz - s.created_at) * 0.4 * s.r5 end,
       case when s.status = 'NEW' then 1 else 2 + floor(s.r4 * 3)::int end
from (
  select r.*,
         case when r.age_days < 3 then
                case when r.r1 < 0.6 then 'NEW' when r.r1 < 0.9 then 'CONTACTED' else 'QUALIFIED' end
              else
                case when r.r1 < 0.05 then 'NEW' when r.r1 < 0.15 then 'CONTACTED' when r.r1 < 0.23 then 'QUALIFIED'
                     when r.r1 < 0.30 then 'QUOTED' when r.r1 < 0.55 then 'WON' when r.r1 < 0.85 then 'LOST'
                     else 'DORMANT' end
         end as status,
         case when r.r2 < 0.15 then 'HIGH' when r.r2 < 0.65 then 'MEDIUM' else 'LOW' end as priority,
         case when r.r3 < 0.35 then 'WHATSAPP' when r.r3 < 0.60 then 'LISTING' when r.r3 < 0.75 then 'MAP'
              when r.r3 < 0.85 then 'FEED' when r.r3 < 0.95 then 'CAMPAIGN' else 'MANUAL' end as source,
         case when r.r7 < 0.80 then 'SALE' when r.r7 < 0.95 then 'SERVICE' end as lead_type,
         bench.uid('branch-' || r.no || '-' ||
           case when r.branch_count = 1 or r.r6 < 0.5 then 1 when r.branch_count = 2 or r.r6 < 0.8 then 2 else 3 end
         ) as branch_id
  from (
    select bench.uid('lead-' || p.no || '-' || g) as id, p.id as tenant_id, p.no, p.branch_count,
           bench.uid('contact-' || p.no || '-' || g) as contact_id,
           case when g % 5 < 2 then 'mkt-' || p.no || '-' || g end as customer_user_id,
           ${createdAtSql('p', 'g')} as created_at,
           365 * power(1 - (g - 0.5) / p.lead_count, 1.5) as age_days,
           random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6,
           random() as r7
    from bench.tenant_plan p cross join lateral generate_series(1, p.lead_count) g
  ) r
) s;
`;

async function seed(url: string, plan: SeedPlan, log: (line: string) => void): Promise<void> {
  const counts = leadCounts(plan);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const step = async (label: string, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  try {
    const { rows } = await client.query<{ now: string }>(
      `select to_char(date_trunc('second', now()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as now`,
    );
    const seededAt = rows[0]?.now ?? new Date().toISOString();
    // Superusers may skip the foreign-key triggers while bulk loading generated, consistent rows.
    const replica = await client
      .query(`set session_replication_role = replica`)
      .then(() => true)
      .catch(() => false);
    await client.query(`set maintenance_work_mem = '256MB'`);
    await client.query(`select setseed(0.42)`);
    await step('schema', () => client.query(setupSql));
    await step(`${plan.tenants} tenants and their branches`, () =>
      client
        .query(tenantPlanSql, [counts])
        .then(() => client.query(tenantsSql, [seededAt]))
        .then(() => client.query(branchesSql, [seededAt])),
    );
    // The non-unique inbox indexes are built once after the load: cheaper than maintaining them row by row.
    const indexes = await client.query<{ name: string; def: string }>(
      `select i.indexname as name, i.indexdef as def
         from pg_indexes i
        where i.schemaname = 'public' and i.tablename in ('lead', 'contact')
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    );
    await step(`drop ${indexes.rowCount} secondary indexes`, () =>
      client.query(indexes.rows.map((index) => `drop index ${quoteIdent(index.name)};`).join('\n')),
    );
    await step(`${plan.totalLeads.toLocaleString('en-US')} contacts`, () =>
      client.query(contactsSql, [seededAt]),
    );
    await step(
      `${plan.totalLeads.toLocaleString('en-US')} leads${replica ? ' (foreign-key triggers off)' : ''}`,
      () => client.query(leadsSql, [seededAt]),
    );
    await step('rebuild secondary indexes', async () => {
      for (const index of indexes.rows) await client.query(index.def);
    });
    await step('vacuum analyze', () => client.query('vacuum (analyze) tenant, branch, contact, lead'));
    await client.query(`insert into bench.meta (key, value) values ($1, $2), ($3, $4), ($5, $6)`, [
      'seed_version',
      SEED_VERSION,
      'plan',
      JSON.stringify(plan),
      'seeded_at',
      seededAt,
    ]);
  } finally {
    await client.end();
  }
}
