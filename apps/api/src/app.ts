// Over 350 lines on purpose: the composition root, where every module is built from the platform's parts and wired
// to the others in one readable order (ARCHITECTURE.md).
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
import { analyticsRoutes, createAnalyticsService } from './modules/analytics';
import {
  assistantRoutes,
  assistNewLead,
  assistNewLeadJob,
  createAssistantService,
} from './modules/assistant';
import {
  createCampaignAttribution,
  createCampaignsModule,
  foldCampaignMetricsJob,
} from './modules/campaigns';
import { catalogRoutes, createCatalogService } from './modules/catalog';
import { consentRoutes, createConsentService, createContactsService } from './modules/contacts';
import { createFollowupsService, followupsRoutes, runTenantEngineJob } from './modules/followups';
import { healthRoutes } from './modules/health';
import {
  accountsRoutes,
  authRoutes,
  createAccountsService,
  createIdentityService,
  tenantAdminRoutes,
} from './modules/identity';
import {
  createLeadAutomation,
  createLeadFeed,
  createLeadsService,
  leadsLiveRoutes,
  leadsRoutes,
} from './modules/leads';
import { createPushModule } from './modules/push';
import { createQuickRepliesService, quickRepliesRoutes } from './modules/quick-replies';
import {
  createCommerceSettingsService,
  createQuoteLinks,
  createQuotesService,
  publicQuoteRoutes,
  quotesRoutes,
} from './modules/quotes';
import { createTicketsService, ticketsRoutes } from './modules/tickets';
import { createTrackingService, shortLinkRoutes, trackingRoutes } from './modules/tracking';
import {
  createSecretBox,
  createWhatsappModule,
  createWhatsappSends,
  registerWhatsappSimulator,
  whatsappSecretsKey,
} from './modules/whatsapp';
import { requireApiKeyScope } from './platform/api-key-scopes';
import { isSafeMethod, readBearer } from './platform/auth';
import { createMemoryBroadcast, createRedisBroadcast } from './platform/broadcast';
import { createMemoryCache, createRedisCache, createRedisDayCounters } from './platform/cache';
import { type Clock, systemClock } from './platform/clock';
import type { Database } from './platform/db';
import { createInlineQueue, type JobDefinition, type JobQueue } from './platform/jobs';
import { type LogStream, loggerOptions } from './platform/logging';
import { registerProblemHandlers } from './platform/problem';
import { createLoginLock, createRateLimits, routeLimitStore } from './platform/rate-limit';
import { createMemoryRealtime, createRedisRealtime, withPublishListeners } from './platform/realtime';
import { connectRedis, linkRedis } from './platform/redis';
import { registerSecurityHeaders } from './platform/security-headers';
import { intervalTicker, type Ticker } from './platform/ticker';
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
}

