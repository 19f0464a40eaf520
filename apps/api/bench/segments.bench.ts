/**
 * `npm run bench:segments`: the campaign segment preview (POST /tenants/{tenantId}/segments/preview, count and a
 * sample) for each rule of the segment language and a few combinations, next to the same count written by hand
 * in plain SQL. See docs/benchmarks.md.
 *
 * The preview is called through the segments service the way the route calls it: through the app's pool, as
 * `crm_app` under row-level security, one transaction per call. The baseline is the count alone (no sample), as
 * one would write it by hand, run as the owner (no RLS, no ORM) in autocommit, with JIT off like the preview; the
 * bench checks that both count the same members. Each side gets two warm-up calls, then seven calls alternating
 * with the other side's; the medians are compared. The slowest preview, and the one furthest from its baseline,
 * are then run under EXPLAIN (ANALYZE, BUFFERS) as the service sent them, next to their baselines.
 *
 * The database (`crm_bench_segments`) is dropped and rebuilt on each run, in seconds: one measured shop of
 * BENCH_CONTACTS contacts (50,000), BENCH_VIEWS listing views over 180 days (200,000) and BENCH_LEADS leads
 * (30,000) on BENCH_LISTINGS listings (400) in 3 branches, and BENCH_NOISE_SHOPS other shops (2) of the same
 * size, whose rows every tenant filter and policy has to skip. Marketplace user ids are global, so the same
 * customer is a contact of several shops, as on the marketplace.
 */
import os from 'node:os';
import type { SegmentRule } from '@techmarket/contracts';
import { segmentSchema } from '@techmarket/contracts';
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createSegmentsService } from '../src/modules/campaigns';
import { ensureAppLogin } from '../src/platform/app-login';
import type { Clock } from '../src/platform/clock';
import { createDatabase, runMigrations, type Tx } from '../src/platform/db';
import { intEnv, percentile, recreateDatabase } from './harness';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'crm_bench_segments';
const CONTACTS = intEnv('BENCH_CONTACTS', 50_000);
const VIEWS = intEnv('BENCH_VIEWS', 200_000);
const LEADS = intEnv('BENCH_LEADS', 30_000);
const LISTINGS = intEnv('BENCH_LISTINGS', 400);
const NOISE_SHOPS = intEnv('BENCH_NOISE_SHOPS', 2);
const WARMUPS = 2;
const RUNS = 7;
/** A prime above the contacts of a shop: `g * 7919 mod USER_POOL` gives each contact its own marketplace user. */
const USER_POOL = 200_003;
if (CONTACTS >= USER_POOL) throw new Error(`BENCH_CONTACTS must be under ${USER_POOL}`);

