import { Anchor, Box, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportMenu } from '../../../components/export-menu';
import { PriorityBadge } from '../../../components/lead-badges';
import { ListPage } from '../../../components/list-page';
import { formatDateTime } from '../../../lib/format';
import { useSession } from '../../../lib/session';
import { ticketsQueryOptions } from '../api/tickets';
import { TicketStatusBadge } from './ticket-badges';

/** Service tickets, soonest SLA first: open ones by default. */
export function TicketsPage() {
  const me = useSession();
  return <TicketsView tenantId={me.tenant.id} timeZone={me.tenant.timezone} />;
}

export function TicketsView({ tenantId, timeZone }: { tenantId: string; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const [scope, setScope] = useState<'open' | 'all'>('open');
  const query = useInfiniteQuery(ticketsQueryOptions(tenantId, scope === 'open' ? { open: true } : {}));

  return (
    <ListPage
      title={t('tickets.title')}
      actions={
        <Group gap="xs">
          <SegmentedControl
            value={scope}
            onChange={(value) => setScope(value as 'open' | 'all')}
            data={[
              { value: 'open', label: t('tickets.open') },
              { value: 'all', label: t('tickets.all') },
            ]}
            aria-label={t('tickets.status')}
          />
          <ExportMenu tenantId={tenantId} kind="tickets" filters={scope === 'open' ? { open: true } : {}} />
        </Group>
      }
      query={query}
      empty={{ title: t('tickets.empty') }}
      renderItem={(ticket) => (
        <Paper withBorder p="sm" radius="md" data-testid="ticket-row">
          <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
            <Box miw={0}>
              <Anchor
                fw={600}
                style={{ overflowWrap: 'anywhere' }}
                renderRoot={(props) => (
                  <Link {...props} to="/tickets/$ticketId" params={{ ticketId: ticket.id }} />
                )}
              >
                {ticket.subject}
              </Anchor>
              <Text size="sm" c="dimmed" truncate>
                {ticket.contact.name ?? ticket.contact.phone ?? ''}
              </Text>
            </Box>
            <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
              <TicketStatusBadge status={ticket.status} />
              <PriorityBadge priority={ticket.priority} />
            </Stack>
          </Group>
          <Text size="xs" c={ticket.slaBreached ? 'red.8' : 'dimmed'} mt={4}>
            {ticket.resolvedAt || ticket.closedAt
              ? ticket.slaBreached
                ? t('tickets.slaMissed')
                : t('tickets.slaMet')
              : ticket.slaBreached
                ? `${t('tickets.slaBreached')} · ${formatDateTime(ticket.slaDueAt, i18n.language, timeZone)}`
                : t('tickets.slaDue', {
                    when: formatDateTime(ticket.slaDueAt, i18n.language, timeZone),
                  })}
          </Text>
        </Paper>
      )}
    />
  );
}
