import { and, eq, sql } from 'drizzle-orm';
import { pushPreference, pushSubscription, pushVapidKey } from '../../db/schema';
import type { Tx } from '../../platform/db';

const subscriptionColumns = {
  id: pushSubscription.id,
  userId: pushSubscription.userId,
  endpoint: pushSubscription.endpoint,
  p256dh: pushSubscription.p256dh,
  auth: pushSubscription.auth,
  language: pushSubscription.language,
  createdAt: pushSubscription.createdAt,
};

export type SubscriptionRow = Awaited<ReturnType<PushRepository['subscriptionsOf']>>[number];
export type PreferenceRow = typeof pushPreference.$inferSelect;

/** Every function on a shop's rows takes the tenant first; RLS is the second wall. */
export function createPushRepository() {
  return {
    async readVapidKey(tx: Tx) {
      const [row] = await tx.select().from(pushVapidKey).where(eq(pushVapidKey.id, 1));
      return row ?? null;
    },
    /** The first writer wins; a second process starting at the same time keeps the first's pair. */
    async insertVapidKey(tx: Tx, publicKey: string, privateKeySealed: string) {
      await tx.insert(pushVapidKey).values({ id: 1, publicKey, privateKeySealed }).onConflictDoNothing();
    },

    /** Stores the device for the user; the same endpoint again (a re-subscribe, another user of the shop) is updated. */
    async upsertSubscription(tx: Tx, values: typeof pushSubscription.$inferInsert) {
      const [row] = await tx
        .insert(pushSubscription)
        .values(values)
        .onConflictDoUpdate({
          target: [pushSubscription.tenantId, pushSubscription.endpoint],
          set: {
            userId: values.userId,
            p256dh: values.p256dh,
            auth: values.auth,
            language: sql`excluded.language`,
            updatedAt: values.updatedAt,
          },
        })
        .returning(subscriptionColumns);
      if (!row) throw new Error('push subscription upsert returned nothing');
      return row;
    },
    async deleteSubscriptionOf(tx: Tx, tenantId: string, userId: string, endpoint: string) {
      const rows = await tx
        .delete(pushSubscription)
        .where(
          and(
            eq(pushSubscription.tenantId, tenantId),
            eq(pushSubscription.userId, userId),
            eq(pushSubscription.endpoint, endpoint),
          ),
        )
        .returning({ id: pushSubscription.id });
      return rows.length > 0;
    },
    /** A push service said the subscription is gone (404/410). */
    async deleteSubscription(tx: Tx, tenantId: string, id: string) {
      await tx
        .delete(pushSubscription)
        .where(and(eq(pushSubscription.tenantId, tenantId), eq(pushSubscription.id, id)));
    },
    subscriptionsOf(tx: Tx, tenantId: string, userId: string) {
      return tx
        .select(subscriptionColumns)
        .from(pushSubscription)
        .where(and(eq(pushSubscription.tenantId, tenantId), eq(pushSubscription.userId, userId)))
        .orderBy(pushSubscription.id);
    },
    async subscription(tx: Tx, tenantId: string, id: string) {
      const [row] = await tx
        .select(subscriptionColumns)
        .from(pushSubscription)
        .where(and(eq(pushSubscription.tenantId, tenantId), eq(pushSubscription.id, id)));
      return row ?? null;
    },
    /** Whether anyone in the shop can be pushed to: most shops' events then cost no job at all. */
    async anySubscription(tx: Tx, tenantId: string) {
      const rows = await tx
        .select({ id: pushSubscription.id })
        .from(pushSubscription)
        .where(eq(pushSubscription.tenantId, tenantId))
        .limit(1);
      return rows.length > 0;
    },

    async preference(tx: Tx, tenantId: string, userId: string) {
      const [row] = await tx
        .select()
        .from(pushPreference)
        .where(and(eq(pushPreference.tenantId, tenantId), eq(pushPreference.userId, userId)));
      return row ?? null;
    },
    async savePreference(tx: Tx, values: typeof pushPreference.$inferInsert) {
      const { tenantId: _t, userId: _u, createdAt: _c, ...changes } = values;
      await tx
        .insert(pushPreference)
        .values(values)
        .onConflictDoUpdate({ target: [pushPreference.tenantId, pushPreference.userId], set: changes });
    },
  };
}

export type PushRepository = ReturnType<typeof createPushRepository>;
