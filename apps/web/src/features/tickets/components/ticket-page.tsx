import { Anchor, Card, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type LeadPriority, type TicketStatus, ticketTransitions } from '@techmarket/contracts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DetailPage } from '../../../components/detail-page';
import { PriorityBadge } from '../../../components/lead-badges';
import { leadPriorityList } from '../../../lib/domain';
import { formatDateTime } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { useSession } from '../../../lib/session';
import { useBranchTimeZone, usersQueryOptions } from '../../../lib/tenant-data';
import { QuoteButton } from '../../quotes';
import { type TicketChange, ticketQueryOptions, ticketsKey, updateTicket } from '../api/tickets';
import { TicketStatusBadge } from './ticket-badges';

export function TicketPage() {
  const { ticketId } = useParams({ from: '/app/tickets/$ticketId' });
  const me = useSession();
  return (
    <TicketView
      ticketId={ticketId}
      tenantId={me.tenant.id}
      timeZone={me.tenant.timezone}
      userId={me.user.id}
      canSetPrices={me.user.role !== 'SELLER'}
    />
  );
}

/** A ticket: customer, device, SLA, and what the shop changes on it: status, priority and who works it. */
export function TicketView({
  ticketId,
  tenantId,
  timeZone: shopTimeZone,
  userId,
  canSetPrices = false,
}: {
  ticketId: string;
  tenantId: string;
  /** The shop's; the ticket's branch's once known (its SLA runs on that calendar). */
  timeZone: string;
  /** The signed-in user: their half-made quote for the ticket is kept as a draft. */
  userId?: string | undefined;
  /** OWNER and MANAGER set a quote line's price and discount. */
  canSetPrices?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(ticketQueryOptions(ticketId));
  const timeZone = useBranchTimeZone(tenantId, query.data?.branchId, shopTimeZone);
  const users = useQuery(usersQueryOptions(tenantId));
  const branchId = query.data?.branchId;
  // Who may work it, as the API checks: owners and managers, and the sellers of its branch.
  const workers = useMemo(
    () =>
      (users.data ?? []).filter(
        (u) =>
          u.active && (u.role !== 'SELLER' || (branchId !== undefined && u.branchIds.includes(branchId))),
      ),
    [users.data, branchId],
  );
  const mutation = useApiMutation({
    mutationFn: (change: Omit<TicketChange, 'version'>) =>
      updateTicket(ticketId, { ...change, version: query.data?.version ?? 1 }),
    onSuccess: (ticket) => {
      queryClient.setQueryData(ticketQueryOptions(ticketId).queryKey, ticket);
      notifications.show({ color: 'teal', message: t('tickets.saved') });
    },
    onError: (error) => notifications.show({ color: 'red', message: problemMessage(error, t) }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ticketsKey }),
  });

  return (
    <DetailPage back={{ to: '/tickets', label: t('tickets.back') }} query={query} maw={800}>
      {(ticket) => {
        const when = (iso: string) => formatDateTime(iso, i18n.language, timeZone);
        const device = [ticket.device?.type, ticket.device?.brand, ticket.device?.model]
          .filter(Boolean)
          .join(' · ');
        return (
          <Stack gap="sm" mt="xs">
            <div>
              <Title order={1} size="h3" style={{ overflowWrap: 'anywhere' }}>
                {ticket.subject}
              </Title>
              <Group gap={6} mt={4}>
                <TicketStatusBadge status={ticket.status} />
                <PriorityBadge priority={ticket.priority} />
              </Group>
            </div>
            <Card withBorder>
              <Stack gap={6}>
                <NativeSelect
                  label={t('tickets.changeStatus')}
                  value={ticket.status}
                  disabled={mutation.isPending || ticketTransitions[ticket.status].length === 0}
                  onChange={(event) => mutation.mutate({ status: event.currentTarget.value as TicketStatus })}
                  data={[ticket.status, ...ticketTransitions[ticket.status]].map((s) => ({
                    value: s,
                    label: t(`tickets.statusName.${s}`),
                  }))}
                />
                <Group grow gap="xs" align="flex-start">
                  <NativeSelect
                    label={t('tickets.priority')}
                    value={ticket.priority}
                    disabled={mutation.isPending || ticket.status === 'CLOSED'}
                    onChange={(event) =>
                      mutation.mutate({ priority: event.currentTarget.value as LeadPriority })
                    }
                    data={leadPriorityList.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                  />
                  <NativeSelect
                    label={t('tickets.assignee')}
                    value={ticket.assignedToUserId ?? ''}
                    disabled={mutation.isPending || ticket.status === 'CLOSED'}
                    onChange={(event) =>
                      mutation.mutate({ assignedToUserId: event.currentTarget.value || null })
                    }
                    data={[
                      { value: '', label: t('tickets.unassigned') },
                      ...workers.map((u) => ({ value: u.id, label: u.name })),
                    ]}
                  />
                </Group>
                <Text size="sm" c={ticket.slaBreached ? 'red.8' : undefined} data-testid="ticket-sla">
                  {t('tickets.sla')} ({ticket.slaHours} h):{' '}
                  {ticket.resolvedAt || ticket.closedAt
                    ? `${ticket.slaBreached ? t('tickets.slaMissed') : t('tickets.slaMet')} · ${when(ticket.slaDueAt)}`
                    : ticket.slaBreached
                      ? `${t('tickets.slaBreached')} · ${when(ticket.slaDueAt)}`
                      : when(ticket.slaDueAt)}
                </Text>
                {ticket.resolvedAt && (
                  <Text size="sm">
                    {t('tickets.resolvedAt')}: {when(ticket.resolvedAt)}
                  </Text>
                )}
                <Text size="sm">
                  {t('tickets.customer')}: {ticket.contact.name ?? ''} {ticket.contact.phone ?? ''}
                </Text>
                <Text size="sm">
                  {t('tickets.device')}: {device || t('tickets.noDevice')}
                  {ticket.device?.serial ? ` · ${t('tickets.serial')} ${ticket.device.serial}` : ''}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('tickets.createdAt')}: {when(ticket.createdAt)}
                </Text>
                <Group>
                  <QuoteButton
                    ticketId={ticket.id}
                    tenantId={tenantId}
                    userId={userId}
                    canSetPrices={canSetPrices}
                  />
                </Group>
                {ticket.leadId ? (
                  <Anchor
                    size="sm"
                    renderRoot={(props) => (
                      <Link {...props} to="/leads/$leadId" params={{ leadId: ticket.leadId ?? '' }} />
                    )}
                  >
                    {t('tickets.lead')} →
                  </Anchor>
                ) : (
                  // A ticket opened for a customer without a lead: its way back is the customer.
                  <Anchor
                    size="sm"
                    renderRoot={(props) => (
                      <Link
                        {...props}
                        to="/customers/$customerId"
                        params={{ customerId: ticket.contact.id }}
                      />
                    )}
                  >
                    {t('customers.viewCustomer')} →
                  </Anchor>
                )}
              </Stack>
            </Card>
            {ticket.description && (
              <Card withBorder>
                <Title order={2} size="h5" mb={4}>
                  {t('tickets.description')}
                </Title>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {ticket.description}
                </Text>
              </Card>
            )}
          </Stack>
        );
      }}
    </DetailPage>
  );
}
