import { DrizzleQueryError } from 'drizzle-orm/errors';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import pino from 'pino';

/**
 * What the log must never hold: bearer secrets, cookies, the tokens of links sent to people (a quote's
 * `/q/<token>`, an invitation's or a password reset's `?token=`), and what customers wrote, which reaches a
 * failed query's parameters. Logs are read by more people, and kept longer, than the data they describe.
 */

const REDACTED = '[REDACTED]';

/** Our own bearer secrets say what they are (`tms_`, `tmk_`, `tmi_`, …), wherever they turn up in a URL. */
const prefixedSecret = /\b(tm[a-z])_[\w-]+/g;
/** Links whose path segment after these is itself the secret. */
const secretSegment = /\/(q|invitations?|reset-password|password-reset|reset)\/[^/?#]+/g;
/** Query parameters that carry a secret by name (`token`, `hub.verify_token`, `api_key`, `signature`, …). */
const secretParam = /(token|secret|password|signature|sig|api[-_]?key|key)$/i;

/** The URL with its secrets replaced, so it can be logged. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = (queryAt === -1 ? url : url.slice(0, queryAt))
    .replace(secretSegment, (_match, prefix: string) => `/${prefix}/${REDACTED}`)
    .replace(prefixedSecret, (_match, prefix: string) => `${prefix}_${REDACTED}`);
  if (queryAt === -1) return path;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed escape is logged as it came, name and all; the value rule below still applies.
      }
      if (equals !== -1 && secretParam.test(decoded)) return `${name}=${REDACTED}`;
      return pair.replace(prefixedSecret, (_match, prefix: string) => `${prefix}_${REDACTED}`);
    })
    .join('&');
  return `${path}?${query}`;
}

/** The PostgreSQL error (from `pg`) somewhere in an error's chain of causes. */
function postgresErrorOf(error: unknown) {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const candidate = current as Error & Record<string, unknown>;
    if (typeof candidate.code === 'string' && typeof candidate.severity === 'string') return candidate;
    current = candidate.cause;
  }
  return null;
}

function isQueryError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof DrizzleQueryError) return true;
    current = current.cause;
  }
  return false;
}

const stackFrames = (stack: string | undefined) =>
  (stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');

/**
 * An error for the log. A database error keeps what identifies the fault (SQLSTATE code, constraint, table,
 * column) and its stack frames; never the query text (statements sent with inlined literals carry values),
 * its parameters, nor PostgreSQL's `detail` ("Key (phone)=(+51…) already exists"). Data exceptions (class
 * 22) quote the offending value in their message, so theirs is left out too.
 */
export function serializeError(error: unknown) {
  const postgres = postgresErrorOf(error);
  if (!postgres && !isQueryError(error)) return pino.stdSerializers.err(error as Error);
  const top = error as Error;
  const code = typeof postgres?.code === 'string' ? postgres.code : undefined;
  const pick = (key: string) => (typeof postgres?.[key] === 'string' ? (postgres[key] as string) : undefined);
  const message =
    postgres && code && !code.startsWith('22') ? `database error ${code}: ${postgres.message}` : undefined;
  return {
    type: top.constructor?.name ?? top.name,
    message: message ?? (code ? `database error ${code}` : 'database query failed'),
    code,
    constraint: pick('constraint'),
    schema: pick('schema'),
    table: pick('table'),
    column: pick('column'),
    routine: pick('routine'),
    stack: stackFrames(top.stack),
  };
}

function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Headers that carry a secret: our bearer and session, API keys, Meta's webhook signatures. */
const secretHeaders = [
  'authorization',
  'cookie',
  '["set-cookie"]',
  '["x-api-key"]',
  '["x-hub-signature"]',
  '["x-hub-signature-256"]',
  '["x-csrf-token"]',
  '["idempotency-key"]',
].map((name) => (name.startsWith('[') ? `headers${name}` : `headers.${name}`));

/** Fields that hold a secret by name, in a logged object or one level down (a request body, a channel's config). */
const secretFields = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'apiKey',
  'api_key',
  'secret',
  'appSecret',
  'app_secret',
  'verifyToken',
  'verify_token',
  'signature',
  'privateKey',
  'authorization',
  'cookie',
];

/**
 * Where pino masks a value wherever a line holds it: the request and reply headers (`req.headers`, `headers`, any
 * object's `headers`), and secret fields at the top of a line, in any object it logs, or in that object's body.
 */
const redactedPaths = [
  ...secretHeaders.flatMap((path) => [path, `req.${path}`, `res.${path}`, `*.${path}`]),
  ...secretFields.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

/** Where log lines go when not to stdout: tests capture them. */
export type LogStream = { write(line: string): void };

/** The application's logger: pino at `level`, with secrets kept out of every line. */
export function loggerOptions(level: string, stream?: LogStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: { req: serializeRequest, err: serializeError },
    redact: {
      paths: redactedPaths,
      censor: REDACTED,
    },
  };
}
