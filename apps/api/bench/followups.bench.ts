import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createAnalyticsService } from '../src/modules/analytics';
import { createFollowupsService, FOLLOWUP_WORK_SQL } from '../src/modules/followups';
import { createLeadAutomation } from '../src/modules/leads';
import { ensureAppLogin } from '../src/platform/app-login';
import { systemClock } from '../src/platform/clock';
import { createDatabase, runMigrations } from '../src/platform/db';
import { databaseUrl, intEnv, recreateDatabase } from './harness';

/**
 * `npm run bench:followups`: one follow-up engine pass over a database of BENCH_LEADS leads (default
 * 1,000,000) of which BENCH_DUE (1,000) have a rule due, then again after BENCH_LEADS more leads that are not
 * due were added. A pass is what the worker does every minute: the sweep query across shops, then the pass of
 * each shop with work (four at a time, like four workers), under row-level security as the app runs.
 *
 * The data is the engine's steady state: every lead has been seen once (its bookmark is set). Of the leads not
 * due, 60% are closed (WON, LOST) and 40% open with their next rule days ahead; the due ones are NEW leads
 * whose alert fell due an hour ago. Branches are open all day, so the figures do not depend on the hour the
 * bench runs, while the pass still walks each branch's calendar.
 */

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TENANTS = intEnv('BENCH_TENANTS', 20);
const LEADS = intEnv('BENCH_LEADS', 1_000_000);
const DUE = intEnv('BENCH_DUE', 1000);
const WORKERS = intEnv('BENCH_WORKERS', 4);
/** BENCH_DB_NAME: the database's name (crm_bench_followups), so that benches side by side keep apart. */
const DB_NAME = process.env.BENCH_DB_NAME || 'crm_bench_followups';

const ALWAYS_OPEN = JSON.stringify(
  Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '23:59' }]]),
  ),
);

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * CPU time so far (ms) of this bench database's PostgreSQL backends, from /proc (Linux; null elsewhere): with
 * the bench process's own CPU, the cost of a pass whatever else keeps the machine busy.
 */
function postgresCpuMs(): number | null {
  let total = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!cmdline.startsWith('postgres:') || !cmdline.includes(` ${DB_NAME} `)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, in clock ticks of 10 ms.
      total += (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
      found = true;
    } catch {
      // the process ended meanwhile, or is not ours to read
    }
  }
  return found ? total : null;
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  log(`  ${label}: ${seconds(performance.now() - started)}`);
  return result;
}

const setupSql = [
  `insert into tenant (id, name, slug, timezone, created_at, updated_at)
  select gen_random_uuid(), 'Bench ' || i, 'bench-' || i, 'America/Lima', now(), now() from generate_series(1, $1::int) i`,
  `insert into branch (id, tenant_id, name, whatsapp_phone, timezone, business_hours, created_at, updated_at)
  select gen_random_uuid(), t.id, 'Sede', '+51987654321', 'America/Lima', $1::jsonb, now(), now() from tenant t`,
  `insert into app_user (id, tenant_id, email, name, role, password_hash, created_at, updated_at)
  select gen_random_uuid(), t.id, t.slug || '-' || r.n || '@bench.example', 'User ' || r.n, r.role::user_role, 'x', now(), now()
  from tenant t cross join (values (1, 'SELLER'), (2, 'SELLER'), (3, 'MANAGER')) as r(n, role)`,
  `insert into user_branch (tenant_id, user_id, branch_id)
  select u.tenant_id, u.id, b.id from app_user u join branch b on b.tenant_id = u.tenant_id`,
  `insert into contact (id, tenant_id, name, created_at, updated_at)
  select gen_random_uuid(), t.id, 'Cliente ' || i, now(), now() from tenant t cross join generate_series(1, 100) i`,
  'insert into followup_policy (tenant_id) select id from tenant',
];

