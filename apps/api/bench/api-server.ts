/**
 * The API under test, in its own process (forked by inbox.bench.ts) so that the load generator does not share its
 * event loop. It builds the app exactly as `npm start` does, on the bench database, and answers a few IPC messages.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { ensureAppLogin } from '../src/platform/app-login';
import { createDatabase, type Database } from '../src/platform/db';

/** What the API process saw since the last `tail-reset`: where a latency tail can come from inside it (ms). */
export interface TailStats {
  requests: number;
  /** Time in the handler, from the request read to the reply sent (Fastify's elapsedTime): p50, p99, max. */
  handlerP50: number;
  handlerP99: number;
  handlerMax: number;
  /** The event loop's delay (how late a timer ran): p99 and max. */
  loopDelayP99: number;
  loopDelayMax: number;
  /** Garbage-collection pauses: their sum and the longest. */
  gcTotal: number;
  gcMax: number;
  gcCount: number;
}

export type ServerMessage =
  | { type: 'listening'; port: number }
  | { type: 'error'; message: string }
  | { type: 'cpu'; user: number; system: number }
  | ({ type: 'tail' } & TailStats);
export type ParentMessage = { type: 'cpu' } | { type: 'stop' } | { type: 'tail-reset' } | { type: 'tail' };

const send = (message: ServerMessage) => process.send?.(message);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until no query has run for a moment (at most 5 s). autocannon drops its connections when a run ends, and the
 * handlers of the requests it dropped still finish their queries after the server closed: ending the pool under
 * them would log errors that belong to no measurement.
 */
async function settle(pool: Database['pool']) {
  const busy = () => pool.totalCount > pool.idleCount || pool.waitingCount > 0;
  for (let quiet = 0, waited = 0; quiet < 3 && waited < 5000; waited += 50) {
    await sleep(50);
    quiet = busy() ? 0 : quiet + 1;
  }
}

/** Handler times, the event loop's delay and GC pauses, counted from the last reset. */
function tailRecorder() {
  let handler: number[] = [];
  let gc: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });
  const at = (sorted: number[], q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return {
    request(ms: number) {
      handler.push(ms);
    },
    reset() {
      handler = [];
      gc = [];
      loop.reset();
    },
    stats(): TailStats {
      const sorted = handler.toSorted((a, b) => a - b);
      return {
        requests: sorted.length,
        handlerP50: at(sorted, 0.5),
        handlerP99: at(sorted, 0.99),
        handlerMax: sorted.at(-1) ?? 0,
        loopDelayP99: loop.percentile(99) / 1e6,
        loopDelayMax: loop.max / 1e6,
        gcTotal: gc.reduce((sum, ms) => sum + ms, 0),
        gcMax: Math.max(0, ...gc),
        gcCount: gc.length,
      };
    },
  };
}

async function main() {
  const databaseUrl = process.env.BENCH_API_DATABASE_URL;
  if (!databaseUrl) throw new Error('BENCH_API_DATABASE_URL is not set');
  const config = loadConfig(process.env, {
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    NODE_ENV: 'production',
    SEED_DEMO: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // Production requires it; no signed link is made or checked here, so any secret of this run will do.
    LINK_SIGNING_SECRET: process.env.LINK_SIGNING_SECRET || randomBytes(32).toString('base64url'),
    // The same for the WhatsApp channels' key: no channel is connected in these benchmarks.
    WHATSAPP_SECRETS_KEY: process.env.WHATSAPP_SECRETS_KEY || randomBytes(32).toString('base64'),
    PLATFORM_API_KEY: process.env.PLATFORM_API_KEY || randomBytes(32).toString('base64url'),
  });
  const database = createDatabase({
    appUrl: await ensureAppLogin(databaseUrl, config.APP_DATABASE_URL),
    poolSize: config.DB_POOL_SIZE,
  });
  // Imported here, not at the top: while a module the app needs is missing the parent gets a message, not a crash.
  const { buildApp } = await import('../src/app');
  // As in production, new leads' background work is queued in pg-boss, not run in the API process; no
  // worker runs during the benchmark, so the queue only costs its insert.
  const { startJobs } = await import('../src/platform/jobs');
  const jobs = await startJobs(databaseUrl, () => undefined);
  const app = await buildApp({ config, database, jobs: jobs.queue });
  const tail = tailRecorder();
  app.addHook('onResponse', async (_request, reply) => {
    tail.request(reply.elapsedTime);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= app
      .close()
      .then(() => jobs.stop())
      .then(() => settle(database.pool))
      .then(() => database.close());
    return stopping;
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', user: usage.user, system: usage.system });
    } else if (message.type === 'tail-reset') {
      tail.reset();
    } else if (message.type === 'tail') {
      send({ type: 'tail', ...tail.stats() });
    } else if (message.type === 'stop') {
      void stop().finally(() => process.disconnect());
    }
  });
  // The parent went away (or we said goodbye): do not linger.
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
  send({ type: 'listening', port: address.port });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
