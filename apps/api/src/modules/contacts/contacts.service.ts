import { newId } from '../../db/columns';
import { branchScope, type Principal } from '../../platform/auth';
import type { Tx } from '../../platform/db';
import { invalidField } from '../../platform/errors';
import { normalizePhone } from '../../platform/phone';
import { createContactsRepository, type ImportedContactRow } from './contacts.repository';

/**
 * Contacts: the shop's customers. A customer is one contact per tenant, recognised by phone (E.164),
 * so that a second enquiry from the same number lands on the same person. Functions run inside the
 * caller's transaction: a contact is always created together with the lead that needs it. The customer behind a
 * marketplace click is found or made by capture_click in the database (drizzle/0024_click_capture.sql), not here.
 */

export interface ContactRef {
  id: string;
  name: string | null;
  phone: string | null;
}

export interface ContactInput {
  name?: string | undefined;
  /** As typed by a person; read in `defaultCountry` when it has no "+". */
  phone?: string | undefined;
  /** ISO 3166 alpha-2, usually the branch's country. */
  defaultCountry: string;
}

export function createContactsService() {
  const repo = createContactsRepository();

  return {
    /**
     * A contact learns the phone it wrote from (WhatsApp, after a tracked click that only knew a visitor). When
     * another contact already has that phone, the two are one person: the other's leads, tickets, quotes and
     * campaign sends move to this contact, its identifiers fill this one's gaps, and it is removed. A contact
     * with a different phone on file keeps it (a person may write from a second number).
     */
    async learnPhone(tx: Tx, tenantId: string, contactId: string, phone: string): Promise<void> {
      await repo.lockPhone(tx, tenantId, phone);
      const self = await repo.findIdentity(tx, tenantId, contactId);
      if (!self || self.phone !== null) return;
      const other = await repo.findBy(tx, tenantId, 'phone', phone);
      if (other && other.id !== contactId) {
        await repo.moveBelongings(tx, tenantId, other.id, contactId);
        // The other's unique marketplace user id must leave it before this contact can take it.
        await repo.removeOrEmpty(tx, tenantId, other.id);
        await repo.fillGaps(tx, tenantId, contactId, {
          name: self.name === null ? other.name : null,
          marketplaceUserId: self.marketplaceUserId === null ? other.marketplaceUserId : null,
          visitorId: self.visitorId === null ? other.visitorId : null,
        });
      }
      await repo.fillGaps(tx, tenantId, contactId, { phone });
    },

    /**
     * The look-up half of findOrCreateByPhone for a batch (E.164 phones): every phone's lock taken in one statement
     * and held for the transaction, then the contacts known by them found at once, keyed by phone. A phone absent
     * from the answer has no contact yet, and none can appear while the lock is held.
     */
    async lockAndFindByPhones(tx: Tx, tenantId: string, phones: readonly string[]) {
      const unique = [...new Set(phones)];
      await repo.lockPhones(tx, tenantId, unique);
      const rows = await repo.findByPhones(tx, tenantId, unique);
      return new Map(rows.flatMap((row): [string, ContactRef][] => (row.phone ? [[row.phone, row]] : [])));
    },

    /** The customer as the viewer may see them (a seller: one with a lead or ticket at their branches), or null. */
    async findVisible(tx: Tx, viewer: Principal, contactId: string): Promise<ContactRef | null> {
      const row = await repo.findVisible(tx, viewer.tenantId, contactId, branchScope(viewer));
      return row && { id: row.id, name: row.name, phone: row.phone };
    },

    /**
     * Customers read from a file, by phone (E.164, already normalised), in the caller's transaction: a known
     * phone's contact is updated, an unknown one created. Each phone once per call (the caller merges repeats).
     * Answers the phones that were new. `locked` is told once the phones' locks are held (an import lets its next
     * batch begin then: that batch waits for any phone it shares with this one until this one commits).
     */
    async upsertImported(
      tx: Tx,
      tenantId: string,
      rows: readonly Omit<ImportedContactRow, 'id'>[],
      locked?: () => void,
    ) {
      await repo.lockPhones(tx, tenantId, [...new Set(rows.map((row) => row.phone))]);
      locked?.();
      return repo.writeImported(
        tx,
        tenantId,
        rows.map((row) => ({ ...row, id: newId() })),
      );
    },

    /** The tenant's contact with this phone, or a new one; without a phone always a new contact. */
    async findOrCreateByPhone(tx: Tx, tenantId: string, input: ContactInput): Promise<ContactRef> {
      const name = input.name?.trim() || null;
      if (input.phone === undefined) return repo.insert(tx, tenantId, { name, phone: null });

      const phone = normalizePhone(input.phone, input.defaultCountry)?.e164;
      if (!phone) {
        throw invalidField(
          'contact.phone',
          'not a valid phone number; write it with the country code, e.g. +51 987 654 321',
          'PHONE_INVALID',
        );
      }
      // The rule (locks, the oldest contact with the phone, a name filling the gap) is find_or_create_contact's, the
      // one a marketplace click's customer is found by (drizzle/0025_one_capture.sql).
      return repo.findOrCreate(tx, tenantId, { phone, name });
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
