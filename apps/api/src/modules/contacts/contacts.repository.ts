import { and, asc, eq, exists, inArray, or, sql } from 'drizzle-orm';
import { newId } from '../../db/columns';
import { campaignSend, contact, lead, quote, ticket } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { isForeignKeyViolation } from '../../platform/db-errors';

const contactRef = { id: contact.id, name: contact.name, phone: contact.phone };
/** A contact with every identifier a click may know it by. */
const contactIdentity = {
  ...contactRef,
  marketplaceUserId: contact.marketplaceUserId,
  visitorId: contact.visitorId,
};

const phoneLock = (tenantId: string, phone: string) => `contact:${tenantId}:${phone}`;

/**
 * A customer as a seller sees them: one with a lead or a ticket at one of their branches (`branchIds`); null
 * (a manager, the owner) is every customer of the shop.
 */
export function seenAt(tx: Tx, tenantId: string, branchIds: readonly string[] | null) {
  if (branchIds === null) return undefined;
  if (branchIds.length === 0) return sql`false`;
  const at = (table: typeof lead | typeof ticket) =>
    exists(
      tx
        .select({ one: sql`1` })
        .from(table)
        .where(
          and(
            eq(table.tenantId, tenantId),
            eq(table.contactId, contact.id),
            inArray(table.branchId, [...branchIds]),
          ),
        ),
    );
  return or(at(lead), at(ticket));
}

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createContactsRepository() {
  return {
    /**
     * Serialises "find or create" for one phone until the transaction ends. There is no unique index on
     * (tenant, phone) to lean on, and two leads arriving at once must not make two contacts of one customer.
     */
    async lockPhone(tx: Tx, tenantId: string, phone: string) {
      await this.lock(tx, phoneLock(tenantId, phone));
    },
    /** lockPhone for several phones, in one statement. */
    async lockPhones(tx: Tx, tenantId: string, phones: readonly string[]) {
      await this.lockAll(tx, phones.map((phone) => phoneLock(tenantId, phone)).sort());
    },
    /** Serialises find-or-create on any identity of a customer (phone, marketplace user, visitor). */
    async lock(tx: Tx, key: string) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    },
    /**
     * Takes several such locks in one statement, in the order given (the rows of unnest come in array order):
     * callers pass them sorted, so two transactions never wait on each other's second lock.
     */
    async lockAll(tx: Tx, keys: readonly string[]) {
      if (keys.length === 1 && keys[0] !== undefined) return this.lock(tx, keys[0]);
      if (keys.length === 0) return;
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${sql.param([...keys])}::text[]) as k`,
      );
    },
    /** The first contact (oldest) known by this identifier, with all of its identifiers. */
    async findBy(tx: Tx, tenantId: string, by: 'marketplaceUserId' | 'visitorId' | 'phone', value: string) {
      const [row] = await tx
        .select(contactIdentity)
        .from(contact)
        .where(and(eq(contact.tenantId, tenantId), eq(contact[by], value)))
        .orderBy(asc(contact.createdAt), asc(contact.id))
        .limit(1);
      return row ?? null;
    },
    /** Fills identifiers the contact lacks; never overwrites what is on file. */
    async fillGaps(
      tx: Tx,
      tenantId: string,
      contactId: string,
      values: {
        name?: string | null;
        phone?: string | null;
        marketplaceUserId?: string | null;
        visitorId?: string | null;
      },
    ) {
      const set: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(values)) {
        if (value == null) continue;
        const target = contact[column as keyof typeof values];
        set[column] = sql`coalesce(${target}, ${value})`;
      }
      if (Object.keys(set).length === 0) return;
      await tx
        .update(contact)
        .set({ ...set, updatedAt: sql`now()` })
        .where(and(eq(contact.tenantId, tenantId), eq(contact.id, contactId)));
    },
    async findIdentity(tx: Tx, tenantId: string, contactId: string) {
      const [row] = await tx
        .select(contactIdentity)
        .from(contact)
        .where(and(eq(contact.tenantId, tenantId), eq(contact.id, contactId)));
      return row ?? null;
    },
    /** Re-points everything that belongs to one contact at another (a merge of two records of one person). */
    async moveBelongings(tx: Tx, tenantId: string, fromId: string, toId: string) {
      for (const table of [lead, ticket, quote]) {
        await tx
          .update(table)
          .set({ contactId: toId })
          .where(and(eq(table.tenantId, tenantId), eq(table.contactId, fromId)));
      }
      // One send per campaign and contact: a campaign that reached both records keeps the survivor's send.
      await tx.execute(sql`
        update ${campaignSend} set contact_id = ${toId}
         where tenant_id = ${tenantId} and contact_id = ${fromId}
           and not exists (select 1 from ${campaignSend} s
                            where s.tenant_id = ${tenantId} and s.campaign_id = ${campaignSend.campaignId}
                              and s.contact_id = ${toId})`);
    },
    /**
     * Deletes a contact nothing points at any more; one still referenced by a table this module does not know of
     * is kept, emptied of the identifiers that would make it be found again.
     */
    async removeOrEmpty(tx: Tx, tenantId: string, contactId: string) {
      const where = and(eq(contact.tenantId, tenantId), eq(contact.id, contactId));
      try {
        await tx.transaction((sp) => sp.delete(contact).where(where));
      } catch (error) {
        if (!isForeignKeyViolation(error)) throw error;
        await tx
          .update(contact)
          .set({ phone: null, marketplaceUserId: null, visitorId: null, updatedAt: sql`now()` })
          .where(where);
      }
    },
    /** findByPhone for several phones: the oldest contact of each, in one look-up. */
    async findByPhones(tx: Tx, tenantId: string, phones: readonly string[]) {
      if (phones.length === 0) return [];
      return (
        tx
          .selectDistinctOn([contact.phone], contactRef)
          .from(contact)
          // One array parameter, not one parameter a phone: an import's batch names a thousand.
          .where(
            and(
              eq(contact.tenantId, tenantId),
              sql`${contact.phone} = any(${sql.param([...phones])}::text[])`,
            ),
          )
          .orderBy(asc(contact.phone), asc(contact.createdAt), asc(contact.id))
      );
    },
    async insert(
      tx: Tx,
      tenantId: string,
      values: {
        name: string | null;
        phone: string | null;
        marketplaceUserId?: string | null;
        visitorId?: string | null;
      },
    ) {
      const [row] = await tx
        .insert(contact)
        .values({ tenantId, ...values })
        .returning(contactRef);
      if (!row) throw new Error('contact insert returned nothing');
      return row;
    },
    /** find_or_create_contact (migration 0025) for a customer known by phone (E.164) and maybe a name. */
    async findOrCreate(tx: Tx, tenantId: string, known: { phone: string; name: string | null }) {
      const result = await tx.execute<{ id: string; name: string | null; phone: string | null }>(
        sql`select f.id, f.name, f.phone
              from find_or_create_contact(${tenantId}::uuid, null, null, ${known.phone}::text, ${known.name}::text,
                                          ${newId()}::uuid) f`,
      );
      const row = result.rows[0];
      if (!row) throw new Error('find_or_create_contact answered no row');
      return row;
    },

    /**
     * The contact with its consent; with `branchIds` (a seller's branches) only when one of its leads or tickets is
     * at one of them, as the inbox shows a seller only their branches' customers.
     */
    async findVisible(tx: Tx, tenantId: string, contactId: string, branchIds: readonly string[] | null) {
      const [row] = await tx
        .select()
        .from(contact)
        .where(
          and(eq(contact.tenantId, tenantId), eq(contact.id, contactId), seenAt(tx, tenantId, branchIds)),
        );
      return row ?? null;
    },

    async updateConsent(
      tx: Tx,
      tenantId: string,
      contactId: string,
      changes: Pick<
        Partial<typeof contact.$inferInsert>,
        'marketingConsent' | 'consentAt' | 'consentSource' | 'optedOutAt'
      >,
      at: string,
    ) {
      const [row] = await tx
        .update(contact)
        .set({ ...changes, updatedAt: at, version: sql`${contact.version} + 1` })
        .where(and(eq(contact.tenantId, tenantId), eq(contact.id, contactId)))
        .returning();
      return row ?? null;
    },
    /**
     * Writes customers read from a file, in one statement: each phone's oldest contact looked up, updated when
     * there is one, a new contact made (with the row's `id`) when there is none. Answers the phones that were new.
     * The caller holds the phones' locks (lockPhones) from an earlier statement: this one's snapshot must be taken
     * after they are granted, or a contact committed meanwhile would be missed and made twice. A value the file
     * leaves out (null) keeps what is on file. Consent from a file never overrides an opt-out recorded in the CRM:
     * the customer's own word comes first.
     */
    async writeImported(tx: Tx, tenantId: string, rows: readonly ImportedContactRow[]) {
      if (rows.length === 0) return new Set<string>();
      const phones = [...new Set(rows.map((row) => row.phone))];
      // The update and the insert are data-modifying parts of one WITH: both run to completion, and neither sees
      // the other's rows (they touch different ones).
      const result = await tx.execute<{ phone: string }>(sql`
        with v as (
          select * from jsonb_to_recordset(${JSON.stringify(rows.map(recordOf))}::jsonb)
            as v(id uuid, name text, phone text, email text, tags text[], consent boolean,
                 consent_at timestamptz, consent_source text)
        ), known as (
          select distinct on (c.phone) c.id, c.phone
            from contact c
           where c.tenant_id = ${tenantId} and c.phone = any(${sql.param(phones)}::text[])
           order by c.phone, c.created_at, c.id
        ), updated as (
          update contact c
             set name = coalesce(v.name, c.name),
                 email = coalesce(v.email, c.email),
                 tags = coalesce(v.tags, c.tags),
                 marketing_consent = case when v.consent is null or c.opted_out_at is not null
                                          then c.marketing_consent else v.consent end,
                 consent_at = case when v.consent is null or c.opted_out_at is not null then c.consent_at
                                   else v.consent_at end,
                 consent_source = case when v.consent is null or c.opted_out_at is not null then c.consent_source
                                       else v.consent_source end,
                 version = c.version + 1,
                 updated_at = now()
            from v join known k on k.phone = v.phone
           where c.tenant_id = ${tenantId} and c.id = k.id
        ), created as (
          insert into contact (id, tenant_id, name, phone, email, tags, marketing_consent, consent_at, consent_source)
          select v.id, ${tenantId}::uuid, v.name, v.phone, v.email, coalesce(v.tags, '{}'), coalesce(v.consent, false),
                 v.consent_at, v.consent_source
            from v
           where not exists (select 1 from known k where k.phone = v.phone)
          returning phone
        )
        select phone from created`);
      return new Set(result.rows.map((row) => row.phone));
    },
  };
}

/** A customer from an import: `id` of the contact it updates, or of the one it creates. */
export interface ImportedContactRow {
  id: string;
  phone: string;
  name: string | null;
  email: string | null;
  tags: string[] | null;
  consent: boolean | null;
  consentAt: string | null;
  consentSource: string | null;
}

const recordOf = (row: ImportedContactRow) => ({
  id: row.id,
  name: row.name,
  phone: row.phone,
  email: row.email,
  tags: row.tags,
  consent: row.consent,
  consent_at: row.consentAt,
  consent_source: row.consentSource,
});

export type ContactsRepository = ReturnType<typeof createContactsRepository>;
