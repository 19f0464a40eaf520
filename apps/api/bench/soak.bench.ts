/**
 * Soak: a sustained mixed load at fixed rates (open loop: requests leave on schedule whether or not earlier ones
 * were answered) against the app run as `npm start` runs it, in two processes, an API (`--role=api`) and a worker
 * (`--role=worker`), on one PostgreSQL. Reports each operation's throughput and p99, the resident memory of each
 * process sampled every 10 s from its own /metrics (flat: the last third's mean within SOAK_RSS_TOLERANCE % of the
 * first third's), and that nothing was lost: every click answered 2xx has its lead stored, every webhook answered
 * 200 is stored and, once the worker is done, processed. See docs/benchmarks.md, "Soak".
 *
 * Settings: BENCH_DATABASE_URL (the server's admin URL; postgres://postgres@127.0.0.1:5432/postgres),
 * SOAK_MINUTES (10), rates per second SOAK_CLICKS (50), SOAK_INBOX (10), SOAK_UPDATES (5), SOAK_WEBHOOKS (20),
 * SOAK_RSS_TOLERANCE (10, %), BENCH_REDIS_URL (none by default).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runMigrations } from '../src/platform/db';
import { freePort } from '../test/free-port';
import {
  apiCall as call,
  intEnv,
  openWhatsappShop,
  percentile,
  recreateDatabase,
  signedDeliveries,
  sleep,
  WEBHOOK_PATH,
  webhookHeaders,
} from './harness';

const settings = {
  adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  minutes: intEnv('SOAK_MINUTES', 10),
  rates: {
    click: intEnv('SOAK_CLICKS', 50),
    inbox: intEnv('SOAK_INBOX', 10),
    update: intEnv('SOAK_UPDATES', 5),
    webhook: intEnv('SOAK_WEBHOOKS', 20),
  },
  rssTolerance: intEnv('SOAK_RSS_TOLERANCE', 10),
  redisUrl: process.env.BENCH_REDIS_URL,
};
type Operation = keyof typeof settings.rates;
const log = (line: string) => process.stdout.write(`${line}\n`);
const DATABASE = 'crm_bench_soak';
const RSS_EVERY_MS = 10_000;
const apiRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One process of the app, started as `npm start` starts it, with its metrics on a port of its own. */
interface AppProcess {
  role: 'api' | 'worker';
  child: ChildProcess;
  metricsPort: number;
  output: string;
}

