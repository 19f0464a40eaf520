/**
 * The tracking benchmark's own database (techmarket_bench_tracking unless BENCH_TRACKING_DB_NAME says otherwise):
 * 50 shops, 3 of them hot, with branches that have a WhatsApp number and business hours, sellers, listings,
 * campaigns, and a history of contacts and leads for the new leads' indexes to live next to. Seeded in SQL as the
 * owner, once; later runs reuse it (the leads the benchmark itself creates stay and make the tables grow).
 */
import pg from 'pg';
import { runMigrations } from '../src/platform/db';

/** Bump when the shape of the seeded data changes: an older bench database is then rebuilt. */
export const TRACKING_SEED_VERSION = '1';

export interface TrackingPlan {
  tenants: number;
  /** The first `hotTenants` tenants get `hotShare` of the traffic between them; the rest share what is left. */
  hotTenants: number;
  hotShare: number;
  /** Past leads (one contact each) of a hot tenant, and of every other tenant. */
  hotHistory: number;
  coldHistory: number;
}

export const defaultTrackingPlan: TrackingPlan = {
  tenants: 50,
  hotTenants: 3,
  hotShare: 0.5,
  hotHistory: 40_000,
  coldHistory: 2_000,
};

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};
const databaseOf = (url: string) =>
  decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function isSeeded(url: string, plan: TrackingPlan): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query<{ present: boolean }>(
      `select to_regclass('bench.meta') is not null as present`,
    );
    if (!exists.rows[0]?.present) return false;
    const meta = await client.query<{ key: string; value: string }>('select key, value from bench.meta');
    const values = new Map(meta.rows.map((row) => [row.key, row.value]));
    return (
      values.get('seed_version') === TRACKING_SEED_VERSION && values.get('plan') === JSON.stringify(plan)
    );
  } finally {
    await client.end();
  }
}

export async function ensureTrackingDatabase(options: {
  serverUrl: string;
  name: string;
  reseed: boolean;
  plan: TrackingPlan;
  log: (line: string) => void;
}): Promise<{ url: string; seedSeconds: number | null }> {
  const { serverUrl, name, reseed, plan, log } = options;
  const benchUrl = withDatabase(serverUrl, name);
  const adminUrl = databaseOf(serverUrl) === name ? withDatabase(serverUrl, 'postgres') : serverUrl;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount && !reseed && (await isSeeded(benchUrl, plan))) {
      log(`reusing the seeded database ${name} (BENCH_RESEED=1 rebuilds it)`);
      await runMigrations(benchUrl);
      return { url: benchUrl, seedSeconds: null };
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
  return { url: benchUrl, seedSeconds };
}

const setupSql = `
create schema bench;
create table bench.meta (key text primary key, value text not null);
create table bench.tenant_plan (no integer primary key, id uuid not null, history integer not null,
                                branch_count integer not null, listing_count integer not null);
create function bench.uid(key text) returns uuid language sql immutable parallel safe
  as $$ select overlay(overlay(md5(key) placing '4' from 13) placing '8' from 17)::uuid $$;
`;

/** Hot tenants have 3 branches and 400 listings; the others 1 to 3 branches and 40 to 200 listings. */
const planSql = `
insert into bench.tenant_plan (no, id, history, branch_count, listing_count)
select no, bench.uid('tenant-' || no),
       case when no <= $2::int then $3::int else $4::int end,
       case when no <= $2::int then 3 else 1 + no % 3 end,
       case when no <= $2::int then 400 else 40 + (no * 37) % 160 end
from generate_series(1, $1::int) no
`;

const countries = `(array['PE','MX','CO','CL','BR'])`;
const zones = `(array['America/Lima','America/Mexico_City','America/Bogota','America/Santiago','America/Sao_Paulo'])`;

const tenantsSql = `
insert into tenant (id, name, slug, default_currency, timezone, created_at, updated_at)
select p.id, 'Tracking Shop ' || p.no, 'tracking-shop-' || p.no,
       (array['PEN','MXN','COP','CLP','BRL'])[1 + p.no % 5], ${zones}[1 + p.no % 5], now() - interval '400 days', now() - interval '400 days'
from bench.tenant_plan p
`;

/**
 * Branch 1 of every shop is open around the clock (its clicks find sellers on shift); branches 2 and 3 keep shop
 * hours in their own time zone, so depending on the hour of the run some of their leads go to an off-shift seller.
 */
