import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { idempotencyKey } from '../db/schema';
import type { Tx } from './db';
import { AppError, invalidField } from './errors';

/** How long a key is remembered; a retry after that is a new request. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export interface IdempotentAnswer<T> {
  status: number;
  body: T;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** Reads the Idempotency-Key header: absent is fine, malformed is the caller's 400. */
export function readIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !KEY_PATTERN.test(key)) {
    throw new AppError('VALIDATION', 'Idempotency-Key must be 1 to 200 visible ASCII characters', {
      errors: [{ path: 'Idempotency-Key', message: 'invalid header' }],
    });
  }
  return key;
}

/**
 * Runs `work` once per (tenant, scope, key), inside the caller's transaction. The key row is written
 * first, so a concurrent retry with the same key waits on it and then reads the stored answer; the answer
 * is written in the same transaction as the work, so a key never exists without its effects.
 */
export async function idempotent<T>(
  tx: Tx,
  request: { tenantId: string; scope: string; key: string | null; body: unknown; now: string },
  work: () => Promise<{ status: number; body: T }>,
): Promise<IdempotentAnswer<T>> {
  const { tenantId, scope, key, now } = request;
  if (key === null) return { ...(await work()), replayed: false };

  const requestHash = createHash('sha256').update(JSON.stringify(request.body)).digest('hex');
  const horizon = new Date(Date.parse(now) - IDEMPOTENCY_TTL_MS).toISOString();
  const match = and(
    eq(idempotencyKey.tenantId, tenantId),
    eq(idempotencyKey.scope, scope),
    eq(idempotencyKey.key, key),
  );
  // An expired key is forgotten here rather than waiting for the purge, so the retry window is exact.
  await tx.delete(idempotencyKey).where(and(match, sql`${idempotencyKey.createdAt} < ${horizon}`));
  const claimed = await tx
    .insert(idempotencyKey)
    .values({ tenantId, scope, key, requestHash, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKey.key });

  if (claimed.length === 0) {
    const [stored] = await tx.select().from(idempotencyKey).where(match);
    if (!stored || stored.statusCode === null) {
      throw new AppError('CONFLICT', 'A request with this Idempotency-Key is still being processed');
    }
    if (stored.requestHash !== requestHash) {
      throw invalidField('Idempotency-Key', 'was already used with a different request body');
    }
    return { status: stored.statusCode, body: stored.response as T, replayed: true };
  }

  const answer = await work();
  const stored = await tx
    .update(idempotencyKey)
    .set({ statusCode: answer.status, response: answer.body })
    .where(match)
    .returning({ key: idempotencyKey.key });
  // A key row left without its answer would turn every retry into a 409: fail the request (and roll back)
  // instead, e.g. when `work` left the transaction acting as another tenant.
  if (stored.length === 0)
    throw new Error(`idempotency key of ${scope} not writable under tenant ${tenantId}`);
  return { ...answer, replayed: false };
}
