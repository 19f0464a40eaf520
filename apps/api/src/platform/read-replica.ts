import type { Principal } from './auth';
import type { Database } from './db';
import type { RedisLink } from './redis';

/** What a read that may lag runs on: the primary's or the replica's tenant transactions. */
export type LaggingDatabase = Pick<Database, 'withTenant' | 'streamWithTenant' | 'copyWithTenant'>;

/**
 * Reads that may lag a moment behind the writes (KPIs, the dashboard, exports, segment previews) go to a streaming
 * replica when one is configured (DATABASE_REPLICA_URL), keeping the primary for the work that must be current.
 *
 * Read-your-writes: after a caller's write request, the primary's WAL position (`pg_current_wal_lsn()`) is kept
 * for that caller; their next lagging read goes to the replica only once it has replayed that far
 * (`pg_last_wal_replay_lsn()`), to the primary until then. Other callers read the replica as it is. The positions
 * live in Redis when it is configured (every instance sees them), in this process otherwise; while Redis does
 * not answer, every lagging read goes to the primary, since a position kept elsewhere cannot be seen.
 *
 * Lag cap: while the replica is more than `maxLagMs` behind (or does not answer), every lagging read goes to the
 * primary: "a moment behind" must stay a moment. The lag is measured once per `lagCheckMs` in the background,
 * never per request (`createReplicaLagMonitor`).
 */
export interface LaggingReads<D = LaggingDatabase> {
  /** Whether a replica is configured at all. */
  readonly replicated: boolean;
  /** Where `reader`'s next lagging read runs: the replica once it has replayed their last write, else the primary. */
  forReader(reader: Principal | null): Promise<D>;
  /** Remembers the primary's WAL position after `writer`'s write request (its transaction committed before). */
  noteWrite(writer: Principal): Promise<void>;
  /** Stops what runs in the background (the lag check). */
  close(): void;
}

/** How long a caller's last write position is kept: a replica that far behind is broken, not lagging. */
const WRITE_MARK_TTL_S = 10 * 60;

const callerKey = (caller: Principal) =>
  caller.kind === 'user' ? `user:${caller.userId}` : `key:${caller.apiKeyId}`;

/** No replica: every read on the primary, nothing to remember. */
export const primaryReads = <D>(primary: D): LaggingReads<D> => ({
  replicated: false,
  forReader: async () => primary,
  noteWrite: async () => undefined,
  close: () => undefined,
});

const walPosition = `(pg_current_wal_lsn() - '0/0'::pg_lsn)::text`;

/**
 * How far behind the primary the replica is, in time, from two cheap queries per check: the primary's WAL
 * position (`pg_current_wal_lsn()`) and the replica's replayed one (`pg_last_wal_replay_lsn()`). Each check keeps
 * the primary's position with the time it was read; the lag is the age of the oldest kept position the replica has
 * not replayed yet (0 when it has replayed them all). No clock of either server is compared with ours, and a
 * replica that receives nothing (its connection to the primary cut) lags as surely as one that replays slowly.
 * The lag grows between checks, too: a check that hangs does not make a stalled replica look current.
 */
export interface ReplicaLagMonitor {
  /** Milliseconds the replica is behind now; `Infinity` while it does not answer (or before the first check). */
  lagMs(): number;
  /** Settles once the first check is done (reads wait for it rather than find the lag unknown). */
  readonly started: Promise<void>;
  /** One check now (the timer runs them every `intervalMs`). */
  check(): Promise<void>;
  stop(): void;
}

