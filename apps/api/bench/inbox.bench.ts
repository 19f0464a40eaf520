/**
 * Inbox benchmark: GET /api/v1/tenants/{tenantId}/leads through HTTP (autocannon) next to the same keyset query
 * run straight through `pg`, on a seeded database of 1,000,000 leads over 2,000 tenants. See docs/benchmarks.md.
 *
 *   npm run bench:inbox
 *
 * Settings (environment): BENCH_DATABASE_URL (else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 * names the server; the database BENCH_DB_NAME (techmarket_bench) is created on it and reused while seeded;
 * BENCH_RESEED=1 rebuilds it. BENCH_SECONDS (10) per measurement, BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (16),
 * BENCH_DEEP_PAGES (40), BENCH_ROUNDS (1: SQL then API, alternated this many times per scenario),
 * BENCH_SCENARIOS (a comma list of scenario keys), BENCH_SQL_ONLY=1 skips the API,
 * BENCH_API_NODE_OPTIONS adds Node flags to the API process (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof),
 * BENCH_RATE (200: the pages/s offered in the open loop after the closed loop, each side; 0 skips it),
 * BENCH_LEADS (1,000,000: a smaller database, e.g. 20000, seeds in seconds to check the bench itself; it gets its own
 * database, techmarket_bench_<leads>, unless BENCH_DB_NAME names one).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LeadPriority, type LeadStatus, leadPriorities, leadStatuses } from '@techmarket/contracts';
import autocannon from 'autocannon';
import pg from 'pg';
import { APP_ROLE } from '../src/platform/db';
import { hashSecret, newSecret } from '../src/platform/tokens';
import type { ParentMessage, ServerMessage, TailStats } from './api-server';
import { type FixedRateRun, fixedRate, intEnv, percentile } from './harness';
import { defaultPlan, ensureBenchDatabase, type SeedPlan } from './seed';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (line: string) => console.log(line);

const leads = intEnv('BENCH_LEADS', defaultPlan.totalLeads);

/** The default plan, scaled to BENCH_LEADS: as many tenants per lead, the 5 big ones with 5% of the leads each. */
function scaledPlan(total: number): SeedPlan {
  if (total === defaultPlan.totalLeads) return defaultPlan;
  const share = total / defaultPlan.totalLeads;
  return {
    tenants: Math.max(defaultPlan.bigTenants + 5, Math.round(defaultPlan.tenants * share)),
    bigTenants: defaultPlan.bigTenants,
    bigTenantLeads: Math.max(1, Math.round(defaultPlan.bigTenantLeads * share)),
    totalLeads: Math.round(total),
  };
}

/** BENCH_RATE: 0 skips the open loop. */
function openLoopRate(): number {
  const raw = process.env.BENCH_RATE;
  if (raw === undefined || raw === '') return 200;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate < 0) throw new Error(`BENCH_RATE must be a rate (or 0), got "${raw}"`);
  return rate;
}

