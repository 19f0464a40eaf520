import { LRUCache } from 'lru-cache';
import type { Principal } from '../../platform/auth';
import type { Broadcast } from '../../platform/broadcast';
import type { Clock } from '../../platform/clock';

/**
 * Every API call resolves its bearer secret; a short cache saves that look-up on all but the first call of a
 * burst. Logout, deactivation, a change of role or branches and a revoked key evict the entries at once, in
 * this process and, through the broadcast, in every other instance; should a broadcast be lost, an entry
 * still lives no longer than this.
 */
export const PRINCIPAL_CACHE_MS = 5_000;
const PRINCIPAL_CACHE_ENTRIES = 10_000;
const PRINCIPALS_CHANNEL = 'principals-revoked';

/** What a revocation names: a session, everything of a user, or an API key. */
export type Revoked = { sessionId?: string; userId?: string; apiKeyId?: string };

type CachedPrincipal = { principal: Principal; until: number };

const revokedBy = (what: Revoked) => (p: Principal) =>
  p.kind === 'user'
    ? p.sessionId === what.sessionId || p.userId === what.userId
    : p.apiKeyId === what.apiKeyId;

export function createPrincipalCache({
  clock,
  ttlMs,
  broadcast,
}: {
  clock: Clock;
  /** 0 turns the cache off; revocations are still announced. */
  ttlMs: number;
  broadcast?: Broadcast | undefined;
}) {
  // Keyed by the secret's hash; `until` is on the app's clock, so it also ends at the session's expiry.
  const principals = new LRUCache<string, CachedPrincipal>({ max: PRINCIPAL_CACHE_ENTRIES });
  // What holds a principal open past its request (a live stream): told once the cache here has dropped it.
  const revocationWatchers = new Set<(what: Revoked) => void>();
  // Look-ups under way, by secret hash: the requests that miss together share one.
  const inFlight = new Map<string, Promise<Principal | null>>();

  function forgetHere(what: Revoked) {
    const matches = revokedBy(what);
    const stale: string[] = [];
    for (const [key, entry] of principals.entries()) if (matches(entry.principal)) stale.push(key);
    for (const key of stale) principals.delete(key);
    // A request after the revocation must not take the answer of a look-up begun before it.
    inFlight.clear();
    for (const watch of revocationWatchers) watch(what);
  }
  void broadcast?.subscribe(PRINCIPALS_CHANNEL, (message) => forgetHere(message as Revoked));

  return {
    /** The principal cached for this secret hash at `at`, if still fresh. */
    get(secretHash: string, at: Date): Principal | undefined {
      const cached = principals.get(secretHash);
      return cached && cached.until > at.getTime() ? cached.principal : undefined;
    },

    /**
     * The look-up of a secret the cache does not hold, shared by every request that misses while it runs: when a
     * busy API key's entry ends, the calls in flight with it cost one look-up (and one touch of the key), not one
     * each.
     */
    lookUp(secretHash: string, load: () => Promise<Principal | null>): Promise<Principal | null> {
      const pending = inFlight.get(secretHash);
      if (pending) return pending;
      const started = load().finally(() => {
        if (inFlight.get(secretHash) === started) inFlight.delete(secretHash);
      });
      inFlight.set(secretHash, started);
      return started;
    },

    /** Keeps the principal for the cache's time, or until `expiresAt` (ms) when that comes first. */
    set(secretHash: string, principal: Principal, expiresAt: number | null) {
      if (ttlMs <= 0) return;
      const until = clock.now().getTime() + ttlMs;
      principals.set(secretHash, {
        principal,
        until: expiresAt === null ? until : Math.min(until, expiresAt),
      });
    },

    /** Drops the matching cached principals here at once, and in every other instance through the broadcast. */
    forget(what: Revoked) {
      forgetHere(what);
      void broadcast?.publish(PRINCIPALS_CHANNEL, what).catch(() => undefined);
    },

    /**
     * Calls `listener` whenever a revocation touches this principal, made in this instance or, through the
     * broadcast, in another; the answer stops it.
     */
    onRevoked(principal: Principal, listener: () => void): () => void {
      const watch = (what: Revoked) => {
        if (revokedBy(what)(principal)) listener();
      };
      revocationWatchers.add(watch);
      return () => revocationWatchers.delete(watch);
    },
  };
}

export type PrincipalCache = ReturnType<typeof createPrincipalCache>;
