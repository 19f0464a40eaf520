/**
 * WhatsApp webhooks: how many signed deliveries the API accepts per second (checked, stored, acknowledged), the
 * p99 of the acknowledgement at a fixed offered rate, and how many messages per second the delivery job puts
 * onto leads; each against the same inserts done by raw SQL in the same run, and nothing lost (rows counted
 * after). See docs/benchmarks.md, "WhatsApp webhooks".
 *
 * Settings: BENCH_DATABASE_URL (the server's admin URL; postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_SECONDS (10) per measurement, BENCH_CONNECTIONS (20), BENCH_RATE (500 deliveries/s offered for the p99),
 * BENCH_CUSTOMERS (200 senders), BENCH_WORKERS (4: raw SQL connections at once), BENCH_REDIS_URL (none by default).
 */
import { createHash, randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { ensureAppLogin } from '../src/platform/app-login';
import { createDatabase, runMigrations } from '../src/platform/db';
import {
  ApiProcess,
  type CpuPerCall,
  cpuMeter,
  intEnv,
  openWhatsappShop,
  recreateDatabase,
  signedDeliveries,
  WEBHOOK_PATH,
  type WhatsappShop,
  webhookHeaders,
} from './harness';

const settings = {
  adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  seconds: intEnv('BENCH_SECONDS', 10),
  connections: intEnv('BENCH_CONNECTIONS', 20),
  rate: intEnv('BENCH_RATE', 500),
  customers: intEnv('BENCH_CUSTOMERS', 200),
  workers: intEnv('BENCH_WORKERS', 4),
  redisUrl: process.env.BENCH_REDIS_URL,
};
const log = (line: string) => process.stdout.write(`${line}\n`);
/** BENCH_DATABASE_NAME: another name, so two trees (or two people) can bench one after the other on one server. */
const DATABASE = process.env.BENCH_DATABASE_NAME ?? 'crm_bench_webhooks';

/**
 * CPU per item, in ms: the side that did the work (the API, or this process for the job and the raw SQL) and the
 * bench database's PostgreSQL processes. On a busy machine rates follow the neighbours; CPU per item barely does.
 */
function cpuNote(cpu: CpuPerCall, side: 'API' | 'job' | 'client') {
  const worker = side === 'API' ? cpu.server : cpu.client;
  const fmt = (ms: number | null) => (ms === null ? '?' : ms.toFixed(3));
  return `CPU/item: ${side} ${fmt(worker)} ms, PostgreSQL ${fmt(cpu.postgres)} ms, machine ${fmt(cpu.machine)} ms`;
}
const secretsKey = randomBytes(32).toString('base64');

type Shop = WhatsappShop & { channelId: string };

/** A shop with one branch connected to a number, through the API as an owner would. */
async function openShop(baseUrl: string, owner: pg.Pool): Promise<Shop> {
  const shop = await openWhatsappShop(baseUrl, { tenantName: 'Bench webhooks', emailPrefix: 'bench' });
  const { rows } = await owner.query<{ id: string }>('select id from whatsapp_channel where branch_id = $1', [
    shop.branchId,
  ]);
  return { ...shop, channelId: rows[0]?.id ?? '' };
}

/**
 * The signed notifications for one measurement, made before it starts: building and signing a body costs the load
 * generator (this process, on one of the machine's two cores) about as much CPU as the API spends accepting it, so
 * made during the run it would measure the generator instead of the API.
 */
function prepared(next: () => { body: string; signature: string }, count: number) {
  return Array.from({ length: count }, () => {
    const { body, signature } = next();
    return {
      method: 'POST' as const,
      path: WEBHOOK_PATH,
      body,
      headers: webhookHeaders(signature),
    };
  });
}

interface Hammered {
  ok: number;
  other: number;
  seconds: number;
  p50: number;
  p99: number;
  /** CPU the load generator used during the run, in cores: near 1 means it, not the API, set the pace. */
  generatorCores: number;
}

function hammer(baseUrl: string, next: () => { body: string; signature: string }, overallRate?: number) {
  // Enough for the run at the highest rate this machine reaches (or the offered rate), plus a margin.
  const calls = prepared(next, Math.ceil((overallRate ?? 4_000) * settings.seconds * 1.2));
  let served = 0;
  return new Promise<Hammered>((resolve, reject) => {
    let ok = 0;
    let other = 0;
    const cpu = process.cpuUsage();
    const instance = autocannon(
      {
        url: baseUrl,
        connections: settings.connections,
        duration: settings.seconds,
        ...(overallRate ? { overallRate } : {}),
        requests: [
          {
            method: 'POST',
            path: WEBHOOK_PATH,
            // Each call a notification never sent before; past the prepared ones, made on the spot.
            setupRequest: (request) => {
              const call = calls[served++];
              if (call) return { ...request, ...call };
              const { body, signature } = next();
              return {
                ...request,
                body,
                headers: webhookHeaders(signature),
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
        const used = process.cpuUsage(cpu);
        resolve({
          ok,
          other: other + result.errors + result.timeouts,
          seconds,
          p50: result.latency.p50,
          p99: result.latency.p99,
          generatorCores: (used.user + used.system) / 1e6 / seconds,
        });
      },
    );
    instance.on('response', (_client, status) => {
      if (status === 200) ok++;
      else other++;
    });
  });
}

/** `work` as many times as it can in the measurement's seconds, `concurrency` at a time; answers the count. */
async function forSeconds(
  concurrency: number,
  work: (client: pg.PoolClient, i: number) => Promise<void>,
  pool: pg.Pool,
) {
  const until = performance.now() + settings.seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < until) await work(client, done++);
      } finally {
        client.release();
      }
    }),
  );
  return done;
}

