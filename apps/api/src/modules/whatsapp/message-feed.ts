import type { MessageStreamEventType, WhatsappMessage } from '@techmarket/contracts';
import type { RealtimeBus } from '../../platform/realtime';

/**
 * A conversation's live side: each message that arrives or is sent (`message.created`) and each step it takes
 * afterwards (`message.updated`: sent, delivered, read, failed, its media stored) goes on the tenant's live stream
 * as `{leadId, message}`, tagged with the lead's branch so a seller hears of their branches only (the stream
 * filters by it, as for lead events). Announced after commit; a Redis hiccup never fails the change itself.
 */
export interface MessageFeed {
  announce(
    type: MessageStreamEventType,
    tenantId: string,
    branchId: string,
    message: WhatsappMessage,
  ): Promise<void>;
}

export function createMessageFeed(deps: {
  realtime: Pick<RealtimeBus, 'publish'>;
  onError: (error: unknown) => void;
}): MessageFeed {
  return {
    async announce(type, tenantId, branchId, message) {
      await deps.realtime
        .publish(tenantId, { type, branchId, data: { leadId: message.leadId, message } })
        .catch(deps.onError);
    },
  };
}