const branchesSql = `
insert into branch (id, tenant_id, name, whatsapp_phone, country_code, zone, timezone, business_hours, created_at, updated_at)
select bench.uid('branch-' || p.no || '-' || k), p.id, 'Sede ' || k,
       '+519' || lpad((p.no * 10 + k)::text, 8, '0'), ${countries}[1 + p.no % 5], 'Zona ' || k, ${zones}[1 + p.no % 5],
       case when k = 1 then
         '{"mon":[{"open":"00:00","close":"23:59"}],"tue":[{"open":"00:00","close":"23:59"}],"wed":[{"open":"00:00","close":"23:59"}],"thu":[{"open":"00:00","close":"23:59"}],"fri":[{"open":"00:00","close":"23:59"}],"sat":[{"open":"00:00","close":"23:59"}],"sun":[{"open":"00:00","close":"23:59"}]}'::jsonb
       else
         '{"mon":[{"open":"09:00","close":"19:00"}],"tue":[{"open":"09:00","close":"19:00"}],"wed":[{"open":"09:00","close":"19:00"}],"thu":[{"open":"09:00","close":"19:00"}],"fri":[{"open":"09:00","close":"19:00"}],"sat":[{"open":"10:00","close":"14:00"}]}'::jsonb
       end,
       now() - interval '400 days', now() - interval '400 days'
from bench.tenant_plan p cross join lateral generate_series(1, p.branch_count) k
`;

/**
 * Per branch: 3 active sellers with a password (one of them has switched availability off), 1 deactivated seller
 * and 1 invited seller who never set a password; an OWNER per shop. The hash is a placeholder: nobody logs in.
 */
const usersSql = `
insert into app_user (id, tenant_id, email, name, role, password_hash, active, available, created_at, updated_at)
select bench.uid('seller-' || p.no || '-' || k || '-' || s), p.id,
       'seller-' || p.no || '-' || k || '-' || s || '@tracking.bench.test', 'Vendedor ' || k || '-' || s, 'SELLER'::user_role,
       case when s = 5 then null else '$argon2id$bench-placeholder' end,
       s <> 4, s <> 3, now() - interval '400 days', now() - interval '400 days'
from bench.tenant_plan p cross join lateral generate_series(1, p.branch_count) k cross join generate_series(1, 5) s
union all
select bench.uid('owner-' || p.no), p.id, 'owner-' || p.no || '@tracking.bench.test', 'Dueño ' || p.no, 'OWNER'::user_role,
       '$argon2id$bench-placeholder', true, true, now() - interval '400 days', now() - interval '400 days'
from bench.tenant_plan p
`;

const userBranchesSql = `
insert into user_branch (tenant_id, user_id, branch_id)
select p.id, bench.uid('seller-' || p.no || '-' || k || '-' || s), bench.uid('branch-' || p.no || '-' || k)
from bench.tenant_plan p cross join lateral generate_series(1, p.branch_count) k cross join generate_series(1, 5) s
`;

const listingsSql = `
insert into listing (id, tenant_id, branch_id, title, category, price, currency, stock, sku, created_at, updated_at)
select bench.uid('listing-' || p.no || '-' || n), p.id, bench.uid('branch-' || p.no || '-' || (1 + n % p.branch_count)),
       (array['Laptop','Monitor','Celular','Tablet','Audífonos','Teclado','Impresora','Router'])[1 + n % 8] || ' modelo ' || n,
       (array['laptops','monitors','phones','tablets','audio','peripherals','printers','networking'])[1 + n % 8],
       19900 + (n * 7919) % 500000, (array['PEN','MXN','COP','CLP','BRL'])[1 + p.no % 5], n % 25, 'SKU-' || n,
       now() - interval '200 days', now() - interval '200 days'
from bench.tenant_plan p cross join lateral generate_series(1, p.listing_count) n
`;

const campaignsSql = `
insert into campaign (id, tenant_id, name, type, status, start_at, created_at, updated_at)
select bench.uid('campaign-' || p.no || '-' || n), p.id, 'Campaña ' || n, 'CATEGORY'::campaign_type, 'ACTIVE'::campaign_status,
       now() - interval '30 days', now() - interval '30 days', now() - interval '30 days'
from bench.tenant_plan p cross join generate_series(1, 2) n
`;

