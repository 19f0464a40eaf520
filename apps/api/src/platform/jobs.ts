import { PgBoss } from 'pg-boss';

/** A job definition owned by a domain: a queue name, an optional schedule, and an idempotent handler. */
export interface JobDefinition<Data extends object = object> {
  name: string;
  cron?: string;
  /**
   * One job queued and one running per singleton key at most (pg-boss's `stately` policy): for nudges that say
   * "there is work" rather than carry it, so a burst of them costs one run.
   */
  singleton?: boolean;
  handle(data: Data): Promise<void>;
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
  const ensureQueue = async (name: string, singleton = false) => {
    if (created.has(name)) return;
    await boss.createQueue(name, singleton ? { policy: 'stately' } : {});
    created.add(name);
  };
  return {
    boss,
    queue: {
      async send(name, data, options) {
        await ensureQueue(name, options?.singletonKey !== undefined);
        const delayMs = options?.delayMs ?? 0;
        await boss.send(name, data, {
          retryLimit: 3,
          retryDelay: 10,
          retryBackoff: true,
          ...(options?.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {}),
          ...(delayMs > 0 ? { startAfter: new Date(Date.now() + delayMs) } : {}),
        });
      },
      async drain() {},
    },
    async work(definitions) {
      for (const definition of definitions) {
        await ensureQueue(definition.name, definition.singleton);
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
  const waiting: { handle: JobDefinition['handle']; data: object; key?: string }[] = [];
  const delayed: { handle: JobDefinition['handle']; data: object; dueAt: number; key?: string }[] = [];
  const pending = new Set<Promise<void>>();
  // Singleton jobs sent but not yet started, by name and key: another send of the same is dropped.
  const queued = new Set<string>();
  const start = (handle: JobDefinition['handle'], data: object, key?: string) => {
    const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        if (key !== undefined) queued.delete(key);
        return handle(data);
      })
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
