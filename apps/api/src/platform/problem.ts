import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isConnectionError } from './db-errors';
import { AppError, type ErrorCode, errorCodes, type FieldError } from './errors';

/** How long a client should wait before trying again while the database is away (a restart takes seconds). */
const RETRY_AFTER_SECONDS = '5';

const problemType = (code: ErrorCode) => `urn:techmarket:problem:${code.toLowerCase().replaceAll('_', '-')}`;

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  detail: string,
  errors?: FieldError[],
  extensions?: Record<string, unknown>,
) {
  const { status, title } = errorCodes[code];
  return reply
    .status(status)
    .type('application/problem+json')
    .serializer(JSON.stringify)
    .send({
      ...extensions,
      type: problemType(code),
      title,
      status,
      detail,
      instance: request.url,
      code,
      errors,
    });
}

const fromHttpStatus = (status: number): ErrorCode => {
  const match = (Object.keys(errorCodes) as ErrorCode[]).find((code) => errorCodes[code].status === status);
  return match ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION');
};

/** What a client needs to word a zod issue itself: its code, and the limit or format it names. */
function wordable(keyword: string, message: string | undefined, params: Record<string, unknown>) {
  // zod says a missing value is of the wrong type; a person is told to fill it in.
  const code = keyword === 'invalid_type' && message?.endsWith('received undefined') ? 'required' : keyword;
  const number = (value: unknown) =>
    typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined;
  const minimum = number(params.minimum);
  const maximum = number(params.maximum);
  return {
    code,
    ...(minimum === undefined ? {} : { minimum }),
    ...(maximum === undefined ? {} : { maximum }),
    ...(typeof params.format === 'string' ? { format: params.format } : {}),
  };
}

/** One handler renders every error as RFC 9457 problem+json; a 5xx keeps its cause in the log only. */
export function registerProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler<FastifyError | AppError>((error, request, reply) => {
    // The database away (restart, failover, network): a 503 to retry, never a 500.
    if (!(error instanceof AppError && error.status < 500) && isConnectionError(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', RETRY_AFTER_SECONDS);
      return send(
        reply,
        request,
        'UNAVAILABLE',
        'The database is not reachable at the moment; try again shortly',
      );
    }
    if (error instanceof AppError) {
      if (error.status === 503 && !reply.hasHeader('retry-after'))
        reply.header('retry-after', RETRY_AFTER_SECONDS);
      if (error.headers) reply.headers(error.headers);
      if (error.status >= 500) request.log.error({ err: error.cause ?? error }, error.message);
      const detail =
        error.status >= 500 && error.code !== 'UNAVAILABLE'
          ? 'An unexpected error occurred; quote the request id'
          : error.message;
      // A 5xx keeps its extension members to the log like its detail, except UNAVAILABLE: its detail and members
      // say what to wait for (what is not ready, when to try again), never a cause, and the caller needs them.
      return send(
        reply,
        request,
        error.code,
        detail,
        error.errors,
        error.status < 500 || error.code === 'UNAVAILABLE' ? error.extensions : undefined,
      );
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((issue) => {
        const where = error.validationContext ?? 'body';
        const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return {
          path: path ? `${where}.${path}` : where,
          message: issue.message ?? 'invalid',
          ...wordable(issue.keyword, issue.message, issue.params),
        };
      });
      const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      return send(reply, request, 'VALIDATION', detail, errors);
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return send(
        reply,
        request,
        'INTERNAL',
        `An unexpected error occurred; quote the request id ${request.id}`,
      );
    }
    if (status === 429) {
      return send(reply, request, 'RATE_LIMITED', error.message);
    }
    // Fastify's own client errors: malformed JSON, wrong content type, body too large, CSRF.
    return reply
      .status(status)
      .type('application/problem+json')
      .serializer(JSON.stringify)
      .send({
        type: problemType(fromHttpStatus(status)),
        title: errorCodes[fromHttpStatus(status)].title,
        status,
        detail: error.message,
        instance: request.url,
        code: error.code,
      });
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}
