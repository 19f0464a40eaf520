import { Anchor, Box, Card, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type TicketStatus, ticketStatuses } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { PriorityBadge } from '../../../components/lead-badges';
import { ErrorState, Loading } from '../../../components/query-state';
import { formatDateTime } from '../../../lib/format';
import { problemMessage } from '../../../lib/problem-message';
import { useSession } from '../../../lib/session';
import { ticketQueryOptions, ticketsKey, updateTicket } from '../api/tickets';
import { TicketStatusBadge } from './ticket-badges';

export function TicketPage() {
  const { ticketId } = useParams({ from: '/app/tickets/$ticketId' });
  const me = useSession();
  return <TicketView ticketId={ticketId} timeZone={me.tenant.timezone} />;
}

/** A ticket: customer, device, SLA, and its status to move. */
export function TicketView({ ticketId, timeZone }: { ticketId: string; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(ticketQueryOptions(ticketId));
  const mutation = useMutation({
    mutationFn: (status: TicketStatus) =>
      updateTicket(ticketId, { status, version: query.data?.version ?? 1 }),
    onSuccess: (ticket) => queryClient.setQueryData(ticketQueryOptions(ticketId).queryKey, ticket),
    onError: (error) => notifications.show({ color: 'red', message: problemMessage(error, t) }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ticketsKey }),
  });

  const back = (
    <Anchor size="sm" renderRoot={(props) => <Link {...props} to="/tickets" />}>
      ← {t('tickets.back')}
    </Anchor>
  );
  if (query.isPending)
    return (
      <Box p="sm">
        {back}
        <Loading />
      </Box>
    );
  if (query.isError)
    return (
      <Box p="sm">
        {back}
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </Box>
    );
  const ticket = query.data;
  const when = (iso: string) => formatDateTime(iso, i18n.language, timeZone);
  const device = [ticket.device?.type, ticket.device?.brand, ticket.device?.model]
    .filter(Boolean)
    .join(' · ');

  return (
    <Box p="sm" maw={800} mx="auto">
      {back}
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
              disabled={mutation.isPending}
              onChange={(event) => mutation.mutate(event.currentTarget.value as TicketStatus)}
              data={ticketStatuses.map((s) => ({ value: s, label: t(`tickets.statusName.${s}`) }))}
            />
            <Text size="sm" c={ticket.slaBreached ? 'red.8' : undefined}>
              {t('tickets.sla')} ({ticket.slaHours} h):{' '}
              {ticket.slaBreached
                ? `${t('tickets.slaBreached')} · ${when(ticket.slaDueAt)}`
                : when(ticket.slaDueAt)}
            </Text>
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
            <Anchor
              size="sm"
              renderRoot={(props) => (
                <Link {...props} to="/leads/$leadId" params={{ leadId: ticket.leadId }} />
              )}
            >
              {t('tickets.lead')} →
            </Anchor>
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
    </Box>
  );
}
