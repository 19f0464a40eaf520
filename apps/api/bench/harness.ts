/**
 * Pieces the benchmarks share: their own database, the forked API process, CPU accounting per call and
 * percentiles, and a WhatsApp shop with Meta's signed webhooks (webhooks and soak). (inbox.bench.ts still carries
 * its own copies; it can move onto these.)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createCloudApiSimulator } from '../src/modules/whatsapp';
import type { ParentMessage, ServerMessage } from './api-server';

const here = path.dirname(fileURLToPath(import.meta.url));

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** Drops and creates the bench's own database on the server of `adminUrl`; answers its URL. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return databaseUrl(adminUrl, name);
}

/** The URL of database `name` on the server of `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** What a fixed-rate loop saw: the latency of each 2xx answer (ms, from when it was due) and every status. */
export interface FixedRateRun {
  latencies: number[];
  statuses: Map<number, number>;
  /** Connection errors and timeouts. */
  failures: number;
  seconds: number;
  /** How late calls were sent behind their schedule, p99, in ms. */
  sendLagP99: number;
}

/**
 * A fixed-rate (open) loop: call i is due at start + i / rate and is sent then, whether or not earlier calls have
 * answered. Latency counts from when the call was due, so a stall is charged to every call it delays (no
 * coordinated omission).
 */
export async function fixedRate(
  rate: number,
  seconds: number,
  send: () => Promise<number>,
): Promise<FixedRateRun> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const lags: number[] = [];
  const statuses = new Map<number, number>();
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && started + (next * 1000) / rate <= now) {
        const due = started + (next * 1000) / rate;
        lags.push(now - due);
        next += 1;
        inFlight.push(
          send().then(
            (status) => {
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
              if (status >= 200 && status < 300) latencies.push(performance.now() - due);
            },
            () => {
              failures += 1;
            },
          ),
        );
      }
      if (next >= total) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, started + (next * 1000) / rate - performance.now()));
    };
    tick();
  });
  await Promise.all(inFlight);
  const sortedLags = Float64Array.from(lags).sort();
  return {
    latencies,
    statuses,
    failures,
    seconds: (performance.now() - started) / 1000,
    sendLagP99: percentile(sortedLags, 0.99),
  };
}

/**
 * CPU time per call, in ms: the whole machine, the API process, the load generator (this process), the PostgreSQL
 * server processes, Redis, and "other", what is left: a large "other" means something else ran and the figures
 * are noisy.
 */
export interface CpuPerCall {
  machine: number | null;
  /** The API process; null for the SQL baseline. */
  server: number | null;
  /** This process: autocannon or the HTTP client for the API, the pg client for SQL. */
  client: number;
  /** The local PostgreSQL processes; null when the server is not on this machine. */
  postgres: number | null;
  /** The local redis-server; null when there is none. */
  redis: number | null;
  other: number | null;
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

/**
 * CPU time so far of each local process with this command name, in microseconds by pid; null when none. With
 * `title`, only the processes whose command line (a PostgreSQL backend's title names its database) passes it.
 */
function processTimes(command: string, title?: (cmdline: string) => boolean): Map<number, number> | null {
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
    if (stat.slice(stat.indexOf('(') + 1, close) !== command) continue;
    if (title) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        continue;
      }
      if (!title(cmdline)) continue;
    }
    // After "pid (comm) ": state, ppid, ... utime is the 14th field of the line, stime the 15th.
    const fields = stat.slice(close + 2).split(' ');
    times.set(Number(entry), (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10_000);
  }
  return times.size > 0 ? times : null;
}

function used(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let total = 0;
  for (const [pid, micros] of after) total += micros - (before.get(pid) ?? 0);
  return total;
}

const processMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

/**
 * Which PostgreSQL processes count: with a database name, that database's backends and the server's shared
 * background processes (WAL writer, checkpointer, background writer), not the backends of other databases that
 * may be busy on the same server; otherwise every process named postgres.
 */
const postgresFilter = (database?: string) =>
  database
    ? (cmdline: string) =>
        cmdline.includes(` ${database} `) || /: (walwriter|checkpointer|background writer)\b/.test(cmdline)
    : undefined;

/**
 * Counts CPU time from now: the machine's, this process's, PostgreSQL's, Redis's and optionally the API's.
 * `database` restricts the PostgreSQL figure to that database's backends (see postgresFilter).
 */
export function cpuMeter(serverMicros?: () => Promise<number>, database?: string) {
  const pgFilter = postgresFilter(database);
  const machine = machineBusyMicros();
  const databaseBefore = processTimes('postgres', pgFilter);
  const redis = processTimes('redis-server');
  const self = process.cpuUsage();
  const serverBefore = serverMicros?.();
  return async (calls: number): Promise<CpuPerCall> => {
    const machineAfter = machineBusyMicros();
    const databaseAfter = processTimes('postgres', pgFilter);
    const redisAfter = processTimes('redis-server');
    const clientUsed = processMicros(process.cpuUsage(self));
    const serverUsed = serverMicros && serverBefore ? (await serverMicros()) - (await serverBefore) : null;
    const machineUsed = machine !== null && machineAfter !== null ? machineAfter - machine : null;
    const databaseUsed = used(databaseBefore, databaseAfter);
    const redisUsed = used(redis, redisAfter);
    const perCall = (micros: number) => micros / 1000 / Math.max(1, calls);
    return {
      machine: machineUsed === null ? null : perCall(machineUsed),
      server: serverUsed === null ? null : perCall(serverUsed),
      client: perCall(clientUsed),
      postgres: databaseUsed === null ? null : perCall(databaseUsed),
      redis: redisUsed === null ? null : perCall(redisUsed),
      other:
        machineUsed === null
          ? null
          : perCall(machineUsed - clientUsed - (serverUsed ?? 0) - (databaseUsed ?? 0) - (redisUsed ?? 0)),
    };
  };
}

