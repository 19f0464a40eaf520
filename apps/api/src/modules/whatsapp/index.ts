import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppConfig } from '../../config';
import type { AppModule } from '../../platform/app-module';
import type { Broadcast } from '../../platform/broadcast';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import type { RateLimits } from '../../platform/rate-limit';
import type { RealtimeBus } from '../../platform/realtime';
import type { Ticker } from '../../platform/ticker';
import type { ContactsService } from '../contacts';
import type { IdentityService } from '../identity';
import { createConversationLeads, type LeadFeed } from '../leads';
import { createAutomaticSends } from './automatic-sends';
import { CHANNELS_CHANGED, createChannelCache } from './channel-cache';
import { createChannelsService, secretContext } from './channels.service';
import { type ConversationDeps, createConversationService } from './conversation.service';
import { demoRoutes } from './demo.routes';
import { createGraphClient } from './graph-client';
import { createInboundService } from './inbound.service';
import { createMessageFeed } from './message-feed';
import { createSecretBox, whatsappSecretsKey } from './secret-box';
import { type CloudApiSimulator, createCloudApiSimulator } from './simulator/cloud-api-simulator';
import { customerPhoneRoutes } from './simulator/customer-phone';
import { createTemplatesService } from './templates.service';
import { createWebhookService } from './webhook.service';
import { createPendingNudge, whatsappJobs } from './whatsapp.jobs';
import { createWhatsappRepository } from './whatsapp.repository';
import { whatsappRoutes, whatsappWebhookRoutes } from './whatsapp.routes';

export { type AutomaticSends, fillTemplate } from './automatic-sends';
export type { CloudApiSimulator } from './simulator/cloud-api-simulator';
export { whatsappSweepJob } from './whatsapp.jobs';

/**
 * What the follow-up engine and campaigns may ask of the channel (automatic-sends.ts), built before them: template
 * sends queued in their transaction, channel branches, the customer's last real message.
 */
export function createWhatsappSends(deps: { queue: JobQueue; log: FastifyInstance['log'] }) {
  return createAutomaticSends({
    leads: createConversationLeads(),
    queue: deps.queue,
    log: deps.log,
  });
}

/** How long a number's channel and opened secret serve webhooks before they are read again (any change drops them). */
const CHANNEL_CACHE_MS = 5_000;
/** A tenant's deliveries nudge its processing at most once per this window (whatsapp.jobs.ts, the nudge). */
const NUDGE_WINDOW_MS = 100;

/**
 * The WhatsApp module's one public face: its services built from the app's parts, its routes and jobs, and the
 * Cloud API simulator when WHATSAPP_SIMULATOR is on (`simulator`, which the demo seed connects its branches to).
 */
