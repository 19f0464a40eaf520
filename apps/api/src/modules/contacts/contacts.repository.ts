import { and, asc, eq, sql } from 'drizzle-orm';
import { contact } from '../../db/schema';
import type { Tx } from '../../platform/db';

const contactRef = { id: contact.id, name: contact.name, phone: contact.phone };

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createContactsRepository() {
  return {
    /**
     * Serialises "find or create" for one phone until the transaction ends. There is no unique index on
     * (tenant, phone) to lean on, and two leads arriving at once must not make two contacts of one customer.
     */
    async lockPhone(tx: Tx, tenantId: string, phone: string) {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${`contact:${tenantId}:${phone}`}, 0))`,
      );
    },
    async findByPhone(tx: Tx, tenantId: string, phone: string) {
      const [row] = await tx
        .select(contactRef)
        .from(contact)
        .where(and(eq(contact.tenantId, tenantId), eq(contact.phone, phone)))
        .orderBy(asc(contact.createdAt), asc(contact.id))
        .limit(1);
      return row ?? null;
    },
    async insert(tx: Tx, tenantId: string, values: { name: string | null; phone: string | null }) {
      const [row] = await tx
        .insert(contact)
        .values({ tenantId, ...values })
        .returning(contactRef);
      if (!row) throw new Error('contact insert returned nothing');
      return row;
    },
    async setName(tx: Tx, tenantId: string, contactId: string, name: string) {
      await tx
        .update(contact)
        .set({ name, version: sql`${contact.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(contact.tenantId, tenantId), eq(contact.id, contactId)));
    },
  };
}

export type ContactsRepository = ReturnType<typeof createContactsRepository>;
