import type { PushPreferences, PushSubscriptionInput } from '@techmarket/contracts';
import type { UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { invalidField, notFound } from '../../platform/errors';
import { refusedUrl } from '../../platform/public-address';
import { createPushRepository, type PreferenceRow } from './push.repository';
import type { VapidKeySource } from './vapid';

/**
 * A user's devices and push settings. A device is a browser's push subscription (its endpoint and keys), stored for
 * the signed-in user in their shop; the web app removes it on logout. Settings say which alerts are pushed and the
 * quiet hours when none is. What is pushed, and when, is push-alerts.ts and push.jobs.ts.
 */

export interface PushServiceDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  vapid: VapidKeySource;
  /** Told when a shop gets a device, so its events start raising pushes at once (push-alerts.ts). */
  onSubscribed?: (tenantId: string) => void;
  /** PUSH_ALLOW_PRIVATE_ENDPOINTS: a push service on this machine or a private network (tests, development). */
  allowPrivateEndpoints?: boolean;
}

export const defaultPreferences: PushPreferences = {
  alerts: { leadAssigned: true, customerReplied: true, taskDue: true, escalation: true, quoteDecided: true },
  quietHours: null,
  timeZone: null,
};

export function toPreferences(row: PreferenceRow | null): PushPreferences {
  if (!row) return defaultPreferences;
  return {
    alerts: {
      leadAssigned: row.leadAssigned,
      customerReplied: row.customerReplied,
      taskDue: row.taskDue,
      escalation: row.escalation,
      quoteDecided: row.quoteDecided,
    },
    quietHours: row.quietFrom && row.quietTo ? { from: row.quietFrom, to: row.quietTo } : null,
    timeZone: row.timeZone,
  };
}

export function createPushService({
  database,
  clock,
  vapid,
  onSubscribed,
  allowPrivateEndpoints = false,
}: PushServiceDeps) {
  const repo = createPushRepository();
  const now = () => clock.now().toISOString();

  return {
    publicKey: async () => ({ publicKey: (await vapid.get()).publicKey }),

    async subscribe(actor: UserPrincipal, input: PushSubscriptionInput) {
      // The server will call this address on the client's word: a public push service only (SSRF). Names are
      // checked again, resolved, at each send (push-sender.ts).
      const refused = allowPrivateEndpoints ? null : refusedUrl(input.endpoint);
      if (refused)
        throw invalidField(
          'body.endpoint',
          `${refused}: a push service's https address`,
          'NOT_PUBLIC_ADDRESS',
        );
      const at = now();
      const row = await database.withTenant(actor.tenantId, (tx) =>
        repo.upsertSubscription(tx, {
          tenantId: actor.tenantId,
          userId: actor.userId,
          endpoint: input.endpoint,
          p256dh: input.keys.p256dh.replace(/=+$/, ''),
          auth: input.keys.auth.replace(/=+$/, ''),
          language: input.language ?? 'es-419',
          createdAt: at,
          updatedAt: at,
        }),
      );
      onSubscribed?.(actor.tenantId);
      return {
        id: row.id,
        endpoint: row.endpoint,
        language: input.language ?? 'es-419',
        createdAt: row.createdAt,
      };
    },

    /** Removes one of the user's own devices; another user's endpoint is not theirs to remove (404). */
    async unsubscribe(actor: UserPrincipal, endpoint: string) {
      const removed = await database.withTenant(actor.tenantId, (tx) =>
        repo.deleteSubscriptionOf(tx, actor.tenantId, actor.userId, endpoint),
      );
      if (!removed) throw notFound('Push subscription');
    },

    preferences: (actor: UserPrincipal) =>
      database.withTenant(actor.tenantId, async (tx) =>
        toPreferences(await repo.preference(tx, actor.tenantId, actor.userId)),
      ),

    async savePreferences(actor: UserPrincipal, input: PushPreferences): Promise<PushPreferences> {
      const at = now();
      await database.withTenant(actor.tenantId, (tx) =>
        repo.savePreference(tx, {
          tenantId: actor.tenantId,
          userId: actor.userId,
          ...input.alerts,
          quietFrom: input.quietHours?.from ?? null,
          quietTo: input.quietHours?.to ?? null,
          timeZone: input.timeZone,
          createdAt: at,
          updatedAt: at,
        }),
      );
      return input;
    },
  };
}

export type PushService = ReturnType<typeof createPushService>;