/** Leads of every shop, spread evenly: `due` NEW leads whose alert fell due, or ones with nothing due. */
const leadsSql = (due: boolean) => `
with shop as (
  select t.id as tenant_id, b.id as branch_id,
    (select array_agg(c.id) from contact c where c.tenant_id = t.id) as contacts,
    (select array_agg(u.id) from app_user u where u.tenant_id = t.id and u.role = 'SELLER') as sellers,
    row_number() over (order by t.id) as n
  from tenant t join branch b on b.tenant_id = t.id
), rows as (
  select s.*, g.i, random() as r, now() - (random() * interval '20 days') as at
  from shop s cross join generate_series(1, $1::int / (select count(*) from shop)::int) g(i)
)
insert into lead (id, tenant_id, branch_id, contact_id, status, source, assigned_to_user_id, first_response_at,
  first_response_business_seconds, status_changed_at, last_activity_at, created_at, updated_at,
  followup_stage_at, followup_due_at)
select gen_random_uuid(), tenant_id, branch_id, contacts[1 + i % 100], status::lead_status, 'LISTING',
  sellers[1 + i % 2], case when status = 'NEW' then null else created + interval '10 minutes' end,
  case when status = 'NEW' then null else 600 end, changed, changed, created, changed, changed, next_due
from (
  select rows.*,
    ${
      due
        ? `'NEW' as status, now() - interval '2 hours' as created, now() - interval '2 hours' as changed,
           now() - interval '1 hour' as next_due`
        : `case when r < 0.3 then 'WON' when r < 0.6 then 'LOST' when r < 0.7 then 'NEW' when r < 0.8 then 'CONTACTED'
                when r < 0.9 then 'QUALIFIED' else 'QUOTED' end as status,
           at as created, at + interval '1 hour' as changed,
           case when r < 0.6 then null else now() + interval '1 hour' + random() * interval '20 days' end as next_due`
    }
  from rows
) x`;

async function pass(
  owner: pg.Pool,
  followups: ReturnType<typeof createFollowupsService>,
): Promise<{ ms: number; sweepMs: number; shops: number; tasks: number; evaluated: number }> {
  const started = performance.now();
  const { rows } = await owner.query<{ id: string }>(FOLLOWUP_WORK_SQL);
  const sweepMs = performance.now() - started;
  const queue = rows.map((r) => r.id);
  let tasks = 0;
  let evaluated = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      for (let tenantId = queue.shift(); tenantId; tenantId = queue.shift()) {
        const run = await followups.runEngine(tenantId);
        tasks += run.tasksCreated;
        evaluated += run.evaluated;
      }
    }),
  );
  return { ms: performance.now() - started, sweepMs, shops: rows.length, tasks, evaluated };
}

