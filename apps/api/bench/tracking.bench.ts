/**
 * Tracking benchmark: POST /api/v1/tracking/whatsapp-click through HTTP, next to a baseline that does the same
 * database work in one round trip straight through `pg` (capture_click, in one message with its transaction), on a
 * database of 50 shops where 3 get half the traffic. The throughput ratio of the two, measured in the same run, is
 * what the target is about; the counts of what was stored show that nothing answered was lost. See
 * docs/benchmarks.md.
 *
 *   npm run bench:tracking
 *
 * Settings (environment): BENCH_DATABASE_URL (else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 * names the server; the database BENCH_TRACKING_DB_NAME (techmarket_bench_tracking) is created on it and reused
 * while seeded; BENCH_RESEED=1 rebuilds it. BENCH_SECONDS (10) per measurement, BENCH_WARMUP_SECONDS (3),
 * BENCH_CONNECTIONS (32), BENCH_ROUNDS (3 closed-loop rounds, API then baseline), BENCH_RATES (500,100: the req/s
 * offered in the fixed-rate phases, the first is the target's), BENCH_PHASES (a comma list of closed, rate,
 * autocannon-rate; default closed,rate), BENCH_REDIS_URL (redis://127.0.0.1:6379/9; "none" runs the API without
 * Redis), BENCH_API_POOL_SIZE (the API's pool, default the app's own), BENCH_SQL_ONLY=1 / BENCH_API_ONLY=1,
 * BENCH_BEFORE_API_DIR (another checkout's apps/api, e.g. an older version's worktree: its API is measured as
 * "before" in the same rounds), BENCH_API_NODE_OPTIONS adds Node flags to the API process (e.g. --cpu-prof
 * --cpu-prof-dir=/tmp/prof).
 */
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { customAlphabet } from 'nanoid';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { assistNewLead } from '../src/modules/assistant';
import { ensureAppLogin } from '../src/platform/app-login';
import { type JobQueue, startJobs } from '../src/platform/jobs';
import { hashSecret } from '../src/platform/tokens';
import { ApiProcess, type CpuPerCall, cpuMeter, fixedRate, intEnv, percentile } from './harness';
import { defaultTrackingPlan, ensureTrackingDatabase } from './tracking-seed';

const log = (line: string) => console.log(line);

/** Who answers the clicks: this checkout's API, another checkout's ("before"), or the one-round-trip baseline. */
type Side = 'API' | 'before' | 'SQL';

const settings = {
  serverUrl:
    process.env.BENCH_DATABASE_URL ||
    process.env.DATABASE_URL ||
    'postgres://postgres@127.0.0.1:5432/postgres',
  databaseName: process.env.BENCH_TRACKING_DB_NAME || 'techmarket_bench_tracking',
  reseed: process.env.BENCH_RESEED === '1',
  seconds: intEnv('BENCH_SECONDS', 10),
  warmupSeconds: intEnv('BENCH_WARMUP_SECONDS', 3),
  /** Closed-loop rounds, API then baseline each time: on a shared machine the ratio of each pair is steadier. */
  rounds: intEnv('BENCH_ROUNDS', 3),
  connections: intEnv('BENCH_CONNECTIONS', 32),
  rates: (process.env.BENCH_RATES || '500,100').split(',').map((r) => {
    const rate = Number(r.trim());
    if (!Number.isFinite(rate) || rate <= 0) throw new Error(`BENCH_RATES: "${r}" is not a rate`);
    return rate;
  }),
  redisUrl: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379/9',
  apiPoolSize: process.env.BENCH_API_POOL_SIZE || '',
  sqlOnly: process.env.BENCH_SQL_ONLY === '1',
  apiOnly: process.env.BENCH_API_ONLY === '1',
  /** Another checkout's apps/api (e.g. main's worktree): its API is measured too, as "before", in the same run. */
  beforeApiDir: process.env.BENCH_BEFORE_API_DIR || '',
  phases: (process.env.BENCH_PHASES || 'closed,rate')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
};

const CLICK_PATH = '/api/v1/tracking/whatsapp-click';
/** The share of clicks by a customer who already clicked; the rest are customers the shop has never seen. */
const REPEAT_SHARE = 0.3;
/** Repeat candidates kept per tenant. */
const POOL_CAP = 3000;

