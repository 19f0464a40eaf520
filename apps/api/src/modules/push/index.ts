import type { AppConfig } from '../../config';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import type { IdentityService } from '../identity';
import { createLeadLookup } from '../leads';
import { pushJobs } from './push.jobs';
import { pushRoutes } from './push.routes';
import { createPushService } from './push.service';
import { createPushAlerts } from './push-alerts';
import { createPushSender } from './push-sender';
import { createVapidKeys, type SecretSealer } from './vapid';

export type { PushAlerts, QuoteDecision } from './push-alerts';
export { isQuietAt } from './quiet-hours';

/** The push module's one public face: Web Push to the users' devices (README.md). */
export function createPushModule(deps: {
  config: Pick<AppConfig, 'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY' | 'vapidSubject'>;
  database: Database;
  clock: Clock;
  identity: Pick<IdentityService, 'findUser' | 'findBranch'>;
  queue: JobQueue;
  /** Seals the VAPID private key at rest: the app's secret box. */
  box: SecretSealer;
  log: { warn(details: object, message: string): void };
}) {
  const { config, database, clock, identity, queue, box, log } = deps;
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
  const service = createPushService({
    database,
    clock,
    vapid,
    onSubscribed: alerts.subscribed,
  });
  const sender = createPushSender({
    database,
    clock,
    vapid,
    vapidSubject: config.vapidSubject,
    leads: createLeadLookup(),
    identity,
    log,
  });
  return {
    alerts,
    jobs: pushJobs(sender, queue),
    routes: (app: Parameters<typeof pushRoutes>[0]) => app.register(pushRoutes, { push: service }),
  };
}
