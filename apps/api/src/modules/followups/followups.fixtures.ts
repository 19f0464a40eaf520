import type { FollowupRun, Lead, Task } from '@techmarket/contracts';
import { expect } from 'vitest';
import { addUser, type SignedUp, signUp } from '../../../test/harness';
import type { App } from '../../app';
import type { Clock } from '../../platform/clock';

/**
 * Factories for the follow-up tests. The rules count business time, so these tests set the clock to named
 * instants (a Monday 10:00 in Lima) rather than only moving it forward.
 */

/** A clock the test sets and moves by hand. */
export function settableClock(start = '2030-03-04T15:00:00.000Z') {
  let time = Date.parse(start);
  const clock: Clock & { set(iso: string): void; advance(ms: number): void; iso(): string } = {
    now: () => new Date(time),
    set: (iso) => {
      time = Date.parse(iso);
    },
    advance: (ms) => {
      time += ms;
    },
    iso: () => new Date(time).toISOString(),
  };
  return clock;
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** Lima (UTC-5 all year), Monday to Friday 09:00-18:00: 2030-03-04 is a Monday. */
export const LIMA_WEEKDAYS = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '09:00', close: '18:00' }]]),
);
/** A Lima wall-clock time on the week of Monday 2030-03-04, as a UTC instant: `lima('mon', '10:00')`. */
export function lima(day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', time: string, weeks = 0) {
  const offset = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(day) + weeks * 7;
  const [h, m] = time.split(':').map(Number);
  return new Date(Date.UTC(2030, 2, 4 + offset, (h ?? 0) + 5, m ?? 0)).toISOString();
}

type Caller = { id?: string; auth: { authorization: string } };

export interface FollowupShop extends SignedUp {
  sellers: { id: string; auth: { authorization: string } }[];
  manager: { id: string; auth: { authorization: string } };
}

/** A shop whose branch keeps Lima weekday hours, with two sellers and a manager, all through the API. */
export async function openFollowupShop(
  app: App,
  hours: Record<string, unknown> = LIMA_WEEKDAYS,
): Promise<FollowupShop> {
  const tenant = await signUp(app, { timezone: 'America/Lima' });
  const patched = await app.inject({
    method: 'PATCH',
    url: `/api/v1/tenants/${tenant.tenantId}/branches/${tenant.branchId}`,
    headers: tenant.auth,
    payload: { businessHours: hours },
  });
  expect(patched.statusCode, patched.body).toBe(200);
  const sellers = [await addUser(app, tenant, 'SELLER'), await addUser(app, tenant, 'SELLER')];
  const manager = await addUser(app, tenant, 'MANAGER');
  return { ...tenant, sellers, manager };
}

export async function setPolicy(app: App, shop: SignedUp, policy: Record<string, unknown>) {
  const response = await app.inject({
    method: 'PUT',
    url: `/api/v1/tenants/${shop.tenantId}/followup-policy`,
    headers: shop.auth,
    payload: {
      newLeadAlertMinutes: 60,
      quotedFollowUpDays: 2,
      dormantAfterDays: 21,
      businessHoursOnly: true,
      ...policy,
    },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export async function runEngine(app: App, shop: SignedUp): Promise<FollowupRun> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/followups/run`,
    headers: shop.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** A lead entered by a seller (so it is theirs), once the work that follows a new lead has run. */
export async function newLead(
  app: App,
  shop: SignedUp,
  seller: Caller,
  extra: Record<string, unknown> = {},
): Promise<Lead> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/leads`,
    headers: seller.auth,
    payload: { branchId: shop.branchId, contact: { name: 'Rosa Quispe' }, ...extra },
  });
  expect(response.statusCode, response.body).toBe(201);
  // Work that follows a new lead (the assistant's reading) may change it: let it finish first.
  await (app as { drainJobs?: () => Promise<void> }).drainJobs?.();
  return response.json();
}

export async function readLead(app: App, caller: Caller, leadId: string): Promise<Lead> {
  const response = await app.inject({ method: 'GET', url: `/api/v1/leads/${leadId}`, headers: caller.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Changes a lead at its current version. */
export async function moveLead(app: App, caller: Caller, leadId: string, payload: Record<string, unknown>) {
  const current = await readLead(app, caller, leadId);
  const response = await app.inject({
    method: 'PATCH',
    url: `/api/v1/leads/${leadId}`,
    headers: caller.auth,
    payload: { version: current.version, ...payload },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Lead;
}

export async function listTasks(app: App, caller: Caller, tenantId: string, query = '') {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/tenants/${tenantId}/tasks${query ? `?${query}` : ''}`,
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Task[]; nextCursor: string | null };
}

export async function leadEvents(app: App, caller: Caller, leadId: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/leads/${leadId}/events`,
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as {
    type: string;
    payload: Record<string, unknown>;
    actorUserId: string | null;
    createdAt: string;
  }[];
}

/** A fresh session for someone: sessions expire, and some tests jump weeks ahead. */
export async function logIn(app: App, email: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: 'correct-horse-battery' },
  });
  expect(response.statusCode, response.body).toBe(200);
  return { authorization: `Bearer ${response.json().token}` };
}
