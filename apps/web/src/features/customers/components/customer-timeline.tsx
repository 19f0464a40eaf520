import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { type CustomerTimelineItem, type LeadEventType, leadEventTypes } from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { formatDateTime, formatMoney } from '../../../lib/format';

const isEventType = (type: string): type is LeadEventType =>
  (leadEventTypes as readonly string[]).includes(type);

/** One line of the history, in the person's words. */
function describe(item: CustomerTimelineItem, t: TFunction, language: string): string {
  const text = typeof item.data.text === 'string' ? item.data.text : '';
  switch (item.kind) {
    case 'MESSAGE':
      return t(item.type === 'IN' ? 'customers.messageIn' : 'customers.messageOut', { text });
    case 'TICKET':
      return t('customers.ticketItem', { subject: String(item.data.subject ?? '') });
    case 'QUOTE':
      return t('customers.quoteItem', {
        number: String(item.data.number ?? '').padStart(6, '0'),
        total: formatMoney(Number(item.data.total ?? 0), String(item.data.currency ?? 'PEN'), language),
      });
    case 'EVENT': {
      const label = isEventType(item.type) ? t(`event.${item.type}`) : item.type;
      return text ? `${label}: ${text}` : label;
    }
  }
}

/** The customer's history across branches, newest first, a page at a time. */
export function CustomerTimeline({
  query,
  timeZone,
  branchName,
}: {
  query: UseInfiniteQueryResult<InfiniteData<{ items: CustomerTimelineItem[] }>>;
  timeZone: string;
  branchName: (id: string | null) => string;
}) {
  const { t, i18n } = useTranslation();
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card withBorder>
      <Title order={2} size="h5" mb="xs">
        {t('customers.timeline')}
      </Title>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('customers.noTimeline')}
        </Text>
      ) : (
        <Stack gap={6} component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((item) => (
            <li key={`${item.kind}:${item.id}`} data-testid="timeline-item">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {describe(item, t, i18n.language)}
              </Text>
              <Text size="xs" c="dimmed">
                {[formatDateTime(item.at, i18n.language, timeZone), branchName(item.branchId)]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
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
            {t('app.loadMore')}
          </Button>
        </Group>
      )}
    </Card>
  );
}
