/**
 * `npm run bench:import`: imports of BENCH_IMPORT_CONTACTS customers (100,000) and BENCH_IMPORT_LISTINGS listings
 * (10,000) from CSV files, each timed from the upload to the job's end, with the worker's peak memory, next to
 * PostgreSQL's `COPY` of the same rows in the same run. See docs/benchmarks.md.
 *
 * The import goes the whole way a shop's goes: the file uploaded over HTTP (multipart, streamed from disk) to the
 * app built as `npm start` builds it (in this process), stored in chunks, then the `imports.run` job sent through
 * pg-boss to a worker in its own process, started as production starts one (`node dist/server.js --role=worker`,
 * the build), which validates and writes the rows in batches as `crm_app` under row-level security. `COPY` is
 * the floor: the same rows, already clean and in E.164, streamed into the same table by the owner in one
 * statement, with no validation, no look-up of existing customers and no report. Peak memory is the worker
 * process's own (VmHWM, reset before each import), next to its resident set just before: what a worker holding
 * one import needs, and what the import adds to it.
 */

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../src/config';
import { ensureAppLogin } from '../src/platform/app-login';
import { createDatabase, runMigrations } from '../src/platform/db';
import { startJobs } from '../src/platform/jobs';
import { intEnv, recreateDatabase } from './harness';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_IMPORT_DB ?? 'crm_bench_import';
const CONTACTS = intEnv('BENCH_IMPORT_CONTACTS', 100_000);
const LISTINGS = intEnv('BENCH_IMPORT_LISTINGS', 10_000);

/** Writes a file line by line, waiting on the disk rather than holding the file in memory. */
async function writeLines(file: string, lines: Iterable<string>) {
  const out = createWriteStream(file);
  for (const line of lines) if (!out.write(`${line}\r\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

const phoneOf = (i: number) => `9${String(10_000_000 + i).padStart(8, '0')}`;

function* contactLines() {
  yield 'Nombre,Teléfono,Correo,Etiquetas,Consentimiento';
  for (let i = 0; i < CONTACTS; i++)
    yield `Cliente ${i},${phoneOf(i).replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3')},c${i}@example.com,"vip,gamer",${i % 2 ? 'sí' : 'no'}`;
}
function* listingLines() {
  yield 'SKU,Producto,Categoría,Precio,Moneda,Stock';
  for (let i = 0; i < LISTINGS; i++) yield `SKU-${i},Producto ${i},Laptops,${1000 + i}.90,PEN,${i % 50}`;
}
/** The same rows as COPY takes them: clean, E.164, the tenant and ids filled in. */
function* contactCopyLines(tenantId: string) {
  for (let i = 0; i < CONTACTS; i++)
    yield `${uuidv7()},${tenantId},Cliente ${i},+51${phoneOf(i)},c${i}@example.com,"{vip,gamer}",${i % 2 === 1}`;
}
function* listingCopyLines(tenantId: string) {
  for (let i = 0; i < LISTINGS; i++)
    yield `${uuidv7()},${tenantId},SKU-${i},Producto ${i},LAPTOPS,${(1000 + i) * 100 + 90},PEN,${i % 50}`;
}

/** A field of a process's /proc status, in MB (Linux). */
function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN) / 1024;
}
/** Resets the peak RSS of a process of ours (Linux: "5" to clear_refs). */
const resetPeak = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, '5');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How a worker side is started: the build under plain node, or the sources under tsx's loader. */
type WorkerMode = 'built' | 'tsx';

/**
 * A worker as production runs one, on the bench database: `dist/server.js --role=worker` under plain node with the
 * start scripts' flags (mode `built`, as `npm run start:worker` does; the bench builds it first), or
 * `src/server.ts --role=worker` under tsx's loader (mode `tsx`, as production ran until the build, and any older
 * checkout). BENCH_WORKER_ENTRY replaces the built entry, BENCH_WORKER_NODE_OPTIONS the flags. It takes the
 * `imports.run` jobs from pg-boss. Resolves once it says it is running.
 */
async function startWorker(env: Record<string, string>, cwd: string, mode: WorkerMode) {
  const flags = process.env.BENCH_WORKER_NODE_OPTIONS;
  const args = [
    ...(flags !== undefined
      ? flags.split(' ').filter(Boolean)
      : mode === 'built'
        ? productionNodeFlags(cwd)
        : []),
    ...(mode === 'built'
      ? [process.env.BENCH_WORKER_ENTRY ?? 'dist/server.js']
      : ['--import', 'tsx', 'src/server.ts']),
    '--role=worker',
  ];
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let said = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      said += data.toString();
      if (said.includes('worker is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}): ${said}`)));
  });
  child.stdout.resume();
  return child;
}

