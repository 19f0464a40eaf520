// The composition root: the cross-cutting set-up, then each module built from the platform's parts and the modules
// before it, then one ordered list of them mounted (ARCHITECTURE.md, "How a module plugs in").
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { v7 as uuidv7 } from 'uuid';
import type { AppConfig } from './config';
import { createAnalyticsModule } from './modules/analytics';
import { createAssistantModule } from './modules/assistant';
import { createCampaignsModule } from './modules/campaigns';
import { createCatalogModule } from './modules/catalog';
import { createContactsModule, createContactsService } from './modules/contacts';
import { createExportsModule } from './modules/exports';
import { createFollowupsModule } from './modules/followups';
import { createHealthModule } from './modules/health';
import { createIdentityModule } from './modules/identity';
import { createImportsModule } from './modules/imports';
import { createLeadFeed, createLeadsModule } from './modules/leads';
import { createPrivacyModule } from './modules/privacy';
import { createPushModule } from './modules/push';
import { createQuickRepliesModule } from './modules/quick-replies';
import { createQuotesModule } from './modules/quotes';
import { createTicketsModule } from './modules/tickets';
import { createTrackingModule } from './modules/tracking';
import {
  createSecretBox,
  createWhatsappModule,
  createWhatsappSends,
  whatsappSecretsKey,
} from './modules/whatsapp';
import { requireApiKeyScope } from './platform/api-key-scopes';
import type { AppModule } from './platform/app-module';
import { isSafeMethod, readBearer } from './platform/auth';
import { createMemoryBroadcast, createRedisBroadcast } from './platform/broadcast';
import { createMemoryCache, createRedisCache, createRedisDayCounters } from './platform/cache';
import { type Clock, systemClock } from './platform/clock';
import type { Database } from './platform/db';
import { registerIdempotency } from './platform/idempotency';
import { createInlineQueue, type JobQueue } from './platform/jobs';
import { type LogStream, loggerOptions } from './platform/logging';
import { leadsCreatedTotal } from './platform/metrics';
import { registerMetrics } from './platform/metrics-http';
import { registerProblemHandlers } from './platform/problem';
import { createLoginLock, createRateLimits, routeLimitStore } from './platform/rate-limit';
import { createReplicaReads, type LaggingReads, primaryReads } from './platform/read-replica';
import { createMemoryRealtime, createRedisRealtime, withPublishListeners } from './platform/realtime';
import { connectRedis, linkRedis } from './platform/redis';
import { registerSecurityHeaders } from './platform/security-headers';
import { intervalTicker, type Ticker } from './platform/ticker';
import { principalBindings } from './platform/tracing';
import { registerWeb } from './platform/web';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    database: Database;
  }
}

export interface AppDeps {
  config: AppConfig;
  database: Database;
  /** A streaming replica of the database (DATABASE_REPLICA_URL): reads that may lag go there (platform/read-replica.ts). */
  replica?: Database | null;
  /**
   * pg-boss in `npm start`; 'deferred' runs jobs in this process when `drainJobs()` is called (tests);
   * without it they run in this process right away.
   */
  jobs?: JobQueue | 'deferred';
  clock?: Clock;
  /** Runs the periodic checks (live streams' principals); tests pass one they drive. */
  ticker?: Ticker;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: LogStream;
  /** Readiness asks it whether the database has every migration (server.ts passes the owner's check). */
  migrationsApplied?: () => Promise<boolean>;
}

