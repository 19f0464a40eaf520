/**
 * `npm run bench:import`: imports of BENCH_IMPORT_CONTACTS customers (100,000) and BENCH_IMPORT_LISTINGS listings
 * (10,000) from CSV files, each timed from the upload to the job's end, with the process's peak memory, next to
 * PostgreSQL's `COPY` of the same rows in the same run. See docs/benchmarks.md.
 *
 * The import goes the whole way a shop's goes: the file uploaded over HTTP (multipart, streamed from disk) to the
 * app built as `npm start` builds it, stored in chunks, counted, then validated and written in batches by the
 * import job, run in this process (as a worker would) through the app's pool as `crm_app` under row-level
 * security. `COPY` is the floor: the same rows, already clean and in E.164, streamed into the same table by the
 * owner in one statement, with no validation, no look-up of existing customers and no report. Peak memory is the
 * process's resident set sampled every 20 ms during each import (and `maxRSS` at the end), which includes the app,
 * the HTTP client and the job: what a worker holding one import needs.
 */

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../src/config';
import { ensureAppLogin } from '../src/platform/app-login';
import { createDatabase, runMigrations } from '../src/platform/db';
import { intEnv, recreateDatabase } from './harness';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'crm_bench_import';
const CONTACTS = intEnv('BENCH_IMPORT_CONTACTS', 100_000);
const LISTINGS = intEnv('BENCH_IMPORT_LISTINGS', 10_000);
const MB = 1024 * 1024;

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

/** Samples the resident set while `work` runs: the peak, in MB. */
async function peakRss<T>(work: () => Promise<T>) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    return { result, seconds: (performance.now() - started) / 1000, peakMb: peak / MB };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crm-bench-import-'));
  const databaseUrl = await recreateDatabase(adminUrl, DB_NAME);
  await runMigrations(databaseUrl);
  const config = loadConfig(process.env, {
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    LINK_SIGNING_SECRET: randomBytes(32).toString('base64url'),
    WHATSAPP_SECRETS_KEY: randomBytes(32).toString('base64'),
  });
  const database = createDatabase({ appUrl: await ensureAppLogin(databaseUrl), poolSize: 10 });
  const { buildApp } = await import('../src/app');
  const app = await buildApp({ config, database, jobs: 'deferred' });
  await app.listen({ port: 0, host: '127.0.0.1' });
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
    const shop = await signup('Tienda Import');
    const copyShop = await signup('Tienda Copy');

    const contactsCsv = path.join(dir, 'clientes.csv');
    const listingsCsv = path.join(dir, 'catalogo.csv');
    await writeLines(contactsCsv, contactLines());
    await writeLines(listingsCsv, listingLines());

    const importFile = async (kind: string, file: string, mapping: Record<string, string>) => {
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
      await app.drainJobs();
      const done = await (await fetch(`${base}/imports/${id}`, { headers: shop.auth })).json();
      if (done.status !== 'DONE' || done.rejected !== 0)
        throw new Error(`import ${kind}: ${JSON.stringify({ ...done, preview: undefined })}`);
      return done as { imported: number };
    };
    const copy = async (statement: string, lines: Iterable<string>) => {
      const file = path.join(dir, 'copy.csv');
      await writeLines(file, lines);
      const started = performance.now();
      await pipeline(createReadStream(file), owner.query(copyFrom(statement)));
      return (performance.now() - started) / 1000;
    };

    const baseline = process.memoryUsage.rss() / MB;
    const contacts = await peakRss(() =>
      importFile('contacts', contactsCsv, {
        name: 'Nombre',
        phone: 'Teléfono',
        email: 'Correo',
        tags: 'Etiquetas',
        consent: 'Consentimiento',
      }),
    );
    const listings = await peakRss(() =>
      importFile('listings', listingsCsv, {
        sku: 'SKU',
        title: 'Producto',
        category: 'Categoría',
        price: 'Precio',
        currency: 'Moneda',
        stock: 'Stock',
      }),
    );
    const copyContacts = await copy(
      'copy contact (id, tenant_id, name, phone, email, tags, marketing_consent) from stdin (format csv)',
      contactCopyLines(copyShop.tenantId),
    );
    const copyListings = await copy(
      'copy listing (id, tenant_id, sku, title, category, price, currency, stock) from stdin (format csv)',
      listingCopyLines(copyShop.tenantId),
    );

    const rate = (rows: number, seconds: number) => Math.round(rows / seconds);
    const line = (what: string, rows: number, seconds: number, copySeconds: number, peak: number) =>
      `| ${what} | ${rows} | ${seconds.toFixed(2)} | ${rate(rows, seconds)} | ${rate(rows, copySeconds)} | ${((100 * copySeconds) / seconds).toFixed(1)} % | ${peak.toFixed(0)} | ${(peak - baseline).toFixed(0)} |`;
    console.log(
      `\nimport vs COPY, ${os.cpus().length} CPUs, Node ${process.version}; RSS before: ${baseline.toFixed(0)} MB\n`,
    );
    console.log(
      '| import | rows | seconds | rows/s | COPY rows/s | of COPY | peak RSS MB | above the idle app MB |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      line('customers (CSV)', contacts.result.imported, contacts.seconds, copyContacts, contacts.peakMb),
    );
    console.log(
      line('listings (CSV)', listings.result.imported, listings.seconds, copyListings, listings.peakMb),
    );
    console.log(`\nmaxRSS of the process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await owner.end();
    await app.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