async function main() {
  const url = await recreateDatabase(settings.adminUrl, DATABASE);
  await runMigrations(url);
  const owner = new pg.Pool({ connectionString: url, max: settings.connections + 2 });
  const env = {
    WHATSAPP_SECRETS_KEY: secretsKey,
    ...(settings.redisUrl ? { REDIS_URL: settings.redisUrl } : {}),
  };
  const api = await ApiProcess.start(url, env);
  const results: string[] = [];
  let shop: Shop;
  let accepted = 0;
  try {
    shop = await openShop(api.baseUrl, owner);
    const next = signedDeliveries(shop, settings.customers);

    log(`## deliveries accepted: autocannon, ${settings.connections} connections, ${settings.seconds} s`);
    const flatMeter = cpuMeter(() => api.cpu(), DATABASE);
    const flat = await hammer(api.baseUrl, next);
    const flatCpu = await flatMeter(flat.ok);
    accepted += flat.ok;
    results.push(
      `| deliveries accepted (API) | ${(flat.ok / flat.seconds).toFixed(0)}/s | p50 ${flat.p50} ms, p99 ${flat.p99} ms | ${flat.other} not 200; load generator ${flat.generatorCores.toFixed(2)} cores; ${cpuNote(flatCpu, 'API')} |`,
    );

    log(`## acknowledgement at ${settings.rate} deliveries/s offered`);
    const paced = await hammer(api.baseUrl, next, settings.rate);
    accepted += paced.ok;
    results.push(
      `| p99 acknowledgement at ${settings.rate}/s | ${(paced.ok / paced.seconds).toFixed(0)}/s served | p50 ${paced.p50} ms, p99 ${paced.p99} ms | ${paced.other} not 200; load generator ${paced.generatorCores.toFixed(2)} cores |`,
    );
  } finally {
    await api.stop();
  }

  log('## deliveries inserted by raw SQL (the same row, in a transaction with the tenant set)');
  const sqlNext = signedDeliveries(shop, settings.customers);
  const insertMeter = cpuMeter(undefined, DATABASE);
  const inserted = await forSeconds(
    settings.connections,
    async (client) => {
      const { body } = sqlNext();
      await client.query('begin');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [shop.tenantId]);
      await client.query(
        `insert into whatsapp_delivery (id, tenant_id, channel_id, body_sha256, payload, received_at)
         values (gen_random_uuid(), $1, $2, $3, $4::jsonb, now())`,
        [shop.tenantId, shop.channelId, `raw-${createHash('sha256').update(body).digest('hex')}`, body],
      );
      await client.query('commit');
    },
    owner,
  );
  const insertCpu = await insertMeter(inserted);
  results.push(
    `| deliveries inserted (raw SQL) | ${(inserted / settings.seconds).toFixed(0)}/s | | ${cpuNote(insertCpu, 'client')} |`,
  );
  // The raw rows are not the API's: they go before the job runs over what the API stored.
  await owner.query(`delete from whatsapp_delivery where body_sha256 like 'raw-%'`);

  const stored = Number((await owner.query('select count(*) from whatsapp_delivery')).rows[0]?.count ?? 0);
  log(`stored ${stored}, acknowledged ${accepted}`);
  // autocannon stops counting when its run ends: calls then in flight are stored, not counted as acknowledged.
  results.push(
    `| nothing lost | ${stored >= accepted ? 'yes' : 'NO'} | ${accepted} acknowledged | ${stored} stored |`,
  );

  log('## messages processed onto leads: a pass of the pending-deliveries job');
  const config = loadConfig(process.env, {
    DATABASE_URL: url,
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    WHATSAPP_SECRETS_KEY: secretsKey,
    LINK_SIGNING_SECRET: randomBytes(32).toString('base64url'),
    PLATFORM_API_KEY: randomBytes(32).toString('base64url'),
    ...(settings.redisUrl ? { REDIS_URL: settings.redisUrl } : {}),
  });
  const database = createDatabase({
    appUrl: await ensureAppLogin(url, config.APP_DATABASE_URL),
    poolSize: settings.workers + 2,
  });
  const { buildApp } = await import('../src/app');
  // Deferred: the work new leads bring (the assistant) is queued and never run here; only the delivery job runs.
  const app = await buildApp({ config, database, jobs: 'deferred' });
  const job = app.jobDefinitions.find((d) => d.name === 'whatsapp.process-pending');
  if (!job) throw new Error('no whatsapp.process-pending job');
  const pending = (
    await owner.query<{ id: string }>('select id from whatsapp_delivery where processed_at is null')
  ).rows;
  const jobMeter = cpuMeter(undefined, DATABASE);
  const started = performance.now();
  // One pass for the shop, as the nudge or the sweep starts it: its workers take the pending rows.
  await job.handle({ tenantId: shop.tenantId });
  const jobSeconds = (performance.now() - started) / 1000;
  const jobCpu = await jobMeter(pending.length);
  await app.close();
  await database.close();
  const counts = (
    await owner.query<{ messages: string; processed: string; leads: string }>(
      `select (select count(*) from whatsapp_message where direction = 'IN') as messages,
              (select count(*) from whatsapp_delivery where processed_at is not null) as processed,
              (select count(*) from lead) as leads`,
    )
  ).rows[0];
  const messages = Number(counts?.messages ?? 0);
  results.push(
    `| messages processed onto leads (job) | ${(messages / jobSeconds).toFixed(0)}/s | ${messages} messages, ${counts?.leads} leads | ${counts?.processed} of ${pending.length} deliveries processed; ${cpuNote(jobCpu, 'job')} |`,
  );
  results.push(
    `| nothing lost in processing | ${messages === pending.length && Number(counts?.processed) === pending.length ? 'yes' : 'NO'} | | |`,
  );

  log('## the same message rows by raw SQL: message, history event, lead activity, delivery marked');
  const leads = (await owner.query<{ id: string }>('select id from lead order by id')).rows.map((r) => r.id);
  const deliveryId = (await owner.query<{ id: string }>('select id from whatsapp_delivery limit 1')).rows[0]
    ?.id;
  const rawMeter = cpuMeter(undefined, DATABASE);
  const rawMessages = await forSeconds(
    settings.workers,
    async (client, i) => {
      const leadId = leads[i % leads.length];
      await client.query('begin');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [shop.tenantId]);
      await client.query(
        `insert into whatsapp_message (id, tenant_id, lead_id, channel_id, direction, wa_message_id, customer_wa_id,
                                       type, text, payload, status, wa_timestamp, created_at, updated_at)
         values (gen_random_uuid(), $1, $2, $3, 'IN', $4, '51999999999', 'text', $5, '{}'::jsonb, 'RECEIVED',
                 now(), now(), now())`,
        [shop.tenantId, leadId, shop.channelId, `raw.${i}.${randomBytes(6).toString('hex')}`, `Hola ${i}`],
      );
      await client.query(
        `insert into lead_event (id, tenant_id, lead_id, type, payload, created_at)
         values (gen_random_uuid(), $1, $2, 'MESSAGE_RECEIVED', '{"channel":"WHATSAPP"}'::jsonb, now())`,
        [shop.tenantId, leadId],
      );
      await client.query('update lead set last_activity_at = now() where tenant_id = $1 and id = $2', [
        shop.tenantId,
        leadId,
      ]);
      await client.query(
        'update whatsapp_delivery set processed_at = now() where tenant_id = $1 and id = $2',
        [shop.tenantId, deliveryId],
      );
      await client.query('commit');
    },
    owner,
  );
  const rawCpu = await rawMeter(rawMessages);
  results.push(
    `| messages inserted onto leads (raw SQL) | ${(rawMessages / settings.seconds).toFixed(0)}/s | | ${cpuNote(rawCpu, 'client')} |`,
  );

  log('\n| measure | rate | latency / detail | check |\n| --- | --- | --- | --- |');
  log(results.join('\n'));
  await owner.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