async function startProcess(role: AppProcess['role'], env: Record<string, string>): Promise<AppProcess> {
  const metricsPort = await freePort();
  const child = spawn(
    path.join(apiRoot, '../../node_modules/.bin/tsx'),
    ['--import', './src/telemetry.ts', 'src/server.ts', `--role=${role}`],
    {
      cwd: apiRoot,
      env: { ...process.env, ...env, METRICS_PORT: String(metricsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const started: AppProcess = { role, child, metricsPort, output: '' };
  const keep = (chunk: Buffer) => {
    // The last lines are enough to say why it stopped.
    started.output = (started.output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const ready = role === 'api' ? 'is running on' : 'worker is running';
  while (!started.output.includes('Metrics:') || !started.output.includes(ready)) {
    if (child.exitCode !== null) throw new Error(`the ${role} process exited:\n${started.output}`);
    await sleep(100);
  }
  return started;
}

async function stopProcess(process: AppProcess) {
  if (process.child.exitCode !== null) return;
  const exited = new Promise((resolve) => process.child.once('exit', resolve));
  process.child.kill('SIGTERM');
  await exited;
}

/** The process's resident memory as its own /metrics reports it (prom-client's process_resident_memory_bytes). */
async function rssOf(process: AppProcess): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${process.metricsPort}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('process_resident_memory_bytes'));
    return line ? Number(line.split(' ').at(-1)) : null;
  } catch {
    return null;
  }
}

interface Tally {
  latencies: number[];
  ok: number;
  failed: number;
  statuses: Map<string, number>;
}

async function main() {
  const url = await recreateDatabase(settings.adminUrl, DATABASE);
  await runMigrations(url);
  const owner = new pg.Pool({ connectionString: url, max: 2 });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tm-soak-'));
  const env: Record<string, string> = {
    DATABASE_URL: url,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATA_DIR: dataDir,
    LINK_SIGNING_SECRET: randomBytes(32).toString('base64url'),
    WHATSAPP_SECRETS_KEY: randomBytes(32).toString('base64'),
    PLATFORM_API_KEY: randomBytes(32).toString('base64url'),
    // One client address and one shop make every call: the limits would measure themselves.
    TRACKING_LIMIT_PER_IP: '100000000',
    TRACKING_LIMIT_PER_TENANT: '100000000',
    ...(settings.redisUrl ? { REDIS_URL: settings.redisUrl } : { REDIS_URL: '' }),
  };
  const apiPort = await freePort();
  log('## starting an API process and a worker process');
  const api = await startProcess('api', { ...env, PORT: String(apiPort) });
  const worker = await startProcess('worker', { ...env, PORT: String(await freePort()) });
  const processes = [api, worker];
  const baseUrl = `http://127.0.0.1:${apiPort}`;

  const tally = (): Tally => ({ latencies: [], ok: 0, failed: 0, statuses: new Map() });
  const tallies: Record<Operation, Tally> = {
    click: tally(),
    inbox: tally(),
    update: tally(),
    webhook: tally(),
  };
  const clickedLeads = new Set<string>();
  let webhooksAcked = 0;
  const rss = new Map<string, number[]>(processes.map((p) => [p.role, []]));

  try {
    const shop = await openWhatsappShop(baseUrl, {
      tenantName: 'Bench soak',
      emailPrefix: 'soak',
      branch: { name: 'Centro', whatsappPhone: '+51 987 654 321', timezone: 'America/Lima' },
    });
    const nextDelivery = signedDeliveries(shop, 500);
    // Leads to update: made by clicks before the run, each with its version (updates say which they change).
    const versions = new Map<string, number>();
    for (let i = 0; i < 50; i++) {
      const click = await call(baseUrl, 'POST', '/tracking/whatsapp-click', {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        visitorId: `soak-seed-${i}`,
      });
      const lead = await call(baseUrl, 'GET', `/leads/${click.leadId}`, undefined, shop.token);
      versions.set(click.leadId as string, lead.version as number);
    }
    const updating = new Set<string>();
    const leadIds = [...versions.keys()];
    const priorities = ['LOW', 'MEDIUM', 'HIGH'];
    let n = 0;

    const send = async (
      op: Operation,
      request: () => Promise<Response>,
      accept: (r: Response) => Promise<void>,
    ) => {
      const counted = tallies[op];
      const started = performance.now();
      try {
        const response = await request();
        counted.latencies.push(performance.now() - started);
        const key = String(response.status);
        counted.statuses.set(key, (counted.statuses.get(key) ?? 0) + 1);
        if (response.ok) {
          counted.ok++;
          await accept(response);
        } else {
          counted.failed++;
          await response.arrayBuffer();
        }
      } catch (error) {
        counted.failed++;
        // fetch says "fetch failed"; what failed (a reset, a timeout) is its cause's code.
        const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
        const key = cause?.code ?? (error instanceof Error ? error.message : 'error');
        counted.statuses.set(key, (counted.statuses.get(key) ?? 0) + 1);
      }
    };
    const operations: Record<Operation, () => Promise<void>> = {
      click: () =>
        send(
          'click',
          () =>
            fetch(`${baseUrl}/api/v1/tracking/whatsapp-click`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              // Visitors come back (an open lead answered 200) as often as they are new (a lead made, 201).
              body: JSON.stringify({
                tenantId: shop.tenantId,
                branchId: shop.branchId,
                visitorId: `v-${n++ % 20_000}`,
              }),
            }),
          async (response) => {
            clickedLeads.add(((await response.json()) as { leadId: string }).leadId);
          },
        ),
      inbox: () =>
        send(
          'inbox',
          () =>
            fetch(`${baseUrl}/api/v1/tenants/${shop.tenantId}/leads?limit=50`, {
              headers: { authorization: `Bearer ${shop.token}` },
            }),
          async (response) => void (await response.arrayBuffer()),
        ),
      update: async () => {
        // One update in flight per lead: the next one carries the version the last one answered.
        const leadId =
          leadIds.find((id) => !updating.has(id) && Math.random() < 0.2) ??
          leadIds.find((id) => !updating.has(id));
        if (!leadId) return;
        updating.add(leadId);
        await send(
          'update',
          () =>
            fetch(`${baseUrl}/api/v1/leads/${leadId}`, {
              method: 'PATCH',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${shop.token}` },
              body: JSON.stringify({ priority: priorities[n % 3], version: versions.get(leadId) }),
            }),
          async (response) => {
            versions.set(leadId, ((await response.json()) as { version: number }).version);
          },
        );
        updating.delete(leadId);
      },
      webhook: () => {
        const { body, signature } = nextDelivery();
        return send(
          'webhook',
          () =>
            fetch(`${baseUrl}${WEBHOOK_PATH}`, {
              method: 'POST',
              headers: webhookHeaders(signature),
              body,
            }),
          async (response) => {
            webhooksAcked++;
            await response.arrayBuffer();
          },
        );
      },
    };

    log(
      `## ${settings.minutes} min at ${Object.entries(settings.rates)
        .map(([op, rate]) => `${rate} ${op}/s`)
        .join(', ')} (open loop)`,
    );
    const inFlight = new Set<Promise<void>>();
    const issued = Object.fromEntries(Object.keys(settings.rates).map((op) => [op, 0])) as Record<
      Operation,
      number
    >;
    const start = performance.now();
    const end = start + settings.minutes * 60_000;
    let nextSample = start;
    while (performance.now() < end) {
      const now = performance.now();
      for (const op of Object.keys(settings.rates) as Operation[]) {
        // On schedule: as many as the rate says by now, answered or not.
        const due = Math.floor(((now - start) / 1000) * settings.rates[op]);
        while (issued[op] < due) {
          issued[op]++;
          const running = operations[op]().finally(() => inFlight.delete(running));
          inFlight.add(running);
        }
      }
      if (now >= nextSample) {
        nextSample += RSS_EVERY_MS;
        void Promise.all(processes.map(async (p) => [p.role, await rssOf(p)] as const)).then((samples) => {
          for (const [role, value] of samples) if (value !== null) rss.get(role)?.push(value);
        });
      }
      await sleep(5);
    }
    const seconds = (performance.now() - start) / 1000;
    await Promise.all([...inFlight]);

    log('## waiting for the worker to process every stored delivery');
    const pendingQuery =
      'select count(*) filter (where processed_at is null) as pending, count(*) as stored from whatsapp_delivery';
    let stored = 0;
    let pending = Number.POSITIVE_INFINITY;
    for (let waited = 0; waited < 180_000 && pending > 0; waited += 1000) {
      const row = (await owner.query<{ pending: string; stored: string }>(pendingQuery)).rows[0];
      pending = Number(row?.pending ?? 0);
      stored = Number(row?.stored ?? 0);
      if (pending > 0) await sleep(1000);
    }
    const leadsFound = Number(
      (
        await owner.query<{ count: string }>('select count(*) from lead where id = any($1::uuid[])', [
          [...clickedLeads],
        ])
      ).rows[0]?.count ?? 0,
    );

    log('');
    log(`| operation | offered | answered 2xx | not 2xx | p50 | p99 |`);
    log('|---|---|---|---|---|---|');
    for (const op of Object.keys(settings.rates) as Operation[]) {
      const tally = tallies[op];
      const sorted = Float64Array.from(tally.latencies).sort();
      const others = [...tally.statuses].filter(([status]) => !status.startsWith('2'));
      log(
        `| ${op} | ${settings.rates[op]}/s | ${(tally.ok / seconds).toFixed(1)}/s (${tally.ok}) | ${tally.failed}${others.length ? ` (${others.map(([s, c]) => `${s}: ${c}`).join(', ')})` : ''} | ${percentile(sorted, 0.5).toFixed(1)} ms | ${percentile(sorted, 0.99).toFixed(1)} ms |`,
      );
    }
    log('');
    log(
      `| process | RSS first third | RSS last third | change | flat (±${settings.rssTolerance}%) | samples |`,
    );
    log('|---|---|---|---|---|---|');
    for (const [role, samples] of rss) {
      const third = Math.max(1, Math.floor(samples.length / 3));
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
      const first = mean(samples.slice(0, third));
      const last = mean(samples.slice(-third));
      const change = ((last - first) / first) * 100;
      const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
      log(
        `| ${role} | ${mb(first)} | ${mb(last)} | ${change >= 0 ? '+' : ''}${change.toFixed(1)}% | ${Math.abs(change) <= settings.rssTolerance ? 'yes' : 'NO'} | ${samples.length} |`,
      );
    }
    // What the worker still had to do when the load stopped (the assistant's work on new leads, above all).
    const backlog = await owner.query<{ name: string; depth: string; oldest: string | null }>(
      `select name, count(*) as depth, round(extract(epoch from now() - min(created_on))) as oldest
         from pgboss.job where state < 'active' group by name order by name`,
    );
    log('');
    log('| job queue after the run | waiting | oldest |');
    log('|---|---|---|');
    for (const row of backlog.rows) log(`| ${row.name} | ${row.depth} | ${row.oldest ?? 0} s |`);
    if (backlog.rows.length === 0) log('| (none waiting) | 0 | |');
    log('');
    const clicksKept = leadsFound === clickedLeads.size;
    const webhooksKept = stored >= webhooksAcked && pending === 0;
    log(`| nothing lost | |`);
    log('|---|---|');
    log(
      `| clicks: leads answered 2xx and stored | ${leadsFound} of ${clickedLeads.size} ${clicksKept ? 'yes' : 'NO'} |`,
    );
    log(
      `| webhooks: answered 200, stored, processed | ${webhooksAcked} acknowledged, ${stored} stored, ${pending} unprocessed ${webhooksKept ? 'yes' : 'NO'} |`,
    );
    if (!clicksKept || !webhooksKept) process.exitCode = 1;
  } finally {
    await Promise.all(processes.map(stopProcess));
    await owner.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
