import path from 'node:path';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { seedDemo } from './db/seed/demo';
import { connectDemoWhatsapp } from './db/seed/demo-whatsapp';
import { assistNewLead, warmUpClassifier } from './modules/assistant';
import { createSecretBox, whatsappSecretsKey } from './modules/whatsapp';
import { AppLoginError, appLoginUrl, ensureAppLogin } from './platform/app-login';
import { createDatabase, createOwnerDb, migrationsApplied, runMigrations } from './platform/db';
import { EmbeddedPostgresError, startEmbeddedPostgres } from './platform/embedded-postgres';
import { startJobs } from './platform/jobs';
import { collectProcessMetrics, observeBacklog, observePool } from './platform/metrics';
import { serveMetrics } from './platform/metrics-http';
import { loadOrCreateSecret } from './platform/secrets';
import { maintenanceJobs } from './worker';

const roleArg = process.argv.find((arg) => arg.startsWith('--role='))?.split('=')[1];

async function main() {
  const config = loadConfig(process.env, roleArg ? { ROLE: roleArg } : {}, {
    generatedSecret: loadOrCreateSecret,
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);

  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({
        dataDir: path.join(config.DATA_DIR, 'pg'),
        port: config.EMBEDDED_PG_PORT,
        log: say,
      });
  const ownerUrl = config.DATABASE_URL ?? embedded?.url;
  if (!ownerUrl) throw new Error('no database');
  if (embedded)
    say(
      `PostgreSQL (embedded) on 127.0.0.1:${config.EMBEDDED_PG_PORT}, data in ${path.join(config.DATA_DIR, 'pg')}`,
    );

  await runMigrations(ownerUrl);
  const owner = createOwnerDb(ownerUrl);
  collectProcessMetrics(config.ROLE);
  observePool('owner', owner.pool);
  observeBacklog(owner.pool);
  const seeded = config.seedDemo ? await seedDemo(owner.db) : null;

  // The app never runs as the owner: its own login role, which row-level security binds (platform/app-login.ts).
  const database = createDatabase({
    appUrl: await ensureAppLogin(ownerUrl, config.APP_DATABASE_URL),
    poolSize: config.DB_POOL_SIZE,
  });
  // The replica, when there is one: the same login role (a physical replica has the primary's roles), checked alike.
  const replica = config.DATABASE_REPLICA_URL
    ? createDatabase({
        appUrl: await ensureAppLogin(
          config.DATABASE_REPLICA_URL,
          config.APP_DATABASE_REPLICA_URL ?? appLoginUrl(config.DATABASE_REPLICA_URL),
        ),
        poolSize: config.DB_POOL_SIZE,
      })
    : null;
  if (replica)
    say('Reads that may lag (KPIs, exports, segment previews) go to the replica (DATABASE_REPLICA_URL)');
  let stopping = false;
  const jobs = await startJobs(
    ownerUrl,
    (error) => {
      // Connections cut by our own shutdown are expected, not news.
      if (!stopping) say(`jobs error: ${error.message}`);
    },
    { heartbeatSeconds: config.JOB_HEARTBEAT_SECONDS },
  );
  // The worker builds the app too (not listening): its jobs run the same services the routes do.
  const built = await buildApp({
    config,
    database,
    replica,
    jobs: jobs.queue,
    migrationsApplied: () => migrationsApplied(owner.pool),
  });
  // On shutdown the running jobs finish before what they use closes: this hook, added after the app's own, runs
  // before theirs (Fastify runs onClose hooks last-added first), once the requests in flight are answered.
  let jobsStopped: Promise<void> = Promise.resolve();
  built.addHook('onClose', () => jobsStopped);
  if (config.ROLE !== 'api') {
    // The assistant's model trains from its data set once per process: pay that before the first lead.
    warmUpClassifier();
    await jobs.work([
      ...maintenanceJobs(owner.pool, jobs.queue, {
        leadEvents: config.LEAD_EVENT_RETENTION_MONTHS,
        listingViews: config.LISTING_VIEW_RETENTION_MONTHS,
        whatsappMessages: config.WHATSAPP_MESSAGE_RETENTION_MONTHS,
        whatsappDeliveries: config.WHATSAPP_DELIVERY_RETENTION_MONTHS,
      }),
      ...built.jobDefinitions,
    ]);
  }
  const app = config.ROLE === 'worker' ? null : built;
  // The demo shop's branches on the in-process Cloud API simulator, by the process that serves it (new
  // credentials each start: the simulator forgets).
  const demoWhatsapp =
    seeded && app?.whatsappSimulator
      ? await connectDemoWhatsapp(owner.db, {
          box: createSecretBox(whatsappSecretsKey(config)),
          simulator: app.whatsappSimulator,
        })
      : null;
  if (seeded) {
    // The demo shop's leads get the assistant's reading like any new lead would (once: leads with one are skipped).
    const { rows } = await owner.pool.query<{ tenant_id: string; id: string }>(
      `select l.tenant_id, l.id from lead l
        where l.status not in ('WON', 'LOST')
          and not exists (select 1 from lead_ai_assistance a where a.tenant_id = l.tenant_id and a.lead_id = l.id)`,
    );
    for (const row of rows) await assistNewLead.send(jobs.queue, { tenantId: row.tenant_id, leadId: row.id });
  }

  if (app) {
    await app.listen({ port: config.PORT, host: config.HOST });
    say('');
    say(`TechMarket CRM is running on http://localhost:${config.PORT}`);
    say(`  API docs: http://localhost:${config.PORT}/api/docs`);
    if (demoWhatsapp) {
      say(
        `  WhatsApp simulator: write as a customer at http://localhost:${config.PORT}/simulator/whatsapp/phone (${demoWhatsapp.numbers.length} demo numbers)`,
      );
    }
    if (seeded) {
      say('  Demo logins (password for all):');
      for (const login of seeded.logins)
        say(`    ${login.role.padEnd(8)} ${login.email.padEnd(28)} ${login.password}  (${login.tenant})`);
    }
  } else {
    say('TechMarket CRM worker is running');
  }
  const metrics =
    config.METRICS_PORT === undefined
      ? null
      : await serveMetrics({ port: config.METRICS_PORT, host: config.HOST, token: config.METRICS_TOKEN });
  if (metrics) say(`  Metrics: http://localhost:${metrics.port}/metrics`);

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const timeout = config.SHUTDOWN_TIMEOUT_MS;
    // The grace is for load balancers, so only a process that serves HTTP waits it out.
    const grace = app ? config.shutdownGraceMs : 0;
    say(
      `${signal}: shutting down (readiness 503 now; still accepting for ${grace} ms, then requests, live streams and jobs get up to ${timeout} ms)`,
    );
    // Past the grace and the timeout, requests still open are cut; a little later, whatever still holds the
    // process is left.
    setTimeout(() => app?.server.closeAllConnections(), grace + timeout).unref();
    setTimeout(
      () => {
        say('shutdown: still not done; exiting anyway');
        process.exit(1);
      },
      grace + timeout + 10_000,
    ).unref();
    let code = 0;
    try {
      // Readiness says 503 first; the worker takes no new job and its running ones go on (failed back to the
      // queue, for another worker, if they outlast the timeout).
      built.markShuttingDown();
      jobsStopped = jobs.stopWorking(grace + timeout);
      // The grace: a load balancer checks readiness every few seconds and goes on sending requests until it has
      // seen it fail; those are accepted and answered as usual, not refused.
      if (grace > 0) {
        await new Promise((resolve) => setTimeout(resolve, grace));
        say(`${signal}: grace over, no longer accepting connections`);
      }
      // The server stops accepting, live streams end (their browsers reconnect, to another instance), the
      // requests in flight are answered, the running jobs finish (the hook above), then the app's resources close.
      await metrics?.close();
      await built.close();
      await jobs.stop();
      await database.close();
      await replica?.close();
      await owner.pool.end();
      await embedded?.stop();
    } catch (error) {
      say(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      code = 1;
    } finally {
      process.exit(code);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof AppLoginError ||
    error instanceof EmbeddedPostgresError
  ) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `TechMarket CRM failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