async function main() {
  // BENCH_KPIS_ONLY=1 reuses the database of the last run and measures the KPIs only.
  const kpisOnly = process.env.BENCH_KPIS_ONLY === '1';
  const dbUrl = kpisOnly ? databaseUrl(adminUrl, DB_NAME) : await recreateDatabase(adminUrl, DB_NAME);
  log(
    `follow-up engine bench: ${TENANTS} shops, ${LEADS.toLocaleString('en-US')} leads, ${DUE} due, ${WORKERS} workers`,
  );
  if (!kpisOnly) await timed('migrations', () => runMigrations(dbUrl));
  const owner = new pg.Pool({ connectionString: dbUrl, max: 4, options: '-c TimeZone=UTC' });
  const database = createDatabase({ appUrl: await ensureAppLogin(dbUrl), poolSize: WORKERS * 2 });
  const followups = createFollowupsService({
    database,
    clock: systemClock,
    automation: createLeadAutomation(),
    identity: { findUser: async () => null },
  });
  if (!kpisOnly) {
    await timed('shops, users, contacts, policies', async () => {
      for (const [i, statement] of setupSql.entries()) {
        await owner.query(statement, i === 0 ? [TENANTS] : i === 1 ? [ALWAYS_OPEN] : []);
      }
    });
    await timed(`${LEADS.toLocaleString('en-US')} leads with nothing due`, () =>
      owner.query(leadsSql(false), [LEADS]),
    );
    await timed(`${DUE} leads with their alert due`, () => owner.query(leadsSql(true), [DUE]));
    await timed('vacuum analyze', () => owner.query('vacuum (analyze) lead, task, contact'));

    const ROUNDS = intEnv('BENCH_ROUNDS', 3);
    const rows: string[] = [];
    const measure = async (total: number) => {
      const passes: (Awaited<ReturnType<typeof pass>> & { nodeMs: number; pgMs: number | null })[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Each round gets its own due leads: the previous round's were handled.
        if (round > 0) await owner.query(leadsSql(true), [DUE]);
        const cpu = process.cpuUsage();
        const pgBefore = postgresCpuMs();
        const result = await pass(owner, followups);
        const used = process.cpuUsage(cpu);
        const pgAfter = postgresCpuMs();
        const nodeMs = (used.user + used.system) / 1000;
        const pgMs = pgBefore === null || pgAfter === null ? null : pgAfter - pgBefore;
        passes.push({ ...result, nodeMs, pgMs });
        log(
          `  pass over ${total.toLocaleString('en-US')} leads: ${result.ms.toFixed(0)} ms (sweep ${result.sweepMs.toFixed(0)} ms; CPU: Node ${nodeMs.toFixed(0)} ms, PostgreSQL ${pgMs ?? '?'} ms), ${result.shops} shops, ${result.evaluated} leads read, ${result.tasks} tasks`,
        );
      }
      const idle = await pass(owner, followups);
      log(`  next pass, nothing due: ${idle.ms.toFixed(0)} ms`);
      const times = passes.map((p) => p.ms).sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] ?? 0;
      const last = passes.at(-1);
      const cpu = passes.map((p) => p.nodeMs + (p.pgMs ?? 0)).sort((a, b) => a - b);
      const cpuMedian = cpu[Math.floor(cpu.length / 2)] ?? 0;
      rows.push(
        `| ${total.toLocaleString('en-US')} | ${DUE} | ${median.toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')}) | ${cpuMedian.toFixed(0)} ms | ${last?.sweepMs.toFixed(0)} ms | ${last?.evaluated} | ${last?.tasks} | ${idle.ms.toFixed(0)} ms |`,
      );
    };
    await measure(LEADS + DUE);

    await timed(`${LEADS.toLocaleString('en-US')} more leads with nothing due`, () =>
      owner.query(leadsSql(false), [LEADS]),
    );
    await timed(`${DUE} new leads with their alert due`, () => owner.query(leadsSql(true), [DUE]));
    await timed('vacuum analyze', () => owner.query('vacuum (analyze) lead, task'));
    await measure(2 * LEADS + DUE);

    log(
      '\n| leads in the database | due | pass, wall median (each round) | pass, CPU median (Node + PostgreSQL) | sweep | leads read | tasks created | pass with nothing due |',
    );
    log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) log(row);
  }

  // KPIs of one shop over a quarter (every one of its leads is in it), as GET /kpis computes them.
  const analytics = createAnalyticsService({ database, clock: systemClock, followups });
  const { rows: shops } = await owner.query<{ tenant_id: string; n: number }>(
    'select tenant_id, count(*)::int as n from lead group by tenant_id order by tenant_id limit 1',
  );
  const shop = shops[0];
  if (shop) {
    const viewer = { kind: 'apiKey' as const, tenantId: shop.tenant_id, apiKeyId: 'bench', scopes: [] };
    const quarter = {
      from: new Date(Date.now() - 90 * 86_400_000).toISOString(),
      to: new Date().toISOString(),
    };
    log(`\nKPIs of one shop (${shop.n.toLocaleString('en-US')} leads) over a quarter, 5 calls each:`);
    // CPU per call (this process and the bench database's backends) says what a call costs whatever else runs:
    // on a quiet machine its wall-clock time is about that, where a busy one multiplies it.
    log('\n| groupBy | median | CPU median (Node + PostgreSQL) | each call |');
    log('| --- | --- | --- | --- |');
    const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    for (const groupBy of [undefined, 'branch', 'seller', 'source', 'day'] as const) {
      const times: number[] = [];
      const cpus: number[] = [];
      for (let i = 0; i < 5; i++) {
        const cpu = process.cpuUsage();
        const pgBefore = postgresCpuMs();
        const started = performance.now();
        await analytics.kpis(viewer, shop.tenant_id, { ...quarter, ...(groupBy ? { groupBy } : {}) });
        times.push(performance.now() - started);
        const used = process.cpuUsage(cpu);
        const pgAfter = postgresCpuMs();
        cpus.push(
          (used.user + used.system) / 1000 + (pgBefore === null || pgAfter === null ? 0 : pgAfter - pgBefore),
        );
      }
      log(
        `| ${groupBy ?? '(none)'} | ${median(times).toFixed(0)} ms | ${median(cpus).toFixed(0)} ms | ${times.map((t) => t.toFixed(0)).join(', ')} |`,
      );
    }
  }
  await database.close();
  await owner.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
