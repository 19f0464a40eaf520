import type { ReactivationRun } from '@techmarket/contracts';
import type { Principal, UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { invalidField } from '../../platform/errors';
import type { FollowupsService } from '../followups';
import { type AutomaticSends, fillTemplate } from '../whatsapp';
import { isLive } from './attribution';
import { createCampaignSendsRepository, type LatestLead } from './campaign-sends.repository';
import { requireCampaign, requireWholeShop, segmentOf } from './campaign-view';
import { type CampaignRow, createCampaignsRepository } from './campaigns.repository';
import {
  afterQuietHours,
  customerWhatsappUrl,
  DEFAULT_REACTIVATION,
  newSendRefCode,
  reactivationMessage,
} from './reactivation';

/**
 * Reactivation runs: for a live REACTIVATION campaign, each member of its segment with marketing consent, not
 * opted out, with a phone and a lead, gets one message, at most one per contact per `frequencyCapDays` across all
 * campaigns: a WhatsApp template where the lead's branch has a channel and the campaign a template, else a
 * personal wa.me link as a task for the seller of their latest lead, due outside the quiet hours of the lead's
 * branch (README.md has the table, and the standing campaign). Opting out cancels the contact's open
 * reactivation tasks (cancelOpenMessages) and keeps them out of every later run.
 */

/** Members handed out per reactivation run: the rest waits for the next run. */
const REACTIVATION_BATCH = 500;
const DAY_MS = 86_400_000;

type Member = {
  contactId: string;
  name: string | null;
  phone: string;
  lead: LatestLead;
};

export function createReactivationService(deps: {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  followups: Pick<FollowupsService, 'createCampaignTasks' | 'cancelCampaignTasks'>;
  /** Template sends where the lead's branch has a WhatsApp channel; without it, every message is a task. */
  whatsapp?: Pick<AutomaticSends, 'channelBranches' | 'sendTemplate' | 'dispatch'> | undefined;
}) {
  const { database, clock, followups, whatsapp } = deps;
  const repo = createCampaignSendsRepository();
  const campaigns = createCampaignsRepository();

  /**
   * Hands the campaign's message to each member, in the caller's transaction: where the lead's branch has a
   * WhatsApp channel and the campaign a template, the template is queued now, or held until the branch's quiet
   * hours end (`sendAfter`, sent by a later pass); elsewhere, a wa.me task for the seller, due after the quiet
   * hours. Answers the counts and the messages to send after commit.
   */
  async function handOut(tx: Tx, row: CampaignRow, members: Member[], at: Date) {
    const { tenantId, id: campaignId } = row;
    const atIso = at.toISOString();
    const settings = row.reactivation ?? DEFAULT_REACTIVATION;
    const template = row.whatsappTemplate;
    const channels =
      template && whatsapp && members.length > 0 ? await whatsapp.channelBranches(tx, tenantId) : new Set();
    // A standing campaign reaches a contact again for a later lead that goes dormant (the cap still holds).
    const keyOf = (m: Member) =>
      row.standing
        ? `campaign:${campaignId}:${m.contactId}:${m.lead.id}`
        : `campaign:${campaignId}:${m.contactId}`;
    const sends = members.map((m) => {
      const refCode = newSendRefCode();
      const message = reactivationMessage(row.messageTemplate, m.name, refCode);
      const after = afterQuietHours(at, m.lead.timezone, settings.quietHours);
      const channel = channels.has(m.lead.branchId);
      return {
        ...m,
        refCode,
        message,
        url: customerWhatsappUrl(m.phone, message),
        via: channel ? (after > at ? ('WAIT' as const) : ('SEND' as const)) : ('TASK' as const),
        after,
      };
    });
    const tasks = await followups.createCampaignTasks(
      tx,
      sends
        .filter((s) => s.via === 'TASK')
        .map((s) => ({
          tenantId,
          leadId: s.lead.id,
          branchId: s.lead.branchId,
          assigneeUserId: s.lead.assignedToUserId,
          title: `Campaña «${row.name}»: enviar el mensaje por WhatsApp`,
          note: s.url,
          suggestedMessage: s.message,
          dueAt: s.after.toISOString(),
          ruleKey: keyOf(s),
          createdAt: atIso,
        })),
    );
    const taskOf = new Map(tasks.map((t) => [t.ruleKey, t.id]));
    const inserted = await repo.insertSends(
      tx,
      sends.map((s) => ({
        tenantId,
        campaignId,
        contactId: s.contactId,
        leadId: s.lead.id,
        taskId: taskOf.get(keyOf(s)) ?? null,
        refCode: s.refCode,
        message: s.message,
        whatsappUrl: s.url,
        sendAfter: s.via === 'WAIT' ? s.after.toISOString() : null,
        createdAt: atIso,
      })),
    );
    const result = { created: inserted.length, sent: 0, waiting: 0, messageIds: [] as string[] };
    const byRef = new Map(sends.map((s) => [s.refCode, s]));
    for (const send of inserted) {
      const planned = byRef.get(send.refCode);
      if (planned?.via === 'WAIT') result.waiting++;
      if (planned?.via !== 'SEND' || !template || !whatsapp) continue;
      const messageId = await sendTemplateFor(tx, tenantId, send, planned.name, template, atIso);
      if (messageId) {
        result.sent++;
        result.messageIds.push(messageId);
      }
    }
    return result;
  }

  /** Queues the campaign's template for one send and records the message on it. */
  async function sendTemplateFor(
    tx: Tx,
    tenantId: string,
    send: { id: string; leadId: string; refCode: string },
    name: string | null,
    template: NonNullable<CampaignRow['whatsappTemplate']>,
    at: string,
  ) {
    const queued = await whatsapp?.sendTemplate(tx, {
      tenantId,
      leadId: send.leadId,
      template: fillTemplate(template, { name, ref: send.refCode }),
      at,
    });
    await repo.settleSend(tx, tenantId, send.id, queued?.messageId ?? null);
    return queued?.messageId ?? null;
  }

  /** Template messages held for quiet hours that may go now; a customer who opted out meanwhile gets nothing. */
  async function sendWaiting(tx: Tx, row: CampaignRow, at: string) {
    const template = row.whatsappTemplate;
    const messageIds: string[] = [];
    for (const send of await repo.waitingSends(tx, row.tenantId, row.id, at, REACTIVATION_BATCH)) {
      if (!send.reachable || !template) {
        await repo.settleSend(tx, row.tenantId, send.id, null);
        continue;
      }
      const messageId = await sendTemplateFor(tx, row.tenantId, send, send.name, template, at);
      if (messageId) messageIds.push(messageId);
    }
    return messageIds;
  }

  /**
   * One reactivation pass over a campaign, in one transaction: idempotent (one send per contact and campaign).
   * It first sends the template messages whose quiet hours are over. A standing campaign does only that: its
   * members are the leads the engine moves to DORMANT (pickUpDormant), not a segment read all at once.
   */
  async function reactivate(tenantId: string, campaignId: string): Promise<ReactivationRun> {
    const at = clock.now();
    const atIso = at.toISOString();
    const run: ReactivationRun = { eligible: 0, created: 0, capped: 0, unreachable: 0, sent: 0, waiting: 0 };
    const messageIds = await database.withTenant(tenantId, async (tx) => {
      const row = await requireCampaign(tx, tenantId, campaignId, true);
      if (row.type !== 'REACTIVATION')
        throw invalidField('type', 'only REACTIVATION campaigns send personal messages', 'REACTIVATION_ONLY');
      if (!isLive(row, atIso))
        throw invalidField(
          'status',
          'the campaign is not live (ACTIVE, inside its window)',
          'CAMPAIGN_NOT_LIVE',
        );
      const waited = await sendWaiting(tx, row, atIso);
      run.sent += waited.length;
      if (row.standing) return waited;
      const settings = row.reactivation ?? DEFAULT_REACTIVATION;
      const capFrom = new Date(at.getTime() - settings.frequencyCapDays * DAY_MS).toISOString();
      const candidates = await repo.candidates(tx, tenantId, campaignId, segmentOf(row), at, capFrom);
      run.eligible = candidates.length;
      const uncapped = candidates.filter((c) => {
        if (c.capped) run.capped++;
        return !c.capped;
      });
      // An opt-out committed since the read above must win: lock the contacts (opting out updates the row, so one
      // waits for the other) and keep those still reachable as of now.
      const stillReachable = await repo.lockReachable(
        tx,
        tenantId,
        uncapped.map((c) => c.id),
      );
      const open = uncapped.filter((c) => stillReachable.has(c.id));
      run.eligible -= uncapped.length - open.length;
      const leads = await repo.latestLeads(
        tx,
        tenantId,
        open.map((c) => c.id),
      );
      const members: Member[] = [];
      for (const c of open) {
        const lead = leads.get(c.id);
        if (!c.phone || !lead) {
          run.unreachable++;
          continue;
        }
        if (members.length >= REACTIVATION_BATCH) continue;
        members.push({ contactId: c.id, name: c.name, phone: c.phone, lead });
      }
      const handed = await handOut(tx, row, members, at);
      run.created = handed.created;
      run.sent += handed.sent;
      run.waiting = handed.waiting;
      return [...waited, ...handed.messageIds];
    });
    await whatsapp?.dispatch(tenantId, messageIds);
    return run;
  }

  /**
   * The shop's standing reactivation campaign picks up the leads the follow-up engine just moved to DORMANT, in
   * the engine's transaction: those whose contact is in its segment, may receive marketing, has a phone and had
   * no reactivation message within the frequency cap. Answers the WhatsApp messages to send after commit.
   */
  async function pickUpDormant(tx: Tx, tenantId: string, leadIds: string[], at: Date): Promise<string[]> {
    if (leadIds.length === 0) return [];
    const row = await campaigns.findStanding(tx, tenantId);
    if (!row || !isLive(row, at.toISOString())) return [];
    const settings = row.reactivation ?? DEFAULT_REACTIVATION;
    const capFrom = new Date(at.getTime() - settings.frequencyCapDays * DAY_MS).toISOString();
    const found = await repo.dormantMembers(tx, tenantId, row.id, leadIds, segmentOf(row), at, capFrom);
    const fresh = new Set<string>();
    const picked: Member[] = [];
    for (const m of found) {
      // One message per contact in a pass, whatever number of their leads went dormant at once.
      if (m.capped || !m.phone || fresh.has(m.contactId)) continue;
      fresh.add(m.contactId);
      picked.push({ ...m, phone: m.phone });
    }
    return (await handOut(tx, row, picked, at)).messageIds;
  }

  return {
    /** The worker's pass over one campaign, without a person. */
    reactivate,
    pickUpDormant,

    /** Runs a reactivation pass now (the worker runs one every few minutes for each live campaign). */
    async runReactivation(actor: UserPrincipal, id: string) {
      await database.withTenant(actor.tenantId, (tx) => requireCampaign(tx, actor.tenantId, id));
      return reactivate(actor.tenantId, id);
    },

    async listSends(viewer: Principal, id: string) {
      return database.withTenant(viewer.tenantId, async (tx) => {
        // A campaign of another shop stays a 404, whoever asks.
        await requireCampaign(tx, viewer.tenantId, id);
        requireWholeShop(viewer);
        return { items: await repo.listSends(tx, viewer.tenantId, id, 200), nextCursor: null };
      });
    },

    /** The customer opted out (contacts' consent, in its transaction): their open reactivation tasks are cancelled. */
    async cancelOpenMessages(tx: Tx, tenantId: string, contactId: string, at: string) {
      const taskIds = await repo.sendTaskIdsOfContact(tx, tenantId, contactId);
      return followups.cancelCampaignTasks(tx, tenantId, taskIds, at);
    },
  };
}

export type ReactivationService = ReturnType<typeof createReactivationService>;
