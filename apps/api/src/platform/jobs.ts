import { SpanStatusCode, trace } from '@opentelemetry/api';
import { type JobInsert, PgBoss } from 'pg-boss';
import type { z } from 'zod';
import { errorsTotal, jobDuration, jobsTotal } from './metrics';

/** Without an OpenTelemetry SDK started (platform/telemetry.ts) this tracer is the API's no-op one. */
const tracer = trace.getTracer('techmarket-jobs');

/**
 * One pg-boss job run: in a span of its own (`job <queue>`, with the job's id; the database spans of its handler
 * are its children), timed and counted by outcome for the metrics.
 */
async function runObserved(
  definition: Pick<JobDefinition, 'name' | 'handle'>,
  job: { id: string; data: unknown },
  onError: (error: Error) => void,
) {
  const stopTimer = jobDuration.startTimer({ queue: definition.name });
  await tracer.startActiveSpan(
    `job ${definition.name}`,
    { attributes: { 'job.queue': definition.name, 'job.id': job.id } },
    async (span) => {
      try {
        await runJob(definition, job.data ?? {}, onError);
        jobsTotal.inc({ queue: definition.name, outcome: 'completed' });
      } catch (error) {
        jobsTotal.inc({ queue: definition.name, outcome: 'failed' });
        errorsTotal.inc({ source: 'job' });
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        stopTimer();
        span.end();
      }
    },
  );
}

/**
 * What the queue runs: a queue name, an optional schedule, and an idempotent handler of the raw payload. Modules
 * make them with `defineJob(...).handledBy(...)`, which parses the payload once with the job's schema.
 */
export interface JobDefinition {
  name: string;
  cron?: string | undefined;
  /**
   * One job queued and one running per singleton key at most (pg-boss's `stately` policy): for nudges that say
   * "there is work" rather than carry it, so a burst of them costs one run.
   */
  singleton?: boolean | undefined;
  handle(data: unknown): Promise<void>;
}

/** A payload its job's schema refuses: reported and dropped, since retrying would not make it valid. */
export class JobDataRefused extends Error {
  constructor(
    readonly job: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(`job ${job}: payload refused by its schema`);
  }
}

/**
 * A kind of job: its queue name, the schema of its payload, an optional schedule, and whether it is a singleton
 * (sends then carry a `singletonKey`). Senders call `send`, typed from the schema; the worker registers
 * `handledBy(handler)`, whose handler receives the payload parsed once.
 */
export function defineJob<S extends z.ZodType>(spec: {
  name: string;
  schema: S;
  cron?: string;
  singleton?: boolean;
}) {
  return {
    name: spec.name,
    send: (queue: Pick<JobQueue, 'send'>, data: z.input<S>, options?: SendOptions) =>
      queue.send(spec.name, data as object, options),
    handledBy: (handle: (data: z.output<S>) => Promise<unknown>): JobDefinition => ({
      name: spec.name,
      cron: spec.cron,
      singleton: spec.singleton,
      async handle(raw) {
        const parsed = spec.schema.safeParse(raw ?? {});
        if (!parsed.success) throw new JobDataRefused(spec.name, parsed.error.issues);
        await handle(parsed.data);
      },
    }),
  };
}

/** Runs one job's handler; a refused payload is reported, not retried. */
async function runJob(
  definition: Pick<JobDefinition, 'handle'>,
  data: unknown,
  onError: (error: Error) => void,
) {
  try {
    await definition.handle(data);
  } catch (error) {
    if (!(error instanceof JobDataRefused)) throw error;
    onError(error);
  }
}

export interface SendOptions {
  /** With a `singleton` job: a send while one with this key is already queued is dropped. */
  singletonKey?: string;
  /** Not before then (a send that waits for its rate limit's next window). */
  delayMs?: number;
}

/** Where services send work that must not hold up a request (the assistant, notifications). */
export interface JobQueue {
  send(name: string, data: object, options?: SendOptions): Promise<void>;
  /** Waits for what this process has in hand (the inline queue); pg-boss keeps the rest. */
  drain(): Promise<void>;
}

/** Jobs a worker fetches from a queue at once (see work()). */
const WORK_BATCH = 20;

/** How long a running job may go without its worker's heartbeat before it counts as lost (see startJobs). */
export const DEFAULT_JOB_HEARTBEAT_SECONDS = 30;

/**
 * pg-boss on the owner connection. Every process sends through it; only worker processes work the
 * queues and run the schedules, so N API instances and M workers share one set of queues.
 *
 * A worker that dies mid-job (killed, out of memory, its machine gone) never settles the job: without a heartbeat
 * pg-boss would leave it active until it expires (15 minutes). Every job carries one instead: its worker touches it
 * every `heartbeatSeconds / 2`, and the queues' monitor pass (in any process, every `heartbeatSeconds`) fails a job
 * whose heartbeat went quiet, which sends it to retry on a live worker. Handlers are idempotent, so the retry of a
 * job whose worker died after its effect changes nothing.
 */