const settings = {
  serverUrl:
    process.env.BENCH_DATABASE_URL ||
    process.env.DATABASE_URL ||
    'postgres://postgres@127.0.0.1:5432/postgres',
  // A smaller plan never replaces the 1M-lead database (a plan that differs from the seeded one is rebuilt).
  databaseName:
    process.env.BENCH_DB_NAME ||
    (leads === defaultPlan.totalLeads ? 'techmarket_bench' : `techmarket_bench_${Math.round(leads)}`),
  plan: scaledPlan(leads),
  rate: openLoopRate(),
  reseed: process.env.BENCH_RESEED === '1',
  seconds: intEnv('BENCH_SECONDS', 10),
  warmupSeconds: intEnv('BENCH_WARMUP_SECONDS', 2),
  connections: intEnv('BENCH_CONNECTIONS', 16),
  deepPages: intEnv('BENCH_DEEP_PAGES', 40),
  rounds: intEnv('BENCH_ROUNDS', 1),
  pageSize: 50,
  sqlOnly: process.env.BENCH_SQL_ONLY === '1',
  only: (process.env.BENCH_SCENARIOS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
};

// ---------------------------------------------------------------------------------------------------------------
// Measurements

/**
 * CPU time per call, in ms: the whole machine, the API process, the load generator (this process), the PostgreSQL
 * server processes, and "other", what is left: a large "other" means something else ran and the figures are noisy.
 */
interface CpuPerCall {
  machine: number | null;
  /** The API process; null for the SQL baseline. */
  server: number | null;
  /** This process: autocannon for the API, the pg client for SQL. */
  client: number;
  /** The local PostgreSQL processes; null when the server is not on this machine. */
  postgres: number | null;
  other: number | null;
}

interface Measurement {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  cpu: CpuPerCall;
  latencies: number[];
}

/** Rounds of one side, as one measurement: latencies pooled, CPU per call weighted by each round's calls. */
function combine(rounds: Measurement[]): Measurement {
  const calls = rounds.reduce((sum, m) => sum + m.requests, 0);
  const weighted = (pick: (cpu: CpuPerCall) => number | null): number | null => {
    let total = 0;
    for (const m of rounds) {
      const value = pick(m.cpu);
      if (value === null) return null;
      total += value * m.requests;
    }
    return total / Math.max(1, calls);
  };
  return summarize(
    rounds.flatMap((m) => m.latencies),
    rounds.reduce((sum, m) => sum + m.errors, 0),
    rounds.reduce((sum, m) => sum + m.seconds, 0),
    {
      machine: weighted((cpu) => cpu.machine),
      server: weighted((cpu) => cpu.server),
      client: weighted((cpu) => cpu.client) ?? 0,
      postgres: weighted((cpu) => cpu.postgres),
      other: weighted((cpu) => cpu.other),
    },
  );
}

/** Busy CPU time of the whole machine so far, in microseconds, from /proc/stat (Linux); null elsewhere. */
function machineBusyMicros(): number | null {
  try {
    const [first = ''] = readFileSync('/proc/stat', 'utf8').split('\n');
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = first
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // /proc/stat counts in USER_HZ ticks, 100 a second on every Linux in use.
    return (user + nice + system + irq + softirq + steal) * 10_000;
  } catch {
    return null;
  }
}

const processMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

/**
 * CPU time so far of each local PostgreSQL backend connected to the bench database, in microseconds by pid; null
 * when there is none (or no /proc). Per pid, so that a backend that ends during a measurement does not take its
 * earlier time with it. Backends of other databases (tests running on the same server) count as "other".
 */
function postgresMicros(): Map<number, number> | null {
  const times = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process ended meanwhile
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    if (!isBenchBackend(entry)) continue;
    // After "pid (comm) ": state, ppid, ... utime is the 14th field of the line, stime the 15th.
    const fields = stat.slice(close + 2).split(' ');
    times.set(Number(entry), (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10_000);
  }
  return times.size > 0 ? times : null;
}

/** A backend's title is `postgres: [cluster: ]user database host(port) state`. */
function isBenchBackend(pid: string): boolean {
  let title: string;
  try {
    title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return false;
  }
  const words = title.replace(/^postgres: (?:\S+: )?/, '').split(' ');
  return words[1] === settings.databaseName;
}

function postgresUsed(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let used = 0;
  for (const [pid, micros] of after) used += micros - (before.get(pid) ?? 0);
  return used;
}

/** Counts CPU time from now: the machine's, this process's, PostgreSQL's and optionally the API process's. */
function cpuMeter(serverMicros?: () => Promise<number>) {
  const machine = machineBusyMicros();
  const database = postgresMicros();
  const self = process.cpuUsage();
  const serverBefore = serverMicros?.();
  return async (calls: number): Promise<CpuPerCall> => {
    const machineAfter = machineBusyMicros();
    const databaseAfter = postgresMicros();
    const clientUsed = processMicros(process.cpuUsage(self));
    const serverUsed = serverMicros && serverBefore ? (await serverMicros()) - (await serverBefore) : null;
    const machineUsed = machine !== null && machineAfter !== null ? machineAfter - machine : null;
    const databaseUsed = postgresUsed(database, databaseAfter);
    const perCall = (micros: number) => micros / 1000 / Math.max(1, calls);
    return {
      machine: machineUsed === null ? null : perCall(machineUsed),
      server: serverUsed === null ? null : perCall(serverUsed),
      client: perCall(clientUsed),
      postgres: databaseUsed === null ? null : perCall(databaseUsed),
      other:
        machineUsed === null
          ? null
          : perCall(machineUsed - clientUsed - (serverUsed ?? 0) - (databaseUsed ?? 0)),
    };
  };
}

/**
 * On a saturated machine, throughput is inversely proportional to CPU per call; this ratio ignores "other".
 * PostgreSQL's share still counts every local backend, so a neighbour's queries inflate both sides.
 */
function cpuRatio(api: CpuPerCall, sql: CpuPerCall): number | null {
  if (api.server === null || api.postgres === null || sql.postgres === null) return null;
  return (sql.client + sql.postgres) / (api.server + api.client + api.postgres);
}

function summarize(latencies: number[], errors: number, seconds: number, cpu: CpuPerCall): Measurement {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    cpu,
    latencies,
  };
}

