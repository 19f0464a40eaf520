import type {
  Customer,
  CustomerDetail,
  CustomerListItem,
  CustomersQuery,
  UpdateCustomerInput,
} from '@techmarket/contracts';
import { branchScope, type Principal, type UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import { paginate, timeAndIdCursor } from '../../platform/cursor';
import type { Database, Tx } from '../../platform/db';
import { AppError, invalidField, notFound } from '../../platform/errors';
import { normalizePhone } from '../../platform/phone';
import { createContactsRepository } from './contacts.repository';
import { type CustomerChanges, type CustomerSearch, createCustomersRepository } from './customers.repository';

/**
 * The shop's customers as people work them: the list and its search, one customer's page (leads, tickets and a
 * timeline across every branch), and edits.
 * - Search: `q` is a name (any part), an e-mail, a phone however it is typed ("(011) 15-2345-6789", "987 654 321",
 *   "+51…": read with libphonenumber in each country the shop has branches in, and its digits matched anywhere),
 *   or a lead's reference code ("K7Q2MX", "Ref: K7Q2MX").
 * - A SELLER sees the customers with a lead or ticket at one of their branches; anyone else the whole shop. Another
 *   shop's customer, like one a seller may not see, is a 404. A visible customer's page shows every branch.
 * - An edit is optimistic (`version`: 409 when someone changed the customer since). The phone is stored E.164, read
 *   in the country of its current number or of the shop's branches; one that is no phone is a 422 naming `phone`.
 */

export interface CustomersDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
}

