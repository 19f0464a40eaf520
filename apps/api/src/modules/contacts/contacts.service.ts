import type { Tx } from '../../platform/db';
import { invalidField } from '../../platform/errors';
import { normalizePhone } from '../../platform/phone';
import { createContactsRepository } from './contacts.repository';

/**
 * Contacts: the shop's customers. A customer is one contact per tenant, recognised by phone (E.164),
 * so that a second enquiry from the same number lands on the same person. Functions run inside the
 * caller's transaction: a contact is always created together with the lead that needs it.
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
    /** The tenant's contact with this phone, or a new one; without a phone always a new contact. */
    async findOrCreateByPhone(tx: Tx, tenantId: string, input: ContactInput): Promise<ContactRef> {
      const name = input.name?.trim() || null;
      if (input.phone === undefined) return repo.insert(tx, tenantId, { name, phone: null });

      const phone = normalizePhone(input.phone, input.defaultCountry)?.e164;
      if (!phone) {
        throw invalidField(
          'contact.phone',
          'not a valid phone number; write it with the country code, e.g. +51 987 654 321',
        );
      }
      await repo.lockPhone(tx, tenantId, phone);
      const existing = await repo.findByPhone(tx, tenantId, phone);
      if (!existing) return repo.insert(tx, tenantId, { name, phone });
      // A name learnt later fills the gap; a name already on file is the customer's and stays.
      if (existing.name === null && name !== null) {
        await repo.setName(tx, tenantId, existing.id, name);
        return { ...existing, name };
      }
      return existing;
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
