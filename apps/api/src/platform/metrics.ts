import type pg from 'pg';
import client from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client's default registry: one per process, whatever number of apps a
 * test builds in it). Counters are bumped where the thing happens; gauges that cost a query (job queues, webhook
 * lag) are read when Prometheus scrapes, at most once per OBSERVED_TTL_MS, so a scrape every second costs
 * PostgreSQL one pair of small queries every few seconds. Every name is listed in METRIC_NAMES, which the Grafana
 * dashboard (deploy/grafana/techmarket.json) is checked against.
 */
export const registry = client.register;

const OBSERVED_TTL_MS = 5000;

/** The request latency buckets, seconds: tracking's goal is tens of milliseconds, an export takes seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new client.Histogram({
  name: 'techmarket_http_request_duration_seconds',
  help: 'HTTP requests answered, by route pattern, method and status class (1xx..5xx), with their latency',
  labelNames: ['route', 'method', 'status_class'] as const,
  buckets: LATENCY_BUCKETS,
});

export const errorsTotal = new client.Counter({
  name: 'techmarket_errors_total',
  help: 'Unexpected failures: 5xx answers (source=http) and job runs that threw (source=job)',
  labelNames: ['source'] as const,
});

export const dbSlotWaitsTotal = new client.Counter({
  name: 'techmarket_db_slot_waits_total',
  help: 'Connections PostgreSQL refused for want of a slot (53300), each then tried again',
});

export const dbNoSlotTotal = new client.Counter({
  name: 'techmarket_db_no_slot_total',
  help: 'Checkouts that gave up waiting for a PostgreSQL connection slot: answered 503 with Retry-After',
});

export const clicksTotal = new client.Counter({
  name: 'techmarket_clicks_total',
  help: 'Tracking clicks stored: WhatsApp button clicks (kind=whatsapp) and short-link visits (kind=link)',
  labelNames: ['kind'] as const,
});

export const leadsCreatedTotal = new client.Counter({
  name: 'techmarket_leads_created_total',
  help: 'Leads created, by any way in (API, tracking, WhatsApp, imports)',
});

export const webhookDeliveriesTotal = new client.Counter({
  name: 'techmarket_webhook_deliveries_total',
  help: 'WhatsApp webhook deliveries stored (acknowledged with a 200)',
});

export const redisFallbacksTotal = new client.Counter({
  name: 'techmarket_redis_fallbacks_total',
  help: 'Operations served by the in-process stand-in because Redis did not answer, by connection',
  labelNames: ['connection'] as const,
});

export const redisOutagesTotal = new client.Counter({
  name: 'techmarket_redis_outages_total',
  help: 'Times a Redis connection was marked away (then probed until it answers again)',
  labelNames: ['connection'] as const,
});

export const jobsTotal = new client.Counter({
  name: 'techmarket_jobs_total',
  help: 'Job runs finished in this process, by queue and outcome (completed, failed)',
  labelNames: ['queue', 'outcome'] as const,
});

export const jobDuration = new client.Histogram({
  name: 'techmarket_job_duration_seconds',
  help: 'How long one job run took, by queue',
  labelNames: ['queue'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
});

/** A pool whose use the metrics report: the app's pools (platform/db.ts) and the owner's. */
export type ObservedPool = Pick<pg.Pool, 'totalCount' | 'idleCount' | 'waitingCount'>;
const pools = new Map<string, Set<ObservedPool>>();

/** Reports `pool` under `name` until the returned function is called (when the pool ends). */
export function observePool(name: string, pool: ObservedPool): () => void {
  let named = pools.get(name);
  if (!named) {
    named = new Set();
    pools.set(name, named);
  }
  named.add(pool);
  return () => named.delete(pool);
}

new client.Gauge({
  name: 'techmarket_db_pool_connections',
  help: 'Connections of each database pool: open (total), idle, and checkouts waiting for one (waiting)',
  labelNames: ['pool', 'state'] as const,
  collect() {
    this.reset();
    for (const [name, set] of pools) {
      let total = 0;
      let idle = 0;
      let waiting = 0;
      for (const pool of set) {
        total += pool.totalCount;
        idle += pool.idleCount;
        waiting += pool.waitingCount;
      }
      this.set({ pool: name, state: 'total' }, total);
      this.set({ pool: name, state: 'idle' }, idle);
      this.set({ pool: name, state: 'waiting' }, waiting);
    }
  },
});

