import type { CustomerDuplicate, MergeCustomersInput, MergedCustomers } from '@techmarket/contracts';
import { branchScope, type Principal, type UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { invalidField, notFound } from '../../platform/errors';
import { createLeadProgress } from '../leads';
import { createContactsRepository } from './contacts.repository';
import { type CustomerRow, createCustomersRepository } from './customers.repository';
import { customerVersionConflict } from './customers.service';

/**
 * Two records of one person. Suggested (duplicates) when they share a phone or a marketplace user, or when their
 * names are close (pg_trgm) and their phones end in the same 8 digits (one number saved under two country codes).
 * Merging keeps everything of both: the other's leads (with their events, WhatsApp messages and consent changes),
 * tickets, quotes and campaign sends move to this customer (contacts.repository moveBelongings, the same move a
 * WhatsApp message makes when it teaches a phone), what this one lacks is taken from the other, tags are joined,
 * and an identifier the two disagree on is kept in the notes and on the CONTACTS_MERGED event every lead of the
 * survivor gets. Consent: an opt-out on either stands (nobody is messaged against their word); else a consent on
 * either, the latest. The other record is then removed. Both must be visible to the person merging (a seller: at
 * their branches) and of the same shop: else 404. The route answers the survivor as its page reads it, with what
 * moved.
 */

export interface CustomerMergeDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
}

export function createCustomerMergeService({ database, clock }: CustomerMergeDeps) {
  const repo = createCustomersRepository();
  const contacts = createContactsRepository();
  // A merge records events on leads but never moves them: the first response rule does not come up.
  const progress = createLeadProgress(null);

  return {
    duplicates: (viewer: Principal, contactId: string): Promise<{ items: CustomerDuplicate[] }> =>
      database.withTenant(viewer.tenantId, async (tx) => {
        const scope = branchScope(viewer);
        const self = await repo.find(tx, viewer.tenantId, contactId, scope);
        if (!self) throw notFound('Customer');
        const rows = await repo.duplicatesOf(tx, viewer.tenantId, self, scope);
        return {
          items: rows.map((row) => ({
            customer: row.customer,
            reasons: [
              ...(row.samePhone ? (['SAME_PHONE'] as const) : []),
              ...(row.sameUser ? (['SAME_MARKETPLACE_USER'] as const) : []),
              ...(row.similar && !row.samePhone ? (['SIMILAR_NAME_SAME_DIGITS'] as const) : []),
            ],
            belongings: {
              leads: row.leads,
              tickets: row.tickets,
              quotes: row.quotes,
              events: row.events,
              messages: row.messages,
            },
          })),
        };
      }),

    async merge(
      actor: UserPrincipal,
      contactId: string,
      input: MergeCustomersInput,
    ): Promise<MergedCustomers['merged']> {
      const { tenantId } = actor;
      if (input.duplicateId === contactId)
        throw invalidField('duplicateId', 'a customer cannot be merged with itself', 'SAME_RECORD');
      return database.withTenant(tenantId, async (tx) => {
        const scope = branchScope(actor);
        // Row locks in id order, so two merges of the same pair never wait on each other.
        const [firstId, secondId] = [contactId, input.duplicateId].sort();
        const locked = [];
        for (const id of [firstId, secondId]) {
          if (id) locked.push(await repo.find(tx, tenantId, id, scope, true));
        }
        const self = locked.find((row) => row?.id === contactId);
        const other = locked.find((row) => row?.id === input.duplicateId);
        if (!self) throw notFound('Customer');
        if (!other) throw notFound('Customer');
        if (input.version !== undefined && self.version !== input.version) throw customerVersionConflict();

        const moved = await repo.belongings(tx, tenantId, other.id);
        await contacts.moveBelongings(tx, tenantId, other.id, self.id);
        // The other's unique marketplace user id must leave it before this customer can take it.
        await contacts.removeOrEmpty(tx, tenantId, other.id);
        const at = clock.now().toISOString();
        const kept = keptIdentifiers(self, other);
        const updated = await repo.update(
          tx,
          tenantId,
          self.id,
          self.version,
          mergedFields(self, other, kept),
          at,
        );
        if (!updated) throw customerVersionConflict();
        await progress.recordOnContactLeads(tx, self.id, {
          tenantId,
          type: 'CONTACTS_MERGED',
          payload: {
            contactId: self.id,
            mergedContactId: other.id,
            mergedName: other.name,
            mergedPhone: other.phone,
            mergedEmail: other.email,
            mergedMarketplaceUserId: other.marketplaceUserId,
            moved,
          },
          actorUserId: actor.userId,
          createdAt: at,
        });
        return { duplicateId: other.id, moved };
      });
    },
  };
}

/** The other's identifiers that differ from this customer's: kept in the notes, since the survivor keeps its own. */
function keptIdentifiers(self: CustomerRow, other: CustomerRow) {
  const differs = (mine: string | null, theirs: string | null) =>
    mine !== null && theirs !== null && mine !== theirs ? theirs : null;
  return {
    name: differs(self.name, other.name),
    phone: differs(self.phone, other.phone),
    email: differs(self.email, other.email),
  };
}

function mergedFields(self: CustomerRow, other: CustomerRow, kept: ReturnType<typeof keptIdentifiers>) {
  const keptLine = [kept.name, kept.phone, kept.email].filter((v): v is string => v !== null).join(' · ');
  const notes = [self.notes, other.notes, keptLine ? `También: ${keptLine}` : null]
    .filter((v): v is string => Boolean(v))
    .join('\n');
  // The first opt-out of the two (ISO instants sort as text).
  const optedOutAt = [self.optedOutAt, other.optedOutAt].filter((at): at is string => at !== null).sort()[0];
  const consenting = [self, other]
    .filter((c) => c.marketingConsent && c.consentAt !== null)
    .sort((a, b) => String(b.consentAt).localeCompare(String(a.consentAt)))[0];
  return {
    name: self.name ?? other.name,
    phone: self.phone ?? other.phone,
    email: self.email ?? other.email,
    marketplaceUserId: self.marketplaceUserId ?? other.marketplaceUserId,
    visitorId: self.visitorId ?? other.visitorId,
    tags: [...new Set([...self.tags, ...other.tags])],
    notes: notes || null,
    ...(optedOutAt
      ? { marketingConsent: false, optedOutAt }
      : consenting
        ? {
            marketingConsent: true,
            consentAt: consenting.consentAt,
            consentSource: consenting.consentSource,
          }
        : {}),
  };
}

export type CustomerMergeService = ReturnType<typeof createCustomerMergeService>;
