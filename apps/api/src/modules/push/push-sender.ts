import type { PushMessage } from '@techmarket/contracts';
import webpush from 'web-push';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { isPrivateAddressError, publicOnlyAgent } from '../../platform/public-address';
import type { IdentityService } from '../identity';
import type { LeadLookup } from '../leads';
import { createPushRepository } from './push.repository';
import { toPreferences } from './push.service';
import { type PushKind, preferenceOf, pushText } from './push-text';
import { isQuietAt } from './quiet-hours';
import type { VapidKeySource } from './vapid';

export interface AlertData {
  tenantId: string;
  kind: PushKind;
  leadId: string;
  /** Who is told; null: the lead's seller. */
  userId: string | null;
  /** Whoever caused it is not told of it (a seller who marked their own quote accepted). */
  exceptUserId?: string | null | undefined;
  /** A task's title, a quote's number, the first words of a customer's message. */
  detail?: string | null | undefined;
}

export interface DeliveryData {
  tenantId: string;
  subscriptionId: string;
  message: PushMessage;
  urgency: 'normal' | 'high';
}

/** A push service's answer that retrying may change (rate limited, its own trouble): the job is tried again. */
export class PushServiceUnavailable extends Error {}

/** How long a push service keeps a push for a device that is off: an alert a day old is no alert. */
const TTL_SECONDS = 24 * 60 * 60;

/**
 * An alert becomes pushes: to whom (the lead's seller unless named), whether they want it now (their preferences and
 * quiet hours, in their time zone or the lead's branch's), and one delivery job per device, so a retry re-sends to the
 * device that failed only. A delivery encrypts (RFC 8291, aes128gcm) and signs (VAPID) through the web-push library;
 * a subscription the push service no longer knows (404, 410) is deleted.
 */
export function createPushSender(deps: {
  /** PUSH_ALLOW_PRIVATE_ENDPOINTS: a push service on this machine or a private network (tests, development). */
  allowPrivateEndpoints?: boolean;
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  vapid: VapidKeySource;
  vapidSubject: string;
  leads: LeadLookup;
  identity: Pick<IdentityService, 'findUser' | 'findBranch'>;
  log: { warn(details: object, message: string): void };
}) {
  const { database, clock, leads, identity, log } = deps;
  // Sockets to public addresses only, checked on the address connected to (a stored name may resolve anywhere
  // by now). Allowed private endpoints go through the default agent (tests trust their push service's CA there).
  const agent = deps.allowPrivateEndpoints ? undefined : publicOnlyAgent();
  const repo = createPushRepository();

  return {
    /** Works out the deliveries of one alert; nothing when nobody is to be told now. */
    async deliveries(data: AlertData): Promise<DeliveryData[]> {
      const { tenantId } = data;
      return database.withTenant(tenantId, async (tx) => {
        const lead = await leads.find(tx, tenantId, data.leadId, null);
        const userId = data.userId ?? lead?.assignedToUserId ?? null;
        if (!lead || !userId || userId === data.exceptUserId) return [];
        const user = await identity.findUser(tx, tenantId, userId);
        // Told only of what they may still open: an active user who works the lead's branch (or the whole shop).
        if (!user?.active || (user.role === 'SELLER' && !user.branchIds.includes(lead.branchId))) return [];
        const preferences = toPreferences(await repo.preference(tx, tenantId, userId));
        if (!preferences.alerts[preferenceOf[data.kind]]) return [];
        if (preferences.quietHours) {
          const zone =
            preferences.timeZone ??
            (await identity.findBranch(tx, tenantId, lead.branchId))?.timezone ??
            'UTC';
          if (isQuietAt(clock.now(), zone, preferences.quietHours)) return [];
        }
        const customer = lead.contact.name ?? lead.contact.phone ?? '—';
        const urgency = data.kind === 'customerReplied' || data.kind === 'leadAssigned' ? 'high' : 'normal';
        const subscriptions = await repo.subscriptionsOf(tx, tenantId, userId);
        return subscriptions.map((subscription) => ({
          tenantId,
          subscriptionId: subscription.id,
          urgency,
          message: {
            alert: preferenceOf[data.kind],
            ...pushText(subscription.language, data.kind, customer, data.detail ?? null),
            leadId: lead.id,
            url: `/leads/${lead.id}`,
            tag: `lead:${lead.id}`,
          },
        }));
      });
    },

    async deliver(data: DeliveryData) {
      const { tenantId } = data;
      const subscription = await database.withTenant(tenantId, (tx) =>
        repo.subscription(tx, tenantId, data.subscriptionId),
      );
      // Removed since (logged out, unsubscribed): nothing to send.
      if (!subscription) return;
      const keys = await deps.vapid.get();
      try {
        await webpush.sendNotification(
          { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
          JSON.stringify(data.message),
          {
            vapidDetails: {
              subject: deps.vapidSubject,
              publicKey: keys.publicKey,
              privateKey: keys.privateKey,
            },
            TTL: TTL_SECONDS,
            urgency: data.urgency,
            contentEncoding: 'aes128gcm',
            timeout: 10_000,
            ...(agent ? { agent } : {}),
          },
        );
      } catch (error) {
        if (isPrivateAddressError(error)) {
          // Never to be reached: the device goes, as one the push service said is gone.
          log.warn({ err: error }, 'push: endpoint refused, not a public address; device removed');
          await database.withTenant(tenantId, (tx) => repo.deleteSubscription(tx, tenantId, subscription.id));
          return;
        }
        if (!(error instanceof webpush.WebPushError)) throw error;
        if (error.statusCode === 404 || error.statusCode === 410) {
          await database.withTenant(tenantId, (tx) => repo.deleteSubscription(tx, tenantId, subscription.id));
          return;
        }
        if (error.statusCode === 429 || error.statusCode >= 500) {
          throw new PushServiceUnavailable(`push service answered ${error.statusCode}`, { cause: error });
        }
        // 400, 403, 413: this push will never be taken; trying again would only repeat the refusal.
        log.warn({ status: error.statusCode, body: error.body }, 'push: refused by the push service');
      }
    },
  };
}

export type PushSender = ReturnType<typeof createPushSender>;
