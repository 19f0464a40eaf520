import { pushMessageSchema } from '@techmarket/contracts';
import { z } from 'zod';
import { defineJob, type JobDefinition, type JobQueue } from '../../platform/jobs';
import type { PushSender } from './push-sender';
import { pushKinds } from './push-text';

/** An event someone may be told of: resolved into deliveries when it runs (push-sender.ts). */
export const pushAlert = defineJob({
  name: 'push.alert',
  schema: z.object({
    tenantId: z.uuid(),
    kind: z.enum(pushKinds),
    leadId: z.uuid(),
    userId: z.uuid().nullable(),
    exceptUserId: z.uuid().nullable().optional(),
    detail: z.string().max(200).nullable().optional(),
  }),
});

/** One push to one device; pg-boss retries it (with backoff) when the push service is unavailable. */
export const pushDelivery = defineJob({
  name: 'push.deliver',
  schema: z.object({
    tenantId: z.uuid(),
    subscriptionId: z.uuid(),
    message: pushMessageSchema,
    urgency: z.enum(['normal', 'high']),
  }),
});

export function pushJobs(sender: PushSender, queue: JobQueue): JobDefinition[] {
  return [
    pushAlert.handledBy(async (data) => {
      for (const delivery of await sender.deliveries(data)) await pushDelivery.send(queue, delivery);
    }),
    pushDelivery.handledBy((data) => sender.deliver(data)),
  ];
}