/**
 * The history: one contact per past lead, created over the last 180 days (denser towards now), known by a visitor
 * id, 40% of them also by a marketplace user id, 20% by a phone. Leads of the last 7 days are mostly open, older
 * ones mostly closed. Each lead has its CREATED and WHATSAPP_CLICK events.
 */
const historySql = `
create temporary table history as
select p.no, p.id as tenant_id, g, p.branch_count,
       bench.uid('contact-' || p.no || '-' || g) as contact_id, bench.uid('lead-' || p.no || '-' || g) as lead_id,
       now() - interval '180 days' * power(1 - (g - 0.5) / p.history, 1.5) as created_at,
       180 * power(1 - (g - 0.5) / p.history, 1.5) as age_days,
       random() as r1, random() as r2
from bench.tenant_plan p cross join lateral generate_series(1, p.history) g;

insert into contact (id, tenant_id, marketplace_user_id, visitor_id, name, phone, created_at, updated_at)
select contact_id, tenant_id, case when g % 5 < 2 then 'seed-u-' || no || '-' || g end, 'seed-v-' || no || '-' || g,
       case when g % 5 = 0 then 'Cliente ' || no || '-' || g end,
       case when g % 5 = 0 then '+519' || lpad(((no::bigint * 1000003 + g) % 100000000)::text, 8, '0') end,
       created_at, created_at
from history;

insert into lead (id, tenant_id, branch_id, customer_user_id, contact_id, status, source, priority, listing_id,
                  assigned_to_user_id, ref_code, status_changed_at, last_activity_at, created_at, updated_at)
select lead_id, tenant_id, bench.uid('branch-' || no || '-' || (1 + g % branch_count)),
       case when g % 5 < 2 then 'seed-u-' || no || '-' || g end, contact_id,
       (case when age_days < 7 then case when r1 < 0.6 then 'NEW' when r1 < 0.9 then 'CONTACTED' else 'QUALIFIED' end
             else case when r1 < 0.1 then 'CONTACTED' when r1 < 0.2 then 'QUOTED' when r1 < 0.5 then 'WON'
                       when r1 < 0.85 then 'LOST' else 'DORMANT' end end)::lead_status,
       (case when r2 < 0.6 then 'LISTING' when r2 < 0.8 then 'WHATSAPP' when r2 < 0.9 then 'CAMPAIGN' else 'MAP' end)::lead_source,
       'MEDIUM', bench.uid('listing-' || no || '-' || (1 + g % 40)),
       bench.uid('seller-' || no || '-' || (1 + g % branch_count) || '-' || (1 + g % 3)),
       upper(substr(md5('ref-' || no || '-' || g), 1, 10)),
       created_at, created_at, created_at, created_at
from history;

insert into lead_event (id, tenant_id, lead_id, type, payload, created_at)
select bench.uid('event-created-' || no || '-' || g), tenant_id, lead_id, 'CREATED', '{"source":"LISTING"}'::jsonb, created_at
from history
union all
select bench.uid('event-click-' || no || '-' || g), tenant_id, lead_id, 'WHATSAPP_CLICK', '{"source":"LISTING"}'::jsonb, created_at
from history;
`;

async function seed(url: string, plan: TrackingPlan, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const step = async (label: string, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  try {
    // Superusers may skip the foreign-key triggers while bulk loading generated, consistent rows.
    await client
      .query(`set session_replication_role = replica`)
      .then(() => true)
      .catch(() => false);
    await client.query(`select setseed(0.42)`);
    await step('schema', () => client.query(setupSql));
    await step(`${plan.tenants} tenants, branches, users, listings, campaigns`, async () => {
      await client.query(planSql, [plan.tenants, plan.hotTenants, plan.hotHistory, plan.coldHistory]);
      for (const statement of [tenantsSql, branchesSql, usersSql, userBranchesSql, listingsSql, campaignsSql])
        await client.query(statement);
    });
    await step('history of contacts, leads and events', () => client.query(historySql));
    await step('vacuum analyze', () => client.query('vacuum analyze'));
    await client.query(`insert into bench.meta (key, value) values ($1, $2), ($3, $4)`, [
      'seed_version',
      TRACKING_SEED_VERSION,
      'plan',
      JSON.stringify(plan),
    ]);
  } finally {
    await client.end();
  }
}