/** Where a phone typed without a country code is read when the shop has no branch with a country. */
const FALLBACK_COUNTRY = 'PE';
const REF_CODE = /^(?:ref[:\s#-]*)?([23456789abcdefghjkmnpqrstuvwxyz]{6})$/i;

export const customerVersionConflict = () =>
  new AppError('VERSION_CONFLICT', 'The customer was changed by someone else; reload it and try again', {
    errors: [{ path: 'version', message: 'stale version' }],
  });

/** What `q` may be: the text, the phone it is in each of the shop's countries, its digits, a reference code. */
export function customerSearch(q: string, countries: readonly string[]): CustomerSearch {
  const digits = q.replace(/\D/g, '');
  const looksLikePhone = digits.length >= 3 && /^[\d\s+().-]+$/.test(q);
  const phones = looksLikePhone
    ? [
        ...new Set(
          (countries.length > 0 ? countries : [FALLBACK_COUNTRY]).flatMap((country) => {
            const parsed = normalizePhone(q, country);
            return parsed ? [parsed.e164] : [];
          }),
        ),
      ]
    : [];
  const ref = REF_CODE.exec(q.trim());
  return {
    text: q,
    phones,
    digits: looksLikePhone ? digits : null,
    refCode: ref?.[1] ? ref[1].toUpperCase() : null,
  };
}

export function createCustomersService(deps: CustomersDeps) {
  const { database, clock } = deps;
  const repo = createCustomersRepository();
  const contacts = createContactsRepository();

  async function requireCustomer(tx: Tx, viewer: Principal, contactId: string, lock = false) {
    const row = await repo.find(tx, viewer.tenantId, contactId, branchScope(viewer), lock);
    if (!row) throw notFound('Customer');
    return row;
  }

  async function timelinePage(
    tx: Tx,
    tenantId: string,
    contactId: string,
    cursor: string | undefined,
    limit: number,
  ) {
    const after = cursor ? timeAndIdCursor.decode(cursor) : null;
    const rows = await repo.timeline(tx, tenantId, contactId, after, limit);
    const page = paginate(rows, limit, timeAndIdCursor, (row) => ({ at: row.at, id: row.id }));
    return { items: page.rows, nextCursor: page.nextCursor };
  }

  return {
    async list(viewer: Principal, tenantId: string, query: CustomersQuery) {
      const scope = branchScope(viewer);
      if (query.branchId && scope !== null && !scope.includes(query.branchId)) {
        return { items: [], nextCursor: null };
      }
      const after = query.cursor ? timeAndIdCursor.decode(query.cursor) : null;
      const rows = await database.withTenant(tenantId, async (tx) => {
        const search = query.q ? customerSearch(query.q, await repo.countries(tx, tenantId)) : undefined;
        return repo.list(
          tx,
          tenantId,
          {
            scope,
            search,
            branchId: query.branchId,
            consent: query.consent,
            hasOpenLead: query.hasOpenLead,
            tag: query.tag,
          },
          after,
          query.limit,
        );
      });
      const page = paginate(rows, query.limit, timeAndIdCursor, (row) => ({ at: row.createdAt, id: row.id }));
      return { items: page.rows satisfies CustomerListItem[], nextCursor: page.nextCursor };
    },

    get: (viewer: Principal, contactId: string): Promise<CustomerDetail> =>
      database.withTenant(viewer.tenantId, async (tx) => {
        const row = await requireCustomer(tx, viewer, contactId);
        return {
          ...toCustomer(row),
          leads: await repo.leadsOf(tx, viewer.tenantId, row.id),
          tickets: await repo.ticketsOf(tx, viewer.tenantId, row.id),
          timeline: await timelinePage(tx, viewer.tenantId, row.id, undefined, 50),
        };
      }),

    timeline: (viewer: Principal, contactId: string, query: { cursor?: string | undefined; limit: number }) =>
      database.withTenant(viewer.tenantId, async (tx) => {
        const row = await requireCustomer(tx, viewer, contactId);
        return timelinePage(tx, viewer.tenantId, row.id, query.cursor, query.limit);
      }),

    update: (actor: UserPrincipal, contactId: string, input: UpdateCustomerInput): Promise<Customer> =>
      database.withTenant(actor.tenantId, async (tx) => {
        const { tenantId } = actor;
        const current = await requireCustomer(tx, actor, contactId);
        if (current.version !== input.version) throw customerVersionConflict();
        const changes: CustomerChanges = {};
        if (input.name !== undefined) changes.name = input.name;
        if (input.email !== undefined) changes.email = input.email?.toLowerCase() ?? null;
        if (input.notes !== undefined) changes.notes = input.notes || null;
        if (input.tags !== undefined) changes.tags = [...new Set(input.tags)];
        if (input.phone !== undefined) {
          if (input.phone === null) changes.phone = null;
          else {
            const country =
              (current.phone ? normalizePhone(current.phone)?.country : undefined) ??
              (await repo.countries(tx, tenantId))[0] ??
              FALLBACK_COUNTRY;
            const phone = normalizePhone(input.phone, country)?.e164;
            if (!phone) {
              throw invalidField(
                'phone',
                'not a valid phone number; write it with the country code, e.g. +51 987 654 321',
                'PHONE_INVALID',
              );
            }
            // The same lock find-or-create takes: a click of this number waits for the edit, then finds it.
            await contacts.lockPhone(tx, tenantId, phone);
            changes.phone = phone;
          }
        }
        const updated = await repo.update(
          tx,
          tenantId,
          current.id,
          current.version,
          changes,
          clock.now().toISOString(),
        );
        if (!updated) throw customerVersionConflict();
        return updated;
      }),
  };
}

export const toCustomer = (row: Customer & Record<string, unknown>): Customer => ({
  id: row.id,
  tenantId: row.tenantId,
  name: row.name,
  phone: row.phone,
  email: row.email,
  marketplaceUserId: row.marketplaceUserId,
  tags: row.tags,
  notes: row.notes,
  marketingConsent: row.marketingConsent,
  consentAt: row.consentAt,
  optedOutAt: row.optedOutAt,
  erasedAt: row.erasedAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  version: row.version,
});

export type CustomersService = ReturnType<typeof createCustomersService>;
