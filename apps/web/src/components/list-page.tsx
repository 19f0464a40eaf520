import { Box, Button, Group, Stack, Title } from '@mantine/core';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from './query-state';

/**
 * A page of one list read by cursor (quotes, tickets, campaigns, tasks): the title and its actions, the filters,
 * then loading, the error with a retry, the empty state or the items, and "load more" while there is a next page.
 */
export function ListPage<Item extends { id: string }>({
  title,
  actions,
  actionsAlign = 'center',
  filters,
  query,
  empty,
  renderItem,
}: {
  title: string;
  /** Beside the title: a filter, a "new" button. */
  actions?: ReactNode;
  /** `flex-end` when an action has a label above it, so the title lines up with the field. */
  actionsAlign?: 'center' | 'flex-end';
  /** Under the title, full width. */
  filters?: ReactNode;
  query: UseInfiniteQueryResult<InfiniteData<{ items: Item[] }>>;
  empty: { title: string; hint?: ReactNode };
  renderItem: (item: Item) => ReactNode;
}) {
  const { t } = useTranslation();
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Box p="sm" maw={900} mx="auto">
      <Group justify="space-between" mb="sm" gap="xs" align={actionsAlign}>
        <Title order={1} size="h3">
          {title}
        </Title>
        {actions}
      </Group>
      {filters}
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={empty.title} hint={empty.hint} />
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((item) => (
            <li key={item.id}>{renderItem(item)}</li>
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
    </Box>
  );
}
