import { type Span, trace } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './auth';

/** The request's own span when tracing is on (@fastify/otel's, see src/telemetry.ts); none otherwise. */
function requestSpan(request: FastifyRequest): Span | undefined {
  const otel = (request as { opentelemetry?: () => { span?: Span | null } }).opentelemetry?.();
  return otel?.span ?? trace.getActiveSpan();
}

/**
 * Who a request acts for, as log bindings (the tenant always, the user or the API key), also set on the request's
 * span so that a trace is found by shop. Without tracing there is no span and this costs one look-up.
 */
export function principalBindings(request: FastifyRequest, principal: Principal): Record<string, string> {
  const bindings: Record<string, string> =
    principal.kind === 'user'
      ? { tenantId: principal.tenantId, userId: principal.userId }
      : { tenantId: principal.tenantId, apiKeyId: principal.apiKeyId };
  requestSpan(request)?.setAttributes({
    'techmarket.tenant_id': principal.tenantId,
    ...(principal.kind === 'user' ? { 'enduser.id': principal.userId } : {}),
  });
  return bindings;
}
