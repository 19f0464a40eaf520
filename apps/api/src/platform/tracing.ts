import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { Principal } from './auth';

/** Who a request acts for, as log bindings and span attributes: the tenant always, the user or API key. */
export function principalBindings(principal: Principal): Record<string, string> {
  const bindings: Record<string, string> =
    principal.kind === 'user'
      ? { tenantId: principal.tenantId, userId: principal.userId }
      : { tenantId: principal.tenantId, apiKeyId: principal.apiKeyId };
  trace.getActiveSpan()?.setAttributes({
    'techmarket.tenant_id': principal.tenantId,
    ...(principal.kind === 'user' ? { 'enduser.id': principal.userId } : {}),
  });
  return bindings;
}

/**
 * The request id on the request's span, so that a trace is found from a log line or from the id a user quotes
 * (every problem+json 5xx asks them to). Without an OpenTelemetry SDK started (platform/telemetry.ts) there is no
 * active span and this costs one look-up.
 */
export function registerTracing(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    trace.getActiveSpan()?.setAttribute('http.request.id', request.id);
  });
}
