import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { idempotencyKey } from '../db/schema';
import { isSafeMethod } from './auth';
import { type Clock, nowIso } from './clock';
import type { Database, Tx } from './db';
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
      errors: [{ path: 'Idempotency-Key', message: 'invalid header', code: 'MALFORMED' }],
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
      throw invalidField(
        'Idempotency-Key',
        'was already used with a different request body',
        'IDEMPOTENCY_KEY_REUSED',
      );
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

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Where the generic Idempotency-Key handling stands aside. 'service': the route's service applies the key
     * itself, inside its own transaction. 'secret-reply': the reply holds a secret shown only once (an API key,
     * a one-time link), which a stored reply would keep in the database for a day; the key is ignored there.
     */
    idempotency?: 'service' | 'secret-reply';
  }
}

/** A reply as it went out: what a retry with the same key gets back, byte for byte. */
interface StoredReply {
  contentType: string | null;
  payload: string | null;
}

/** Thrown into the key's transaction when the answer is not one to keep, so the key is released. */
const NOT_KEPT = new Error('answer not kept');

interface HeldKey {
  answer(reply: { status: number; body: StoredReply } | null): void;
  outcome: Promise<unknown>;
}

/**
 * Every write by a tenant's user or API key honours an `Idempotency-Key` header, whatever its route: the key is
 * claimed in a transaction held open (on the aside pool) while the request runs, and the reply is stored in it
 * before the reply leaves. So a retry after the answer gets the stored reply (`Idempotent-Replayed: true`), a
 * retry while the first is still running waits for it (PostgreSQL's lock on the key row) and then gets the same,
 * and nothing is done twice. Only 2xx replies are kept: after an error the key is free again, for a retry that
 * may succeed, and neither is a reply that sets a cookie (a session's token is never stored). The key is per
 * caller and route, so one caller cannot read another's reply. The one gap: if the process dies between the
 * work's commit and the key's, a retry does the work again.
 */
export function registerIdempotency(
  app: FastifyInstance,
  { database, clock }: { database: Pick<Database, 'withTenantAside'>; clock: Clock },
) {
  const held = new WeakMap<FastifyRequest, HeldKey>();

  app.addHook('preHandler', async (request, reply) => {
    const principal = request.principal;
    if (!principal || isSafeMethod(request.method) || request.routeOptions.config.idempotency) return;
    const key = readIdempotencyKey(request.headers['idempotency-key']);
    if (key === null) return;
    const caller = principal.kind === 'user' ? `user:${principal.userId}` : `key:${principal.apiKeyId}`;
    let answer: HeldKey['answer'] = () => undefined;
    const answered = new Promise<Parameters<HeldKey['answer']>[0]>((resolve) => {
      answer = resolve;
    });
    let claimed: () => void = () => undefined;
    const claim = new Promise<'claimed'>((resolve) => {
      claimed = () => resolve('claimed');
    });
    const outcome = database.withTenantAside(principal.tenantId, (tx) =>
      idempotent(
        tx,
        {
          tenantId: principal.tenantId,
          scope: `${caller} ${request.method} ${request.routeOptions.url}`,
          key,
          body: { url: request.url, body: request.body ?? null },
          now: nowIso(clock),
        },
        async () => {
          claimed();
          const kept = await answered;
          if (kept === null) throw NOT_KEPT;
          return kept;
        },
      ),
    );
    // Settled in onSend; a failure after the claim is reported there, never left unhandled.
    outcome.catch(() => undefined);
    const first = await Promise.race([claim, outcome]);
    if (first === 'claimed') {
      held.set(request, { answer, outcome });
      return;
    }
    const stored = first.body as StoredReply;
    reply.header('idempotent-replayed', 'true').status(first.status);
    if (stored.contentType) reply.header('content-type', stored.contentType);
    return reply.send(stored.payload ?? undefined);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = held.get(request);
    if (!key) return payload;
    held.delete(request);
    const keep =
      reply.statusCode >= 200 &&
      reply.statusCode < 300 &&
      !reply.hasHeader('set-cookie') &&
      (typeof payload === 'string' || payload === null || payload === undefined);
    const contentType = reply.getHeader('content-type');
    key.answer(
      keep
        ? {
            status: reply.statusCode,
            body: {
              contentType: typeof contentType === 'string' ? contentType : null,
              payload: (payload as string | null | undefined) ?? null,
            },
          }
        : null,
    );
    await key.outcome.catch((error: unknown) => {
      if (error !== NOT_KEPT)
        request.log.warn({ err: error }, 'the Idempotency-Key was not stored; a retry would run again');
    });
    return payload;
  });

  // A reply that never passed onSend must not keep its key's transaction (and connection) open.
  app.addHook('onResponse', async (request) => {
    const key = held.get(request);
    if (!key) return;
    held.delete(request);
    key.answer(null);
    await key.outcome.catch(() => undefined);
  });
}