interface QueueRow {
  name: string;
  depth: string;
  oldest_seconds: string | null;
}
interface Observed {
  queues: QueueRow[] | null;
  webhookPending: number | null;
  webhookLagSeconds: number | null;
}

/** The owner connection the cross-tenant gauges read from (job queues, webhook lag); none in a bare app. */
let ownerPool: Pick<pg.Pool, 'query'> | null = null;
let observed: { at: number; value: Promise<Observed | null> } | null = null;

/**
 * Reads the job queues and the WhatsApp webhook backlog on `pool` (the owner's: pg-boss's schema and every
 * tenant's deliveries) when scraped. Returns the function that stops it.
 */
export function observeBacklog(pool: Pick<pg.Pool, 'query'>): () => void {
  ownerPool = pool;
  observed = null;
  return () => {
    if (ownerPool === pool) ownerPool = null;
    observed = null;
  };
}

/** One statement's rows, or null when it fails (the database away, pg-boss not installed yet). */
async function rowsOf<R extends pg.QueryResultRow>(pool: Pick<pg.Pool, 'query'>, text: string) {
  try {
    return (await pool.query<R>(text)).rows;
  } catch {
    return null;
  }
}

async function readBacklog(pool: Pick<pg.Pool, 'query'>): Promise<Observed> {
  // Jobs waiting to run (created or up for retry); the age counts only those already due: deferred ones are not
  // late yet.
  const queues = rowsOf<QueueRow>(
    pool,
    `select name, count(*) as depth,
            extract(epoch from now() - min(created_on) filter (where start_after <= now())) as oldest_seconds
       from pgboss.job
      where state < 'active'
      group by name`,
  );
  const webhooks = rowsOf<{ pending: string; lag_seconds: string | null }>(
    pool,
    `select count(*) as pending, extract(epoch from now() - min(received_at)) as lag_seconds
       from whatsapp_delivery where processed_at is null`,
  );
  const [queueRows, webhookRows] = await Promise.all([queues, webhooks]);
  const row = webhookRows?.[0];
  // What could not be read is left out of this scrape, not made up.
  return {
    queues: queueRows,
    webhookPending: row ? Number(row.pending) : null,
    webhookLagSeconds: row ? Number(row.lag_seconds ?? 0) : null,
  };
}

function backlog(): Promise<Observed | null> {
  const pool = ownerPool;
  if (!pool) return Promise.resolve(null);
  const now = Date.now();
  if (!observed || now - observed.at > OBSERVED_TTL_MS) observed = { at: now, value: readBacklog(pool) };
  return observed.value;
}

new client.Gauge({
  name: 'techmarket_job_queue_depth',
  help: 'Jobs waiting in each pg-boss queue (created or up for retry, due or deferred)',
  labelNames: ['queue'] as const,
  async collect() {
    this.reset();
    for (const row of (await backlog())?.queues ?? []) this.set({ queue: row.name }, Number(row.depth));
  },
});

new client.Gauge({
  name: 'techmarket_job_queue_oldest_seconds',
  help: 'Age of the oldest job of each pg-boss queue that is due and not yet started',
  labelNames: ['queue'] as const,
  async collect() {
    this.reset();
    for (const row of (await backlog())?.queues ?? [])
      this.set({ queue: row.name }, Number(row.oldest_seconds ?? 0));
  },
});

new client.Gauge({
  name: 'techmarket_webhook_pending',
  help: 'WhatsApp webhook deliveries stored and not yet processed',
  async collect() {
    const pending = (await backlog())?.webhookPending;
    if (pending !== undefined && pending !== null) this.set(pending);
  },
});

new client.Gauge({
  name: 'techmarket_webhook_lag_seconds',
  help: 'Age of the oldest WhatsApp webhook delivery stored and not yet processed (0 when none waits)',
  async collect() {
    const lag = (await backlog())?.webhookLagSeconds;
    if (lag !== undefined && lag !== null) this.set(lag);
  },
});

let defaultsCollected = false;

/**
 * Node's own metrics (memory, CPU, event loop lag, GC), labelled with the process's role so that the dashboard
 * tells API and worker processes apart. Once per process.
 */
export function collectProcessMetrics(role: string): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  registry.setDefaultLabels({ role });
  client.collectDefaultMetrics({ register: registry });
}

/** The metric names this process exposes (the dashboard's test checks every expression against them). */
export async function metricNames(): Promise<string[]> {
  const names: string[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    names.push(metric.name);
    if (String(metric.type) === 'histogram')
      names.push(`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`);
  }
  return names;
}
