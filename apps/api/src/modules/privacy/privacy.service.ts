import type { Erasure, PrivacySettings } from '@techmarket/contracts';
import escapeHtml from 'escape-html';
import type { UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { createPrivacyRepository } from './privacy.repository';

/**
 * Customers' rights under the region's data-protection laws (LGPD, Ley 29733, LFPDPPP, Ley 1581, Ley 25.326):
 * - Access: an OWNER or MANAGER downloads everything held on one customer, as JSON or as a readable page.
 * - Erasure: an OWNER anonymises a customer on request (name, phone, e-mail, visitor and marketplace ids,
 *   message bodies, notes, ticket texts). Leads stay with their stages and times, so the shop's figures do not
 *   change; the consent history stays, as the record of what the customer agreed to.
 * - Each access and erasure is audited (who, when), in a table the app can only add to.
 * - Retention: a shop may set months after which the customers of closed leads are anonymised by a daily job
 *   (privacy.jobs.ts).
 */

export interface PrivacyDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
}

export type CustomerData = Awaited<ReturnType<ReturnType<typeof createPrivacyService>['customerData']>>;

const alreadyErased = () =>
  new AppError('CONFLICT', "This customer's personal data was already erased", {
    errors: [{ path: 'id', message: 'already erased', code: 'ALREADY_ERASED' }],
  });

export function createPrivacyService({ database, clock }: PrivacyDeps) {
  const repo = createPrivacyRepository();
  const now = () => clock.now().toISOString();

  return {
    /** Everything held on the customer; the access is audited. */
    customerData: (actor: UserPrincipal, contactId: string) =>
      database.withTenant(actor.tenantId, async (tx) => {
        const customer = await repo.findContact(tx, actor.tenantId, contactId);
        if (!customer) throw notFound('Contact');
        const data = await repo.customerData(tx, actor.tenantId, contactId);
        await repo.audit(tx, {
          tenantId: actor.tenantId,
          contactId,
          action: 'EXPORT',
          actorUserId: actor.userId,
          at: now(),
        });
        const { tenantId: _t, version: _v, ...contact } = customer;
        return {
          exportedAt: now(),
          contact,
          consentHistory: data.events.filter((e) => e.type === 'CONSENT_CHANGED'),
          ...data,
          privacyRequests: await repo.listAudit(tx, actor.tenantId, contactId),
        };
      }),

    /** Anonymises the customer in one transaction, audited; a second request is a 409. */
    erase: (actor: UserPrincipal, contactId: string): Promise<Erasure> =>
      database.withTenant(actor.tenantId, async (tx) => {
        const customer = await repo.findContact(tx, actor.tenantId, contactId);
        if (!customer) throw notFound('Contact');
        if (customer.erasedAt) throw alreadyErased();
        const at = now();
        const counts = await repo.eraseContact(tx, actor.tenantId, contactId, at);
        if (!counts) throw notFound('Contact');
        await repo.audit(tx, {
          tenantId: actor.tenantId,
          contactId,
          action: 'ERASE',
          actorUserId: actor.userId,
          at,
          details: { ...counts },
        });
        return { contactId, erasedAt: at, erasedByUserId: actor.userId, ...counts };
      }),

    auditOf: (actor: UserPrincipal, contactId: string) =>
      database.withTenant(actor.tenantId, async (tx) => {
        if (!(await repo.findContact(tx, actor.tenantId, contactId))) throw notFound('Contact');
        return { items: await repo.listAudit(tx, actor.tenantId, contactId) };
      }),

    settings: (tenantId: string): Promise<PrivacySettings> =>
      database.withTenant(tenantId, async (tx) => {
        const row = await repo.settings(tx, tenantId);
        if (!row) throw notFound('Tenant');
        return row;
      }),

    saveSettings: (tenantId: string, input: PrivacySettings): Promise<PrivacySettings> =>
      database.withTenant(tenantId, async (tx) => {
        const row = await repo.saveSettings(tx, tenantId, input.retentionMonths, now());
        if (!row) throw notFound('Tenant');
        return row;
      }),
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;

const cell = (value: unknown) =>
  escapeHtml(
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value),
  );

function table(title: string, rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return `<h2>${escapeHtml(title)}</h2><p>—</p>`;
  const keys = Object.keys(rows[0] ?? {}).filter((k) => k !== 'tenantId');
  return `<h2>${escapeHtml(title)}</h2><table><thead><tr>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${keys.map((k) => `<td>${cell(row[k])}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The same data as a page a person can read and print (Spanish, like the app). */
export function customerDataPage(data: CustomerData): string {
  const { contact } = data;
  return `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Datos del cliente</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;margin-bottom:1.5rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.85rem}</style></head><body>
<h1>Datos del cliente</h1><p>Exportado el ${escapeHtml(data.exportedAt)}</p>
${table('Cliente', [contact])}
${table('Historial de consentimiento', data.consentHistory)}
${table('Leads', data.leads)}
${table('Historial de los leads', data.events)}
${table('Mensajes', data.messages)}
${table('Notas', data.notes)}
${table('Tickets', data.tickets)}
${table('Cotizaciones', data.quotes)}
${table('Productos cotizados', data.items)}
${table('Solicitudes de privacidad', data.privacyRequests)}
</body></html>`;
}
