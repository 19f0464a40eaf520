import type { ContactConsent } from '@techmarket/contracts';
import { branchScope, type Principal, type UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { createLeadProgress } from '../leads';
import { createContactsRepository } from './contacts.repository';

/**
 * Marketing consent: whether the shop may send a customer promotions, and since when. A customer's consent is
 * read and changed, like the inbox, only by those who see one of the customer's leads (a seller: a lead at one of
 * their branches; else 404). It is changed by a person only, and every change is written on each of the
 * customer's leads' history (CONSENT_CHANGED, with who did it). Opting out also stops the messages the shop's
 * campaigns still had for the customer (`marketing`).
 */

/** What opting out asks of the campaigns: cancel the customer's open reactivation tasks, in the same transaction. */
export interface MarketingStop {
  /** Answers how many open tasks were cancelled. */
  cancelOpenMessages(tx: Tx, tenantId: string, contactId: string, at: string): Promise<number>;
}

export interface ConsentDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  marketing: MarketingStop;
}

export function createConsentService(deps: ConsentDeps) {
  const { database, clock, marketing } = deps;
  const repo = createContactsRepository();
  // Consent is recorded on leads but never moves them: the first response rule does not come up.
  const progress = createLeadProgress(null);
  const now = () => clock.now().toISOString();

  /** The contact as the caller may see it (a seller: one with a lead at one of their branches), else 404. */
  async function requireContact(tx: Tx, viewer: Principal, contactId: string) {
    const row = await repo.findVisible(tx, viewer.tenantId, contactId, branchScope(viewer));
    if (!row) throw notFound('Contact');
    return row;
  }

  return {
    /** Whether the shop may send this customer promotions, and since when (the lead's contact card shows it). */
    async consentOf(viewer: Principal, contactId: string): Promise<ContactConsent> {
      return database.withTenant(viewer.tenantId, async (tx) => ({
        ...consentOf(await requireContact(tx, viewer, contactId)),
        cancelledTasks: 0,
      }));
    },

    /** Records marketing consent; a customer who opted out and says yes again is reachable again. */
    async giveConsent(actor: UserPrincipal, contactId: string, source: string): Promise<ContactConsent> {
      const { tenantId } = actor;
      return database.withTenant(tenantId, async (tx) => {
        await requireContact(tx, actor, contactId);
        const at = now();
        const row = await repo.updateConsent(
          tx,
          tenantId,
          contactId,
          { marketingConsent: true, consentAt: at, consentSource: source, optedOutAt: null },
          at,
        );
        if (!row) throw notFound('Contact');
        await progress.recordOnContactLeads(tx, contactId, {
          tenantId,
          type: 'CONSENT_CHANGED',
          payload: { contactId, marketingConsent: true, source },
          actorUserId: actor.userId,
          createdAt: at,
        });
        return { ...consentOf(row), cancelledTasks: 0 };
      });
    },

    /** One call: no more marketing to this customer, and their open reactivation tasks are cancelled. */
    async optOut(actor: UserPrincipal, contactId: string): Promise<ContactConsent> {
      const { tenantId } = actor;
      return database.withTenant(tenantId, async (tx) => {
        const current = await requireContact(tx, actor, contactId);
        const at = now();
        const row = await repo.updateConsent(
          tx,
          tenantId,
          contactId,
          { marketingConsent: false, optedOutAt: current.optedOutAt ?? at },
          at,
        );
        if (!row) throw notFound('Contact');
        const cancelledTasks = await marketing.cancelOpenMessages(tx, tenantId, contactId, at);
        // A repeated opt-out changes nothing: the history keeps the first.
        if (current.marketingConsent || current.optedOutAt === null)
          await progress.recordOnContactLeads(tx, contactId, {
            tenantId,
            type: 'CONSENT_CHANGED',
            payload: { contactId, marketingConsent: false, optedOut: true, cancelledTasks },
            actorUserId: actor.userId,
            createdAt: at,
          });
        return { ...consentOf(row), cancelledTasks };
      });
    },
  };
}

const consentOf = (row: {
  id: string;
  marketingConsent: boolean;
  consentAt: string | null;
  consentSource: string | null;
  optedOutAt: string | null;
}) => ({
  contactId: row.id,
  marketingConsent: row.marketingConsent,
  consentAt: row.consentAt,
  consentSource: row.consentSource,
  optedOutAt: row.optedOutAt,
});

export type ConsentService = ReturnType<typeof createConsentService>;
