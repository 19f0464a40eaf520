import type { AppConfig } from '../../config';
import type { AppModule } from '../../platform/app-module';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import type { ObservedRealtime } from '../../platform/realtime';
import type { IdentityService } from '../identity';
import { createLeadLookup } from '../leads';
import { pushJobs } from './push.jobs';
import { pushRoutes } from './push.routes';
import { createPushService } from './push.service';
import { createPushAlerts, type QuoteDecision } from './push-alerts';
import { createPushSender } from './push-sender';
import { createVapidKeys, type SecretSealer } from './vapid';

export type { PushAlerts, QuoteDecision } from './push-alerts';
export { isQuietAt } from './quiet-hours';

export interface PushModuleDeps {
  config: Pick<
    AppConfig,
    'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY' | 'vapidSubject' | 'PUSH_ALLOW_PRIVATE_ENDPOINTS'
  >;
  database: Database;
  clock: Clock;
  identity: Pick<IdentityService, 'findUser' | 'findBranch'>;
  queue: JobQueue;
  /** Seals the VAPID private key at rest: the app's secret box. */
  box: SecretSealer;
  /** What this process publishes on the live stream (`withPublishListeners`): the events pushes follow. */
  realtime: Pick<ObservedRealtime, 'onPublished'>;
  /** The quotes' decisions, after commit (`createQuotesModule(...).decisions`). */
  decisions: { onDecided(listener: (decided: QuoteDecision) => Promise<void>): void };
  log: { warn(details: object, message: string): void };
}

/** The push module's one public face: Web Push to the users' devices (README.md). */
export function createPushModule(deps: PushModuleDeps): AppModule {
  const { config, database, clock, identity, queue, box, realtime, decisions, log } = deps;
  const vapid = createVapidKeys({
    database,
    box,
    configured:
      config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY
        ? { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY }
        : null,
  });
  const alerts = createPushAlerts({
    database,
    queue,
    onError: (error) => log.warn({ err: error }, 'push: an alert was not raised'),
  });
  const push = createPushService({
    database,
    clock,
    vapid,
    onSubscribed: alerts.subscribed,
    allowPrivateEndpoints: config.PUSH_ALLOW_PRIVATE_ENDPOINTS,
  });
  const sender = createPushSender({
    database,
    clock,
    vapid,
    vapidSubject: config.vapidSubject,
    allowPrivateEndpoints: config.PUSH_ALLOW_PRIVATE_ENDPOINTS,
    leads: createLeadLookup(),
    identity,
    log,
  });
  return {
    /** Under /api/v1: the VAPID public key, my devices and my preferences. */
    async routes(api) {
      await api.register(pushRoutes, { push });
    },
    jobs: pushJobs(sender, queue),
    /** The live stream's events and the quotes' decisions, each pushed to the devices of whom it concerns. */
    listen() {
      realtime.onPublished((tenantId, event) => alerts.liveEvent(tenantId, event));
      decisions.onDecided((decided) => alerts.quoteDecided(decided));
    },
  };
}
