import { Badge, Group, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { BusinessHours, Lead, LeadInboxItem } from '@techmarket/contracts';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { PriorityBadge, StatusBadge } from '../../../components/lead-badges';
import { formatBusinessWait, hasBusinessHours } from '../../../lib/business-time';
import { formatAge, formatDuration } from '../../../lib/format';
import classes from './lead-row.module.css';

export interface LeadRowNames {
  product: string | null;
  seller: string | null;
  branch: string | null;
  /** The branch's hours and zone, to tell an open lead's wait in business time. */
  hours?: { businessHours: BusinessHours; timezone: string } | undefined;
  /** The lead's open tasks, and how many of them are past due. */
  tasks?: { open: number; overdue: number } | undefined;
}

const open = (lead: Lead) => lead.status !== 'WON' && lead.status !== 'LOST' && lead.status !== 'DORMANT';

/**
 * The row's time. A customer still waiting for a first answer: the real wait first, then the part of it in the
 * branch's business hours ("esperando 40 minutos · 0 min hábiles": a lead at night has waited, even if the shop
 * was closed). Anyone else: when the lead arrived ("hace 3 meses").
 */
function useWaitText(lead: Lead, hours: LeadRowNames['hours'], now: number): string {
  const { t, i18n } = useTranslation();
  if (!open(lead) || lead.firstResponseAt !== null) return formatAge(lead.createdAt, i18n.language, now);
  const waiting = t('inbox.waiting', {
    wait: formatDuration(now - Date.parse(lead.createdAt), i18n.language),
  });
  const business =
    hours && hasBusinessHours(hours.businessHours)
      ? formatBusinessWait(lead.createdAt, now, hours.businessHours, hours.timezone, i18n.language)
      : null;
  return business ? `${waiting} · ${t('inbox.businessWait', { wait: business })}` : waiting;
}

/** A lead as the inbox lists it; its conversation (last message, unread count) when the list carries it. */
export type InboxLead = Lead & Partial<Pick<LeadInboxItem, 'lastMessage' | 'unreadCount'>>;

/**
 * One inbox row: who, what product (or the last WhatsApp message, with the unread count), from where, how long
 * waiting, priority and seller.
 */
export const LeadRow = memo(LeadRowView, (before, after) => {
  // Memoized: the inbox re-renders on every answer it waits for (counts, badges, names), most rows unchanged.
  const [a, b] = [before.names, after.names];
  return (
    before.lead === after.lead &&
    before.now === after.now &&
    a.product === b.product &&
    a.seller === b.seller &&
    a.branch === b.branch &&
    a.hours === b.hours &&
    a.tasks === b.tasks
  );
});

function LeadRowView({ lead, names, now }: { lead: InboxLead; names: LeadRowNames; now: number }) {
  const { t } = useTranslation();
  const name = lead.contact.name ?? ((lead.contact.phone ?? '') || t('inbox.anonymous'));
  const unread = lead.unreadCount ?? 0;
  const when = useWaitText(lead, names.hours, now);
  return (
    <Link to="/leads/$leadId" params={{ leadId: lead.id }} className={classes.row} data-testid="lead-row">
      <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="nowrap" justify="space-between">
          <Text fw={600} size="sm" truncate>
            {name}
          </Text>
          <Text
            size="xs"
            c="dimmed"
            style={{ whiteSpace: 'nowrap' }}
            title={lead.createdAt}
            data-testid="lead-wait"
          >
            {when}
          </Text>
        </Group>
        {lead.lastMessage ? (
          <Group gap={6} wrap="nowrap" justify="space-between">
            <Text
              size="sm"
              truncate
              fw={unread > 0 ? 600 : undefined}
              c={unread > 0 ? undefined : 'dimmed'}
              data-testid="last-message"
            >
              {lead.lastMessage.direction === 'OUT' ? `${t('conversationInbox.you')}: ` : ''}
              {lead.lastMessage.text}
            </Text>
            {unread > 0 && (
              <Badge
                size="sm"
                circle={unread < 10}
                color="green"
                variant="filled"
                aria-label={t('conversationInbox.unread', { count: unread })}
                data-testid="unread-badge"
              >
                {unread > 99 ? '99+' : unread}
              </Badge>
            )}
          </Group>
        ) : null}
        <Text size={lead.lastMessage ? 'xs' : 'sm'} truncate c={names.product ? undefined : 'dimmed'}>
          {names.product ?? t('inbox.noProduct')}
        </Text>
        <Group gap={6} wrap="nowrap" justify="space-between">
          <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }} className={classes.badges}>
            <StatusBadge status={lead.status} />
            <PriorityBadge priority={lead.priority} />
            {names.tasks && names.tasks.open > 0 && (
              <Badge
                size="sm"
                variant={names.tasks.overdue > 0 ? 'filled' : 'light'}
                color={names.tasks.overdue > 0 ? 'red' : 'gray'}
                data-testid="task-badge"
              >
                {names.tasks.overdue > 0
                  ? t('tasks.badgeOverdue', { count: names.tasks.overdue })
                  : t('tasks.badge', { count: names.tasks.open })}
              </Badge>
            )}
            <Text size="xs" c="dimmed" truncate>
              {t(`source.${lead.source}`)}
              {names.branch ? ` · ${names.branch}` : ''}
            </Text>
          </Group>
          <Text size="xs" c={names.seller ? undefined : 'dimmed'} truncate maw="40%">
            {names.seller ?? t('inbox.unassigned')}
          </Text>
        </Group>
      </Stack>
    </Link>
  );
}
