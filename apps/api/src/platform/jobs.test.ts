import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness';
import { startJobs } from './jobs';

/** pg-boss on this file's own database: what the API and the worker send through. */
let ctx: TestContext;
let jobs: Awaited<ReturnType<typeof startJobs>>;
const errors: Error[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  jobs = await startJobs(ctx.databaseUrl, (error) => errors.push(error));
});
afterAll(async () => {
  await jobs?.stop();
  await ctx?.close();
});

const stored = async (name: string) => {
  const { rows } = await ctx.owner.pool.query<{ data: { n: number }; retry_limit: number }>(
    'select data, retry_limit from pgboss.job where name = $1 order by (data->>$2)::int',
    [name, 'n'],
  );
  return rows;
};

describe('the pg-boss queue', () => {
  it('stores every one of many sends made at once, each with its retries, and answers each sender after', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, n) => jobs.queue.send('test.batched', { n })));
    const rows = await stored('test.batched');
    expect(rows.map((r) => r.data.n)).toEqual(Array.from({ length: 25 }, (_, n) => n));
    expect(new Set(rows.map((r) => r.retry_limit))).toEqual(new Set([3]));

    // Sends of a later turn are a batch of their own.
    await jobs.queue.send('test.batched', { n: 25 });
    expect(await stored('test.batched')).toHaveLength(26);
    expect(errors).toEqual([]);
  });

  it('keeps singleton and delayed sends apart: one job per singleton key while one is queued', async () => {
    await Promise.all([
      jobs.queue.send('test.single', { n: 1 }, { singletonKey: 'k' }),
      jobs.queue.send('test.single', { n: 2 }, { singletonKey: 'k' }),
    ]);
    expect(await stored('test.single')).toHaveLength(1);
  });

  it('works a backlog in batches, and a job that fails in a batch is retried alone while the rest complete', async () => {
    const ran: number[] = [];
    await jobs.work([
      {
        name: 'test.backlog',
        async handle(data) {
          const { n } = data as { n: number };
          ran.push(n);
          if (n === 7) throw new Error('job 7 fails');
        },
      },
    ]);
    await Promise.all(Array.from({ length: 45 }, (_, n) => jobs.queue.send('test.backlog', { n })));
    const states = async () =>
      (
        await ctx.owner.pool.query<{ n: number; state: string; retry_count: number }>(
          "select (data->>'n')::int as n, state, retry_count from pgboss.job where name = 'test.backlog'",
        )
      ).rows;
    // Every job but the failing one completes; that one waits for its retry (10 s away).
    await expect
      .poll(async () => (await states()).filter((job) => job.state === 'completed').length, {
        timeout: 30_000,
      })
      .toBe(44);
    const failing = (await states()).find((job) => job.n === 7);
    expect(failing?.state).toBe('retry');
    expect(ran.filter((n) => n !== 7).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 45 }, (_, n) => n).filter((n) => n !== 7),
    );
  });
});
