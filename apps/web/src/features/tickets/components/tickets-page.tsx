import { Anchor, Box, Button, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PriorityBadge } from '../../../components/lead-badges';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
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
  const tickets = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Box p="sm" maw={900} mx="auto">
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={1} size="h3">
          {t('tickets.title')}
        </Title>
        <SegmentedControl
          value={scope}
          onChange={(value) => setScope(value as 'open' | 'all')}
          data={[
            { value: 'open', label: t('tickets.open') },
            { value: 'all', label: t('tickets.all') },
          ]}
          aria-label={t('tickets.status')}
        />
      </Group>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : tickets.length === 0 ? (
        <EmptyState title={t('tickets.empty')} />
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {tickets.map((ticket) => (
            <li key={ticket.id}>
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
            </li>
          ))}
        </Stack>
      )}
      {query.hasNextPage && (
        <Group justify="center" mt="sm">
          <Button
            variant="default"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {t('tasks.more')}
          </Button>
        </Group>
      )}
    </Box>
  );
}
