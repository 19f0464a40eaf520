import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config';
import { SESSION_COOKIE } from '../../platform/auth';
import { AppError } from '../../platform/errors';

/**
 * What the identity and account routes share: a session handed to the browser (the httpOnly cookie, and the CSRF
 * token its writes must echo), and a per-route attempt limit answered as a RATE_LIMITED problem.
 */
export function startSession(
  reply: FastifyReply,
  token: string,
  config: Pick<AppConfig, 'cookieSecure' | 'SESSION_TTL_HOURS'>,
) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    path: '/',
    maxAge: config.SESSION_TTL_HOURS * 3600,
  });
  return reply.generateCsrf();
}

export function attemptLimit(options: {
  max: number;
  timeWindow: string;
  key: (request: FastifyRequest) => string;
  /** The problem's detail before "try again in …". */
  refusal: string;
  /** 'preHandler' when the key needs the parsed body. */
  hook?: 'preHandler';
}) {
  return {
    rateLimit: {
      max: options.max,
      timeWindow: options.timeWindow,
      ...(options.hook ? { hook: options.hook } : {}),
      keyGenerator: options.key,
      errorResponseBuilder: (_request: unknown, context: { after: string; ttl: number }) =>
        new AppError('RATE_LIMITED', `${options.refusal}; try again in ${context.after}`, {
          headers: { 'retry-after': String(Math.ceil(context.ttl / 1000)) },
        }),
    },
  };
}
