import { problemSchema } from '@techmarket/contracts';
import type { FastifyRequest } from 'fastify';

/** Declares the problem+json answers of a route, so they appear in the OpenAPI document. */
export function problems<S extends number>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((status) => [status, problemSchema])) as Record<
    S,
    typeof problemSchema
  >;
}

export const requestMeta = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'],
});