/** Builds the HTTP application: the same function serves `npm start` and every `app.inject()` test. */
export async function buildApp({
  config,
  database,
  jobs,
  clock = systemClock,
  ticker = intervalTicker,
  logStream,
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
  const identity = createIdentityService({ database, config, clock, broadcast, rateLimits, loginLock });
  const accounts = createAccountsService({ database, config, clock, identity });
  const contacts = createContactsService();
  const catalog = createCatalogService({ database, clock, branches: identity });
  const cache = redis ? createRedisCache(redis) : createMemoryCache();
  // What goes on the live stream is also what push alerts follow (modules/push): they listen to its publishes.
  const realtime = withPublishListeners(
    config.REDIS_URL ? createRedisRealtime(config.REDIS_URL, redisOptions) : createMemoryRealtime(),
  );
  app.addHook('onClose', async () => {
    await realtime.close();
    await redis?.close();
  });
  const feed = createLeadFeed({
    database,
    cache,
    realtime,
    onError: (error) => app.log.warn({ err: error }, 'lead feed: a committed change was not announced'),
  });
  const inline =
    jobs === undefined || jobs === 'deferred'
      ? createInlineQueue((error) => app.log.error({ err: error }, 'job failed'), jobs ?? 'immediate')
      : null;
  const queue: JobQueue = inline ?? (jobs as JobQueue);
  // Deferred jobs nobody drained are dropped with the test that made them; running ones finish first.
  if (jobs !== 'deferred') app.addHook('preClose', () => queue.drain());
  const assistant = createAssistantService({
    database,
    clock,
    llm:
      config.AI_PROVIDER === 'none' || !config.AI_MODEL
        ? null
        : {
            provider: config.AI_PROVIDER,
            model: config.AI_MODEL,
            baseUrl: config.AI_BASE_URL,
            apiKey: config.AI_API_KEY,
            timeoutMs: config.AI_TIMEOUT_MS,
          },
    onLeadChanged: (lead) => feed.changed('lead.updated', lead),
  });
  const jobDefinitions: JobDefinition[] = [assistNewLeadJob(assistant) as JobDefinition];
  inline?.register(jobDefinitions);
  // Every new lead, however it came in, gets the assistant's reading: after commit, off the request.
  feed.onCreated((lead) =>
    assistNewLead.send(queue, { tenantId: lead.tenantId, leadId: lead.id }).catch((error: unknown) => {
      app.log.warn({ err: error }, 'assistant job not sent; the sweep will pick the lead up');
    }),
  );
  // Campaign funnels: Redis counters folded by the worker when configured, else one upsert per event.
  const attribution = createCampaignAttribution({
    database,
    clock,
    counters: redis ? createRedisDayCounters(redis, `crm:counters:${databaseName}:`) : null,
    onError: (error) => app.log.warn({ err: error }, 'campaigns: an event was not counted'),
  });
  feed.onCreated((lead) => attribution.leadCreated(lead));
  feed.onChanged((_type, lead) => attribution.leadChanged(lead));
  // Follow-ups and campaigns send approved templates through the WhatsApp channel where a branch has one; leads,
  // quotes and tickets ask it which branches have one (there the first reply, not a stage move, is the first response).
  const whatsappSends = createWhatsappSends({ queue, log: app.log });
  const leads = createLeadsService({
    database,
    clock,
    contacts,
    identity,
    channels: whatsappSends,
    feed,
    assistant,
  });
  const tracking = createTrackingService({
    database,
    clock,
    contacts,
    identity,
    feed,
    rateLimits,
    limits: { perIp: config.TRACKING_LIMIT_PER_IP, perTenant: config.TRACKING_LIMIT_PER_TENANT },
    publicUrl: config.publicUrl,
    campaignEvents: attribution,
  });

  const commerce = createCommerceSettingsService({ database, clock, identity });
  const quotes = createQuotesService({
    database,
    clock,
    identity,
    settings: commerce,
    feed,
    links: createQuoteLinks(config.linkSigningSecret),
    publicUrl: config.publicUrl,
    channels: whatsappSends,
  });
  // Follow-ups: the engine (a pass per shop, sent by the worker's sweep every minute), tasks and the figures.
  const followups = createFollowupsService({
    database,
    clock,
    automation: createLeadAutomation(),
    identity,
    feed,
    realtime,
    whatsapp: whatsappSends,
    onError: (error) => app.log.warn({ err: error }, 'follow-ups: a committed change was not announced'),
  });
  const tickets = createTicketsService({
    database,
    clock,
    identity,
    settings: commerce,
    holidays: followups,
    feed,
    channels: whatsappSends,
  });
  const analytics = createAnalyticsService({ database, clock, followups });
  const followupJobs = [runTenantEngineJob(followups) as JobDefinition];
  jobDefinitions.push(...followupJobs);
  inline?.register(followupJobs);
  const campaigns = createCampaignsModule({
    database,
    clock,
    attribution,
    followups,
    feed,
    whatsapp: whatsappSends,
  });
  // A standing reactivation campaign picks up each lead the engine moves to DORMANT, in the engine's transaction.
  followups.whenDormant((tx, tenantId, leadIds, at) => campaigns.pickUpDormant(tx, tenantId, leadIds, at));
  const campaignJobs = [...campaigns.jobs, ...(redis ? [foldCampaignMetricsJob(attribution)] : [])];
  // Marketing consent is the customer's (contacts); opting out also stops the campaigns' open messages.
  const consent = createConsentService({ database, clock, marketing: campaigns.marketing });
  jobDefinitions.push(...campaignJobs);
  inline?.register(campaignJobs);

  const whatsapp = createWhatsappModule({
    config,
    database,
    clock,
    identity,
    contacts,
    feed,
    realtime,
    broadcast,
    queue,
    rateLimits,
    log: app.log,
  });
  jobDefinitions.push(...whatsapp.jobs);
  inline?.register(whatsapp.jobs);

  // Web Push: the live stream's events and the quotes' decisions, pushed to the devices of whom they concern.
  const push = createPushModule({
    config,
    database,
    clock,
    identity,
    queue,
    box: createSecretBox(whatsappSecretsKey(config)),
    log: app.log,
  });
  realtime.onPublished((tenantId, event) => push.alerts.liveEvent(tenantId, event));
  quotes.onDecided((decided) => push.alerts.quoteDecided(decided));
  jobDefinitions.push(...push.jobs);
  inline?.register(push.jobs);

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const bearer = readBearer(request);
    if (bearer) request.principal = await identity.resolvePrincipal(bearer.secret, bearer.viaCookie);
  });
  app.addHook('onRequest', requireApiKeyScope);
  // A write authenticated by the session cookie must carry the CSRF token the API handed out at login.
  app.addHook('onRequest', (request, reply, done) => {
    const principal = request.principal;
    if (principal?.kind === 'user' && principal.viaCookie && !isSafeMethod(request.method)) {
      app.csrfProtection(request, reply, done);
    } else {
      done();
    }
  });

  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(healthRoutes);
      await api.register(authRoutes, { identity });
      await api.register(tenantAdminRoutes, { identity });
      await api.register(accountsRoutes, { accounts });
      await api.register(catalogRoutes, { catalog });
      await api.register(leadsRoutes, { leads });
      await api.register(leadsLiveRoutes, {
        feed,
        realtime,
        principals: identity,
        recheck: { everyMs: config.STREAM_RECHECK_SECONDS * 1000, ticker },
      });
      await api.register(trackingRoutes, { tracking });
      await api.register(ticketsRoutes, { tickets });
      await api.register(quotesRoutes, { quotes, settings: commerce });
      await api.register(assistantRoutes, { assistant });
      await api.register(followupsRoutes, { followups });
      await api.register(analyticsRoutes, { analytics });
      await campaigns.routes(api);
      await api.register(consentRoutes, { consent });
      await api.register(quickRepliesRoutes, {
        quickReplies: createQuickRepliesService({ database, clock }),
      });
      await whatsapp.routes(api);
      await push.routes(api);
    },
    { prefix: '/api/v1' },
  );
  await app.register(shortLinkRoutes, { tracking, cookieSecure: config.cookieSecure });
  await app.register(publicQuoteRoutes, { quotes });
  const whatsappSimulator = config.WHATSAPP_SIMULATOR ? await registerWhatsappSimulator(app, config) : null;
  await registerWeb(app, config);
  return Object.assign(app, { jobDefinitions, drainJobs: () => queue.drain(), whatsappSimulator });
}

export type App = Awaited<ReturnType<typeof buildApp>>;
