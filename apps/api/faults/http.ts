import { randomUUID } from 'node:crypto';

/** What the suite needs of the API over real HTTP: a shop, and the calls the scenarios make. */

export interface Shop {
  tenantId: string;
  branchId: string;
  auth: { authorization: string };
}

export async function call(
  base: string,
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

/** A new shop through the real signup. */
export async function signUp(base: string): Promise<Shop> {
  const tag = randomUUID().slice(0, 8);
  const response = await call(base, 'POST', '/api/v1/auth/signup', {
    body: {
      tenantName: `Tienda ${tag}`,
      name: 'Dueña de prueba',
      email: `owner-${tag}@example.com`,
      password: 'correct-horse-battery',
      branch: { name: 'Miraflores', whatsappPhone: '+51 987 654 321', timezone: 'America/Lima' },
    },
  });
  if (response.status !== 201) throw new Error(`signup answered ${response.status}: ${response.text}`);
  const body = response.json() as { tenant: { id: string }; branch: { id: string }; token: string };
  return {
    tenantId: body.tenant.id,
    branchId: body.branch.id,
    auth: { authorization: `Bearer ${body.token}` },
  };
}

/** One anonymous WhatsApp click of a new visitor: a new lead each time. */
export const click = (
  base: string,
  shop: Shop,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  call(base, 'POST', '/api/v1/tracking/whatsapp-click', {
    headers,
    body: {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      source: 'MAP',
      visitorId: randomUUID(),
      ...extra,
    },
  });
