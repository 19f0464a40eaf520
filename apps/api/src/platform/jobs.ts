import { PgBoss } from 'pg-boss';

/** A job definition owned by a domain: a queue name, an optional schedule, and an idempotent handler. */
export interface JobDefinition<Data extends object = object> {
  name: string;
  cron?: string;
  handle(data: Data): Promise<void>;
}

/** Where services send work that must not hold up a request (the assistant, notifications). */
export interface JobQueue {
  /** `delayMs`: not before then (a send that waits for its rate limit's next window). */
  send(name: string, data: object, options?: { delayMs?: number }): Promise<void>;
  /** Waits for what this process has in hand (the inline queue); pg-boss keeps the rest. */
  drain(): Promise<void>;
}

/**
 * pg-boss on the owner connection. Every process sends through it; only worker processes work the
 * queues and run the schedules, so N API instances and M workers share one set of queues.
 */
export async function startJobs(
  connectionString: string,
  onError: (error: Error) => void,
): Promise<{
  boss: PgBoss;
  queue: JobQueue;
  work(definitions: JobDefinition[]): Promise<void>;
  stop(): Promise<void>;
}> {
  const boss = new PgBoss({ connectionString, schema: 'pgboss' });
  boss.on('error', onError);
  await boss.start();
  const created = new Set<string>();
  const ensureQueue = async (name: string) => {
    if (created.has(name)) return;
    await boss.createQueue(name);
    created.add(name);
  };
  return {
    boss,
    queue: {
      async send(name, data, options) {
        await ensureQueue(name);
        const delayMs = options?.delayMs ?? 0;
        await boss.send(name, data, {
          retryLimit: 3,
          retryDelay: 10,
          retryBackoff: true,
          ...(delayMs > 0 ? { startAfter: new Date(Date.now() + delayMs) } : {}),
        });
      },
      async drain() {},
    },
    async work(definitions) {
      for (const definition of definitions) {
        await ensureQueue(definition.name);
        if (definition.cron) await boss.schedule(definition.name, definition.cron);
        await boss.work<object>(definition.name, async (jobs) => {
          for (const job of jobs) await definition.handle(job.data ?? {});
        });
      }
    },
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
  const waiting: { handle: JobDefinition['handle']; data: object }[] = [];
  const delayed: { handle: JobDefinition['handle']; data: object; dueAt: number }[] = [];
  const pending = new Set<Promise<void>>();
  const start = (handle: JobDefinition['handle'], data: object) => {
    const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => handle(data))
      .catch(onError)
      .finally(() => pending.delete(running));
    pending.add(running);
  };
  const queue: JobQueue & { register(definitions: JobDefinition[]): void } = {
    register(definitions) {
      for (const d of definitions) handlers.set(d.name, d.handle as JobDefinition['handle']);
    },
    async send(name, data, options) {
      const handle = handlers.get(name);
      if (!handle) return;
      const delayMs = options?.delayMs ?? 0;
      if (mode === 'deferred' && delayMs > 0) delayed.push({ handle, data, dueAt: Date.now() + delayMs });
      else if (mode === 'deferred') waiting.push({ handle, data });
      else if (delayMs > 0) setTimeout(() => start(handle, data), delayMs).unref();
      else start(handle, data);
    },
    async drain() {
      const now = Date.now();
      for (const job of delayed.splice(0)) (job.dueAt <= now ? waiting : delayed).push(job);
      while (waiting.length > 0 || pending.size > 0) {
        for (const job of waiting.splice(0)) start(job.handle, job.data);
        await Promise.all([...pending]);
      }
    },
  };
  return queue;
}