export function createReplicaLagMonitor({
  primary,
  replica,
  intervalMs,
  now = Date.now,
  onError = () => undefined,
}: {
  primary: Pick<Database, 'pool'>;
  replica: Pick<Database, 'pool'>;
  intervalMs: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}): ReplicaLagMonitor {
  /** Positions the primary had, oldest first, with when they were read: those the replica has not replayed. */
  let pending: { at: number; lsn: bigint }[] = [];
  let reachable = false;
  let failedBefore = false;
  let checking: Promise<void> | null = null;

  async function checkOnce() {
    const at = now();
    try {
      const written = await primary.pool.query<{ lsn: string }>(`select ${walPosition} as lsn`);
      // On a server that is not in recovery (a "replica" that was promoted), everything committed is visible.
      const replayed = await replica.pool.query<{ lsn: string }>(
        `select (coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) - '0/0'::pg_lsn)::text as lsn`,
      );
      const primaryAt = BigInt(written.rows[0]?.lsn ?? '0');
      const replicaAt = BigInt(replayed.rows[0]?.lsn ?? '0');
      pending.push({ at, lsn: primaryAt });
      pending = pending.filter((entry) => entry.lsn > replicaAt);
      reachable = true;
    } catch (error) {
      // Said once when it goes away, not at every check while it stays away.
      if (reachable || !failedBefore) onError(error);
      reachable = false;
      failedBefore = true;
    }
  }

  const check = () => {
    checking ??= checkOnce().finally(() => {
      checking = null;
    });
    return checking;
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  const started = check();
  return {
    started,
    lagMs: () => {
      if (!reachable) return Number.POSITIVE_INFINITY;
      const oldest = pending[0];
      return oldest ? Math.max(0, now() - oldest.at) : 0;
    },
    check,
    stop: () => clearInterval(timer),
  };
}

export interface ReplicaReadsOptions {
  primary: Database;
  replica: Database;
  /** Where write positions are kept across instances; null keeps them in this process. */
  redis: RedisLink | null;
  /** Keys are prefixed, so that apps of several databases can share one Redis (tests do). */
  keyPrefix: string;
  /** Past this lag every lagging read goes to the primary (REPLICA_MAX_LAG_MS). */
  maxLagMs: number;
  /** How often the lag is measured (REPLICA_LAG_CHECK_MS). */
  lagCheckMs: number;
  onLagCheckError?: (error: unknown) => void;
  now?: () => number;
}

export function createReplicaReads({
  primary,
  replica,
  redis,
  keyPrefix,
  maxLagMs,
  lagCheckMs,
  onLagCheckError,
  now = Date.now,
}: ReplicaReadsOptions): LaggingReads<Database> & { lag: ReplicaLagMonitor } {
  const lag = createReplicaLagMonitor({
    primary,
    replica,
    intervalMs: lagCheckMs,
    now,
    ...(onLagCheckError ? { onError: onLagCheckError } : {}),
  });
  // Without Redis: caller → [WAL position in bytes, kept until]. Pruned as it is read.
  const local = new Map<string, [bigint, number]>();

  /** The caller's last write position, `undefined` when it cannot be known (Redis away). */
  async function lastWrite(caller: Principal): Promise<bigint | null | undefined> {
    const key = callerKey(caller);
    if (redis) {
      const stored = await redis.run(
        (client) => client.get(`${keyPrefix}${key}`),
        () => undefined,
      );
      return stored === undefined ? undefined : stored === null ? null : BigInt(stored);
    }
    const entry = local.get(key);
    if (entry && entry[1] <= now()) local.delete(key);
    return entry && entry[1] > now() ? entry[0] : null;
  }

  async function replayed(): Promise<bigint | null> {
    // On a server that is not in recovery (a "replica" that was promoted), everything committed is visible.
    const { rows } = await replica.pool.query<{ lsn: string | null }>(
      `select (coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) - '0/0'::pg_lsn)::text as lsn`,
    );
    return rows[0]?.lsn ? BigInt(rows[0].lsn) : null;
  }

  return {
    replicated: true,
    lag,
    close: () => lag.stop(),
    async forReader(reader) {
      // Too far behind (or away): the primary for everyone until it has caught up.
      await lag.started;
      if (lag.lagMs() > maxLagMs) return primary;
      if (!reader) return replica;
      const wrote = await lastWrite(reader);
      if (wrote === undefined) return primary;
      if (wrote === null) return replica;
      const position = await replayed().catch(() => null);
      return position !== null && position >= wrote ? replica : primary;
    },
    async noteWrite(writer) {
      const { rows } = await primary.pool.query<{ lsn: string }>(`select ${walPosition} as lsn`);
      const lsn = rows[0]?.lsn;
      if (!lsn) return;
      const key = callerKey(writer);
      if (redis) {
        // The highest position wins: two writes of one caller may note theirs in either order.
        await redis.run(
          (client) =>
            client.eval(
              `local old = redis.call('GET', KEYS[1])
               if not old or tonumber(old) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
               else redis.call('EXPIRE', KEYS[1], ARGV[2]) end
               return 1`,
              1,
              `${keyPrefix}${key}`,
              lsn,
              WRITE_MARK_TTL_S,
            ),
          () => undefined,
        );
        return;
      }
      const previous = local.get(key)?.[0] ?? 0n;
      const position = BigInt(lsn);
      local.set(key, [position > previous ? position : previous, now() + WRITE_MARK_TTL_S * 1000]);
    },
  };
}