const CATEGORIES = [
  'Celulares',
  'Laptops',
  'Accesorios',
  'Monitores',
  'Audio',
  'Tablets',
  'Impresoras',
  'Componentes',
  'Redes',
  'Gaming',
];
/** Branch zones: the measured shop's three, and the noise shops' two (one zone name shared with it). */
const MEASURED_ZONES = ['Lima Centro', 'Lima Sur', 'Arequipa'];
const NOISE_ZONES = ['Lima Centro', 'Lima Norte'];

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () => os.loadavg().map((l) => l.toFixed(2));

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  log(`  ${label}: ${seconds(performance.now() - started)}`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding, in SQL as the owner. random() is seeded, so the data is the same on every run.

const setupSql = `
create schema bench;
create function bench.uid(key text) returns uuid language sql immutable parallel safe
  as $$ select overlay(overlay(md5(key) placing '4' from 13) placing '8' from 17)::uuid $$;
create table bench.shop (no integer primary key, id uuid not null, zones text[] not null);
`;

/** Shop 1 is measured; the others are noise. Then their tenants, branches (one per zone) and listings. */
const shopsSql = `
insert into bench.shop (no, id, zones)
select n, bench.uid('tenant-' || n), case when n = 1 then $2::text[] else $3::text[] end
from generate_series(1, 1 + $1::int) n
`;

const tenantsSql = `
insert into tenant (id, name, slug, timezone, created_at, updated_at)
select s.id, 'Bench Shop ' || s.no, 'bench-segments-' || s.no, 'America/Lima', $1::timestamptz - interval '400 days',
       $1::timestamptz - interval '400 days'
from bench.shop s
`;

const branchesSql = `
insert into branch (id, tenant_id, name, whatsapp_phone, country_code, zone, timezone, business_hours, created_at, updated_at)
select bench.uid('branch-' || s.no || '-' || z.k), s.id, 'Sede ' || z.zone, '+5190' || lpad((s.no * 10 + z.k)::text, 7, '0'),
       'PE', z.zone, 'America/Lima', '{}'::jsonb, $1::timestamptz - interval '400 days', $1::timestamptz - interval '400 days'
from bench.shop s cross join lateral unnest(s.zones) with ordinality as z(zone, k)
`;

/** Listing k of a shop is of category k mod 10, at branch k mod its branches. */
const listingsSql = `
insert into listing (id, tenant_id, branch_id, title, category, price, currency, stock, sku, created_at, updated_at)
select bench.uid('listing-' || s.no || '-' || k), s.id,
       bench.uid('branch-' || s.no || '-' || (1 + k % cardinality(s.zones))),
       ($2::text[])[1 + (k - 1) % cardinality($2::text[])] || ' modelo ' || k,
       ($2::text[])[1 + (k - 1) % cardinality($2::text[])],
       10000 + (k * 7919) % 500000, 'PEN', k % 20, 'SKU-' || k,
       $1::timestamptz - interval '400 days', $1::timestamptz - interval '400 days'
from bench.shop s cross join generate_series(1, $3::int) k
`;

/**
 * Contact g of a shop: 45% have a marketplace user id (g % 20 in 1..9; global ids, so shops share customers),
 * 30% an anonymous visitor id (g % 10 in 7..9), some both; 35% gave marketing consent, 3% gave it and opted out
 * since (opting out clears the consent, as the service does). Newer contacts are denser.
 */
const contactsSql = `
insert into contact (id, tenant_id, marketplace_user_id, visitor_id, name, phone, email, marketing_consent,
                     consent_at, consent_source, opted_out_at, created_at, updated_at)
select bench.uid('contact-' || r.no || '-' || r.g), r.id,
       case when r.g % 20 between 1 and 9 then 'mu-' || ((r.g::bigint * 7919 + r.no * 104729) % ${USER_POOL}) end,
       case when r.g % 10 >= 7 then 'v-' || r.no || '-' || r.g end,
       'Cliente ' || r.no || '-' || r.g,
       '+519' || lpad(((r.no::bigint * 1000003 + r.g) % 100000000)::text, 8, '0'),
       case when r.g % 3 = 0 then 'cliente' || r.g || '@example.com' end,
       r.r1 < 0.35,
       case when r.r1 < 0.38 then r.created_at + ($1::timestamptz - r.created_at) * 0.2 * r.r2 end,
       case when r.r1 < 0.38 then (array['whatsapp', 'in store', 'marketplace checkbox'])[1 + r.g % 3] end,
       case when r.r1 >= 0.35 and r.r1 < 0.38 then r.created_at + ($1::timestamptz - r.created_at) * (0.2 + 0.8 * r.r2) end,
       r.created_at, r.created_at
from (
  select s.no, s.id, g, random() as r1, random() as r2,
         $1::timestamptz - interval '400 days' * power(1 - (g - 0.5) / $2::int, 1.5) as created_at
  from bench.shop s cross join generate_series(1, $2::int) g
) r;
`;

/**
 * Views over the last 180 days, skewed to popular listings (listing k with weight about k^-0.6). 45% are by
 * logged-in users, 60% of them customers the shop has as contacts; the rest are anonymous visitors, 30% of them
 * with a visitor id a contact carries.
 */
const viewsSql = `
insert into listing_view (tenant_id, listing_id, marketplace_user_id, visitor_id, created_at)
select r.id, bench.uid('listing-' || r.no || '-' || r.k),
       case when r.r1 < 0.45 then 'mu-' ||
         case when r.r2 < 0.6 then ((20 * floor(r.r3 * $3::int)::bigint + 1 + floor(r.r4 * 9)::bigint) * 7919 + r.no * 104729) % ${USER_POOL}
              else floor(r.r3 * ${USER_POOL})::bigint end
       end,
       case when r.r1 >= 0.45 then
         case when r.r2 < 0.3 then 'v-' || r.no || '-' || (10 * floor(r.r3 * $4::int)::bigint + 7 + floor(r.r4 * 3)::bigint)
              else 'v-anon-' || floor(r.r3 * 10000000)::bigint end
       end,
       $1::timestamptz - interval '180 days' * r.r5
from (
  select s.no, s.id, 1 + floor($5::int * power(random(), 2.5))::int as k,
         random() as r1, random() as r2, random() as r3, random() as r4, random() as r5
  from bench.shop s cross join generate_series(1, $2::int) g
) r;
`;

/**
 * Leads over the last year on random contacts, 75% on a listing (skewed like the views, at the listing's
 * branch), the rest at a random branch. Statuses: 22% open, 25% WON, 33% LOST (35% PRICE, 15% STOCK,
 * 25% NO_RESPONSE, 15% COMPETITOR, 10% OTHER), 20% DORMANT; a closed lead changed status some time after it came.
 */
const leadsSql = `
insert into lead (id, tenant_id, branch_id, contact_id, listing_id, status, source, lost_reason, first_response_at,
                  status_changed_at, last_activity_at, created_at, updated_at, version)
select bench.uid('lead-' || s.no || '-' || s.g), s.id, s.branch_id, bench.uid('contact-' || s.no || '-' || s.contact_g),
       s.listing_id, s.status::lead_status, case when s.listing_id is null then 'WHATSAPP' else 'LISTING' end::lead_source,
       case when s.status = 'LOST' then
         (case when s.r4 < 0.35 then 'PRICE' when s.r4 < 0.50 then 'STOCK' when s.r4 < 0.75 then 'NO_RESPONSE'
               when s.r4 < 0.90 then 'COMPETITOR' else 'OTHER' end)::lost_reason end,
       case when s.status <> 'NEW' then s.created_at + interval '2 hours' * s.r5 end,
       s.changed_at, s.changed_at, s.created_at, s.changed_at, case when s.status = 'NEW' then 1 else 2 end
from (
  select r.*,
         case when r.r1 < 0.06 then 'NEW' when r.r1 < 0.12 then 'CONTACTED' when r.r1 < 0.17 then 'QUALIFIED'
              when r.r1 < 0.22 then 'QUOTED' when r.r1 < 0.47 then 'WON' when r.r1 < 0.80 then 'LOST'
              else 'DORMANT' end as status,
         case when r.r1 < 0.06 then r.created_at else r.created_at + ($1::timestamptz - r.created_at) * 0.5 * r.r5 end
           as changed_at,
         case when r.k is null then null else bench.uid('listing-' || r.no || '-' || r.k) end as listing_id,
         bench.uid('branch-' || r.no || '-' ||
           case when r.k is null then 1 + floor(r.r6 * r.branches)::int else 1 + r.k % r.branches end) as branch_id
  from (
    select s.no, s.id, g, cardinality(s.zones) as branches,
           1 + floor(random() * $3::int)::int as contact_g,
           case when random() < 0.75 then 1 + floor($4::int * power(random(), 2.5))::int end as k,
           $1::timestamptz - interval '365 days' * random() as created_at,
           random() as r1, random() as r4, random() as r5, random() as r6
    from bench.shop s cross join generate_series(1, $2::int) g
  ) r
) s;
`;

async function seed(owner: pg.Pool, seededAt: string) {
  await owner.query('select setseed(0.42)');
  await timed('schema, shops, branches, listings', async () => {
    await owner.query(setupSql);
    await owner.query(shopsSql, [NOISE_SHOPS, MEASURED_ZONES, NOISE_ZONES]);
    await owner.query(tenantsSql, [seededAt]);
    await owner.query(branchesSql, [seededAt]);
    await owner.query(listingsSql, [seededAt, CATEGORIES, LISTINGS]);
  });
  const shops = 1 + NOISE_SHOPS;
  const n = (count: number) => (count * shops).toLocaleString('en-US');
  await timed(`${n(CONTACTS)} contacts`, () => owner.query(contactsSql, [seededAt, CONTACTS]));
  // How many contacts carry a user id (g = 20j + 1..9) and a visitor id (g = 10j + 7..9): the j a view may pick.
  const userBlocks = Math.floor((CONTACTS - 9) / 20) + 1;
  const visitorBlocks = Math.floor((CONTACTS - 9) / 10) + 1;
  await timed(`${n(VIEWS)} listing views`, () =>
    owner.query(viewsSql, [seededAt, VIEWS, userBlocks, visitorBlocks, LISTINGS]),
  );
  await timed(`${n(LEADS)} leads`, () => owner.query(leadsSql, [seededAt, LEADS, CONTACTS, LISTINGS]));
  await timed('vacuum analyze', () =>
    owner.query('vacuum (analyze) tenant, branch, listing, contact, listing_view, lead'),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The scenarios: a segment for the preview, and the same count by hand

interface Shop {
  tenantId: string;
  /** The listing with the most views. */
  topListing: string;
  branchIds: string[];
}

interface Scenario {
  label: string;
  /** The rules as a request body carries them: parsed by segmentSchema, as the route parses them. */
  rules: unknown[];
  baseline: pg.QueryConfig;
}

const DAY_MS = 86_400_000;

/**
 * The contacts ($1's) who viewed one of `listings` (a FROM item aliased li) since $3, matched by marketplace user
 * id or visitor id; `contactFilter` narrows the contacts (c).
 */
const viewersOf = (listings: string, contactFilter = '') => `
  select c.id from listing_view v join ${listings} on li.tenant_id = v.tenant_id and li.id = v.listing_id
    join contact c on c.tenant_id = v.tenant_id and c.marketplace_user_id = v.marketplace_user_id
   where v.tenant_id = $1 and v.created_at >= $3${contactFilter}
  union
  select c.id from listing_view v join ${listings} on li.tenant_id = v.tenant_id and li.id = v.listing_id
    join contact c on c.tenant_id = v.tenant_id and c.visitor_id = v.visitor_id
   where v.tenant_id = $1 and v.created_at >= $3${contactFilter}`;

const categoryListings = `(select id, tenant_id from listing where tenant_id = $1 and lower(category) = lower($2)) li`;
const oneListing = `(select $2::uuid as id, $1::uuid as tenant_id) li`;
const consented = ' and c.marketing_consent and c.opted_out_at is null';

/** No WON lead of the target since $3, for the contact m.id. */
const noWinSince = (target: string) => `
  not exists (select 1 from lead l join ${target} on li.tenant_id = l.tenant_id and li.id = l.listing_id
               where l.tenant_id = $1 and l.contact_id = m.id and l.status = 'WON' and l.status_changed_at >= $3)`;

function scenarios(shop: Shop, now: Date): Scenario[] {
  const t = shop.tenantId;
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const secondBranch = shop.branchIds[1] ?? '';
  return [
    {
      label: '(no rules): every contact',
      rules: [],
      baseline: { text: 'select count(*) from contact where tenant_id = $1', values: [t] },
    },
    {
      label: 'CONSENT',
      rules: [{ rule: 'CONSENT' }],
      baseline: {
        text: 'select count(*) from contact where tenant_id = $1 and marketing_consent and opted_out_at is null',
        values: [t],
      },
    },
    {
      label: 'DORMANT',
      rules: [{ rule: 'DORMANT' }],
      baseline: {
        text: `select count(distinct contact_id) from lead where tenant_id = $1 and status = 'DORMANT'`,
        values: [t],
      },
    },
    {
      label: 'LOST (any reason, any time)',
      rules: [{ rule: 'LOST' }],
      baseline: {
        text: `select count(distinct contact_id) from lead where tenant_id = $1 and status = 'LOST'`,
        values: [t],
      },
    },
    {
      label: 'LOST PRICE, 90 days',
      rules: [{ rule: 'LOST', reasons: ['PRICE'], withinDays: 90 }],
      baseline: {
        text: `select count(distinct contact_id) from lead
                where tenant_id = $1 and status = 'LOST' and lost_reason = 'PRICE' and status_changed_at >= $2`,
        values: [t, since(90)],
      },
    },
    {
      label: 'ZONE Lima Centro',
      rules: [{ rule: 'ZONE', zones: ['Lima Centro'] }],
      baseline: {
        text: `select count(distinct l.contact_id) from lead l
                 join branch b on b.tenant_id = l.tenant_id and b.id = l.branch_id
                where l.tenant_id = $1 and lower(b.zone) = any($2::text[])`,
        values: [t, ['lima centro']],
      },
    },
    {
      label: 'BRANCH (one of 3)',
      rules: [{ rule: 'BRANCH', branchIds: [secondBranch] }],
      baseline: {
        text: 'select count(distinct contact_id) from lead where tenant_id = $1 and branch_id = any($2::uuid[])',
        values: [t, [secondBranch]],
      },
    },
    {
      label: 'VIEWED top listing, 90 days, without win',
      rules: [{ rule: 'VIEWED', listingId: shop.topListing, withinDays: 90 }],
      baseline: {
        text: `select count(*) from (${viewersOf(oneListing)}) m where ${noWinSince(oneListing)}`,
        values: [t, shop.topListing, since(90)],
      },
    },
    {
      label: 'VIEWED Celulares, 30 days, without win',
      rules: [{ rule: 'VIEWED', category: 'Celulares', withinDays: 30 }],
      baseline: {
        text: `select count(*) from (${viewersOf(categoryListings)}) m where ${noWinSince(categoryListings)}`,
        values: [t, 'Celulares', since(30)],
      },
    },
    {
      label: 'VIEWED Laptops, 180 days (wins too)',
      rules: [{ rule: 'VIEWED', category: 'Laptops', withinDays: 180, withoutWin: false }],
      baseline: {
        text: `select count(*) from (${viewersOf(categoryListings)}) m`,
        values: [t, 'Laptops', since(180)],
      },
    },
    {
      label: 'INTERESTED_IN Celulares (any time)',
      rules: [{ rule: 'INTERESTED_IN', category: 'Celulares' }],
      baseline: {
        text: `select count(*) from (
                 select l.contact_id as id from lead l join ${categoryListings} on li.tenant_id = l.tenant_id and li.id = l.listing_id
                  where l.tenant_id = $1 and l.created_at >= $3
                 union ${viewersOf(categoryListings)}) m`,
        values: [t, 'Celulares', '-infinity'],
      },
    },
    {
      label: 'INTERESTED_IN Laptops, 30 days',
      rules: [{ rule: 'INTERESTED_IN', category: 'Laptops', withinDays: 30 }],
      baseline: {
        text: `select count(*) from (
                 select l.contact_id as id from lead l join ${categoryListings} on li.tenant_id = l.tenant_id and li.id = l.listing_id
                  where l.tenant_id = $1 and l.created_at >= $3
                 union ${viewersOf(categoryListings)}) m`,
        values: [t, 'Laptops', since(30)],
      },
    },
    {
      label: 'VIEWED Celulares 30 d without win + CONSENT',
      rules: [{ rule: 'VIEWED', category: 'Celulares', withinDays: 30 }, { rule: 'CONSENT' }],
      baseline: {
        text: `select count(*) from (${viewersOf(categoryListings, consented)}) m where ${noWinSince(categoryListings)}`,
        values: [t, 'Celulares', since(30)],
      },
    },
    {
      label: 'LOST PRICE + CONSENT',
      rules: [{ rule: 'LOST', reasons: ['PRICE'] }, { rule: 'CONSENT' }],
      baseline: {
        text: `select count(*) from contact c
                where c.tenant_id = $1${consented}
                  and exists (select 1 from lead l where l.tenant_id = $1 and l.contact_id = c.id
                                 and l.status = 'LOST' and l.lost_reason = 'PRICE')`,
        values: [t],
      },
    },
    {
      label: 'DORMANT + ZONE Lima Sur + CONSENT',
      rules: [{ rule: 'DORMANT' }, { rule: 'ZONE', zones: ['Lima Sur'] }, { rule: 'CONSENT' }],
      baseline: {
        text: `select count(*) from contact c
                where c.tenant_id = $1${consented}
                  and exists (select 1 from lead l where l.tenant_id = $1 and l.contact_id = c.id and l.status = 'DORMANT')
                  and exists (select 1 from lead l join branch b on b.tenant_id = l.tenant_id and b.id = l.branch_id
                               where l.tenant_id = $1 and l.contact_id = c.id and lower(b.zone) = any($2::text[]))`,
        values: [t, ['lima sur']],
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------

interface Outcome {
  label: string;
  members: number;
  baselineCount: number;
  preview: number[];
  sql: number[];
  rules: SegmentRule[];
  baseline: pg.QueryConfig;
}

const median = (times: number[]) => percentile(Float64Array.from(times).sort(), 0.5);
const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));

/** The transaction's statements, as the service sends them, recorded for EXPLAIN. */
function recording(tx: Tx, statements: SQL[]): Tx {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property !== 'execute') return Reflect.get(target, property, receiver);
      return (query: SQL) => {
        statements.push(query);
        return target.execute(query);
      };
    },
  });
}

async function main() {
  const started = performance.now();
  const loadBefore = load();
  const dbUrl = await recreateDatabase(adminUrl, DB_NAME);
  log(
    `segment preview bench: 1 measured shop + ${NOISE_SHOPS} noise shops, each ${CONTACTS.toLocaleString('en-US')} ` +
      `contacts, ${VIEWS.toLocaleString('en-US')} views, ${LEADS.toLocaleString('en-US')} leads, ${LISTINGS} listings`,
  );
  log(`load average before: ${loadBefore.join(', ')}`);
  await timed('migrations', () => runMigrations(dbUrl));
  // The baseline's connection: the owner (a superuser or the tables' owner: no RLS), JIT off as in the preview.
  const owner = new pg.Pool({ connectionString: dbUrl, max: 2, options: '-c TimeZone=UTC -c jit=off' });
  const database = createDatabase({ appUrl: await ensureAppLogin(dbUrl), poolSize: 2 });
  try {
    const { rows: at } = await owner.query<{ now: string }>(
      `select to_char(date_trunc('milliseconds', now()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`,
    );
    const seededAt = at[0]?.now ?? new Date().toISOString();
    const seedStarted = performance.now();
    await seed(owner, seededAt);
    const seedMs = performance.now() - seedStarted;
    log(`  seeded in ${seconds(seedMs)}`);

    // The clock stands still at the seeding instant: both sides cut the periods at the same time, so their
    // counts can be compared exactly, and every run sees the same data.
    const seededNow = new Date(seededAt);
    const clock: Clock = { now: () => seededNow };
    // The preview reads only the database and the clock.
    const segments = createSegmentsService({ database, clock });

    const { rows: shopRows } = await owner.query<{
      tenant_id: string;
      top_listing: string;
      branch_ids: string[];
    }>(
      `select s.id as tenant_id,
              (select listing_id from listing_view where tenant_id = s.id group by listing_id order by count(*) desc limit 1)
                as top_listing,
              array(select bench.uid('branch-' || s.no || '-' || k) from generate_series(1, cardinality(s.zones)) k)
                as branch_ids
         from bench.shop s where s.no = 1`,
    );
    const shopRow = shopRows[0];
    if (!shopRow) throw new Error('the measured shop was not seeded');
    const shop: Shop = {
      tenantId: shopRow.tenant_id,
      topListing: shopRow.top_listing,
      branchIds: shopRow.branch_ids,
    };
    const viewer = { kind: 'apiKey' as const, tenantId: shop.tenantId, apiKeyId: 'bench', scopes: [] };

    const outcomes: Outcome[] = [];
    const loadDuring: number[] = [];
    log(`\n${WARMUPS} warm-up calls, then ${RUNS} calls alternating preview and raw SQL, per scenario:`);
    for (const scenario of scenarios(shop, seededNow)) {
      // As the route's body schema does: the defaults (withoutWin, reasons) filled in.
      const segment = segmentSchema.parse({ rules: scenario.rules });
      const preview = () => segments.preview(viewer, shop.tenantId, segment);
      const baseline = async () => {
        const { rows } = await owner.query<{ count: string }>(scenario.baseline);
        return Number(rows[0]?.count ?? Number.NaN);
      };
      for (let i = 0; i < WARMUPS; i++) {
        await preview();
        await baseline();
      }
      const previewTimes: number[] = [];
      const sqlTimes: number[] = [];
      let members = 0;
      let baselineCount = 0;
      for (let i = 0; i < RUNS; i++) {
        let start = performance.now();
        members = (await preview()).count;
        previewTimes.push(performance.now() - start);
        start = performance.now();
        baselineCount = await baseline();
        sqlTimes.push(performance.now() - start);
      }
      loadDuring.push(os.loadavg()[0] ?? 0);
      outcomes.push({
        label: scenario.label,
        members,
        baselineCount,
        preview: previewTimes,
        sql: sqlTimes,
        rules: segment.rules,
        baseline: scenario.baseline,
      });
      log(
        `  ${scenario.label}: ${members.toLocaleString('en-US')} members${members === baselineCount ? '' : ` (raw SQL counts ${baselineCount}: MISMATCH)`}; ` +
          `preview ${ms(median(previewTimes))} ms, raw SQL ${ms(median(sqlTimes))} ms`,
      );
    }

    // The slowest preview, and the one furthest from its baseline, under EXPLAIN (ANALYZE, BUFFERS): the
    // statement the service sent, as crm_app in the tenant's transaction, then the baseline as the owner.
    const statements: SQL[] = [];
    const recorder = createSegmentsService({
      database: {
        withTenant: (tenantId, fn) => database.withTenant(tenantId, (tx) => fn(recording(tx, statements))),
      },
      clock,
    });
    const explain = async (outcome: Outcome) => {
      statements.length = 0;
      await recorder.preview(viewer, shop.tenantId, { rules: outcome.rules });
      const membersQuery = statements.at(-1);
      const preview = membersQuery
        ? await database.withTenant(shop.tenantId, async (tx) => {
            await tx.execute(sql`set local jit = off`);
            const plan = await tx.execute<{ 'QUERY PLAN': string }>(
              sql`explain (analyze, buffers) ${membersQuery}`,
            );
            return plan.rows.map((row) => row['QUERY PLAN']);
          })
        : [];
      const baseline = await owner.query<{ 'QUERY PLAN': string }>({
        text: `explain (analyze, buffers) ${outcome.baseline.text}`,
        values: outcome.baseline.values,
      });
      return { outcome, preview, baseline: baseline.rows.map((row) => row['QUERY PLAN']) };
    };
    const ratio = (o: Outcome) => median(o.preview) / median(o.sql);
    const slowest = outcomes.reduce((a, b) => (median(b.preview) > median(a.preview) ? b : a));
    const furthest = outcomes.reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
    const plans = [
      { title: 'The slowest preview', ...(await explain(slowest)) },
      ...(furthest === slowest
        ? []
        : [{ title: 'The preview furthest from its raw SQL', ...(await explain(furthest)) }]),
    ];

    const info = await owner.query<{
      version: string;
      shared_buffers: string;
      work_mem: string;
      contact: string;
      lead: string;
      listing_view: string;
    }>(
      `select current_setting('server_version') as version, current_setting('shared_buffers') as shared_buffers,
              current_setting('work_mem') as work_mem,
              pg_size_pretty(pg_total_relation_size('contact')) as contact,
              pg_size_pretty(pg_total_relation_size('lead')) as lead,
              pg_size_pretty(pg_total_relation_size('listing_view')) as listing_view`,
    );
    const server = info.rows[0];
    const cpus = os.cpus();

    log(`\n## Results\n`);
    log(
      `Machine: ${os.availableParallelism()} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
        `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, Node ${process.version}, PostgreSQL ${server?.version} ` +
        `(shared_buffers ${server?.shared_buffers}, work_mem ${server?.work_mem}), ${os.type()} ${os.release()}.`,
    );
    log(
      `Tables with indexes, all ${1 + NOISE_SHOPS} shops: contact ${server?.contact}, lead ${server?.lead}, ` +
        `listing_view ${server?.listing_view}. Seeding took ${seconds(seedMs)}.`,
    );
    log(
      `Load average (1, 5, 15 min) before: ${loadBefore.join(', ')}; 1-min during: ` +
        `${Math.min(...loadDuring).toFixed(2)}–${Math.max(...loadDuring).toFixed(2)}.`,
    );
    log('');
    log(
      '| segment | members | preview median | preview, each call | raw SQL median | raw SQL, each call | preview / SQL |',
    );
    log('| --- | ---: | ---: | --- | ---: | --- | ---: |');
    for (const o of outcomes) {
      const each = (times: number[]) => times.map(ms).join(', ');
      const same = o.members === o.baselineCount ? '' : ` (SQL: ${o.baselineCount.toLocaleString('en-US')})`;
      log(
        `| ${o.label} | ${o.members.toLocaleString('en-US')}${same} | ${ms(median(o.preview))} ms | ${each(o.preview)} | ` +
          `${ms(median(o.sql))} ms | ${each(o.sql)} | ${ratio(o).toFixed(1)} |`,
      );
    }
    const mismatches = outcomes.filter((o) => o.members !== o.baselineCount);
    if (mismatches.length > 0)
      log(
        `\nwarning: the preview and the raw SQL count differently for ${mismatches.map((o) => o.label).join('; ')}`,
      );

    for (const plan of plans) {
      log(`\n## ${plan.title}: ${plan.outcome.label}\n`);
      log(
        'As the service sends it, as crm_app under row-level security (JIT off, as the service sets it):\n',
      );
      log(plan.preview.join('\n'));
      log('\nIts raw SQL baseline, as the owner:\n');
      log(plan.baseline.join('\n'));
    }
    log(`\nTotal time ${seconds(performance.now() - started)}.`);
  } finally {
    await database.close();
    await owner.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
