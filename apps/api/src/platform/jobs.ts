import { PgBoss } from 'pg-boss';

/** A job definition owned by a domain: a queue name, an optional schedule, and an idempotent handler. */
export interface JobDefinition<Data extends object = object> {
  name: string;
  cron?: string;
  handle(data: Data): Promise<void>;
}

export interface JobRunner {
  boss: PgBoss;
  stop(): Promise<void>;
}

/** Starts pg-boss on the owner connection and runs the given definitions. */
export async function startJobs(
  connectionString: string,
  definitions: JobDefinition[],
  onError: (error: Error) => void,
): Promise<JobRunner> {
  const boss = new PgBoss({ connectionString, schema: 'pgboss' });
  boss.on('error', onError);
  await boss.start();
  for (const definition of definitions) {
    await boss.createQueue(definition.name);
    if (definition.cron) await boss.schedule(definition.name, definition.cron);
    await boss.work<object>(definition.name, async (jobs) => {
      for (const job of jobs) await definition.handle(job.data ?? {});
    });
  }
  return { boss, stop: () => boss.stop({ graceful: true, timeout: 10_000 }) };
}
