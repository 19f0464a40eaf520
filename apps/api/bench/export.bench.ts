/**
 * `npm run bench:export`: a shop of BENCH_LEADS leads (1,000,000) exported through the API
 * (`GET /tenants/{id}/exports/leads.csv`, and `.xlsx` unless BENCH_XLSX=0), next to PostgreSQL's
 * `COPY (<the same select>) TO STDOUT (FORMAT csv)` of the same rows, in the same run. See docs/benchmarks.md.
 *
 * The export goes the whole way a user's does: HTTP, the session, row-level security as crm_app, then for CSV
 * PostgreSQL's own COPY of the export's statement with its cell rules (pg-copy-streams), for .xlsx the server-side
 * cursor (pg-cursor, batches of 2,000) and exceljs's streaming writer, the socket. The client here
 * reads the answer as it comes and counts it. The baseline runs the statement the export runs (the same columns,
 * joins, time-zone formatting and order), as the owner (no RLS), in this process, through pg-copy-streams, and
 * discards it likewise. Figures: rows a second and peak memory, the API process's peak RSS (VmHWM, reset before
 * each side through /proc/<pid>/clear_refs) for the export, this process's for COPY.
 *
 * BENCH_BASELINE_API: another checkout's bench/api-server.ts; its API runs beside this one on the same database and
 * each export is measured on both, one after the other (baseline first; BENCH_BASELINE_LAST=1 turns the order
 * round), so a change is compared with what it replaces in one run.
 *
 * The database (`crm_bench_export`) is rebuilt on each run: one shop with 3 branches, BENCH_LEADS / 2 contacts and
 * 400 listings, seeded by generate_series in a few statements.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { createExportsRepository } from '../src/modules/exports';
import { apiRoot } from '../src/platform/assets';
import { runMigrations } from '../src/platform/db';
import { ApiProcess, intEnv, recreateDatabase } from './harness';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LEADS = intEnv('BENCH_LEADS', 1_000_000);
const XLSX = process.env.BENCH_XLSX !== '0';
const BASELINE_API = process.env.BENCH_BASELINE_API;
const log = (line: string) => process.stdout.write(`${line}\n`);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function status(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN);
}
/** Resets the peak RSS of a process of ours (Linux: "5" to clear_refs). */
const resetPeak = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, '5');

async function seed(owner: pg.Pool, tenantId: string, branchId: string) {
  const at = '2026-12-01T12:00:00Z';
  await owner.query(
    `insert into branch (id, tenant_id, name, whatsapp_phone, timezone, business_hours, created_at, updated_at)
     select gen_random_uuid(), $1, 'Sucursal ' || k, '+5198765432' || k, 'America/Lima', '{}', $2, $2
       from generate_series(2, 3) k`,
    [tenantId, at],
  );
  await owner.query(
    `insert into listing (id, tenant_id, branch_id, title, category, price, currency, stock, sku, created_at, updated_at)
     select gen_random_uuid(), $1, $2, 'Laptop modelo ' || k, 'LAPTOPS', 10000 + (k * 7919) % 500000, 'PEN', k % 20,
            'SKU-' || k, $3, $3
       from generate_series(1, 400) k`,
    [tenantId, branchId, at],
  );
  await owner.query(
    `insert into contact (id, tenant_id, name, phone, email, created_at, updated_at)
     select gen_random_uuid(), $1, 'Cliente ' || g, '+519' || lpad(g::text, 8, '0'),
            case when g % 3 = 0 then 'cliente' || g || '@example.com' end, $2, $2
       from generate_series(1, $3::int) g`,
    [tenantId, at, Math.ceil(LEADS / 2)],
  );
  await owner.query(
    `with c as (select id, row_number() over () as n from contact where tenant_id = $1),
          l as (select id, row_number() over () as n from listing where tenant_id = $1),
          b as (select array_agg(id) as ids from branch where tenant_id = $1)
     insert into lead (id, tenant_id, branch_id, contact_id, listing_id, status, source, ref_code,
                       status_changed_at, last_activity_at, created_at, updated_at, version)
     select gen_random_uuid(), $1, b.ids[1 + g % 3], c.id, case when g % 4 > 0 then l.id end,
            (array['NEW','CONTACTED','QUALIFIED','QUOTED','WON','LOST','DORMANT'])[1 + g % 7]::lead_status,
            (array['LISTING','WHATSAPP','MANUAL'])[1 + g % 3]::lead_source, 'R' || g,
            $2::timestamptz - interval '1 minute' * g, $2::timestamptz - interval '1 minute' * g,
            $2::timestamptz - interval '1 minute' * g, $2::timestamptz, 1
       from generate_series(1, $3::int) g
       cross join b
       join c on c.n = 1 + g % $4::int
       join l on l.n = 1 + g % 400`,
    [tenantId, at, LEADS, Math.ceil(LEADS / 2)],
  );
  await owner.query('analyze');
}

