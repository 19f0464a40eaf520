import { Text, Timeline } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { User } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { isOneOf, leadStatusList, lostReasonList } from '../../../lib/domain';
import { consentSourceLabel } from '../../../lib/enum-labels';
import { formatDateTime } from '../../../lib/format';
import { es419 } from '../../../lib/locales/es-419';
import { type LeadEvent, type LeadNote, leadEventsQueryOptions } from '../api/leads';

/** Whether the catalogs have a title for an event type (the source catalog's keys are every catalog's). */
const hasTitle = (type: string): type is keyof typeof es419.event => Object.hasOwn(es419.event, type);

/**
 * The lead's history, newest first. Notes are read back from their NOTE_ADDED events (the payload
 * carries the text); a note just written shows at once from the answer of POST /notes.
 */
export function LeadTimeline({
  leadId,
  timeZone,
  users,
}: {
  leadId: string;
  timeZone: string;
  users: User[];
}) {
  const { t, i18n } = useTranslation();
  const events = useQuery(leadEventsQueryOptions(leadId));
  const notes = useQuery<LeadNote[]>({
    queryKey: ['lead-notes', leadId],
    queryFn: () => [],
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (events.isPending) return <Loading />;
  if (events.isError) return <ErrorState error={events.error} onRetry={() => void events.refetch()} />;
  if (events.data.length === 0) return <EmptyState title={t('lead.noEvents')} />;
  const userName = (id: unknown) => users.find((u) => u.id === id)?.name ?? null;
  const noteText = (id: unknown) => notes.data?.find((n) => n.id === id)?.text ?? null;

  const statusName = (status: unknown) =>
    isOneOf(leadStatusList, status) ? t(`status.${status}`) : String(status);
  const describe = (event: LeadEvent): { title: string; body: string | null } => {
    const p = event.payload;
    switch (event.type) {
      case 'STATUS_CHANGED':
        return {
          title: t('event.STATUS_CHANGED', {
            from: statusName(p.from),
            to: statusName(p.to),
          }),
          body: isOneOf(lostReasonList, p.lostReason) ? t(`lostReason.${p.lostReason}`) : null,
        };
      case 'ASSIGNED':
        return {
          title: p.toUserId
            ? t('event.ASSIGNED', { to: userName(p.toUserId) ?? '—' })
            : t('event.UNASSIGNED'),
          body: null,
        };
      case 'NOTE_ADDED':
        return {
          title: t('event.NOTE_ADDED'),
          body: typeof p.text === 'string' ? p.text : noteText(p.noteId),
        };
      case 'WHATSAPP_CLICK': {
        const listing = p.listing as { title?: unknown } | null | undefined;
        return {
          title: t('event.WHATSAPP_CLICK'),
          body: typeof listing?.title === 'string' ? listing.title : null,
        };
      }
      case 'CONSENT_CHANGED':
        return {
          title:
            p.marketingConsent === true
              ? t('event.CONSENT_GIVEN', {
                  source: consentSourceLabel(typeof p.source === 'string' ? p.source : null, t),
                })
              : t('event.CONSENT_OPTED_OUT'),
          body: null,
        };
      case 'MESSAGE_RECEIVED':
      case 'MESSAGE_SENT':
        return { title: t(`event.${event.type}`), body: typeof p.text === 'string' ? p.text : null };
      default:
        return {
          // A type newer than this page (the API deployed first) reads as activity, never as its code.
          title: hasTitle(event.type) ? t(`event.${event.type}`) : t('event.other'),
          body: null,
        };
    }
  };

  const newestFirst = [...events.data].reverse();
  return (
    <Timeline bulletSize={14} lineWidth={2} data-testid="lead-timeline">
      {newestFirst.map((event) => {
        const { title, body } = describe(event);
        const actor = userName(event.actorUserId);
        return (
          <Timeline.Item
            key={event.id}
            title={
              <Text size="sm" fw={500}>
                {title}
              </Text>
            }
          >
            {body && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {body}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              {formatDateTime(event.createdAt, i18n.language, timeZone)}
              {actor ? ` · ${t('event.by', { name: actor })}` : ''}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
