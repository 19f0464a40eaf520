import type { CampaignReply, CampaignReplyInput } from '@techmarket/contracts';
import { branchScope, type UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { invalidField, notFound } from '../../platform/errors';
import type { FollowupsService } from '../followups';
import type { LeadFeed } from '../leads';
import { type CapturedLead, captureClick } from '../leads';
import type { CampaignAttribution } from './attribution';
import { createCampaignSendsRepository } from './campaign-sends.repository';
import { requireCampaign } from './campaign-view';
import { readSendRefCode } from './reactivation';

/**
 * Replies: the customer answers a reactivation message in WhatsApp, quoting (or not) the message's reference
 * code; the seller records the reply by that code. It lands as a tracked WhatsApp click of source CAMPAIGN would:
 * a new lead carrying the campaign (assigned as usual), or the contact's open lead at the branch; the send
 * remembers the lead and its task is done. The funnel counts it like a click (and the lead, when one was opened),
 * so wins follow the lead. Once recorded, the same code answers the same lead and changes nothing.
 */

export function createCampaignRepliesService(deps: {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  attribution: Pick<CampaignAttribution, 'clicked'>;
  followups: Pick<FollowupsService, 'completeCampaignTasks'>;
  /** Told after a reply commits: the board hears of the lead (and new leads' own work starts). */
  feed: Pick<LeadFeed, 'changed'>;
}) {
  const { database, clock, attribution, followups, feed } = deps;
  const repo = createCampaignSendsRepository();

  return {
    /**
     * A customer answered a reactivation message (see the top of this file). Any signed-in user of the shop who
     * sees the branch of the message's lead; 201 when recorded now, 200 when it had been.
     */
    async recordReply(
      actor: UserPrincipal,
      tenantId: string,
      input: CampaignReplyInput,
    ): Promise<{ status: 200 | 201; body: CampaignReply }> {
      if (actor.tenantId !== tenantId) throw notFound('Tenant');
      const unknownCode = () =>
        invalidField(
          'refCode',
          'no reactivation message of this shop has this reference code',
          'NOT_FOUND_IN_SHOP',
        );
      const refCode = readSendRefCode(input.refCode);
      if (!refCode) throw unknownCode();
      const at = clock.now().toISOString();
      const { answer, captured } = await database.withTenant(tenantId, async (tx) => {
        const send = await repo.findSendByRef(tx, tenantId, refCode);
        if (!send) throw unknownCode();
        const scope = branchScope(actor);
        if (scope !== null && !scope.includes(send.branchId)) throw notFound('Reactivation message');
        const reply = { sendId: send.id, campaignId: send.campaignId, refCode: send.refCode };
        if (send.repliedAt && send.replyLeadId) {
          const body = { ...reply, leadId: send.replyLeadId, created: false, repliedAt: send.repliedAt };
          return { answer: { status: 200 as const, body }, captured: null };
        }
        const campaign = await requireCampaign(tx, tenantId, send.campaignId);
        const { contact } = send;
        const landed: CapturedLead = await captureClick(tx, {
          tenantId,
          branchId: send.branchId,
          contact: { id: contact.id, name: contact.name, phone: contact.phone },
          source: 'CAMPAIGN',
          customerUserId: contact.marketplaceUserId,
          listingId: null,
          campaignId: campaign.id,
          clickPayload: {
            source: 'CAMPAIGN',
            listing: null,
            campaign: { id: campaign.id, name: campaign.name },
            reactivationReply: { sendId: send.id, refCode: send.refCode, recordedByUserId: actor.userId },
          },
          message: input.message ?? null,
          messageChannel: 'WHATSAPP',
          at,
        });
        await repo.markSendReplied(tx, tenantId, send.id, at, landed.lead.id);
        if (send.taskId) await followups.completeCampaignTasks(tx, tenantId, [send.taskId], at);
        const body = { ...reply, leadId: landed.lead.id, created: landed.created, repliedAt: at };
        return { answer: { status: 201 as const, body }, captured: landed };
      });
      if (captured) {
        // As a tracked click: the feed's lead.created also counts the new lead in the funnel, once.
        await feed.changed(captured.created ? 'lead.created' : 'lead.updated', captured.lead);
        await attribution.clicked(tenantId, answer.body.campaignId, at);
      }
      return answer;
    },
  };
}

export type CampaignRepliesService = ReturnType<typeof createCampaignRepliesService>;
