import webpush from 'web-push';
import type { Database } from '../../platform/db';
import { createPushRepository } from './push.repository';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** How the private key is kept at rest: the app's secret box (AES-256-GCM with the secrets key). */
export interface SecretSealer {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

/** Bound into the sealed value, so that a ciphertext copied from another secret does not open as this one. */
const SEAL_CONTEXT = 'push_vapid_key.private_key';

/**
 * The server's VAPID pair: the configured one (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY), else the one in the database,
 * made by web-push on the first start. Read once per process; a failed read is tried again on the next call.
 */
export function createVapidKeys(deps: {
  database: Pick<Database, 'withoutTenant'>;
  box: SecretSealer;
  configured: VapidKeys | null;
}) {
  const repo = createPushRepository();
  let loaded: Promise<VapidKeys> | null = null;

  async function load(): Promise<VapidKeys> {
    if (deps.configured) return deps.configured;
    const stored = await deps.database.withoutTenant(async (tx) => {
      const existing = await repo.readVapidKey(tx);
      if (existing) return existing;
      const fresh = webpush.generateVAPIDKeys();
      await repo.insertVapidKey(tx, fresh.publicKey, deps.box.seal(fresh.privateKey, SEAL_CONTEXT));
      return repo.readVapidKey(tx);
    });
    if (!stored) throw new Error('push: the VAPID key could not be stored');
    return { publicKey: stored.publicKey, privateKey: deps.box.open(stored.privateKeySealed, SEAL_CONTEXT) };
  }

  return {
    get(): Promise<VapidKeys> {
      loaded ??= load().catch((error: unknown) => {
        loaded = null;
        throw error;
      });
      return loaded;
    },
  };
}

export type VapidKeySource = ReturnType<typeof createVapidKeys>;