export async function startJobs(
  connectionString: string,
  onError: (error: Error) => void,
  { heartbeatSeconds = DEFAULT_JOB_HEARTBEAT_SECONDS }: { heartbeatSeconds?: number } = {},
): Promise<{
  boss: PgBoss;
  queue: JobQueue;
  work(definitions: JobDefinition[]): Promise<void>;
  /**
   * Takes no new jobs and waits up to `timeoutMs` for the running ones to finish; one still running then is
   * failed back to its queue, to be retried by another worker. Sends still work until `stop`.
   */
  stopWorking(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}> {
  // Lost heartbeats are looked for by the queues' monitor pass (one process a pass), on the supervisor's timer.
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    superviseIntervalSeconds: heartbeatSeconds,
    monitorIntervalSeconds: heartbeatSeconds,
  });
  const retries = { retryLimit: 3, retryDelay: 10, retryBackoff: true, heartbeatSeconds };
  boss.on('error', onError);
  await boss.start();
  const created = new Set<string>();
  const ensureQueue = async (name: string, singleton = false) => {
    if (created.has(name)) return;
    await boss.createQueue(name, singleton ? { policy: 'stately' } : {});
    created.add(name);
  };
  // Plain sends of one queue made in the same turn of the event loop go to PostgreSQL as one insert: under load,
  // the jobs of many requests that committed together (a new lead's assistant job, say) cost one round trip, not
  // one each. Every sender still waits for its job to be stored, and hears of the insert's failure.
  const batches = new Map<string, { jobs: JobInsert[]; stored: Promise<void> }>();
  const insertSoon = (name: string, job: JobInsert): Promise<void> => {
    let batch = batches.get(name);
    if (!batch) {
      const jobs: JobInsert[] = [];
      const stored = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        batches.delete(name);
        await boss.insert(name, jobs);
      });
      batch = { jobs, stored };
      batches.set(name, batch);
    }
    batch.jobs.push(job);
    return batch.stored;
  };
  return {
    boss,
    queue: {
      async send(name, data, options) {
        await ensureQueue(name, options?.singletonKey !== undefined);
        const delayMs = options?.delayMs ?? 0;
        if (options?.singletonKey === undefined && delayMs === 0) {
          await insertSoon(name, { data, ...retries });
          return;
        }
        await boss.send(name, data, {
          ...retries,
          ...(options?.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {}),
          ...(delayMs > 0 ? { startAfter: new Date(Date.now() + delayMs) } : {}),
        });
      },
      async drain() {},
    },
    async work(definitions) {
      for (const definition of definitions) {
        await ensureQueue(definition.name, definition.singleton);
        if (definition.cron) await boss.schedule(definition.name, definition.cron, null, retries);
        // Up to WORK_BATCH jobs a fetch, fetching again at once while fetches come back full: one job a fetch
        // would run a queue at one job per polling interval (2 s), far behind a burst of new leads. Each job
        // still settles alone: one that fails is failed (and retried) by itself, and pg-boss completes the rest
        // (it completes only the batch's jobs still active).
        await boss.work<object>(
          definition.name,
          { batchSize: WORK_BATCH, burstWhenBatchFull: true },
          async (jobs) => {
            for (const job of jobs) {
              try {
                await runObserved(definition, job, onError);
              } catch (error) {
                if (jobs.length === 1) throw error;
                await boss.fail(definition.name, job.id, { message: (error as Error).message });
              }
            }
          },
        );
      }
    },
    stopWorking: (timeoutMs) => boss.stop({ close: false, graceful: true, timeout: timeoutMs }),
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}

/**
 * Runs jobs in this process with the same handlers the worker runs: right after they are sent
 * ('immediate', for one-off tools), or when `drain()` is called ('deferred', for tests, which then decide
 * when background work happens instead of racing it). A delayed job runs after its delay ('immediate'), or
 * in the first `drain()` called once its delay is over ('deferred': a drain never waits for one, so a test
 * sees it wait, then drains again).
 */
export function createInlineQueue(
  onError: (error: unknown) => void,
  mode: 'immediate' | 'deferred' = 'immediate',
) {
  const handlers = new Map<string, JobDefinition['handle']>();
  const waiting: { handle: JobDefinition['handle']; data: object; key?: string }[] = [];
  const delayed: { handle: JobDefinition['handle']; data: object; dueAt: number; key?: string }[] = [];
  const pending = new Set<Promise<void>>();
  // Singleton jobs sent but not yet started, by name and key: another send of the same is dropped.
  const queued = new Set<string>();
  const start = (handle: JobDefinition['handle'], data: object, key?: string) => {
    const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        if (key !== undefined) queued.delete(key);
        return runJob({ handle }, data, onError);
      })
      .catch(onError)
      .finally(() => pending.delete(running));
    pending.add(running);
  };
  const queue: JobQueue & { register(definitions: JobDefinition[]): void } = {
    register(definitions) {
      for (const d of definitions) handlers.set(d.name, d.handle);
    },
    async send(name, data, options) {
      const handle = handlers.get(name);
      if (!handle) return;
      const key = options?.singletonKey === undefined ? undefined : `${name}\u0001${options.singletonKey}`;
      if (key !== undefined) {
        if (queued.has(key)) return;
        queued.add(key);
      }
      const delayMs = options?.delayMs ?? 0;
      if (mode === 'deferred' && delayMs > 0)
        delayed.push({ handle, data, dueAt: Date.now() + delayMs, key });
      else if (mode === 'deferred') waiting.push({ handle, data, key });
      else if (delayMs > 0) setTimeout(() => start(handle, data, key), delayMs).unref();
      else start(handle, data, key);
    },
    async drain() {
      const now = Date.now();
      for (const job of delayed.splice(0)) (job.dueAt <= now ? waiting : delayed).push(job);
      while (waiting.length > 0 || pending.size > 0) {
        for (const job of waiting.splice(0)) start(job.handle, job.data, job.key);
        await Promise.all([...pending]);
      }
    },
  };
  return queue;
}