// ---------------------------------------------------------------------------------------------------------------
// The traffic: which shop, which customer, which listing

/** A small seeded PRNG (mulberry32), so that two runs send the same mix. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Identity {
  branchId: string;
  visitorId: string;
  userId: string | null;
}

interface TenantWorld {
  id: string;
  weight: number;
  branches: string[];
  listings: string[];
  campaigns: string[];
  /** The shop's API key, made for this run: the marketplace's server sends it with a logged-in user's clicks. */
  apiKey: string;
  /** Customers with an open lead at a branch, for repeat clicks. */
  pool: Identity[];
}

interface Click {
  body: {
    tenantId: string;
    branchId: string;
    listingId?: string;
    campaign?: string;
    source: 'LISTING' | 'WHATSAPP' | 'MAP' | 'CAMPAIGN';
    userId?: string;
    visitorId: string;
    phone?: string;
    name?: string;
    message?: string;
  };
  /** The phone as the API stores it (E.164): the baseline does not parse phone numbers. */
  phoneE164: string | null;
  /**
   * The shop's API key when the click names a user or a phone: only the marketplace's server knows who is logged in,
   * and the API believes userId, phone and name only from it. Anonymous visitors' clicks come from browsers, keyless.
   */
  key: string | null;
  repeat: boolean;
}

class ClickMix {
  private readonly random: () => number;
  private readonly cumulative: number[];
  private counter = 0;
  sent = { new: 0, repeat: 0 };

