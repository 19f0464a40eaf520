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
});
