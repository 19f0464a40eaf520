/**
 * Lighthouse A/B: two (or more) builds of the web app measured in the same rounds, so a busy machine's swings fall on
 * both alike. `BENCH_AB_DISTS=old=/tmp/dist-a,new=/tmp/dist-b [BENCH_AB_ROUNDS=3] [BENCH_AB_REPORTS=<folder>]
 * npx tsx bench/lighthouse-ab.bench.ts` (each dist is a `vite build --outDir <dir>` of the version to measure).
 *
 * One database with the demo shop, one API per build (each serving its own dist), one Chromium. Each round audits, per
 * page and build in turn (the order alternates between rounds): the login page as a first visit (the origin's service
 * worker and caches cleared, no session), then the inbox and the seller's first lead as `npm run bench:web` does (the
 * service worker installed, the seller's session). It prints each page's medians per build: performance, FCP, LCP,
 * TBT, the main thread's script evaluation and parse time (Lighthouse's `bootup-time`) and its long tasks.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { buildApp } from '../../api/src/app';
import { loadConfig } from '../../api/src/config';
import { seedDemo } from '../../api/src/db/seed/demo';
import { ensureAppLogin } from '../../api/src/platform/app-login';
import { createDatabase, createOwnerDb, runMigrations } from '../../api/src/platform/db';
import { DEMO_SELLER } from '../e2e/demo-server';
import { launchBenchChrome } from './chrome';

const dists = (process.env.BENCH_AB_DISTS ?? '').split(',').filter(Boolean);
if (dists.length === 0) throw new Error('BENCH_AB_DISTS=label=/dist/folder,... is required');
const builds = dists.map((entry) => {
  const [label, dir] = entry.split('=');
  if (!label || !dir) throw new Error(`BENCH_AB_DISTS entry "${entry}" is not label=folder`);
  return { label, dir };
});
const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 3);
// BENCH_AB_PAGES=login,inbox,lead (the default) or fewer.
const pages = (process.env.BENCH_AB_PAGES ?? 'login,inbox,lead').split(',');
const reports = process.env.BENCH_AB_REPORTS;
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error('DATABASE_URL (a PostgreSQL server to create the database on) is required');

const dbName = `${process.env.BENCH_AB_DB_PREFIX ?? 'bench_ab'}_${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database "${dbName}"`);
await admin.end();
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const databaseUrl = url.toString();
await runMigrations(databaseUrl);
const owner = createOwnerDb(databaseUrl, 2);
await seedDemo(owner.db);
const database = createDatabase({ appUrl: await ensureAppLogin(databaseUrl), poolSize: 5 });
const secrets = {
  LINK_SIGNING_SECRET: randomBytes(32).toString('base64url'),
  WHATSAPP_SECRETS_KEY: randomBytes(32).toString('base64'),
};
const servers = await Promise.all(
  builds.map(async (build) => {
    const config = loadConfig(
      {},
      {
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'error',
        SEED_DEMO: 'false',
        COOKIE_SECURE: 'false',
        WEB_DIST_DIR: build.dir,
        PORT: '0',
        ...secrets,
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      },
    );
    const app = await buildApp({ config, database });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    return { ...build, app, baseUrl: `http://127.0.0.1:${address.port}` };
  }),
);

const chrome = await launchBenchChrome();
type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];
interface Row {
  build: string;
  page: string;
  round: number;
  perf: number;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
  bootup: number;
  mainThread: number;
  longTasks: number;
}
const rows: Row[] = [];
try {
  const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  const context = cdp.contexts()[0];
  if (!context) throw new Error('no browser context');
  const answer = await fetch(`${servers[0]?.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_SELLER),
  });
  if (!answer.ok) throw new Error(`login failed: ${answer.status}`);
  const { token } = (await answer.json()) as { token: string };
  const headers = { cookie: `tm_session=${token}` };
  const me = (await (await fetch(`${servers[0]?.baseUrl}/api/v1/me`, { headers })).json()) as {
    tenant: { id: string };
  };
  const leads = (await (
    await fetch(`${servers[0]?.baseUrl}/api/v1/tenants/${me.tenant.id}/leads?limit=1`, { headers })
  ).json()) as { items: { id: string }[] };
  const leadId = leads.items[0]?.id;
  if (!leadId) throw new Error('the demo seller sees no lead');

  const audit = async (target: string, reset: boolean): Promise<Lhr> => {
    const result = await lighthouse(target, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      disableStorageReset: !reset,
    });
    if (!result) throw new Error(`no Lighthouse result for ${target}`);
    return result.lhr;
  };
  // The service worker of a returning seller, installed as in bench:web (registered after the first screen).
  const warm = async (baseUrl: string) => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.close();
  };
  const numeric = (lhr: Lhr, id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const record = (build: string, page: string, round: number, lhr: Lhr) => {
    if (reports) {
      mkdirSync(reports, { recursive: true });
      writeFileSync(path.join(reports, `${build}-${page}-${round}.json`), JSON.stringify(lhr));
    }
    const longTasks =
      ((lhr.audits['long-tasks']?.details as { items?: { duration: number }[] })?.items ?? []).reduce(
        (sum, task) => sum + task.duration,
        0,
      ) ?? 0;
    const row: Row = {
      build,
      page,
      round,
      perf: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      fcp: numeric(lhr, 'first-contentful-paint'),
      lcp: numeric(lhr, 'largest-contentful-paint'),
      tbt: numeric(lhr, 'total-blocking-time'),
      cls: numeric(lhr, 'cumulative-layout-shift'),
      bootup: numeric(lhr, 'bootup-time'),
      mainThread: numeric(lhr, 'mainthread-work-breakdown'),
      longTasks,
    };
    // A run Lighthouse could not measure (NO_NAVSTART on a loaded machine) is printed, not counted in the medians.
    if (!lhr.runtimeError) rows.push(row);
    const a11y = Math.round((lhr.categories.accessibility?.score ?? 0) * 100);
    console.log(
      `round ${round} ${build.padEnd(8)} ${page.padEnd(6)} perf ${row.perf} a11y ${a11y} FCP ${row.fcp.toFixed(0)} ` +
        `LCP ${row.lcp.toFixed(0)} TBT ${row.tbt.toFixed(0)} CLS ${row.cls.toFixed(3)} bootup ${row.bootup.toFixed(0)} ` +
        `main ${row.mainThread.toFixed(0)} long ${longTasks.toFixed(0)}${lhr.runtimeError ? ` ERROR ${lhr.runtimeError.code}` : ''}`,
    );
  };

  for (const server of servers) await warm(server.baseUrl);
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? servers : [...servers].reverse();
    for (const server of pages.includes('login') ? order : []) {
      await context.clearCookies();
      record(server.label, 'login', round, await audit(`${server.baseUrl}/login`, true));
      await warm(server.baseUrl);
    }
    await context.addCookies([
      { name: 'tm_session', value: token, url: servers[0]?.baseUrl ?? '', httpOnly: true, sameSite: 'Lax' },
    ]);
    for (const server of pages.includes('inbox') ? order : [])
      record(server.label, 'inbox', round, await audit(`${server.baseUrl}/`, false));
    for (const server of pages.includes('lead') ? order : [])
      record(server.label, 'lead', round, await audit(`${server.baseUrl}/leads/${leadId}`, false));
  }
  await cdp.close();
} finally {
  await chrome.kill();
  for (const server of servers) await server.app.close();
  await database.close();
  await owner.pool.end();
  const drop = new pg.Client({ connectionString: adminUrl });
  await drop.connect();
  await drop.query(`drop database if exists "${dbName}" with (force)`);
  await drop.end();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
console.log('\nmedians (ms; perf is the score):');
for (const page of pages) {
  for (const { label } of builds) {
    const of = rows.filter((row) => row.page === page && row.build === label);
    const m = (key: keyof Row) => median(of.map((row) => Number(row[key]))).toFixed(key === 'cls' ? 3 : 0);
    console.log(
      `${page.padEnd(6)} ${label.padEnd(8)} n=${of.length} perf ${m('perf')} FCP ${m('fcp')} LCP ${m('lcp')} ` +
        `TBT ${m('tbt')} CLS ${m('cls')} bootup ${m('bootup')} main ${m('mainThread')} long ${m('longTasks')}`,
    );
  }
}