export function createWhatsappModule(deps: {
  config: AppConfig;
  database: Database;
  clock: Clock;
  identity: Pick<IdentityService, 'findBranch'>;
  contacts: Pick<ContactsService, 'findOrCreateByPhone' | 'learnPhone' | 'lockAndFindByPhones'>;
  feed: Pick<LeadFeed, 'changed'>;
  realtime: Pick<RealtimeBus, 'publish'>;
  broadcast: Pick<Broadcast, 'publish' | 'subscribe'>;
  queue: JobQueue;
  /** The per-number send limit, counted in Redis across instances (in-process while Redis is away). */
  rateLimits: Pick<RateLimits, 'take'>;
  /** Ends the nudge's windows. */
  ticker: Ticker;
  log: FastifyInstance['log'];
  onSellerText?: ConversationDeps['onSellerText'];
}): AppModule & { simulator: CloudApiSimulator | null } {
  const {
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
    ticker,
    log,
  } = deps;
  const box = createSecretBox(whatsappSecretsKey(config));
  const graph = createGraphClient({ baseUrl: config.WHATSAPP_GRAPH_URL });
  const leads = createConversationLeads();
  const messages = createMessageFeed({
    realtime,
    onError: (error) => log.warn({ err: error }, 'whatsapp: a live message event was not published'),
  });
  const templates = createTemplatesService({ database, clock, box, graph });
  const repo = createWhatsappRepository();
  // The webhook's routing, a few seconds per number, secrets opened once (channel-cache.ts).
  const channelCache = createChannelCache({
    ttlMs: CHANNEL_CACHE_MS,
    now: () => Date.now(),
    async load(phoneNumberIds) {
      const rows = await database.withoutTransaction((db) => repo.webhookChannels(db, phoneNumberIds));
      return rows.flatMap((row) => {
        try {
          const appSecret = box.open(
            row.appSecretEnc,
            secretContext(row.tenantId, row.branchId, 'appSecret'),
          );
          return [{ ...row, appSecret }];
        } catch (error) {
          log.error(
            { err: error },
            'whatsapp: a channel secret does not open (WHATSAPP_SECRETS_KEY changed?)',
          );
          return [];
        }
      });
    },
  });
  void broadcast.subscribe(CHANNELS_CHANGED, () => channelCache.clear());
  const channels = createChannelsService({
    database,
    clock,
    identity,
    box,
    graph,
    // Best effort: the number is connected either way; "Sincronizar" tries again.
    onChanged: async () => {
      channelCache.clear();
      await broadcast
        .publish(CHANNELS_CHANGED, {})
        .catch((error: unknown) => log.warn({ err: error }, 'whatsapp: channel change not broadcast'));
    },
    onConnected: (tenantId, branchId) =>
      templates.syncChannel(tenantId, branchId).then(
        () => undefined,
        (error: unknown) => log.warn({ err: error, tenantId, branchId }, 'whatsapp: templates not synced'),
      ),
  });
  const nudges = createPendingNudge(
    queue,
    (error) =>
      log.warn({ err: error }, 'whatsapp: deliveries stored but not nudged; the sweep will process them'),
    { ms: NUDGE_WINDOW_MS, ticker },
  );
  const webhook = createWebhookService({
    database,
    clock,
    channels: channelCache,
    nudge: nudges.nudge,
  });
  const inbound = createInboundService({ database, clock, contacts, leads, feed, messages, queue, log });
  const conversation = createConversationService({
    database,
    clock,
    box,
    graph,
    leads,
    feed,
    messages,
    queue,
    // Keyed by Meta's phone number id: one number is one budget, whichever branch or instance sends.
    sendSlot: (phoneNumberId) =>
      rateLimits.take(`wa-send:${phoneNumberId}`, config.WHATSAPP_SEND_RATE_PER_SECOND, 1),
    retryBaseMs: config.WHATSAPP_RETRY_BASE_MS,
    mediaMaxBytes: config.WHATSAPP_MEDIA_MAX_BYTES,
    log,
    ...(deps.onSellerText ? { onSellerText: deps.onSellerText } : {}),
  });
  const simulator = config.WHATSAPP_SIMULATOR
    ? createCloudApiSimulator({
        // To itself over loopback: PUBLIC_URL may name a proxy this machine cannot reach.
        webhookUrl: `${config.localUrl}/api/v1/webhooks/whatsapp`,
        readReceipts: 'on-view',
      })
    : null;
  return {
    simulator,
    jobs: whatsappJobs(inbound, conversation),
    flush: nudges.flush,
    close: nudges.close,
    /** Under /api/v1: the channel settings, the conversation, and Meta's webhook. */
    async routes(api) {
      await api.register(whatsappRoutes, { channels, conversation, templates });
      await api.register(whatsappWebhookRoutes, { webhook });
      await api.register(demoRoutes, { customerPhone: config.WHATSAPP_SIMULATOR });
    },
    async publicRoutes(app) {
      if (simulator) await registerSimulator(app, simulator);
    },
  };
}

/**
 * The Cloud API simulator inside the app (WHATSAPP_SIMULATOR; never in production): the Graph API at
 * /simulator/whatsapp/graph (WHATSAPP_GRAPH_URL points there when unset), webhooks to this app, the calls the demo
 * needs (register a number, write as a customer) and the customer phone page (simulator/customer-phone.ts).
 */
async function registerSimulator(app: FastifyInstance, simulator: CloudApiSimulator) {
  await app.register(
    async (sim) => {
      await sim.register(simulator.plugin, { prefix: '/simulator/whatsapp/graph' });
      sim.post('/simulator/whatsapp/numbers', async (request, reply) => {
        const number = z
          .object({
            phoneNumberId: z.string().regex(/^\d{5,30}$/),
            businessAccountId: z.string().regex(/^\d{5,30}$/),
            accessToken: z.string().min(1),
            appSecret: z.string().min(1),
            displayPhoneNumber: z.string().min(1),
            verifiedName: z.string().min(1),
          })
          .parse(request.body);
        simulator.addNumber(number);
        return reply.status(204).send();
      });
      await sim.register(customerPhoneRoutes, { simulator });
    },
    { prefix: '' },
  );
  app.log.warn('WhatsApp Cloud API simulator mounted at /simulator/whatsapp (never in production)');
}

export { hashVerifyToken, secretContext } from './channels.service';
export { createSecretBox, type SecretBox, whatsappSecretsKey } from './secret-box';
export { createCloudApiSimulator, type SimulatedNumber } from './simulator/cloud-api-simulator';
