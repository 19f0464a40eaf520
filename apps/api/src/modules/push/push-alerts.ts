import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Database } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import type { RealtimeEvent } from '../../platform/realtime';
import { pushAlert } from './push.jobs';
import { createPushRepository } from './push.repository';
import type { AlertData } from './push-sender';

/**
 * Which committed changes are pushed, read off what the app already announces after commit: the live events
 * (`lead.created` and `lead.assigned` with a seller, `task.due`, `message.created` from a customer) and the quotes'
 * decisions. Each becomes a `push.alert` job (push.jobs.ts), so the change's own request or job never waits on a push
 * service. A shop where nobody has a device raises none: whether it has one is remembered a few seconds per process
 * (a new device in this process is known at once; in another, within SUBSCRIBED_TTL_MS).
 */

const SUBSCRIBED_TTL_MS = 10_000;

const leadData = z.object({ id: z.uuid(), assignedToUserId: z.uuid().nullable() });
const taskData = z.object({
  leadId: z.uuid(),
  assigneeUserId: z.uuid().nullable(),
  kind: z.string(),
  title: z.string(),
  status: z.string(),
});
const messageData = z.object({
  leadId: z.uuid(),
  message: z.object({ direction: z.string(), text: z.string().nullable().optional() }),
});

/** The first words of a text, whole words where they fit. */
const preview = (text: string, max = 120) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
};

export interface QuoteDecision {
  tenantId: string;
  leadId: string;
  number: number;
  status: 'ACCEPTED' | 'REJECTED';
  actorUserId: string;
}

export function createPushAlerts(deps: {
  database: Pick<Database, 'readWithTenant'>;
  queue: Pick<JobQueue, 'send'>;
  onError: (error: unknown) => void;
}) {
  const repo = createPushRepository();
  const subscribed = new LRUCache<string, boolean>({ max: 50_000, ttl: SUBSCRIBED_TTL_MS });

  async function hasDevices(tenantId: string) {
    const known = subscribed.get(tenantId);
    if (known !== undefined) return known;
    // One statement with its transaction in one message: this runs after every committed click.
    const any = await deps.database.readWithTenant(tenantId, (tx) => repo.anySubscription(tx, tenantId));
    subscribed.set(tenantId, any);
    return any;
  }

  async function raise(alert: AlertData) {
    try {
      if (!(await hasDevices(alert.tenantId))) return;
      await pushAlert.send(deps.queue, alert);
    } catch (error) {
      // The change is committed; a lost push is a missed nudge, never a failed change.
      deps.onError(error);
    }
  }

  /** What a live event calls for, if anything. */
  function fromLiveEvent(tenantId: string, event: Omit<RealtimeEvent, 'id'>): AlertData | null {
    if (event.type === 'lead.created' || event.type === 'lead.assigned') {
      const lead = leadData.safeParse(event.data);
      if (!lead.success || !lead.data.assignedToUserId) return null;
      return { tenantId, kind: 'leadAssigned', leadId: lead.data.id, userId: lead.data.assignedToUserId };
    }
    if (event.type === 'task.due') {
      const task = taskData.safeParse(event.data);
      if (!task.success || !task.data.assigneeUserId || task.data.status !== 'OPEN') return null;
      return {
        tenantId,
        kind: task.data.kind === 'ESCALATION' ? 'escalation' : 'taskDue',
        leadId: task.data.leadId,
        userId: task.data.assigneeUserId,
        detail: preview(task.data.title),
      };
    }
    if (event.type === 'message.created') {
      const message = messageData.safeParse(event.data);
      if (!message.success || message.data.message.direction !== 'IN') return null;
      const text = message.data.message.text;
      return {
        tenantId,
        kind: 'customerReplied',
        leadId: message.data.leadId,
        userId: null,
        detail: text ? preview(text) : null,
      };
    }
    return null;
  }

  return {
    /** A shop just got a device: its next events are pushed without waiting for the cache. */
    subscribed: (tenantId: string) => subscribed.set(tenantId, true),

    async liveEvent(tenantId: string, event: Omit<RealtimeEvent, 'id'>) {
      const alert = fromLiveEvent(tenantId, event);
      if (alert) await raise(alert);
    },

    async quoteDecided(decision: QuoteDecision) {
      await raise({
        tenantId: decision.tenantId,
        kind: decision.status === 'ACCEPTED' ? 'quoteAccepted' : 'quoteRejected',
        leadId: decision.leadId,
        userId: null,
        exceptUserId: decision.actorUserId,
        detail: String(decision.number),
      });
    },
  };
}

export type PushAlerts = ReturnType<typeof createPushAlerts>;