/** The node flags of `npm run start:worker` in a checkout's apps/api (its package.json), without the entry. */
function productionNodeFlags(cwd: string): string[] {
  const scripts = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const words = (scripts['start:worker'] ?? '').split(' ');
  const flags: string[] = [];
  for (const word of words.slice(words.indexOf('node') + 1)) {
    if (!word.startsWith('--') || word === '--import') break;
    flags.push(word);
  }
  return flags;
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crm-bench-import-'));
  const databaseUrl = await recreateDatabase(adminUrl, DB_NAME);
  await runMigrations(databaseUrl);
  const settings = {
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    DATA_DIR: dir,
    LINK_SIGNING_SECRET: randomBytes(32).toString('base64url'),
    WHATSAPP_SECRETS_KEY: randomBytes(32).toString('base64'),
    PLATFORM_API_KEY: randomBytes(32).toString('base64url'),
  };
  const config = loadConfig(process.env, settings);
  const database = createDatabase({ appUrl: await ensureAppLogin(databaseUrl), poolSize: 10 });
  const { buildApp } = await import('../src/app');
  // This process is the API: it takes the upload and sends the job through pg-boss; the worker runs it.
  const jobs = await startJobs(databaseUrl, (error) => console.error(error));
  const app = await buildApp({ config, database, jobs: jobs.queue });
  await app.listen({ port: 0, host: '127.0.0.1' });
  // BENCH_BASELINE_WORKER=<another checkout>/apps/api: that checkout's worker imports the same files first, into a
  // shop of its own, then this one's: a change and what it replaces, in one run, against one COPY.
  const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const baselineDir = process.env.BENCH_BASELINE_WORKER;
  // BENCH_WORKER_MODES=tsx,built: this checkout's worker run each way, one after the other (default: built).
  const modes = (process.env.BENCH_WORKER_MODES ?? 'built').split(',').map((mode): WorkerMode => {
    if (mode !== 'built' && mode !== 'tsx')
      throw new Error(`BENCH_WORKER_MODES: "${mode}" is not built or tsx`);
    return mode;
  });
  if (modes.includes('built') && !process.env.BENCH_WORKER_ENTRY)
    execFileSync(process.execPath, ['build.mjs'], { cwd: here, stdio: 'inherit' });
  const sides: { name: string; cwd: string; mode: WorkerMode }[] = [
    ...(baselineDir ? [{ name: 'baseline', cwd: path.resolve(baselineDir), mode: 'tsx' as const }] : []),
    ...modes.map((mode) => ({ name: `this (${mode})`, cwd: here, mode })),
  ];
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}/api/v1`;
  const owner = new pg.Client({ connectionString: databaseUrl });
  await owner.connect();
  try {
    const signup = async (name: string) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: {
          tenantName: name,
          name: 'Dueña',
          email: `${name.toLowerCase().replace(/\W/g, '')}@example.com`,
          password: 'correct-horse-battery',
          branch: { name: 'Miraflores', whatsappPhone: '+51 987 654 321', timezone: 'America/Lima' },
        },
      });
      const body = response.json();
      return { tenantId: body.tenant.id as string, auth: { authorization: `Bearer ${body.token}` } };
    };
    const copyShop = await signup('Tienda Copy');

    const contactsCsv = path.join(dir, 'clientes.csv');
    const listingsCsv = path.join(dir, 'catalogo.csv');
    await writeLines(contactsCsv, contactLines());
    await writeLines(listingsCsv, listingLines());

    type Shop = Awaited<ReturnType<typeof signup>>;
    const importFile = async (
      shop: Shop,
      workerPid: number,
      kind: string,
      file: string,
      mapping: Record<string, string>,
    ) => {
      // The worker's RSS settles after its start (the assistant's model, the maintenance jobs' first runs).
      await sleep(2000);
      const before = statusMb(workerPid, 'VmRSS');
      resetPeak(workerPid);
      // Sampled too, in case the kernel keeps no peak for us.
      let sampled = before;
      const sampler = setInterval(() => {
        sampled = Math.max(sampled, statusMb(workerPid, 'VmRSS'));
      }, 20);
      const started = performance.now();
      const form = new FormData();
      form.append('kind', kind);
      form.append('mapping', JSON.stringify(mapping));
      form.append('file', await openAsBlob(file), path.basename(file));
      const response = await fetch(`${base}/tenants/${shop.tenantId}/imports`, {
        method: 'POST',
        headers: shop.auth,
        body: form,
      });
      if (response.status !== 202) throw new Error(`upload: ${response.status} ${await response.text()}`);
      const { id } = (await response.json()) as { id: string };
      const uploaded = performance.now();
      type Done = {
        status: string;
        rejected: number;
        imported: number;
        startedAt: string;
        finishedAt: string;
      };
      let done: Done;
      for (;;) {
        done = (await (await fetch(`${base}/imports/${id}`, { headers: shop.auth })).json()) as Done;
        if (done.status === 'DONE' || done.status === 'FAILED') break;
        await sleep(50);
      }
      clearInterval(sampler);
      if (done.status !== 'DONE' || done.rejected !== 0)
        throw new Error(`import ${kind}: ${JSON.stringify({ ...done, preview: undefined })}`);
      // The time counted is the upload's and the job's own run: not the wait for pg-boss to hand the job over
      // (its polling, up to 2 s), which no import's size changes.
      const run = (Date.parse(done.finishedAt) - Date.parse(done.startedAt)) / 1000;
      return {
        imported: done.imported,
        seconds: (uploaded - started) / 1000 + run,
        wall: (performance.now() - started) / 1000,
        before,
        peakMb: Math.max(statusMb(workerPid, 'VmHWM'), sampled),
      };
    };
    const copy = async (statement: string, lines: Iterable<string>) => {
      const file = path.join(dir, 'copy.csv');
      await writeLines(file, lines);
      const started = performance.now();
      await pipeline(createReadStream(file), owner.query(copyFrom(statement)));
      return (performance.now() - started) / 1000;
    };

    type Result = Awaited<ReturnType<typeof importFile>>;
    const results: { name: string; contacts: Result; listings: Result }[] = [];
    for (const side of sides) {
      const shop = await signup(`Tienda Import ${side.name}`);
      const worker = await startWorker(settings, side.cwd, side.mode);
      try {
        const pid = worker.pid ?? Number.NaN;
        const contacts = await importFile(shop, pid, 'contacts', contactsCsv, {
          name: 'Nombre',
          phone: 'Teléfono',
          email: 'Correo',
          tags: 'Etiquetas',
          consent: 'Consentimiento',
        });
        const listings = await importFile(shop, pid, 'listings', listingsCsv, {
          sku: 'SKU',
          title: 'Producto',
          category: 'Categoría',
          price: 'Precio',
          currency: 'Moneda',
          stock: 'Stock',
        });
        results.push({ name: side.name, contacts, listings });
      } finally {
        worker.kill('SIGTERM');
        await once(worker, 'exit');
      }
    }
    const copyContacts = await copy(
      'copy contact (id, tenant_id, name, phone, email, tags, marketing_consent) from stdin (format csv)',
      contactCopyLines(copyShop.tenantId),
    );
    const copyListings = await copy(
      'copy listing (id, tenant_id, sku, title, category, price, currency, stock) from stdin (format csv)',
      listingCopyLines(copyShop.tenantId),
    );

    const rate = (rows: number, seconds: number) => Math.round(rows / seconds);
    const line = (what: string, r: Result, copySeconds: number) =>
      `| ${what} | ${r.imported} | ${r.seconds.toFixed(2)} (${r.wall.toFixed(2)}) | ${rate(r.imported, r.seconds)} | ${rate(r.imported, copySeconds)} | ${((100 * copySeconds) / r.seconds).toFixed(1)} % | ${r.peakMb.toFixed(0)} | ${r.before.toFixed(0)} | ${(r.peakMb - r.before).toFixed(0)} |`;
    console.log(
      `\nimport vs COPY, ${os.cpus().length} CPUs, Node ${process.version}; memory: the worker process's\n`,
    );
    console.log(
      '| import | rows | seconds (wall, with the pg-boss hand-over) | rows/s | COPY rows/s | of COPY | worker peak RSS MB | worker RSS before MB | rise MB |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      console.log(line(`customers (CSV), ${r.name}`, r.contacts, copyContacts));
      console.log(line(`listings (CSV), ${r.name}`, r.listings, copyListings));
    }
  } finally {
    await owner.end();
    await app.close();
    await jobs.stop();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
