import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { Lead, Task } from '@techmarket/contracts';
import { createElement, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LeadToastMessage } from './live-toast';
import { conversationKey, parseMessageEvent, upsertMessage } from './whatsapp';

/**
 * Live board: `GET /api/v1/tenants/{tenantId}/stream` (server-sent events `lead.created`,
 * `lead.updated`, `lead.assigned`, each with the lead as data). Any event refreshes the lead
 * queries; a new lead, or one assigned to me, also shows a notification (and a beep if wanted).
 *
 * The browser reconnects by itself after a dropped connection (sending Last-Event-ID). When the
 * server answers with an error (the endpoint missing, a deploy in progress), EventSource gives up;
 * we then try again later, backing off up to five minutes, so the app works without live updates.
 * `task.due` (data: the Task) refreshes the task lists and tells the assignee.
 * `message.created` / `message.updated` (data: `{leadId, message}`) put the WhatsApp message, as it stands now,
 * into the lead's open conversation; a customer's message also refreshes its 24-hour window.
 */
export const liveEventTypes = ['lead.created', 'lead.updated', 'lead.assigned'] as const;
export type LiveEventType = (typeof liveEventTypes)[number];

const SOUND_KEY = 'tm-sound';
export const soundEnabled = () => {
  try {
    return localStorage.getItem(SOUND_KEY) === 'on';
  } catch {
    return false;
  }
};
export const setSoundEnabled = (on: boolean) => {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    // not remembered
  }
};

function beep() {
  try {
    const context = new AudioContext();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = 880;
    gain.gain.value = 0.05;
    oscillator.connect(gain).connect(context.destination);
    oscillator.start();
    oscillator.stop(context.currentTime + 0.15);
    oscillator.onended = () => void context.close();
  } catch {
    // no audio: the notification is enough
  }
}

export function parseLiveLead(data: string): Partial<Lead> | null {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null) return null;
    // Either the lead itself or an envelope {lead}.
    const lead = 'lead' in parsed ? (parsed as { lead: unknown }).lead : parsed;
    return typeof lead === 'object' && lead !== null ? (lead as Partial<Lead>) : null;
  } catch {
    return null;
  }
}

export function parseLiveTask(data: string): Partial<Task> | null {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const task = 'task' in parsed ? (parsed as { task: unknown }).task : parsed;
    return typeof task === 'object' && task !== null ? (task as Partial<Task>) : null;
  } catch {
    return null;
  }
}

/**
 * Whether the live stream is open, on the page's root element (`data-live`: open, connecting, closed): what a
 * browser test waits on before it makes something happen live, instead of waiting a while.
 */
const markLive = (state: 'open' | 'connecting' | 'closed') => {
  document.documentElement.dataset.live = state;
};

export function useLiveUpdates(tenantId: string, userId: string) {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const navigate = useNavigate();

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    // A burst of events (an import, a campaign) refreshes once.
    const refresh = () => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => void queryClient.invalidateQueries({ queryKey: ['leads'] }), 250);
    };

    const onEvent = (type: LiveEventType) => (event: MessageEvent<string>) => {
      failures = 0;
      refresh();
      const lead = parseLiveLead(event.data);
      const name = lead?.contact?.name ?? lead?.contact?.phone ?? '';
      const mine = lead?.assignedToUserId === userId;
      if (type === 'lead.created' || (type === 'lead.assigned' && mine)) {
        const leadId = typeof lead?.id === 'string' ? lead.id : undefined;
        const status = lead?.status ? t(`status.${lead.status}`) : '';
        const toastId = notifications.show({
          color: type === 'lead.created' ? 'blue' : 'grape',
          title: type === 'lead.created' ? t('live.created', { name }) : t('live.assigned', { name }),
          // One tap to the lead: the toast is where a seller sees a new lead first.
          message: leadId
            ? createElement(LeadToastMessage, {
                status,
                openLabel: t('live.open'),
                onOpen: () => {
                  notifications.hide(toastId);
                  void navigate({ to: '/leads/$leadId', params: { leadId } });
                },
              })
            : status,
        });
        if (soundEnabled()) beep();
      }
    };

    // A task came due: refresh the task lists; tell its assignee.
    const onTaskDue = (event: MessageEvent<string>) => {
      failures = 0;
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      const task = parseLiveTask(event.data);
      if (task?.title && task.assigneeUserId === userId) {
        notifications.show({ color: 'orange', title: t('tasks.live', { title: task.title }), message: '' });
        if (soundEnabled()) beep();
      }
    };

    const onMessage = (type: 'message.created' | 'message.updated') => (event: MessageEvent<string>) => {
      failures = 0;
      const announced = parseMessageEvent(event.data);
      if (!announced) return;
      upsertMessage(queryClient, announced.leadId, announced.message);
      // A new message is the inbox row's last message (and, from the customer, one more unread).
      if (type === 'message.created') refresh();
      if (announced.message.direction === 'IN')
        void queryClient.invalidateQueries({ queryKey: conversationKey(announced.leadId) });
    };

    const connect = () => {
      if (stopped) return;
      source = new EventSource(`/api/v1/tenants/${tenantId}/stream`, { withCredentials: true });
      for (const type of liveEventTypes) source.addEventListener(type, onEvent(type) as EventListener);
      source.addEventListener('task.due', onTaskDue as EventListener);
      source.addEventListener('message.created', onMessage('message.created') as EventListener);
      source.addEventListener('message.updated', onMessage('message.updated') as EventListener);
      source.onopen = () => {
        failures = 0;
        markLive('open');
      };
      source.onerror = () => {
        markLive(source?.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
        if (source?.readyState !== EventSource.CLOSED) return; // the browser is reconnecting
        source.close();
        failures += 1;
        const delay = Math.min(300_000, 5_000 * 2 ** Math.min(failures, 6));
        retryTimer = setTimeout(connect, delay);
      };
    };
    connect();

    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      clearTimeout(refreshTimer);
      source?.close();
    };
  }, [tenantId, userId, queryClient, t, navigate]);
}
