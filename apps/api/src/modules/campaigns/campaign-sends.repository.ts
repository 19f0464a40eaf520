import type { Segment } from '@techmarket/contracts';
import { and, desc, eq, sql } from 'drizzle-orm';
import { campaignSend, contact, lead } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { reachableCondition, segmentCondition } from './segments';

/** Reactivation messages' data access (`campaign_send`): who gets one, what waits, what was answered. */
export function createCampaignSendsRepository() {
  return {
    /**
     * The segment's members marketing may reach, with their phone; `capped` when the contact had this campaign's
     * message, or any reactivation message since `capFrom`.
     */
    async candidates(
      tx: Tx,
      tenantId: string,
      campaignId: string,
      segment: Segment,
      at: Date,
      capFrom: string,
    ) {
      const members = sql`${segmentCondition(tenantId, segment, at)} and ${reachableCondition}`;
      // JIT compiles these plans for longer than they run (as for the segment preview).
      await tx.execute(sql`set local jit = off`);
      const rows = await tx.execute<{
        id: string;
        name: string | null;
        phone: string | null;
        capped: boolean;
      }>(sql`
        select c.id, c.name, c.phone,
               exists (select 1 from campaign_send s where s.tenant_id = c.tenant_id and s.contact_id = c.id
                         and (s.campaign_id = ${campaignId}::uuid or s.created_at > ${capFrom}::timestamptz)) as capped
          from contact c where ${members}
         order by c.id`);
      return rows.rows;
    },

    /**
     * Of these contacts, those marketing may still reach, locked: an opt-out updates the row, so one waits for
     * the other and an opt-out committed since the candidates were read wins.
     */
    async lockReachable(tx: Tx, tenantId: string, contactIds: readonly string[]) {
      if (contactIds.length === 0) return new Set<string>();
      const rows = await tx.execute<{ id: string }>(sql`
        select c.id from contact c
         where c.tenant_id = ${tenantId} and c.id in (${sql.join(
           contactIds.map((id) => sql`${id}::uuid`),
           sql`, `,
         )}) and ${reachableCondition}
         order by c.id
           for share`);
      return new Set(rows.rows.map((r) => r.id));
    },

    /** The contact's most recent lead: whose seller sends the reactivation message, and at which branch. */
    async latestLeads(tx: Tx, tenantId: string, contactIds: string[]) {
      if (contactIds.length === 0) return new Map<string, LatestLead>();
      const rows = await tx.execute<{
        contact_id: string;
        id: string;
        branch_id: string;
        assigned_to_user_id: string | null;
        timezone: string;
      }>(sql`
        select distinct on (l.contact_id) l.contact_id, l.id, l.branch_id, l.assigned_to_user_id, b.timezone
          from ${lead} l join branch b on b.tenant_id = l.tenant_id and b.id = l.branch_id
         where l.tenant_id = ${tenantId} and l.contact_id in (${sql.join(
           contactIds.map((id) => sql`${id}::uuid`),
           sql`, `,
         )})
         order by l.contact_id, l.last_activity_at desc, l.id desc`);
      return new Map(
        rows.rows.map((r) => [
          r.contact_id,
          { id: r.id, branchId: r.branch_id, assignedToUserId: r.assigned_to_user_id, timezone: r.timezone },
        ]),
      );
    },

    /**
     * The leads just moved to DORMANT whose contact is in the segment and marketing may reach, with what a send
     * needs; `capped` when the contact had any reactivation message since `capFrom`, or this campaign already
     * picked this lead up.
     */
    async dormantMembers(
      tx: Tx,
      tenantId: string,
      campaignId: string,
      leadIds: string[],
      segment: Segment,
      at: Date,
      capFrom: string,
    ) {
      if (leadIds.length === 0) return [];
      const members = sql`${segmentCondition(tenantId, segment, at)} and ${reachableCondition}`;
      const rows = await tx.execute<{
        lead_id: string;
        branch_id: string;
        assigned_to_user_id: string | null;
        timezone: string;
        contact_id: string;
        name: string | null;
        phone: string | null;
        capped: boolean;
      }>(sql`
        select l.id as lead_id, l.branch_id, l.assigned_to_user_id, b.timezone, c.id as contact_id, c.name, c.phone,
               exists (select 1 from campaign_send s where s.tenant_id = c.tenant_id and s.contact_id = c.id
                         and (s.created_at > ${capFrom}::timestamptz
                              or (s.campaign_id = ${campaignId}::uuid and s.lead_id = l.id))) as capped
          from ${lead} l
          join contact c on c.tenant_id = l.tenant_id and c.id = l.contact_id
          join branch b on b.tenant_id = l.tenant_id and b.id = l.branch_id
         where l.tenant_id = ${tenantId} and l.id in (${sql.join(
           leadIds.map((id) => sql`${id}::uuid`),
           sql`, `,
         )}) and ${members}
         order by l.id
           for share of c`);
      return rows.rows.map((r) => ({
        contactId: r.contact_id,
        name: r.name,
        phone: r.phone,
        capped: r.capped,
        lead: {
          id: r.lead_id,
          branchId: r.branch_id,
          assignedToUserId: r.assigned_to_user_id,
          timezone: r.timezone,
        },
      }));
    },

    /** Template messages of the campaign whose quiet hours are over, locked, with whether they may still go. */
    async waitingSends(tx: Tx, tenantId: string, campaignId: string, now: string, limit: number) {
      const rows = await tx.execute<{
        id: string;
        lead_id: string;
        ref_code: string;
        name: string | null;
        reachable: boolean;
      }>(sql`
        select s.id, s.lead_id, s.ref_code, c.name, (c.marketing_consent and c.opted_out_at is null) as reachable
          from ${campaignSend} s join contact c on c.tenant_id = s.tenant_id and c.id = s.contact_id
         where s.tenant_id = ${tenantId} and s.campaign_id = ${campaignId}::uuid
           and s.send_after is not null and s.send_after <= ${now}::timestamptz
         order by s.send_after, s.id
         limit ${limit}
           for update of s skip locked`);
      return rows.rows.map((r) => ({
        id: r.id,
        leadId: r.lead_id,
        refCode: r.ref_code,
        name: r.name,
        reachable: r.reachable,
      }));
    },

    /** The send went out as a template message (or, with null, will not: the customer opted out meanwhile). */
    async settleSend(tx: Tx, tenantId: string, sendId: string, messageId: string | null) {
      await tx
        .update(campaignSend)
        .set({ whatsappMessageId: messageId, sendAfter: null })
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.id, sendId)));
    },

    async insertSends(tx: Tx, rows: (typeof campaignSend.$inferInsert)[]) {
      if (rows.length === 0) return [];
      return tx.insert(campaignSend).values(rows).onConflictDoNothing().returning();
    },

    async listSends(tx: Tx, tenantId: string, campaignId: string, limit: number) {
      return tx
        .select()
        .from(campaignSend)
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.campaignId, campaignId)))
        .orderBy(desc(campaignSend.createdAt), desc(campaignSend.id))
        .limit(limit);
    },

    /** The send a reply quotes, with the branch of its lead and its contact; locked, so two replies to it queue. */
    async findSendByRef(tx: Tx, tenantId: string, refCode: string) {
      const [row] = await tx
        .select({
          id: campaignSend.id,
          campaignId: campaignSend.campaignId,
          contactId: campaignSend.contactId,
          taskId: campaignSend.taskId,
          refCode: campaignSend.refCode,
          repliedAt: campaignSend.repliedAt,
          replyLeadId: campaignSend.replyLeadId,
          branchId: lead.branchId,
          contact: {
            id: contact.id,
            name: contact.name,
            phone: contact.phone,
            marketplaceUserId: contact.marketplaceUserId,
          },
        })
        .from(campaignSend)
        .innerJoin(lead, and(eq(lead.tenantId, campaignSend.tenantId), eq(lead.id, campaignSend.leadId)))
        .innerJoin(
          contact,
          and(eq(contact.tenantId, campaignSend.tenantId), eq(contact.id, campaignSend.contactId)),
        )
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.refCode, refCode)))
        .for('update', { of: campaignSend });
      return row ?? null;
    },

    async markSendReplied(tx: Tx, tenantId: string, sendId: string, repliedAt: string, replyLeadId: string) {
      await tx
        .update(campaignSend)
        .set({ repliedAt, replyLeadId })
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.id, sendId)));
    },

    async sendTaskIdsOfContact(tx: Tx, tenantId: string, contactId: string) {
      const rows = await tx
        .select({ taskId: campaignSend.taskId })
        .from(campaignSend)
        .where(and(eq(campaignSend.tenantId, tenantId), eq(campaignSend.contactId, contactId)));
      return rows.flatMap((r) => (r.taskId ? [r.taskId] : []));
    },
  };
}

export interface LatestLead {
  id: string;
  branchId: string;
  assignedToUserId: string | null;
  timezone: string;
}