/** Reads an HTTP answer to the end, counting bytes and lines, never holding it. */
function download(url: string, token: string) {
  return new Promise<{ bytes: number; lines: number; status: number }>((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${token}` } }, (response) => {
        let bytes = 0;
        let lines = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        });
        response.on('end', () => resolve({ bytes, lines, status: response.statusCode ?? 0 }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The export's own statement, parameters inlined: COPY takes none. */
function copyStatement(client: pg.PoolClient, tenantId: string, timezone: string): string {
  const query = new PgDialect({ casing: 'snake_case' }).sqlToQuery(
    createExportsRepository().leads(tenantId, null, {}, timezone),
  );
  const text = query.sql.replace(/\$(\d+)/g, (_, n: string) =>
    client.escapeLiteral(String(query.params[Number(n) - 1])),
  );
  return `copy (${text}) to stdout (format csv, header)`;
}

async function main() {
  // BENCH_EXPORT_DB: another name, for a run beside someone else's.
  const url = await recreateDatabase(adminUrl, process.env.BENCH_EXPORT_DB ?? 'crm_bench_export');
  await runMigrations(url);
  // BENCH_API_BUILT=1: this checkout's API is the build (dist/api-server.js under plain node, the start script's
  // flags), built here first; with BENCH_BASELINE_API=<this checkout>/apps/api/bench/api-server.ts, the same code
  // under tsx beside it.
  const builtApi = process.env.BENCH_API_BUILT === '1';
  if (builtApi) execFileSync(process.execPath, ['build.mjs', '--bench'], { cwd: apiRoot, stdio: 'inherit' });
  const api = builtApi
    ? await ApiProcess.start(url, {}, path.join(apiRoot, 'dist/api-server.js'))
    : await ApiProcess.start(url);
  const baseline = BASELINE_API ? await ApiProcess.start(url, {}, BASELINE_API) : undefined;
  const owner = new pg.Pool({
    connectionString: url,
    max: 2,
    options: '-c app.all_tenants=on -c TimeZone=UTC',
  });
  try {
    const signup = await fetch(`${api.baseUrl}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantName: 'Tienda del benchmark',
        name: 'Dueña',
        email: 'bench-export@example.com',
        password: 'correct-horse-battery',
        branch: { name: 'Miraflores', whatsappPhone: '+51 987 654 321', timezone: 'America/Lima' },
      }),
    });
    const body = (await signup.json()) as { token: string; tenant: { id: string }; branch: { id: string } };
    const tenantId = body.tenant.id;
    let started = performance.now();
    await seed(owner, tenantId, body.branch.id);
    log(
      `seeded ${LEADS.toLocaleString('en')} leads in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const rows: string[] = [];
    const line = (name: string, count: number, seconds: number, bytes: number, peak: string) =>
      rows.push(
        `| ${name} | ${count.toLocaleString('en')} | ${seconds.toFixed(2)} s | ${Math.round(count / seconds).toLocaleString('en')} | ${(bytes / 1e6).toFixed(0)} MB | ${peak} |`,
      );

    // COPY first, then the export; each measured after a warm-up of the same statement's buffers by the other.
    const client = await owner.connect();
    let copied = 0;
    let copiedLines = 0;
    try {
      const statement = copyStatement(client, tenantId, 'America/Lima');
      started = performance.now();
      const stream = client.query(copyTo(statement));
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        copied += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) copiedLines++;
      }
      const seconds = (performance.now() - started) / 1000;
      line(
        '`COPY (select …) TO STDOUT` (owner, no RLS)',
        copiedLines - 1,
        seconds,
        copied,
        `${mb(process.resourceUsage().maxRSS)} (this process)`,
      );
    } finally {
      client.release();
    }

    // BENCH_BASELINE_LAST=1 measures this checkout first: run both orders, the first export after COPY is colder.
    const sides = [
      { name: 'baseline', api: baseline },
      { name: 'this checkout', api },
    ];
    if (process.env.BENCH_BASELINE_LAST === '1') sides.reverse();
    const apis = baseline
      ? sides.flatMap((s) => (s.api ? [{ name: s.name, api: s.api }] : []))
      : [{ name: '', api }];
    for (const format of XLSX ? ['csv', 'xlsx'] : ['csv']) {
      for (const side of apis) {
        const pid = side.api.pid;
        if (pid === undefined) throw new Error('the API process has no pid');
        resetPeak(pid);
        const before = status(pid, 'VmRSS');
        started = performance.now();
        const result = await download(
          `${side.api.baseUrl}/api/v1/tenants/${tenantId}/exports/leads.${format}`,
          body.token,
        );
        const seconds = (performance.now() - started) / 1000;
        if (result.status !== 200) throw new Error(`export answered ${result.status}`);
        if (format === 'csv' && result.lines - 1 !== LEADS)
          throw new Error(`exported ${result.lines - 1} rows`);
        line(
          `GET …/exports/leads.${format} (API${side.name ? `, ${side.name}` : ''}, crm_app under RLS)`,
          LEADS,
          seconds,
          result.bytes,
          `${mb(status(pid, 'VmHWM'))} (API process; ${mb(before)} before)`,
        );
      }
    }
    log('');
    log('| side | rows | time | rows/s | size | peak RSS |');
    log('| --- | ---: | ---: | ---: | ---: | --- |');
    for (const row of rows) log(row);
  } finally {
    await owner.end();
    await api.stop();
    await baseline?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