/** The node flags of `npm run start:api` in a checkout's apps/api (its package.json), up to its first --import. */
export function startFlags(apiDir: string): string[] {
  const scripts = JSON.parse(readFileSync(path.join(apiDir, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const words = (scripts['start:api'] ?? '').split(' ');
  const flags: string[] = [];
  for (const word of words.slice(words.indexOf('node') + 1)) {
    if (!word.startsWith('--') || word === '--import') break;
    flags.push(word);
  }
  return flags;
}

/** The API under test in its own process (bench/api-server.ts), built as `npm start` builds it. */
export class ApiProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {}

  /** `script`: another checkout's bench/api-server.ts, to measure that version of the API next to this one. */
  static start(
    databaseUrl: string,
    env: Record<string, string> = {},
    script = path.join(here, 'api-server.ts'),
  ): Promise<ApiProcess> {
    const extra = (process.env.BENCH_API_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
    // A built server (dist/api-server.js, `node build.mjs --bench`) runs under plain node with the start script's
    // flags; the sources under this process's loader (tsx).
    const built = script.endsWith('.js');
    const child = fork(script, [], {
      env: { ...process.env, ...env, BENCH_API_DATABASE_URL: databaseUrl },
      execArgv: built
        ? [...startFlags(path.resolve(path.dirname(script), '..')), ...extra]
        : [...process.execArgv, ...extra],
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

  /** The API process's id (its memory figures in /proc). */
  get pid(): number | undefined {
    return this.child.pid;
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

export const WEBHOOK_PATH = '/api/v1/webhooks/whatsapp';

/** A JSON call to the API (under /api/v1); throws on any status but 2xx. */
export async function apiCall(baseUrl: string, method: string, url: string, body: unknown, token?: string) {
  const response = await fetch(`${baseUrl}/api/v1${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

export interface WhatsappShop {
  tenantId: string;
  branchId: string;
  token: string;
  phoneNumberId: string;
  appSecret: string;
}

/** A shop whose branch is connected to a WhatsApp number, through the API as an owner would. */
export async function openWhatsappShop(
  baseUrl: string,
  signup: { tenantName: string; emailPrefix: string; branch?: Record<string, unknown> },
): Promise<WhatsappShop> {
  const created = await apiCall(baseUrl, 'POST', '/auth/signup', {
    tenantName: signup.tenantName,
    name: 'Dueña',
    email: `${signup.emailPrefix}-${randomBytes(4).toString('hex')}@example.com`,
    password: 'correct-horse-battery',
    ...(signup.branch ? { branch: signup.branch } : {}),
  });
  const tenantId = (created.tenant as { id: string }).id;
  const branchId = (created.branch as { id: string }).id;
  const token = created.token as string;
  const phoneNumberId = `1${String(Date.now()).padStart(14, '0')}`;
  const appSecret = randomBytes(16).toString('hex');
  await apiCall(
    baseUrl,
    'PUT',
    `/tenants/${tenantId}/branches/${branchId}/whatsapp-channel`,
    {
      phoneNumberId,
      businessAccountId: `2${String(Date.now()).padStart(14, '0')}`,
      accessToken: `EAAG${randomBytes(24).toString('hex')}`,
      appSecret,
      verifyToken: randomBytes(16).toString('hex'),
    },
    token,
  );
  return { tenantId, branchId, token, phoneNumberId, appSecret };
}

/** Meta's notifications, each a new message (a new wamid) from one of `customers` senders, signed like Meta's. */
export function signedDeliveries(shop: Pick<WhatsappShop, 'phoneNumberId' | 'appSecret'>, customers: number) {
  const sim = createCloudApiSimulator();
  sim.addNumber({
    phoneNumberId: shop.phoneNumberId,
    businessAccountId: '200000000000001',
    accessToken: 'unused',
    appSecret: shop.appSecret,
    displayPhoneNumber: '+51 900 000 000',
    verifiedName: 'Bench',
  });
  let n = 0;
  return () => {
    n++;
    const from = `519${String(10_000_000 + (n % customers)).slice(-8)}`;
    const { payload } = sim.customerMessage(shop.phoneNumberId, { from, text: `Hola, mensaje ${n}` });
    const body = JSON.stringify(payload);
    const signature = createHmac('sha256', shop.appSecret).update(body).digest('hex');
    return { body, signature };
  };
}

/** The headers of a signed delivery. */
export const webhookHeaders = (signature: string) => ({
  'content-type': 'application/json',
  'x-hub-signature-256': `sha256=${signature}`,
});
