import type { ApiKeyScope } from '@techmarket/contracts';
import type { FastifyRequest } from 'fastify';
import { forbidden, notFound } from './errors';

/**
 * The calls a tenant API key may make, and the scope each needs: one table, so what a key can do is read in
 * one place. A call that is not here needs a signed-in user; a key is refused (403) before its handler runs,
 * whatever the handler would have allowed. Keys made before scopes existed hold every scope.
 */
const SCOPE_OF_ROUTE: Record<string, ApiKeyScope> = {
  'POST /api/v1/tracking/whatsapp-click': 'tracking:write',
  'POST /api/v1/tracking/listing-view': 'tracking:write',

  'GET /api/v1/tenants/:tenantId/leads': 'leads:read',
  'GET /api/v1/tenants/:tenantId/leads/counts': 'leads:read',
  'GET /api/v1/tenants/:tenantId/stream': 'leads:read',
  'GET /api/v1/leads/:id': 'leads:read',
  'GET /api/v1/leads/:id/events': 'leads:read',
  'GET /api/v1/tenants/:tenantId/tasks': 'leads:read',
  'GET /api/v1/tenants/:tenantId/tasks/counts': 'leads:read',
  'GET /api/v1/tenants/:tenantId/tickets': 'leads:read',
  'GET /api/v1/tickets/:id': 'leads:read',
  'GET /api/v1/tenants/:tenantId/quotes': 'leads:read',
  'GET /api/v1/quotes/:id': 'leads:read',
  'GET /api/v1/quotes/:id/pdf': 'leads:read',

  'GET /api/v1/tenants/:tenantId/kpis': 'analytics:read',
  'GET /api/v1/tenants/:tenantId/reputation': 'analytics:read',
  'GET /api/v1/tenants/:tenantId/kpis/revenue': 'analytics:read',

  'GET /api/v1/tenants/:tenantId/settings': 'shop:read',
  'GET /api/v1/tenants/:tenantId/branches': 'shop:read',
  'GET /api/v1/tenants/:tenantId/branches/:branchId': 'shop:read',
  'GET /api/v1/tenants/:tenantId/listings': 'shop:read',
  'GET /api/v1/tenants/:tenantId/listings/:listingId': 'shop:read',
  'PUT /api/v1/tenants/:tenantId/listings/by-sku/:sku': 'catalog:write',
  'GET /api/v1/tenants/:tenantId/links': 'shop:read',
  'GET /api/v1/tenants/:tenantId/followup-policy': 'shop:read',
  'GET /api/v1/tenants/:tenantId/commerce-settings': 'shop:read',
  'GET /api/v1/tenants/:tenantId/shop-facts': 'shop:read',

  'GET /api/v1/tenants/:tenantId/campaigns': 'campaigns:read',
  'GET /api/v1/campaigns/:id': 'campaigns:read',
  'GET /api/v1/campaigns/:id/metrics': 'campaigns:read',
  'GET /api/v1/campaigns/:id/breakdown': 'campaigns:read',
  'GET /api/v1/campaigns/:id/sends': 'campaigns:read',
  'GET /api/v1/campaigns/:id/assets': 'campaigns:read',
  'GET /api/v1/campaigns/:id/assets/:assetId/content': 'campaigns:read',
  'POST /api/v1/tenants/:tenantId/segments/preview': 'campaigns:read',

  'GET /api/v1/contacts/:id/consent': 'consent:write',
  'POST /api/v1/contacts/:id/consent': 'consent:write',
  'POST /api/v1/contacts/:id/opt-out': 'consent:write',
};

/**
 * Calls anyone may make, with a key or without: a key is simply not needed there. The platform feed checks the
 * platform key itself, and answers a shop's key 401 like any other wrong key.
 */
const OPEN_ROUTES = new Set([
  'GET /api/v1/health',
  'GET /api/v1/ready',
  'GET /api/v1/openapi.json',
  'GET /api/v1/session',
  'GET /api/v1/platform/branch-reputation',
]);

/** The scope a key needs for this call, or null when no key may make it. */
export function scopeOfRoute(method: string, url: string | undefined): ApiKeyScope | null {
  if (!url) return null;
  return SCOPE_OF_ROUTE[`${method === 'HEAD' ? 'GET' : method} ${url}`] ?? null;
}

/** onRequest, after the principal is known: an API key without the call's scope goes no further. */
export async function requireApiKeyScope(request: FastifyRequest) {
  const principal = request.principal;
  // Unmatched paths (routeOptions.url unset) are left to answer their own 404.
  if (principal?.kind !== 'apiKey' || !request.routeOptions.url) return;
  if (OPEN_ROUTES.has(`${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url}`))
    return;
  // Another tenant's resources do not exist for this key, whatever its scopes (as requireTenant answers).
  const { tenantId } = (request.params ?? {}) as { tenantId?: unknown };
  if (tenantId !== undefined && tenantId !== principal.tenantId) throw notFound('Tenant');
  const needed = scopeOfRoute(request.method, request.routeOptions.url);
  if (!needed) throw forbidden('This call needs a signed-in user, not an API key');
  if (!principal.scopes.includes(needed)) throw forbidden(`This API key lacks the scope ${needed}`);
}
