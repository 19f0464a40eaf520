import type { Lead } from '@techmarket/contracts';
import { expect } from 'vitest';
import { createTestContext } from '../../../test/harness';
import type { App } from '../../app';
import type { Clock } from '../../platform/clock';

/**
 * Factories for the leads tests: every row is made through the public API, by the test that needs it.
 */

/**
 * The harness's context, with two adjustments for these files: they sign up many shops from one client
 * address, which the signup throttle would stop; and the owner pool needs an error listener, because the
 * database is dropped `with (force)` while its last idle connection may still be closing.
 */
export async function createLeadsTestContext(clock?: Clock, env: Record<string, string> = {}) {
  const ctx = await createTestContext({
    ...(clock ? { clock } : {}),
    env: { LOGIN_MAX_ATTEMPTS: '1000', ...env },
  });
  ctx.owner.pool.on('error', () => {});
  return ctx;
}

type Caller = { auth: { authorization: string } };
type Tenant = Caller & { tenantId: string };

/** A clock the test moves by hand, so created_at and last_activity_at are known (and can tie). */
export function manualClock(start = new Date('2030-03-01T14:00:00.000Z')) {
  let time = start.getTime();
  const clock: Clock & { advance(ms: number): void } = {
    now: () => new Date(time),
    advance: (ms) => {
      time += ms;
    },
  };
  return clock;
}

export async function createLead(
  app: App,
  tenant: Tenant,
  payload: Record<string, unknown>,
  caller: Caller = tenant,
): Promise<Lead> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenant.tenantId}/leads`,
    headers: caller.auth,
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function patchLead(app: App, caller: Caller, id: string, payload: Record<string, unknown>) {
  return app.inject({ method: 'PATCH', url: `/api/v1/leads/${id}`, headers: caller.auth, payload });
}

/** Applies a change that must succeed and returns the lead after it. */
export async function changeLead(
  app: App,
  caller: Caller,
  lead: Lead,
  payload: Record<string, unknown>,
): Promise<Lead> {
  const response = await patchLead(app, caller, lead.id, { version: lead.version, ...payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export async function addBranch(app: App, tenant: Tenant, name = 'San Isidro'): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenant.tenantId}/branches`,
    headers: tenant.auth,
    payload: { name, whatsappPhone: '+51 912 345 678', timezone: 'America/Lima' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

export async function addListing(app: App, tenant: Tenant, overrides: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenant.tenantId}/listings`,
    headers: tenant.auth,
    payload: {
      title: 'Laptop Lenovo IdeaPad Slim 3 Ryzen 5 16GB 512GB',
      category: 'LAPTOPS',
      price: 249900,
      currency: 'PEN',
      stock: 4,
      ...overrides,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; title: string; price: number; currency: string; stock: number };
}

export async function inbox(app: App, caller: Caller, tenantId: string, query = '') {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/tenants/${tenantId}/leads${query ? `?${query}` : ''}`,
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Lead[]; nextCursor: string | null };
}

export async function events(app: App, caller: Caller, leadId: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/leads/${leadId}/events`,
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return (
    response.json() as {
      items: {
        id: string;
        leadId: string;
        type: string;
        payload: Record<string, unknown>;
        actorUserId: string | null;
      }[];
    }
  ).items;
}
