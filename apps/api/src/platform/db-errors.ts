/** PostgreSQL reports constraint violations by code and constraint name; Drizzle wraps them in `cause`. */
function pgError(error: unknown): { code?: string; constraint?: string } | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (
      typeof current === 'object' &&
      current !== null &&
      'code' in current &&
      typeof current.code === 'string'
    ) {
      return current as { code?: string; constraint?: string };
    }
    current = typeof current === 'object' && current !== null && 'cause' in current ? current.cause : null;
  }
  return null;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgError(error);
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}

export function isForeignKeyViolation(error: unknown): boolean {
  return pgError(error)?.code === '23503';
}

/**
 * PostgreSQL refused a new connection because it has no slot free: its max_connections taken by every client of
 * the server (other apps, test suites, benchmarks on the same machine), or a role's or database's own limit.
 * Slots free up as those clients disconnect: worth waiting a moment for (platform/db.ts), then a 503.
 */
export function isNoConnectionSlot(error: unknown): boolean {
  return pgError(error)?.code === '53300';
}

/** Codes and messages of a database that is away: shut down, restarting, not answering, or out of slots. */
const unavailableCodes = new Set([
  '53300',
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);
const unavailableMessages = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
];

/** True when the error (or one it wraps) says the database connection failed, not the statement. */
export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = 'code' in current && typeof current.code === 'string' ? current.code : '';
    if (unavailableCodes.has(code) || code.startsWith('08')) return true;
    const message = current instanceof Error ? current.message : '';
    if (unavailableMessages.some((known) => message.startsWith(known))) return true;
    // A connection to a host with several addresses fails with all of them at once.
    if (current instanceof AggregateError && current.errors.some((inner) => isConnectionError(inner)))
      return true;
    current = 'cause' in current ? current.cause : null;
  }
  return false;
}

/**
 * The 'error' listener every pg client gets. A client checked out of a pool has none of pg-pool's own, and a
 * server shutdown (57P01) between two queries is emitted as 'error': without a listener it kills the process.
 * The failure reaches whoever uses the client next, as a failed query; the pool then discards the client.
 */
export const connectionErrorGuard = (): void => undefined;