  constructor(
    private readonly tenants: TenantWorld[],
    private readonly prefix: string,
    seed: number,
  ) {
    this.random = prng(seed);
    let sum = 0;
    this.cumulative = tenants.map((t) => {
      sum += t.weight;
      return sum;
    });
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  next(): Click {
    const r = this.random() * (this.cumulative.at(-1) ?? 1);
    const tenant = this.tenants[this.cumulative.findIndex((c) => r < c)] ?? this.pick(this.tenants);
    const listingId = this.random() < 0.85 ? this.pick(tenant.listings) : undefined;
    if (this.random() < REPEAT_SHARE && tenant.pool.length > 0) {
      const who = this.pick(tenant.pool);
      this.sent.repeat += 1;
      return {
        body: {
          tenantId: tenant.id,
          branchId: who.branchId,
          ...(listingId ? { listingId } : {}),
          source: 'LISTING',
          ...(who.userId ? { userId: who.userId } : {}),
          visitorId: who.visitorId,
        },
        phoneE164: null,
        key: who.userId ? tenant.apiKey : null,
        repeat: true,
      };
    }
    const n = ++this.counter;
    const who: Identity = {
      branchId: this.pick(tenant.branches),
      visitorId: `${this.prefix}-v${n}`,
      userId: this.random() < 0.4 ? `${this.prefix}-u${n}` : null,
    };
    const withPhone = this.random() < 0.15;
    const digits = String(Math.floor(this.random() * 1e8)).padStart(8, '0');
    const campaign = this.random() < 0.1 ? this.pick(tenant.campaigns) : undefined;
    const s = this.random();
    const source = campaign ? 'CAMPAIGN' : s < 0.7 ? 'LISTING' : s < 0.9 ? 'WHATSAPP' : 'MAP';
    const message = this.random() < 0.05 ? 'Hola, ¿tienen stock y hacen envíos?' : undefined;
    if (tenant.pool.length < POOL_CAP) tenant.pool.push(who);
    else tenant.pool[Math.floor(this.random() * POOL_CAP)] = who;
    this.sent.new += 1;
    return {
      body: {
        tenantId: tenant.id,
        branchId: who.branchId,
        ...(listingId ? { listingId } : {}),
        ...(campaign ? { campaign } : {}),
        source,
        ...(who.userId ? { userId: who.userId } : {}),
        visitorId: who.visitorId,
        ...(withPhone
          ? { phone: `+51 9${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5)}` }
          : {}),
        ...(withPhone ? { name: `Cliente ${n}` } : {}),
        ...(message ? { message } : {}),
      },
      phoneE164: withPhone ? `+519${digits}` : null,
      key: who.userId || withPhone ? tenant.apiKey : null,
      repeat: false,
    };
  }
}

async function loadWorld(
  pool: pg.Pool,
  plan: typeof defaultTrackingPlan,
  runId: string,
): Promise<TenantWorld[]> {
  const tenants = await pool.query<{ no: number; id: string }>(
    'select no, id from bench.tenant_plan order by no',
  );
  const byId = new Map<string, TenantWorld>();
  const cold = (1 - plan.hotShare) / Math.max(1, plan.tenants - plan.hotTenants);
  for (const { no, id } of tenants.rows) {
    byId.set(id, {
      id,
      weight: no <= plan.hotTenants ? plan.hotShare / plan.hotTenants : cold,
      branches: [],
      listings: [],
      campaigns: [],
      apiKey: `tmk_bench_${runId}_${no}`,
      pool: [],
    });
  }
  const fill = async (query: string, into: (t: TenantWorld, row: Record<string, string>) => void) => {
    const { rows } = await pool.query<Record<string, string>>(query);
    for (const row of rows) {
      const tenant = byId.get(row.tenant_id ?? '');
      if (tenant) into(tenant, row);
    }
  };
  await fill(
    'select tenant_id, id from branch where active and whatsapp_phone is not null order by id',
    (t, r) => t.branches.push(r.id ?? ''),
  );
  await fill('select tenant_id, id from listing order by id', (t, r) => t.listings.push(r.id ?? ''));
  await fill('select tenant_id, id from campaign order by id', (t, r) => t.campaigns.push(r.id ?? ''));
  // One API key per shop for this run, made by its first user, as an owner would in the settings.
  for (const tenant of byId.values()) {
    await pool.query(
      `insert into api_key (id, tenant_id, name, prefix, key_hash, created_by_user_id)
       select $1, $2, 'bench', left($3, 10), $4, u.id from app_user u where u.tenant_id = $2 order by u.id limit 1`,
      [uuidv7(), tenant.id, tenant.apiKey, hashSecret(tenant.apiKey)],
    );
  }
  // Customers who clicked in the last 6 days and whose lead is still open: their next click joins that lead.
  await fill(
    `select tenant_id, branch_id, visitor_id, marketplace_user_id from (
       select l.tenant_id, l.branch_id, c.visitor_id, c.marketplace_user_id,
              row_number() over (partition by l.tenant_id order by l.last_activity_at desc, l.id) as n
         from lead l join contact c on c.tenant_id = l.tenant_id and c.id = l.contact_id
        where l.status not in ('WON', 'LOST') and l.last_activity_at > now() - interval '6 days'
          and c.visitor_id is not null) s
      where n <= ${POOL_CAP}
      order by tenant_id, n`,
    (t, r) =>
      t.pool.push({
        branchId: r.branch_id ?? '',
        visitorId: r.visitor_id ?? '',
        userId: r.marketplace_user_id ?? null,
      }),
  );
  return [...byId.values()];
}

// ---------------------------------------------------------------------------------------------------------------
// The baseline: the same work in one round trip straight through `pg`, as crm_app under row-level security

const newRefCode = customAlphabet('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 6);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WEEK_MS = 7 * 24 * 3600_000;

/**
 * One click as one message of the simple protocol: `begin; set_config(tenant); select capture_click(...); commit`.
 * capture_click (drizzle/0024_click_capture.sql) is the whole of the click's database work: the customer found or
 * created, the open lead joined or a new one opened, assigned and given its events. Everything the API does around
 * it (HTTP, validation, API keys, rate limits, the phone's parsing: the phone is sent already in E.164) is left out.
 */
async function sqlClick(client: pg.PoolClient, click: Click): Promise<{ status: number; leadId: string }> {
  const { body } = click;
  if (!UUID.test(body.tenantId)) throw new Error('not a uuid');
  const at = new Date();
  const trusted = click.key !== null;
  const literal = (value: string | null | undefined) =>
    value === null || value === undefined ? 'null' : client.escapeLiteral(value);
  const payload = JSON.stringify({ source: body.source });
  const ids = Array.from({ length: 6 }, () => uuidv7());
  const codes = Array.from({ length: 5 }, () => newRefCode());
  const call = `select c.problem, c.created, (c.lead_row).id from capture_click(
      ${literal(body.tenantId)}::uuid, ${literal(body.branchId)}::uuid, ${literal(body.listingId)}::uuid,
      ${literal(body.campaign)}::uuid, ${literal(body.source)}::lead_source, ${trusted}, ${literal(trusted ? body.userId : null)},
      ${literal(body.visitorId)}, ${literal(trusted ? click.phoneE164 : null)}, ${literal(trusted ? (body.name?.trim() ?? null) : null)},
      null, ${literal(payload)}::jsonb, ${literal(body.message)},
      ${literal(new Date(at.getTime() - WEEK_MS).toISOString())}::timestamptz, ${literal(at.toISOString())}::timestamptz,
      '{${ids.join(',')}}'::uuid[], '{${codes.join(',')}}'::text[]) c`;
  try {
    const results = (await client.query(
      `begin; select set_config('app.tenant_id', '${body.tenantId}', true); ${call}; commit`,
    )) as unknown as pg.QueryResult<{ problem: string | null; created: boolean; id: string }>[];
    const row = results[2]?.rows[0];
    if (!row || row.problem !== null) throw new Error(`capture_click: ${row?.problem ?? 'no row'}`);
    return { status: row.created ? 201 : 200, leadId: row.id };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Load: closed loop (as fast as answers come back) and fixed rate (one call every 1/rate s, whatever happens)

interface Run {
  /** Latency of each 2xx answer, in ms. */
  latencies: number[];
  statuses: Map<number, number>;
  /** Connection errors and timeouts. */
  failures: number;
  seconds: number;
  /** What was offered: the fixed rate, or null for a closed loop. */
  offered: number | null;
  /** Fixed rate only: how late calls were sent behind their schedule, p99, in ms. */
  sendLagP99?: number;
}

const count = (statuses: Map<number, number>, status: number) =>
  statuses.set(status, (statuses.get(status) ?? 0) + 1);

/**
 * One click on a pooled connection, then, once the connection is back in the pool, what the app does after the
 * commit of a new lead that is SQL: the assistant's new-lead job queued in pg-boss (the same call, through the
 * app's own queue). Redis (the inbox counts, the live feed, campaign counters) is left out, as is HTTP.
 */
async function sqlClickAndQueue(pool: pg.Pool, queue: JobQueue | null, click: Click): Promise<number> {
  const client = await pool.connect();
  let result: { status: number; leadId: string };
  try {
    result = await sqlClick(client, click);
  } finally {
    client.release();
  }
  if (result.status === 201 && queue)
    await assistNewLead.send(queue, { tenantId: click.body.tenantId, leadId: result.leadId });
  return result.status;
}

async function closedSql(
  pool: pg.Pool,
  queue: JobQueue | null,
  mix: ClickMix,
  connections: number,
  calls: number,
): Promise<Run> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let failures = 0;
  let remaining = calls;
  const started = performance.now();
  const worker = async () => {
    while (remaining > 0) {
      remaining -= 1;
      const click = mix.next();
      const sent = performance.now();
      try {
        const status = await sqlClickAndQueue(pool, queue, click);
        latencies.push(performance.now() - sent);
        count(statuses, status);
      } catch (error) {
        failures += 1;
        if (failures <= 3) log(`  SQL error: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { latencies, statuses, failures, seconds: (performance.now() - started) / 1000, offered: null };
}

/**
 * autocannon on the endpoint, each call with the next click of the mix, until `calls` have answered. With
 * `overallRate`, autocannon's own rate limit: each connection sends its share of a second's calls as fast as
 * answers come back, then waits for the next second, so the calls go in bursts, not evenly spaced.
 */
function autocannonApi(
  baseUrl: string,
  mix: ClickMix,
  connections: number,
  calls: number,
  overallRate?: number,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        pipelining: 1,
        amount: calls,
        ...(overallRate ? { overallRate } : {}),
        requests: [
          {
            method: 'POST',
            path: CLICK_PATH,
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => {
              const click = mix.next();
              return {
                ...request,
                headers: {
                  ...request.headers,
                  ...(click.key ? { authorization: `Bearer ${click.key}` } : {}),
                },
                body: JSON.stringify(click.body),
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve({
          latencies,
          statuses,
          failures: result.errors + result.timeouts,
          seconds: (result.finish.getTime() - result.start.getTime()) / 1000,
          offered: overallRate ?? null,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      count(statuses, statusCode);
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

function httpPost(agent: http.Agent, baseUrl: string, click: Click): Promise<number> {
  const url = new URL(CLICK_PATH, baseUrl);
  const body = JSON.stringify(click.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(click.key ? { authorization: `Bearer ${click.key}` } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** CPU per call of the call's own processes; null when PostgreSQL's share is unknown (a remote server). */
function ownCpu(cpu: CpuPerCall): number | null {
  if (cpu.postgres === null) return null;
  return (cpu.server ?? 0) + cpu.client + cpu.postgres + (cpu.redis ?? 0);
}

// ---------------------------------------------------------------------------------------------------------------

interface Totals {
  clicks: number;
  leads: number;
  contacts: number;
}

/** What is stored, counted as the owner (no RLS): WHATSAPP_CLICK events, leads and contacts. */
async function totals(pool: pg.Pool): Promise<Totals> {
  const { rows } = await pool.query<{ clicks: string; leads: string; contacts: string }>(
    `select (select count(*) from lead_event where type = 'WHATSAPP_CLICK')::text as clicks,
            (select count(*) from lead)::text as leads, (select count(*) from contact)::text as contacts`,
  );
  const row = rows[0];
  return { clicks: Number(row?.clicks), leads: Number(row?.leads), contacts: Number(row?.contacts) };
}

interface Outcome {
  phase: string;
  side: Side;
  run: Run;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  created: number;
  joined: number;
  errors: number;
  stored: { clicks: number; leads: number; contacts: number };
  /** Calls the load generator built and sent; more than answers means some were in flight when it stopped. */
  sent: number;
  cpu: CpuPerCall;
}

function outcome(
  phase: string,
  side: Side,
  run: Run,
  before: Totals,
  after: Totals,
  cpu: CpuPerCall,
): Omit<Outcome, 'sent'> {
  const sorted = Float64Array.from(run.latencies).sort();
  let ok = 0;
  let errors = run.failures;
  for (const [status, n] of run.statuses) {
    if (status >= 200 && status < 300) ok += n;
    else errors += n;
  }
  return {
    phase,
    side,
    run,
    rps: ok / run.seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    ok,
    created: run.statuses.get(201) ?? 0,
    joined: run.statuses.get(200) ?? 0,
    errors,
    stored: {
      clicks: after.clicks - before.clicks,
      leads: after.leads - before.leads,
      contacts: after.contacts - before.contacts,
    },
    cpu,
  };
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const fmtInt = (value: number) => Math.round(value).toLocaleString('en-US');

async function redisReachable(url: string): Promise<boolean> {
  if (url === 'none') return false;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function main() {
  const started = performance.now();
  log('# Tracking benchmark\n');
  const plan = defaultTrackingPlan;
  const bench = await ensureTrackingDatabase({
    serverUrl: settings.serverUrl,
    name: settings.databaseName,
    reseed: settings.reseed,
    plan,
    log,
  });
  const owner = new pg.Pool({ connectionString: bench.url, max: 2 });
  // The baseline connects like the app does: as the app's login role (a member of crm_app), so RLS applies.
  const appPool = new pg.Pool({
    connectionString: await ensureAppLogin(bench.url),
    max: settings.connections,
  });
  let api: ApiProcess | null = null;
  let beforeApi: ApiProcess | null = null;
  // The baseline's own pg-boss queue, as bench/api-server.ts gives the API one (no worker runs).
  let jobs: Awaited<ReturnType<typeof startJobs>> | null = null;
  try {
    const server = (
      await owner.query<Record<string, string>>(
        `select current_setting('server_version') as version, current_setting('synchronous_commit') as synchronous_commit,
                current_setting('fsync') as fsync, current_setting('wal_sync_method') as wal_sync_method,
                current_setting('commit_delay') as commit_delay, current_setting('shared_buffers') as shared_buffers,
                current_setting('max_connections') as max_connections`,
      )
    ).rows[0];
    if (!server) throw new Error('no server settings');
    log(
      `PostgreSQL ${server.version}: synchronous_commit=${server.synchronous_commit}, fsync=${server.fsync}, ` +
        `wal_sync_method=${server.wal_sync_method}, commit_delay=${server.commit_delay}, shared_buffers=${server.shared_buffers}`,
    );
    if (server.synchronous_commit !== 'on')
      log('warning: synchronous_commit is not on: commits do not wait for the WAL flush');
    const runId = Date.now().toString(36);
    const world = await loadWorld(owner, plan, runId);
    const start = await totals(owner);
    log(
      `${world.length} tenants (${plan.hotTenants} hot with ${fmt(plan.hotShare * 100, 0)}% of the clicks), ` +
        `${world.reduce((s, t) => s + t.branches.length, 0)} branches, ${world.reduce((s, t) => s + t.listings.length, 0)} listings; ` +
        `${fmtInt(start.leads)} leads, ${fmtInt(start.contacts)} contacts and ${fmtInt(start.clicks)} click events stored; ` +
        `${fmtInt(world.reduce((s, t) => s + t.pool.length, 0))} customers with an open lead to click again`,
    );

    if (!settings.apiOnly) jobs = await startJobs(bench.url, (error) => log(`  pg-boss: ${error.message}`));
    const useRedis = await redisReachable(settings.redisUrl);
    const apiEnv: Record<string, string> = {
      TRACKING_LIMIT_PER_IP: '1000000000',
      TRACKING_LIMIT_PER_TENANT: '1000000000',
      ...(useRedis ? { REDIS_URL: settings.redisUrl } : { REDIS_URL: '' }),
      ...(settings.apiPoolSize ? { DB_POOL_SIZE: settings.apiPoolSize } : {}),
    };
    if (!settings.sqlOnly) {
      api = await ApiProcess.start(bench.url, apiEnv);
      log(
        `API listening on ${api.baseUrl}; Redis ${useRedis ? settings.redisUrl : 'not used (in-memory limits and cache)'}; ` +
          `pool ${settings.apiPoolSize || 'default (20)'}`,
      );
      if (settings.beforeApiDir) {
        beforeApi = await ApiProcess.start(
          bench.url,
          apiEnv,
          path.resolve(settings.beforeApiDir, 'bench/api-server.ts'),
        );
        log(`"before" API (${settings.beforeApiDir}) listening on ${beforeApi.baseUrl}`);
      }
    }
    const apiOf = (side: Side) => (side === 'API' ? api : side === 'before' ? beforeApi : null);

    let seed = 1;
    const mixFor = (side: string) => new ClickMix(world, `${side}-${runId}-${seed}`, seed++);
    const outcomes: Outcome[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

    const measure = async (
      phase: string,
      side: Side,
      mix: ClickMix,
      go: () => Promise<Run>,
    ): Promise<Outcome> => {
      const before = await totals(owner);
      const server = apiOf(side);
      const meter = cpuMeter(server ? () => server.cpu() : undefined, settings.databaseName);
      const run = await go();
      const cpu = await meter(run.latencies.length);
      const result = {
        ...outcome(phase, side, run, before, await totals(owner), cpu),
        sent: mix.sent.new + mix.sent.repeat,
      };
      log(
        `  ${side}: ${fmtInt(result.rps)} req/s, p50 ${fmt(result.p50, 2)} ms, p99 ${fmt(result.p99, 2)} ms, ` +
          `${result.created} × 201, ${result.joined} × 200, ${result.errors} errors; stored ${result.stored.clicks} clicks, ` +
          `${result.stored.leads} leads` +
          (run.sendLagP99 !== undefined ? `; send lag p99 ${fmt(run.sendLagP99, 2)} ms` : ''),
      );
      outcomes.push(result);
      return result;
    };

    const sides = (['API', 'before', 'SQL'] as const).filter((s) =>
      s === 'SQL' ? !settings.apiOnly : apiOf(s) !== null,
    );
    /** One side's closed loop of `calls` clicks. */
    const closed = (side: Side, mix: ClickMix, calls: number) => {
      const server = apiOf(side);
      return server
        ? autocannonApi(server.baseUrl, mix, settings.connections, calls)
        : closedSql(appPool, jobs?.queue ?? null, mix, settings.connections, calls);
    };
    const warmCalls = settings.connections * 4;
    const estimate = new Map<string, number>();
    for (const side of sides) {
      log(`\nwarming up ${side}`);
      const mix = mixFor(side.toLowerCase());
      const warmStarted = performance.now();
      let warm = 0;
      while (performance.now() - warmStarted < settings.warmupSeconds * 1000) {
        const run = await closed(side, mix, warmCalls);
        warm += run.latencies.length;
      }
      estimate.set(side, warm / ((performance.now() - warmStarted) / 1000));
    }

    for (let round = 1; settings.phases.includes('closed') && round <= settings.rounds; round++) {
      log(`\n## Closed loop, ${settings.connections} connections, round ${round} of ${settings.rounds}`);
      for (const side of sides) {
        const calls = Math.max(
          settings.connections * 10,
          Math.round((estimate.get(side) ?? 100) * settings.seconds),
        );
        const mix = mixFor(side.toLowerCase());
        await measure('closed', side, mix, () => closed(side, mix, calls));
      }
    }
    for (const rate of settings.phases.includes('rate') ? settings.rates : []) {
      log(`\n## Fixed rate, ${rate} req/s offered`);
      for (const side of sides) {
        const mix = mixFor(side.toLowerCase());
        const baseUrl = apiOf(side)?.baseUrl ?? null;
        await measure('rate', side, mix, async () => ({
          ...(await fixedRate(rate, settings.seconds, () =>
            baseUrl
              ? httpPost(agent, baseUrl, mix.next())
              : sqlClickAndQueue(appPool, jobs?.queue ?? null, mix.next()),
          )),
          offered: rate,
        }));
      }
    }
    const targetRate = settings.rates[0] ?? 500;
    if (settings.phases.includes('autocannon-rate') && api) {
      log(`\n## autocannon overallRate=${targetRate}, ${settings.connections} connections`);
      const mix = mixFor('api');
      const baseUrl = api.baseUrl;
      await measure('autocannon-rate', 'API', mix, () =>
        autocannonApi(baseUrl, mix, settings.connections, targetRate * settings.seconds, targetRate),
      );
    }
    agent.destroy();

    // The report, in markdown, ready for docs/benchmarks.md.
    const cpus = os.cpus();
    log('\n## Results\n');
    log(
      `Machine: ${os.availableParallelism()} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
        `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, Node ${process.version}, ${os.type()} ${os.release()}. ` +
        `PostgreSQL ${server.version}, synchronous_commit=${server.synchronous_commit}, fsync=${server.fsync}. ` +
        `Redis: ${useRedis ? 'yes' : 'no'}. ${settings.connections} connections; ${settings.seconds} s per measurement.` +
        (bench.seedSeconds !== null ? ` Seeding took ${fmt(bench.seedSeconds)} s.` : ''),
    );
    const phaseLabel = (o: Outcome) =>
      o.phase === 'closed'
        ? `closed loop, c=${settings.connections}`
        : o.phase === 'rate'
          ? `fixed rate ${o.run.offered}/s`
          : `autocannon overallRate ${o.run.offered}`;
    log('');
    log(
      '| phase | side | req/s | p50 ms | p99 ms | max ms | sent | 2xx | 201 | 200 | errors | click events stored | leads stored | check |',
    );
    log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    // Lost: a 2xx answer without its click event, or a 201 without its lead. A call the load generator sent but
    // did not wait for (it stopped) may be stored without an answer: that is reported, not counted as lost.
    const lostOf = (o: Outcome) => o.stored.clicks < o.ok || o.stored.leads < o.created;
    const unanswered = (o: Outcome) => o.sent - o.ok - o.errors;
    const exact = (o: Outcome) =>
      o.stored.clicks === o.ok && o.stored.leads === o.created && unanswered(o) === 0;
    const check = (o: Outcome) =>
      lostOf(o)
        ? 'LOST'
        : exact(o)
          ? 'exact'
          : `${o.stored.clicks - o.ok} stored for ${unanswered(o)} unanswered`;
    for (const o of outcomes) {
      log(
        `| ${phaseLabel(o)} | ${o.side} | ${fmtInt(o.rps)} | ${fmt(o.p50, 2)} | ${fmt(o.p99, 2)} | ${fmt(o.max, 1)} | ` +
          `${fmtInt(o.sent)} | ${fmtInt(o.ok)} | ${fmtInt(o.created)} | ${fmtInt(o.joined)} | ${o.errors} | ` +
          `${fmtInt(o.stored.clicks)} | ${fmtInt(o.stored.leads)} | ${check(o)} |`,
      );
    }
    log(
      '\nCPU time per call, in ms. "Own" is what the call itself cost: the API process, the load generator, ' +
        "this database's PostgreSQL backends (with the WAL writer, checkpointer and background writer) and Redis; " +
        '"other" is the rest of the machine (other work on it).\n',
    );
    log('| phase | side | machine | own | API process | load generator | PostgreSQL | Redis | other |');
    log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const ms = (value: number | null) => (value === null ? '-' : fmt(value, 2));
    for (const o of outcomes) {
      const c = o.cpu;
      log(
        `| ${phaseLabel(o)} | ${o.side} | ${ms(c.machine)} | ${ms(ownCpu(c))} | ${ms(c.server)} | ${ms(c.client)} | ${ms(c.postgres)} | ${ms(c.redis)} | ${ms(c.other)} |`,
      );
    }
    const noisy = outcomes.some(
      (o) => o.cpu.machine !== null && o.cpu.other !== null && o.cpu.other > 0.1 * o.cpu.machine,
    );
    if (noisy)
      log(
        '\nwarning: other processes used more than 10% of the CPU during a measurement: the figures are noisy',
      );

    log('\n## Targets\n');
    const sqlClosed = outcomes.filter((o) => o.phase === 'closed' && o.side === 'SQL');
    for (const side of ['API', 'before'] as const) {
      const apiClosed = outcomes.filter((o) => o.phase === 'closed' && o.side === side);
      if (apiClosed.length === 0 || apiClosed.length !== sqlClosed.length) continue;
      // Each round's API over the same round's baseline, then the median of the rounds.
      const ratios = apiClosed.map((a, i) => a.rps / (sqlClosed[i]?.rps ?? Number.NaN));
      const ratio = median(ratios);
      log(
        `- ${side === 'API' ? 'API' : '"before" API'} at ${fmt(ratio * 100, 0)}% of the one-round-trip throughput ` +
          `(target 50%), the median of ${ratios.map((r) => `${fmt(r * 100, 0)}%`).join(', ')}: ` +
          `${ratio >= 0.5 ? 'met' : 'MISSED'}`,
      );
      // On saturated cores throughput goes as 1 / CPU per call: the ratio of own CPU is what a quiet machine shows.
      const owns = apiClosed.map((a, i) => {
        const apiOwn = ownCpu(a.cpu);
        const sqlOwn = sqlClosed[i] ? ownCpu(sqlClosed[i].cpu) : null;
        return apiOwn !== null && sqlOwn !== null ? { apiOwn, sqlOwn } : null;
      });
      if (owns.every((o) => o !== null)) {
        const apiOwn = median(owns.map((o) => o.apiOwn));
        const sqlOwn = median(owns.map((o) => o.sqlOwn));
        log(
          `  (own CPU per call, medians: ${side} ${fmt(apiOwn, 2)} ms, baseline ${fmt(sqlOwn, 2)} ms: a CPU-bound ratio of ${fmt((sqlOwn / apiOwn) * 100, 0)}%)`,
        );
      }
    }
    for (const apiRate of outcomes.filter(
      (o) => o.phase === 'rate' && o.side !== 'SQL' && o.run.offered === targetRate,
    ))
      log(
        `- ${apiRate.side === 'API' ? 'API' : '"before" API'} p99 at ${targetRate} req/s offered (open loop): ` +
          `${fmt(apiRate.p99, 2)} ms (target 50 ms): ${apiRate.p99 < 50 && apiRate.errors === 0 ? 'met' : 'MISSED'}`,
      );
    const lost = outcomes.filter(lostOf);
    log(
      `- nothing lost (a click event stored for every 2xx answer, a lead for every 201, in every measurement): ${lost.length === 0 ? 'met' : 'MISSED'}` +
        (outcomes.every(exact) ? '; every count exact' : ''),
    );
    for (const o of lost)
      log(
        `  - ${phaseLabel(o)} ${o.side}: ${o.ok} 2xx but ${o.stored.clicks} click events, ${o.created} × 201 but ${o.stored.leads} leads`,
      );
    log(`\nTotal time ${fmt((performance.now() - started) / 1000)} s.`);
    if (lost.length > 0) process.exitCode = 1;
  } finally {
    await api?.stop();
    await beforeApi?.stop();
    await jobs?.stop();
    await appPool.end();
    await owner.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