/** A closed loop of `connections` workers, each sending the next query as soon as the last one answered. */
async function loadSql(pool: pg.Pool, query: pg.QueryConfig, connections: number, seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const meter = cpuMeter();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        await pool.query(query);
        latencies.push(performance.now() - sent);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return summarize(latencies, errors, elapsed, await meter(latencies.length));
}

/** The same closed loop over HTTP: autocannon with `connections` keep-alive connections, no pipelining. */
function loadApi(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<{ latencies: number[]; errors: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let failures = 0;
    const instance = autocannon(
      { url, headers, connections, duration: seconds, pipelining: 1 },
      (error, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000;
        resolve({ latencies, errors: failures + result.errors + result.timeouts, seconds: elapsed });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else failures += 1;
    });
  });
}

/** One GET over a keep-alive agent, for the open loop (autocannon has no fixed-rate schedule without bursts). */
function httpGet(agent: http.Agent, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** An open loop's figures: what was served of what was offered, and the latencies from when each call was due. */
interface OpenLoop {
  offered: number;
  served: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  sendLagP99: number;
}

function openLoopOf(offered: number, run: FixedRateRun): OpenLoop {
  const sorted = Float64Array.from(run.latencies).sort();
  let errors = run.failures;
  for (const [status, n] of run.statuses) if (status < 200 || status >= 300) errors += n;
  return {
    offered,
    served: run.latencies.length / run.seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    errors,
    sendLagP99: run.sendLagP99,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The API process

class ApiProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {}

  static start(databaseUrl: string): Promise<ApiProcess> {
    const extra = (process.env.BENCH_API_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
    const child = fork(path.join(here, 'api-server.ts'), [], {
      env: { ...process.env, BENCH_API_DATABASE_URL: databaseUrl },
      execArgv: [...process.execArgv, ...extra],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the API did not start within 60 s'));
      }, 60_000);
      const onMessage = (message: ServerMessage) => {
        if (message.type === 'listening') {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(new ApiProcess(child, `http://127.0.0.1:${message.port}`));
        } else if (message.type === 'error') {
          clearTimeout(timer);
          reject(new Error(message.message));
        }
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`the API process exited with code ${code}`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  /** CPU time used so far by the API process, in microseconds. */
  cpu(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type !== 'cpu') return;
        this.child.off('message', onMessage);
        resolve(message.user + message.system);
      };
      this.child.on('message', onMessage);
      this.send({ type: 'cpu' });
    });
  }

  /** Starts counting the API's handler times, event-loop delay and GC pauses afresh. */
  resetTail() {
    this.send({ type: 'tail-reset' });
  }

  /** What the API process saw since resetTail. */
  tail(): Promise<TailStats> {
    return new Promise((resolve) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type !== 'tail') return;
        this.child.off('message', onMessage);
        const { type: _type, ...stats } = message;
        resolve(stats);
      };
      this.child.on('message', onMessage);
      this.send({ type: 'tail' });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private send(message: ParentMessage) {
    this.child.send(message);
  }
}

interface ApiPage {
  ids: string[];
  nextCursor: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function fetchPage(url: string, token: string): Promise<ApiPage> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${JSON.stringify(body)}`);
  if (!isRecord(body) || !Array.isArray(body.items)) throw new Error(`GET ${url}: no items in the answer`);
  const ids = body.items.map((item: unknown) =>
    isRecord(item) && typeof item.id === 'string' ? item.id : '',
  );
  const nextCursor = typeof body.nextCursor === 'string' ? body.nextCursor : null;
  return { ids, nextCursor };
}

// ---------------------------------------------------------------------------------------------------------------
// The raw SQL baseline: the keyset page the leads repository runs, as the owner, in autocommit

interface Filters {
  status?: string;
  branchId?: string;
}
interface Keyset {
  priority: string;
  createdAt: string;
  id: string;
}

function inboxSql(tenantId: string, filters: Filters, cursor: Keyset | null, limit: number): pg.QueryConfig {
  const values: unknown[] = [tenantId];
  const where = ['l.tenant_id = $1'];
  if (filters.status) {
    values.push(leadStatuses.indexOf(filters.status as LeadStatus));
    where.push(`l.status_code = $${values.length}::smallint`);
  }
  if (filters.branchId) {
    values.push(filters.branchId);
    where.push(`l.branch_id = $${values.length}::uuid`);
  }
  if (cursor) {
    values.push(leadPriorities.indexOf(cursor.priority as LeadPriority), cursor.createdAt, cursor.id);
    const n = values.length;
    where.push(
      `(l.priority_rank, l.created_at, l.id) > ($${n - 2}::smallint, $${n - 1}::timestamptz, $${n}::uuid)`,
    );
  }
  values.push(limit + 1);
  return {
    text: `select l.*, c.name as contact_name, c.phone as contact_phone
             from lead l join contact c on c.tenant_id = l.tenant_id and c.id = l.contact_id
            where ${where.join(' and ')}
            order by l.priority_rank, l.created_at, l.id
            limit $${values.length}`,
    values,
  };
}

async function keysetAt(pool: pg.Pool, tenantId: string, offset: number): Promise<Keyset> {
  const { rows } = await pool.query<{ priority: string; created_at: string; id: string }>(
    `select priority::text as priority,
            to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, id
       from lead where tenant_id = $1 order by priority_rank, created_at, id offset $2 limit 1`,
    [tenantId, offset],
  );
  const row = rows[0];
  if (!row) throw new Error(`tenant ${tenantId} has fewer than ${offset + 1} leads`);
  return { priority: row.priority, createdAt: row.created_at, id: row.id };
}

interface PlanSummary {
  executionMs: number;
  /** Rows of `lead` read and thrown away by a Filter: the work an Index Cond would have skipped. */
  leadRowsFiltered: number;
}

function leadRowsFiltered(node: unknown): number {
  if (!isRecord(node)) return 0;
  const own = node['Relation Name'] === 'lead' ? Number(node['Rows Removed by Filter'] ?? 0) : 0;
  const children = Array.isArray(node.Plans) ? node.Plans : [];
  return children.reduce((sum: number, child: unknown) => sum + leadRowsFiltered(child), own);
}

/**
 * EXPLAIN ANALYZE of the baseline query, as the owner (what the baseline measures) or as the app role with the
 * tenant set (what the API's transaction sees: row-level security applies). The best of three runs.
 */
async function explain(
  pool: pg.Pool,
  query: pg.QueryConfig,
  tenantId: string,
  asApp: boolean,
): Promise<PlanSummary> {
  const client = await pool.connect();
  try {
    let best: PlanSummary | null = null;
    for (let run = 0; run < 3; run += 1) {
      await client.query('begin');
      if (asApp) {
        await client.query(`set local role ${APP_ROLE}`);
        await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      }
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>({
        text: `explain (analyze, format json) ${query.text}`,
        values: query.values,
      });
      await client.query('rollback');
      const plans: unknown = rows[0]?.['QUERY PLAN'];
      const document: unknown = Array.isArray(plans) ? plans[0] : undefined;
      const executionMs = isRecord(document) ? Number(document['Execution Time'] ?? Number.NaN) : Number.NaN;
      const filtered = isRecord(document) ? leadRowsFiltered(document.Plan) : 0;
      if (!best || executionMs < best.executionMs) best = { executionMs, leadRowsFiltered: filtered };
    }
    return best ?? { executionMs: Number.NaN, leadRowsFiltered: 0 };
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface Scenario {
  key: string;
  label: string;
  filters: Filters;
  deep: boolean;
}

interface Outcome {
  scenario: Scenario;
  sql: Measurement;
  api: Measurement | null;
  /** Whether the API's page held the same 50 ids, in the same order, as the SQL page. */
  samePage: boolean | null;
  ownerPlan: PlanSummary;
  appPlan: PlanSummary;
  /** The open loop at BENCH_RATE pages/s offered, each side; null when skipped. */
  openSql: OpenLoop | null;
  openApi: OpenLoop | null;
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const fmtInt = (value: number) => Math.round(value).toLocaleString('en-US');

async function main() {
  const started = performance.now();
  log(`# Inbox benchmark\n`);
  const bench = await ensureBenchDatabase({
    serverUrl: settings.serverUrl,
    name: settings.databaseName,
    reseed: settings.reseed,
    plan: settings.plan,
    log,
  });

  const pool = new pg.Pool({ connectionString: bench.url, max: settings.connections });
  let api: ApiProcess | null = null;
  try {
    const info = await pool.query<{
      version: string;
      shared_buffers: string;
      leads: string;
      tenants: string;
    }>(
      `select current_setting('server_version') as version, current_setting('shared_buffers') as shared_buffers,
              (select sum(lead_count) from bench.tenant_plan)::text as leads,
              (select count(*) from bench.tenant_plan)::text as tenants`,
    );
    const tenantRow = await pool.query<{ id: string; lead_count: number; branch_id: string }>(
      `select id, lead_count, bench.uid('branch-' || no || '-1') as branch_id from bench.tenant_plan where no = 1`,
    );
    const measured = tenantRow.rows[0];
    const server = info.rows[0];
    if (!measured || !server) throw new Error('the bench database has no tenant plan');
    const tenantId = measured.id;
    const counts = await pool.query<{ new_leads: string; branch_leads: string }>(
      `select count(*) filter (where status = 'NEW')::text as new_leads,
              count(*) filter (where branch_id = $2)::text as branch_leads
         from lead where tenant_id = $1`,
      [tenantId, measured.branch_id],
    );
    const newLeads = Number(counts.rows[0]?.new_leads ?? 0);
    const branchLeads = Number(counts.rows[0]?.branch_leads ?? 0);

    // A session for an OWNER of the measured tenant, made in SQL so the bench does not depend on the identity module.
    const token = newSecret('tms');
    await pool.query(
      `insert into app_user (id, tenant_id, email, name, role, password_hash, created_at, updated_at)
       values (bench.uid('bench-owner'), $1, 'bench-owner@bench.techmarket.test', 'Bench Owner', 'OWNER', null, now(), now())
       on conflict (tenant_id, id) do nothing`,
      [tenantId],
    );
    await pool.query(`delete from session where user_agent = 'inbox-bench' and expires_at < now()`);
    await pool.query(
      `insert into session (id, tenant_id, user_id, token_hash, user_agent, created_at, last_seen_at, expires_at)
       values (gen_random_uuid(), $1, bench.uid('bench-owner'), $2, 'inbox-bench', now(), now(), now() + interval '1 day')`,
      [tenantId, hashSecret(token)],
    );

    if (!settings.sqlOnly) {
      try {
        api = await ApiProcess.start(bench.url);
        log(`API listening on ${api.baseUrl}`);
      } catch (error) {
        log(
          `\nThe API could not start, measuring SQL only:\n${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    }

    const scenarios: Scenario[] = [
      { key: 'priority', label: 'sort=priority (first page)', filters: {}, deep: false },
      { key: 'status', label: 'status=NEW', filters: { status: 'NEW' }, deep: false },
      {
        key: 'branch',
        label: 'branchId=<main branch>',
        filters: { branchId: measured.branch_id },
        deep: false,
      },
      { key: 'deep', label: `cursor ${settings.deepPages} pages deep`, filters: {}, deep: true },
    ].filter((s) => settings.only.length === 0 || settings.only.includes(s.key));

    const outcomes: Outcome[] = [];
    for (const scenario of scenarios) {
      log(`\n## ${scenario.label}`);
      const params = new URLSearchParams({ sort: 'priority', limit: String(settings.pageSize) });
      if (scenario.filters.status) params.set('status', scenario.filters.status);
      if (scenario.filters.branchId) params.set('branchId', scenario.filters.branchId);
      const listUrl = () => `${api?.baseUrl}/api/v1/tenants/${tenantId}/leads?${params}`;

      let cursor: Keyset | null = null;
      if (scenario.deep) {
        cursor = await keysetAt(pool, tenantId, settings.deepPages * settings.pageSize - 1);
        if (api) {
          // Follow nextCursor page by page, as a seller scrolling would.
          for (let page = 1; page <= settings.deepPages; page += 1) {
            const { nextCursor } = await fetchPage(listUrl(), token);
            if (!nextCursor) throw new Error(`no nextCursor after page ${page}`);
            params.set('cursor', nextCursor);
          }
        }
      }
      const query = inboxSql(tenantId, scenario.filters, cursor, settings.pageSize);
      const sqlIds = (await pool.query<{ id: string }>(query)).rows
        .slice(0, settings.pageSize)
        .map((r) => r.id);
      let samePage: boolean | null = null;
      if (api) {
        const page = await fetchPage(listUrl(), token);
        samePage = page.ids.length === sqlIds.length && page.ids.every((id, i) => id === sqlIds[i]);
        if (!samePage)
          log(
            `  warning: the API page and the SQL page differ (${page.ids.length} vs ${sqlIds.length} rows)`,
          );
      }
      log(`  ${sqlIds.length} rows a page; warming up ${settings.warmupSeconds} s`);
      await loadSql(pool, query, settings.connections, settings.warmupSeconds);
      const headers = { authorization: `Bearer ${token}` };
      if (api) await loadApi(listUrl(), headers, settings.connections, settings.warmupSeconds);

      // Alternating the two sides round by round spreads whatever else runs on the machine over both.
      const sqlRounds: Measurement[] = [];
      const apiRounds: Measurement[] = [];
      for (let round = 0; round < settings.rounds; round += 1) {
        const sqlRound = await loadSql(pool, query, settings.connections, settings.seconds);
        sqlRounds.push(sqlRound);
        log(
          `  SQL: ${fmtInt(sqlRound.rps)} req/s, p50 ${fmt(sqlRound.p50, 2)} ms, p99 ${fmt(sqlRound.p99, 2)} ms`,
        );
        if (api) {
          const server = api;
          const meter = cpuMeter(() => server.cpu());
          const run = await loadApi(listUrl(), headers, settings.connections, settings.seconds);
          const apiRound = summarize(
            run.latencies,
            run.errors,
            run.seconds,
            await meter(run.latencies.length),
          );
          apiRounds.push(apiRound);
          log(
            `  API: ${fmtInt(apiRound.rps)} req/s, p50 ${fmt(apiRound.p50, 2)} ms, p99 ${fmt(apiRound.p99, 2)} ms` +
              (apiRound.errors ? `, ${apiRound.errors} errors` : ''),
          );
        }
      }
      const sql = combine(sqlRounds);
      const apiMeasurement = api ? combine(apiRounds) : null;

      // The open loop: page i is due at start + i / rate and sent then, answered or not; latency from when it was
      // due, so a stall is charged to every page it delays. A seller's inbox polls; it does not wait for the others.
      let openSql: OpenLoop | null = null;
      let openApi: OpenLoop | null = null;
      if (settings.rate > 0) {
        const rate = settings.rate;
        openSql = openLoopOf(
          rate,
          await fixedRate(rate, settings.seconds, async () => {
            await pool.query(query);
            return 200;
          }),
        );
        log(
          `  SQL at ${rate}/s offered: ${fmtInt(openSql.served)}/s served, p50 ${fmt(openSql.p50, 2)} ms, ` +
            `p99 ${fmt(openSql.p99, 2)} ms`,
        );
        if (api) {
          const agent = new http.Agent({ keepAlive: true });
          const server = api;
          server.resetTail();
          try {
            openApi = openLoopOf(
              rate,
              await fixedRate(rate, settings.seconds, () => httpGet(agent, listUrl(), headers)),
            );
          } finally {
            agent.destroy();
          }
          const tail = await server.tail();
          log(
            `  API at ${rate}/s offered: ${fmtInt(openApi.served)}/s served, p50 ${fmt(openApi.p50, 2)} ms, ` +
              `p99 ${fmt(openApi.p99, 2)} ms` +
              (openApi.errors ? `, ${openApi.errors} errors` : ''),
          );
          // Where the tail is made: inside the handler (its p99), the API's event loop running late (a page
          // waits for it before and after its query), GC pauses; what is left is outside the API process.
          log(
            `    inside the API: handler p50 ${fmt(tail.handlerP50, 2)} ms, p99 ${fmt(tail.handlerP99, 2)} ms, ` +
              `max ${fmt(tail.handlerMax)} ms; event-loop delay p99 ${fmt(tail.loopDelayP99, 2)} ms, ` +
              `max ${fmt(tail.loopDelayMax)} ms; GC ${tail.gcCount} pauses, ${fmt(tail.gcTotal)} ms in all, ` +
              `longest ${fmt(tail.gcMax, 2)} ms`,
          );
        }
      }
      const ownerPlan = await explain(pool, query, tenantId, false);
      const appPlan = await explain(pool, query, tenantId, true);
      outcomes.push({ scenario, sql, api: apiMeasurement, samePage, ownerPlan, appPlan, openSql, openApi });
    }

    // The report, in markdown, ready for docs/benchmarks.md.
    const cpus = os.cpus();
    log(`\n## Results\n`);
    log(
      `Machine: ${os.availableParallelism()} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
        `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, Node ${process.version}, ` +
        `PostgreSQL ${server.version} (shared_buffers ${server.shared_buffers}), ${os.type()} ${os.release()}.`,
    );
    log(
      `Data: ${fmtInt(Number(server.leads))} leads over ${fmtInt(Number(server.tenants))} tenants; the measured tenant has ` +
        `${fmtInt(measured.lead_count)} leads (${fmtInt(newLeads)} NEW, ${fmtInt(branchLeads)} in its main branch). ` +
        `${settings.connections} connections, ${settings.rounds > 1 ? `${settings.rounds} alternating rounds of ` : ''}` +
        `${settings.seconds} s per measurement after ${settings.warmupSeconds} s of warm-up, ` +
        `pages of ${settings.pageSize}.` +
        (bench.seedSeconds !== null ? ` Seeding took ${fmt(bench.seedSeconds)} s.` : ''),
    );
    log('');
    log(
      '| scenario | API req/s | API p50 ms | API p99 ms | SQL req/s | SQL p50 ms | SQL p99 ms | API/SQL | API/SQL by CPU |',
    );
    log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const { scenario, sql, api: a } of outcomes) {
      const byCpu = a ? cpuRatio(a.cpu, sql.cpu) : null;
      log(
        `| ${scenario.label} | ${a ? fmtInt(a.rps) : '-'} | ${a ? fmt(a.p50, 2) : '-'} | ${a ? fmt(a.p99, 2) : '-'} | ` +
          `${fmtInt(sql.rps)} | ${fmt(sql.p50, 2)} | ${fmt(sql.p99, 2)} | ${a ? fmt(a.rps / sql.rps, 2) : '-'} | ` +
          `${byCpu === null ? '-' : fmt(byCpu, 2)} |`,
      );
    }
    log(
      '\n"API/SQL by CPU" is the throughput ratio the two would have on a machine they had to themselves: the CPU ' +
        'one SQL call costs (pg client and PostgreSQL) over the CPU one API call costs (API process, autocannon and ' +
        'PostgreSQL). It leaves out "other", so it moves less than the measured ratio when something else runs.',
    );
    if (settings.rate > 0) {
      log(
        `\nOpen loop: ${settings.rate} pages/s offered for ${settings.seconds} s, each side in turn; latency from when ` +
          'each call was due; "send lag" is how late the generator sent, p99.\n',
      );
      log(
        '| scenario | API served/s | API p50 ms | API p99 ms | API errors | SQL served/s | SQL p50 ms | SQL p99 ms | send lag p99 ms (API) |',
      );
      log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const { scenario, openSql: o, openApi: a } of outcomes) {
        if (!o) continue;
        log(
          `| ${scenario.label} | ${a ? fmtInt(a.served) : '-'} | ${a ? fmt(a.p50, 2) : '-'} | ${a ? fmt(a.p99, 2) : '-'} | ` +
            `${a ? a.errors : '-'} | ${fmtInt(o.served)} | ${fmt(o.p50, 2)} | ${fmt(o.p99, 2)} | ${a ? fmt(a.sendLagP99, 2) : '-'} |`,
        );
      }
    }
    log('');
    log(
      'CPU time per call, in ms: the whole machine, then the API process (or nothing, for SQL), the load generator ' +
        '(autocannon, or the pg client), the PostgreSQL processes, and other (anything else that ran).\n',
    );
    log(
      '| scenario | side | machine | API process | load generator | PostgreSQL | other | same page |\n' +
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    const ms = (value: number | null | undefined) =>
      value === null || value === undefined ? '-' : fmt(value, 2);
    const cpuRow = (label: string, side: string, cpu: CpuPerCall, same: string) =>
      `| ${label} | ${side} | ${ms(cpu.machine)} | ${ms(cpu.server)} | ${ms(cpu.client)} | ${ms(cpu.postgres)} | ${ms(cpu.other)} | ${same} |`;
    for (const { scenario, sql, api: a, samePage } of outcomes) {
      if (a) log(cpuRow(scenario.label, 'API', a.cpu, samePage === null ? '-' : samePage ? 'yes' : 'NO'));
      log(cpuRow(scenario.label, 'SQL', sql.cpu, ''));
    }
    log(
      '\nThe same query under EXPLAIN ANALYZE: as the owner (the baseline above), and as the app role with the tenant ' +
        'set, where row-level security applies. "Filtered" counts lead rows read and discarded: the keyset or ' +
        'filter was not an index condition.\n',
    );
    log('| scenario | owner: execution ms | owner: filtered | app role: execution ms | app role: filtered |');
    log('| --- | ---: | ---: | ---: | ---: |');
    for (const { scenario, ownerPlan, appPlan } of outcomes) {
      log(
        `| ${scenario.label} | ${fmt(ownerPlan.executionMs, 2)} | ${fmtInt(ownerPlan.leadRowsFiltered)} | ` +
          `${fmt(appPlan.executionMs, 2)} | ${fmtInt(appPlan.leadRowsFiltered)} |`,
      );
    }
    const noisy = outcomes
      .flatMap((o) => [o.sql, ...(o.api ? [o.api] : [])])
      .some((m) => {
        const { machine, other } = m.cpu;
        return machine !== null && other !== null && other > 0.1 * machine;
      });
    if (noisy)
      log(
        '\nwarning: other processes used more than 10% of the CPU during a measurement: the figures are noisy',
      );
    const failed = outcomes.filter(
      (o) =>
        (o.api?.errors ?? 0) > 0 ||
        o.sql.errors > 0 ||
        (o.openApi?.errors ?? 0) > 0 ||
        (o.openSql?.errors ?? 0) > 0,
    );
    for (const o of failed)
      log(
        `\n${o.scenario.label}: ${(o.api?.errors ?? 0) + (o.openApi?.errors ?? 0)} API errors, ` +
          `${o.sql.errors + (o.openSql?.errors ?? 0)} SQL errors`,
      );

    const first = outcomes.find((o) => o.scenario.key === 'priority');
    log('\n## Targets\n');
    if (first?.openApi) {
      const ok = first.openApi.p99 < 25 && first.openApi.errors === 0;
      log(
        `- API p99 under 25 ms at ${first.openApi.offered} pages/s offered (open loop), a 50-row page of the largest ` +
          `tenant: ${fmt(first.openApi.p99, 2)} ms (raw SQL in the same run: ${fmt(first.openSql?.p99 ?? Number.NaN, 2)} ms), ` +
          `${first.openApi.errors} errors, ${ok ? 'met' : 'MISSED'}`,
      );
    } else if (first?.api) {
      log(
        `- API p99 at ${settings.connections} connections (closed loop, no target): ${fmt(first.api.p99, 2)} ms`,
      );
    }
    for (const { scenario, sql, api: a } of outcomes) {
      if (!a) continue;
      const ratio = a.rps / sql.rps;
      const byCpu = cpuRatio(a.cpu, sql.cpu);
      log(
        `- ${scenario.label}: API at ${fmt(ratio * 100, 0)}% of raw SQL throughput, ${ratio >= 0.5 ? 'met' : 'MISSED'}` +
          (byCpu === null ? '' : ` (${fmt(byCpu * 100, 0)}% by CPU per call)`),
      );
    }
    if (!api) log('- API not measured');
    log(`\nTotal time ${fmt((performance.now() - started) / 1000)} s.`);
  } finally {
    await api?.stop();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
