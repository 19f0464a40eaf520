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
 */
export interface LaggingReads<D = LaggingDatabase> {
  /** Whether a replica is configured at all. */
  readonly replicated: boolean;
  /** Where `reader`'s next lagging read runs: the replica once it has replayed their last write, else the primary. */
  forReader(reader: Principal | null): Promise<D>;
  /** Remembers the primary's WAL position after `writer`'s write request (its transaction committed before). */
  noteWrite(writer: Principal): Promise<void>;
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
});

export interface ReplicaReadsOptions {
  primary: Database;
  replica: Database;
  /** Where write positions are kept across instances; null keeps them in this process. */
  redis: RedisLink | null;
  /** Keys are prefixed, so that apps of several databases can share one Redis (tests do). */
  keyPrefix: string;
  now?: () => number;
}

export function createReplicaReads({
  primary,
  replica,
  redis,
  keyPrefix,
  now = Date.now,
}: ReplicaReadsOptions): LaggingReads<Database> {
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
    async forReader(reader) {
      if (!reader) return replica;
      const wrote = await lastWrite(reader);
      if (wrote === undefined) return primary;
      if (wrote === null) return replica;
      const position = await replayed().catch(() => null);
      return position !== null && position >= wrote ? replica : primary;
    },
    async noteWrite(writer) {
      const { rows } = await primary.pool.query<{ lsn: string }>(
        `select (pg_current_wal_lsn() - '0/0'::pg_lsn)::text as lsn`,
      );
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
