import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import { startJobs } from '../../platform/jobs';
import { maintenanceJobs } from '../../worker';
import { importsSweepJob } from './imports.sweep';

// The sweep against real pg-boss, on this file's database: the jobs it reads and sends are pg-boss's own.
let ctx: TestContext;
let jobs: Awaited<ReturnType<typeof startJobs>>;
let base: string;
let shop: SignedUp;
const errors: Error[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  jobs = await startJobs(ctx.databaseUrl, (error) => errors.push(error));
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}/api/v1`;
  shop = await signUp(ctx.app);
});
afterAll(async () => {
  await jobs?.stop();
  await ctx?.close();
});

const sweep = () => importsSweepJob(ctx.owner.pool, jobs.queue).handle({});

/** Uploads and starts an import of customers; its job goes to the app's own (inline, undrained) queue. */
async function startedImport(rows: number) {
  const content = Papa.unparse([
    ['Nombre', 'Teléfono'],
    ...Array.from({ length: rows }, (_, i) => [`Cliente ${i}`, `+51 9${String(60_000_000 + i)}`]),
  ]);
  const form = new FormData();
  form.append('kind', 'contacts');
  form.append('mapping', JSON.stringify({ name: 'Nombre', phone: 'Teléfono' }));
  form.append('file', new Blob([content]), 'clientes.csv');
  const response = await fetch(`${base}/tenants/${shop.tenantId}/imports`, {
    method: 'POST',
    headers: shop.auth,
    body: form,
  });
  expect(response.status).toBe(202);
  const started = (await response.json()) as { id: string; status: string };
  expect(started.status).toBe('QUEUED');
  return started.id;
}

/** As if the import last moved two minutes ago. */
const age = (importId: string, status?: string) =>
  ctx.owner.pool.query(
    `update import_job set updated_at = now() - interval '2 minutes', status = coalesce($2, status) where id = $1`,
    [importId, status ?? null],
  );

const runJobsFor = async (importId: string) => {
  const { rows } = await ctx.owner.pool.query<{ id: string; state: string }>(
    `select id, state::text from pgboss.job where name = 'imports.run' and data->>'importId' = $1`,
    [importId],
  );
  return rows;
};

const importOf = async (importId: string) =>
  (await fetch(`${base}/imports/${importId}`, { headers: shop.auth })).json() as Promise<{
    status: string;
    processed: number;
    errors: { row: number; field: string; message: string }[];
  }>;

describe('the imports sweep', () => {
  it('is one of the worker maintenance jobs, every minute', () => {
    const job = maintenanceJobs(ctx.owner.pool, jobs.queue).find((j) => j.name === 'imports.sweep');
    expect(job?.cron).toBe('* * * * *');
  });

  it('sends again the job of an import left QUEUED with none in pg-boss, once, and leaves fresh ones alone', async () => {
    const importId = await startedImport(3);
    // Fresh: its job may still be on its way.
    await sweep();
    expect(await runJobsFor(importId)).toEqual([]);

    await age(importId);
    await sweep();
    const sent = await runJobsFor(importId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.state).toBe('created');
    // While that job lives, a later sweep sends no other.
    await sweep();
    expect(await runJobsFor(importId)).toHaveLength(1);

    // Run to its end (by this app's queue here), the import is DONE; its pg-boss job is then taken and completed
    // as a worker would, and finds nothing left to do.
    await ctx.app.drainJobs();
    expect(await importOf(importId)).toMatchObject({ status: 'DONE', processed: 3 });
    const [fetched] = await jobs.boss.fetch('imports.run');
    expect(fetched?.data).toEqual({ tenantId: shop.tenantId, importId });
    await jobs.boss.complete('imports.run', fetched?.id as string);
    await sweep();
    expect((await runJobsFor(importId)).map((j) => j.state)).toEqual(['completed']);
    expect(errors).toEqual([]);
  });

  it('fails an import whose job gave up, with the reason in its report at the first row not written', async () => {
    const importId = await startedImport(2);
    await age(importId, 'RUNNING');
    await jobs.boss.createQueue('imports.run');
    const jobId = await jobs.boss.send(
      'imports.run',
      { tenantId: shop.tenantId, importId },
      { retryLimit: 0 },
    );
    // Its job still lives (created, then active): not the sweep's business.
    await sweep();
    expect((await importOf(importId)).status).toBe('RUNNING');
    const [fetched] = await jobs.boss.fetch('imports.run');
    expect(fetched?.id).toBe(jobId);
    await sweep();
    expect((await importOf(importId)).status).toBe('RUNNING');

    await jobs.boss.fail('imports.run', jobId as string, new Error('connection terminated unexpectedly'));
    expect((await runJobsFor(importId)).map((j) => j.state)).toEqual(['failed']);
    await sweep();
    const failed = await importOf(importId);
    expect(failed.status).toBe('FAILED');
    expect(failed.errors).toEqual([
      expect.objectContaining({
        // The first row not written (the headers are row 1).
        row: 2,
        field: 'job',
        message: expect.stringContaining('connection terminated unexpectedly'),
      }),
    ]);
    const { rows } = await ctx.owner.pool.query('select finished_at from import_job where id = $1', [
      importId,
    ]);
    expect(rows[0]?.finished_at).not.toBeNull();
    // Failed is final: no job is sent for it, and a later sweep changes nothing.
    await sweep();
    expect(await runJobsFor(importId)).toHaveLength(1);
    expect((await importOf(importId)).status).toBe('FAILED');
  });
});
