import { type Span, trace } from '@opentelemetry/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
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

const tenantBound = new WeakSet<FastifyRequest>();

/**
 * The tenant a public request (a tracking click, a `/w/` visit, Meta's webhook: no principal) turned out to be
 * about, bound to every line it logs from here on, its `request completed` included, and to its span. Several
 * tenants (a batch of views of several shops, one webhook for two shops' numbers) are bound as `tenantIds`. A
 * request with a principal already says its tenant (the only one it may act for); the first binding stands.
 */
export function bindTenant(request: FastifyRequest, reply: FastifyReply, tenantIds: readonly string[]) {
  const ids = [...new Set(tenantIds)];
  const [first] = ids;
  if (first === undefined || request.principal || tenantBound.has(request)) return;
  tenantBound.add(request);
  request.log = reply.log = request.log.child(ids.length === 1 ? { tenantId: first } : { tenantIds: ids });
  requestSpan(request)?.setAttribute('techmarket.tenant_id', ids.length === 1 ? first : ids);
}
