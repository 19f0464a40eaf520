/** The WhatsApp tables' columns and row types, shared by the module's repositories. */
import { sql } from 'drizzle-orm';
import { whatsappChannel, whatsappMessage } from '../../db/schema';
import type { WhatsappMessageRowStatus } from '../../db/schema/whatsapp';

export const channelColumns = {
  id: whatsappChannel.id,
  tenantId: whatsappChannel.tenantId,
  branchId: whatsappChannel.branchId,
  phoneNumberId: whatsappChannel.phoneNumberId,
  businessAccountId: whatsappChannel.businessAccountId,
  displayPhoneNumber: whatsappChannel.displayPhoneNumber,
  verifiedName: whatsappChannel.verifiedName,
  qualityRating: whatsappChannel.qualityRating,
  status: whatsappChannel.status,
  lastError: whatsappChannel.lastError,
  lastTestedAt: whatsappChannel.lastTestedAt,
  createdAt: whatsappChannel.createdAt,
  updatedAt: whatsappChannel.updatedAt,
};
/** With the sealed secrets: for the services that call the Graph API, never for an answer. */
export const channelWithSecrets = {
  ...channelColumns,
  accessTokenEnc: whatsappChannel.accessTokenEnc,
  appSecretEnc: whatsappChannel.appSecretEnc,
};

export const messageColumns = {
  id: whatsappMessage.id,
  leadId: whatsappMessage.leadId,
  channelId: whatsappMessage.channelId,
  direction: whatsappMessage.direction,
  waMessageId: whatsappMessage.waMessageId,
  customerWaId: whatsappMessage.customerWaId,
  type: whatsappMessage.type,
  text: whatsappMessage.text,
  template: whatsappMessage.template,
  status: whatsappMessage.status,
  errorCode: whatsappMessage.errorCode,
  errorTitle: whatsappMessage.errorTitle,
  mediaId: whatsappMessage.mediaId,
  mediaStatus: whatsappMessage.mediaStatus,
  mediaMimeType: whatsappMessage.mediaMimeType,
  mediaByteSize: whatsappMessage.mediaByteSize,
  sentByUserId: whatsappMessage.sentByUserId,
  sendAttempts: whatsappMessage.sendAttempts,
  createdAt: whatsappMessage.createdAt,
};

/**
 * How far along a message is. Statuses only move up this ladder, whatever order Meta's webhooks arrive in:
 * a FAILED after DELIVERED counts (the send did fail), a DELIVERED after READ does not.
 */
export const statusRank: Record<WhatsappMessageRowStatus, number> = {
  RECEIVED: 0,
  QUEUED: 0,
  SENT: 1,
  DELIVERED: 2,
  FAILED: 3,
  READ: 4,
};
export const rankOf = sql`case ${whatsappMessage.status} when 'SENT' then 1 when 'DELIVERED' then 2 when 'FAILED' then 3 when 'READ' then 4 else 0 end`;

export type NewMessage = typeof whatsappMessage.$inferInsert;
/** A delivery to store: its payload is JSON text (the body as received, when it is all this channel's). */
export interface NewDelivery {
  tenantId: string;
  channelId: string;
  bodySha256: string;
  payloadJson: string;
  receivedAt: string;
}
/** Rows per multi-row insert: about twenty columns each stays well under PostgreSQL's 65,535 parameters. */
export const INSERT_CHUNK = 500;
export interface PendingDelivery {
  id: string;
  payload: unknown;
  channel: { id: string; branchId: string; phoneNumberId: string } | null;
}
