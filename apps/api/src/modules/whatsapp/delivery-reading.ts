import type { z } from 'zod';
import { changeValueSchema, inboundMessageSchema, notificationSchema } from './meta-schemas';
import type { PendingDelivery } from './whatsapp.repository';

/** A stored delivery's JSON read once, before its batch touches the database: what it holds for its channel. */

export type ChangeValue = z.infer<typeof changeValueSchema>;
export type InboundMessage = z.infer<typeof inboundMessageSchema> & Record<string, unknown>;

/** A delivery's JSON read once, before its batch touches the database. */
export interface ReadDelivery {
  delivery: PendingDelivery;
  understood: boolean;
  skipped: string[];
  /** Its changes for the delivery's channel, each message parsed (null: not a message we can read). */
  changes: { value: ChangeValue; messages: (InboundMessage | null)[] }[];
}

type ReadLog = { warn(obj: object, msg: string): void };

/** A claimed delivery's JSON, parsed once: what it holds for its channel, and what was not understood. */
export function readDelivery(tenantId: string, delivery: PendingDelivery, log: ReadLog): ReadDelivery {
  const { channel } = delivery;
  const read: ReadDelivery = { delivery, understood: false, skipped: [], changes: [] };
  const notification = notificationSchema.safeParse(delivery.payload);
  if (!channel) read.skipped.push('the channel was disconnected');
  else if (!notification.success || notification.data.object !== 'whatsapp_business_account') {
    read.skipped.push('not a whatsapp_business_account notification');
  } else {
    read.understood = true;
    for (const entry of notification.data.entry) {
      for (const change of entry.changes) {
        const value = changeValueSchema.safeParse(change.value);
        if (change.field !== 'messages' || !value.success) {
          read.skipped.push(`change "${change.field.slice(0, 40)}" not understood`);
          continue;
        }
        if (value.data.metadata.phone_number_id !== channel.phoneNumberId) continue;
        const messages = (value.data.messages ?? []).map((raw) => {
          const parsed = inboundMessageSchema.safeParse(raw);
          if (parsed.success) return parsed.data as InboundMessage;
          log.warn(
            { tenantId, issues: parsed.error.issues.slice(0, 3) },
            'whatsapp: an inbound message was skipped',
          );
          return null;
        });
        read.changes.push({ value: value.data, messages });
      }
    }
  }
  return read;
}
