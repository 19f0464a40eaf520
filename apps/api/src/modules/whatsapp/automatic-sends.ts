import type { AutomaticTemplate, WhatsappTemplateRef } from '@techmarket/contracts';
import type { Tx } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import type { ConversationLeads } from '../leads';
import { sendMessage } from './whatsapp.jobs';
import { createWhatsappRepository } from './whatsapp.repository';

/**
 * What other modules may ask of the WhatsApp channel, and nothing more: which branches have one, when the
 * customer last wrote on a lead, and an approved template queued on a lead in the caller's transaction (the
 * follow-up engine's QUOTED follow-up, a reactivation campaign). The message is stored QUEUED with the change
 * that causes it, so a rollback drops it; `dispatch` after commit hands it to the send job, and the module's
 * sweep sends a queued message whose job was never sent. No user sent it: `sentByUserId` is null.
 */

export interface AutomaticSendsDeps {
  leads: Pick<ConversationLeads, 'findVisible'>;
  queue: Pick<JobQueue, 'send'>;
  log: { warn(obj: object, msg: string): void };
}

/** Meta refuses an empty body parameter: a customer without a name is greeted as "cliente" (es and pt alike). */
const NAMELESS = 'cliente';

/**
 * The template with its variables filled: `{name}` is the customer's first name, `{ref}` the reference code
 * (campaigns), each variable a body parameter in order.
 */
export function fillTemplate(
  template: AutomaticTemplate,
  values: { name: string | null; ref?: string },
): WhatsappTemplateRef {
  const first = values.name?.trim().split(/\s+/)[0] || NAMELESS;
  const variables = template.variables.map(
    (text) =>
      text
        .replaceAll('{name}', first)
        .replaceAll('{ref}', values.ref ?? '')
        .trim() || NAMELESS,
  );
  return {
    name: template.name,
    language: template.language,
    ...(variables.length > 0 ? { variables } : {}),
  };
}

export function createAutomaticSends(deps: AutomaticSendsDeps) {
  const { leads, queue, log } = deps;
  const repo = createWhatsappRepository();
  return {
    /** The shop's branches with a WhatsApp channel connected. */
    channelBranches: (tx: Tx, tenantId: string) => repo.channelBranches(tx, tenantId),

    /** When the customer last wrote on each lead through WhatsApp (leads they never wrote on are absent). */
    lastInbound: (tx: Tx, tenantId: string, leadIds: string[]) =>
      repo.lastInboundByLead(tx, tenantId, leadIds),

    /**
     * Queues the template on the lead, in the caller's transaction; null when the lead's branch has no channel
     * or the customer has no number to write to (the caller keeps its wa.me task then). A template may be sent
     * whatever the 24-hour window; Meta refuses a name it does not know (132001), and the message is FAILED.
     */
    async sendTemplate(
      tx: Tx,
      input: { tenantId: string; leadId: string; template: WhatsappTemplateRef; at: string },
    ): Promise<{ messageId: string } | null> {
      const { tenantId, leadId, at } = input;
      const lead = await leads.findVisible(tx, tenantId, leadId, null);
      if (!lead) return null;
      const channel = await repo.findChannelByBranch(tx, tenantId, lead.branchId);
      if (!channel) return null;
      const inbound = await repo.lastInbound(tx, tenantId, leadId);
      const to = inbound?.customerWaId ?? lead.contact.phone?.replace(/\D/g, '') ?? null;
      if (!to) return null;
      const row = await repo.insertMessage(tx, {
        tenantId,
        leadId,
        channelId: channel.id,
        direction: 'OUT',
        customerWaId: to,
        type: 'template',
        text: null,
        template: input.template,
        status: 'QUEUED',
        sentByUserId: null,
        createdAt: at,
        updatedAt: at,
      });
      if (!row) throw new Error('outbound message insert returned nothing');
      return { messageId: row.id };
    },

    /** After commit: the send job for each queued message. One not handed over is sent by the sweep. */
    async dispatch(tenantId: string, messageIds: string[]) {
      for (const messageId of messageIds) {
        await sendMessage
          .send(queue, { tenantId, messageId })
          .catch((error: unknown) =>
            log.warn({ err: error }, 'whatsapp: send job not sent; the sweep will send the message'),
          );
      }
    },
  };
}

export type AutomaticSends = ReturnType<typeof createAutomaticSends>;