/** Builds the HTTP application: the same function serves `npm start` and every `app.inject()` test. */
export async function buildApp({
  config,
  database,
  replica = null,
  jobs,
  clock = systemClock,
  ticker = intervalTicker,
  logStream,
  migrationsApplied,
}: AppDeps) {
  const trustProxy = config.TRUST_PROXY;
  const app = Fastify({
    logger: loggerOptions(config.LOG_LEVEL, logStream),
    genReqId: () => uuidv7(),
    requestIdHeader: 'x-request-id',
    // X-Forwarded-For names the client only when it comes from a proxy we were told to trust (TRUST_PROXY).
    trustProxy:
      typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', config);
  app.decorate('database', database);
  registerProblemHandlers(app);
  registerMetrics(app, { token: config.METRICS_TOKEN });
  // PostgreSQL out of connection slots: a request waits for one (platform/db.ts), and each refusal is logged.
  database.onSlotWait((error) =>
    app.log.warn({ err: error }, 'PostgreSQL has no connection slot free; waiting for one'),
  );
  await registerSecurityHeaders(app, { https: config.publicUrl.startsWith('https:') });

  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'tm_csrf',
    cookieOpts: { httpOnly: true, sameSite: 'strict', path: '/', secure: config.cookieSecure },
    getToken: (request) => {
      const header = request.headers['x-csrf-token'];
      return typeof header === 'string' ? header : undefined;
    },
  });
  // Redis when configured: counts, limits and live updates are then shared by every instance. While it does not
  // answer, each falls back to its in-process version at once, and returns to Redis when Redis is back.
  const redisTimeout = config.REDIS_COMMAND_TIMEOUT_MS;
  const onRedisAway = (error: unknown) =>
    app.log.warn({ err: error }, 'Redis is not answering; limits, caches and live updates go on in-process');
  const redis = config.REDIS_URL
    ? linkRedis(connectRedis(config.REDIS_URL, 'api', redisTimeout), onRedisAway)
    : null;
  // Route limits (the login throttle, signup, public quote links) count across the instances of one database;
  // while Redis is away, each process counts alone.
  const databaseName = config.DATABASE_URL ? new URL(config.DATABASE_URL).pathname.slice(1) : 'embedded';
  // Reads that may lag (KPIs, the dashboard, exports, segment previews): the replica when there is one.
  const reads: LaggingReads<Database> = replica
    ? createReplicaReads({
        primary: database,
        replica,
        redis,
        keyPrefix: `crm:rw:${databaseName}:`,
        maxLagMs: config.REPLICA_MAX_LAG_MS,
        lagCheckMs: config.REPLICA_LAG_CHECK_MS,
        onLagCheckError: (error) =>
          app.log.warn({ err: error }, 'replica lag check failed; lagging reads go to the primary meanwhile'),
      })
    : primaryReads(database);
  app.addHook('onClose', async () => reads.close());
  await app.register(fastifyRateLimit, {
    global: false,
    store: routeLimitStore(redis, `crm:route-rl:${databaseName}:`),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'TechMarket CRM API',
        version: '1.0.0',
        description: 'Leads, WhatsApp tracking, follow-ups and campaigns for electronics shops.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'tm_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  const redisOptions = { commandTimeoutMs: redisTimeout, onError: onRedisAway };
  const broadcast = config.REDIS_URL
    ? createRedisBroadcast(config.REDIS_URL, redisOptions)
    : createMemoryBroadcast();
  app.addHook('onClose', () => broadcast.close());
  const rateLimits = createRateLimits(redis);
  const loginLock = createLoginLock(redis, {
    failures: config.LOGIN_LOCK_FAILURES,
    lockSeconds: config.LOGIN_LOCK_MINUTES * 60,
    prefix: `crm:login-lock:${databaseName}`,
  });
  const cache = redis ? createRedisCache(redis) : createMemoryCache();
  // What goes on the live stream is also what push alerts follow (modules/push): they listen to its publishes.
  const realtime = withPublishListeners(
    config.REDIS_URL ? createRedisRealtime(config.REDIS_URL, redisOptions) : createMemoryRealtime(),
  );
  app.addHook('onClose', async () => {
    await realtime.close();
    await redis?.close();
  });
  const inline =
    jobs === undefined || jobs === 'deferred'
      ? createInlineQueue((error) => app.log.error({ err: error }, 'job failed'), jobs ?? 'immediate')
      : null;
  const queue: JobQueue = inline ?? (jobs as JobQueue);
  // Deferred jobs nobody drained are dropped with the test that made them; running ones finish first.
  if (jobs !== 'deferred') app.addHook('preClose', () => queue.drain());
  const log = app.log;

  // The modules, each built from the platform's parts above and what the modules built before it offer. Three
  // parts of modules come first, as several modules share them: the customers (contacts), the lead feed (leads:
  // told of every committed change of a lead) and the WhatsApp sends (follow-ups and campaigns send approved
  // templates where a branch has a channel; leads, quotes and tickets ask which branches have one, since there
  // the first reply, not a stage move, is the first response).
  const contacts = createContactsService();
  const feed = createLeadFeed({
    database,
    cache,
    realtime,
    onError: (error) => log.warn({ err: error }, 'lead feed: a committed change was not announced'),
  });
  const whatsappSends = createWhatsappSends({ queue, log });
  const identity = createIdentityModule({ database, config, clock, broadcast, rateLimits, loginLock });
  const catalog = createCatalogModule({ database, clock, branches: identity.service });
  const assistant = createAssistantModule({ database, clock, config, feed, queue, log });
  const leads = createLeadsModule({
    database,
    clock,
    contacts,
    identity: identity.service,
    channels: whatsappSends,
    feed,
    assistant,
    realtime,
    recheck: { everyMs: config.STREAM_RECHECK_SECONDS * 1000, ticker },
    heartbeatMs: config.STREAM_HEARTBEAT_SECONDS * 1000,
  });
  const quotes = createQuotesModule({
    database,
    clock,
    config,
    identity: identity.service,
    feed,
    channels: whatsappSends,
  });
  const followups = createFollowupsModule({
    database,
    clock,
    identity: identity.service,
    feed,
    realtime,
    whatsapp: whatsappSends,
    log,
  });
  const tickets = createTicketsModule({
    database,
    clock,
    identity: identity.service,
    settings: quotes.settings,
    quoting: quotes.quoting,
    contacts,
    holidays: followups.service,
    feed,
    channels: whatsappSends,
  });
  const analytics = createAnalyticsModule({
    database,
    reads,
    clock,
    followups: followups.service,
    platformApiKey: config.platformApiKey,
  });
  const exports = createExportsModule({ database, reads, clock, analytics: analytics.service });
  // Campaign funnels: Redis counters folded by the worker when configured, else one upsert per event.
  const campaigns = createCampaignsModule({
    database,
    reads,
    clock,
    counters: redis ? createRedisDayCounters(redis, `crm:counters:${databaseName}:`) : null,
    queue,
    followups: followups.service,
    feed,
    whatsapp: whatsappSends,
    log,
  });
  const tracking = createTrackingModule({
    database,
    clock,
    config,
    identity: identity.service,
    feed,
    rateLimits,
    campaignEvents: campaigns.attribution,
    queue,
    onError: (error) => log.warn({ err: error }, 'tracking: views not handed to their leads'),
  });
  // Marketing consent is the customer's (contacts); opting out also stops the campaigns' open messages.
  const consent = createContactsModule({ database, clock, marketing: campaigns.marketing });
  const quickReplies = createQuickRepliesModule({ database, clock });
  const imports = createImportsModule({
    database,
    clock,
    queue,
    identity: identity.service,
    contacts,
    catalog: catalog.service,
    maxBytes: config.IMPORT_MAX_BYTES,
  });
  const privacy = createPrivacyModule({ database, clock });
  const whatsapp = createWhatsappModule({
    config,
    database,
    clock,
    identity: identity.service,
    contacts,
    feed,
    realtime,
    broadcast,
    queue,
    rateLimits,
    ticker,
    log,
    onSellerText: assistant.recordSellerText,
  });
  // Web Push: the live stream's events and the quotes' decisions, pushed to the devices of whom they concern.
  const push = createPushModule({
    config,
    database,
    clock,
    identity: identity.service,
    queue,
    box: createSecretBox(whatsappSecretsKey(config)),
    realtime,
    decisions: quotes.decisions,
    log,
  });

  const health = createHealthModule({ redis, migrationsApplied });

  // In this order: their routes (and so the OpenAPI document), their jobs, and each event's listeners.
  const modules: AppModule[] = [
    health,
    identity,
    catalog,
    leads,
    tracking,
    tickets,
    quotes,
    assistant,
    followups,
    analytics,
    exports,
    campaigns,
    consent,
    privacy,
    quickReplies,
    imports,
    whatsapp,
    push,
  ];
  for (const module of modules) module.listen?.();
  feed.onCreated(async () => leadsCreatedTotal.inc());
  const flushModules = async () => {
    for (const module of modules) await module.flush?.();
  };
  // Once the last request is answered, what the modules held back goes out (before the caller stops the queue).
  app.addHook('onClose', async () => {
    for (const module of modules) await module.close?.();
  });
  const jobDefinitions = modules.flatMap((module) => module.jobs ?? []);
  inline?.register(jobDefinitions);

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const bearer = readBearer(request);
    if (bearer) request.principal = await identity.service.resolvePrincipal(bearer.secret, bearer.viaCookie);
    // Every line this request logs from here on, its completion included, says whose it was (and so does its trace).
    if (request.principal)
      request.log = reply.log = request.log.child(principalBindings(request, request.principal));
  });
  app.addHook('onRequest', requireApiKeyScope);
  // Read-your-writes on the replica: a caller's write is remembered before its answer leaves, so the caller's
  // next lagging read (which may follow at once) waits for the replica to have it.
  if (reads.replicated) {
    app.addHook('onSend', async (request, _reply, payload) => {
      if (request.principal && !isSafeMethod(request.method)) {
        await reads.noteWrite(request.principal).catch((error: unknown) => {
          request.log.warn({ err: error }, 'could not note the write for read-your-writes on the replica');
        });
      }
      return payload;
    });
  }
  // A write authenticated by the session cookie must carry the CSRF token the API handed out at login.
  app.addHook('onRequest', (request, reply, done) => {
    const principal = request.principal;
    if (principal?.kind === 'user' && principal.viaCookie && !isSafeMethod(request.method)) {
      app.csrfProtection(request, reply, done);
    } else {
      done();
    }
  });
  // Any write a caller repeats with the same Idempotency-Key (a double tap, a retry, an offline replay) is done once.
  registerIdempotency(app, { database, clock });

  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      for (const module of modules) await module.routes?.(api);
    },
    { prefix: '/api/v1' },
  );
  for (const module of modules) await module.publicRoutes?.(app);
  await registerWeb(app, config);
  return Object.assign(app, {
    jobDefinitions,
    drainJobs: async () => {
      await flushModules();
      await queue.drain();
    },
    whatsappSimulator: whatsapp.simulator,
    /** Readiness answers 503 from now on (SIGTERM's first step, before the server stops accepting). */
    markShuttingDown: health.markShuttingDown,
  });
}

export type App = Awaited<ReturnType<typeof buildApp>>;
