import { createChannelsRepository } from './channels.repository';
import { createDeliveriesRepository } from './deliveries.repository';
import { createMessagesRepository } from './messages.repository';

export {
  type NewDelivery,
  type NewMessage,
  type PendingDelivery,
  statusRank,
} from './whatsapp-rows';

/**
 * The module's data access, one object for the services: channels and templates, deliveries, messages and media,
 * each in its own file. Every function takes the tenant first (but the two webhook look-ups, which run before it
 * is known).
 */
export function createWhatsappRepository() {
  return { ...createChannelsRepository(), ...createDeliveriesRepository(), ...createMessagesRepository() };
}

export type WhatsappRepository = ReturnType<typeof createWhatsappRepository>;
export type ChannelRow = NonNullable<Awaited<ReturnType<WhatsappRepository['findChannelByBranch']>>>;
export type ChannelWithSecrets = NonNullable<
  Awaited<ReturnType<WhatsappRepository['findChannelWithSecrets']>>
>;
export type MessageRow = NonNullable<Awaited<ReturnType<WhatsappRepository['findMessage']>>>;
