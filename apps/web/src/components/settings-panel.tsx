import { Button, Group, Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from './query-state';

/**
 * A settings tab that lists the shop's things (branches, team, catalog, links, API keys): loading, the error
 * with a retry, then what goes above the list (an "add" button, a hint, a form), the list or its empty state,
 * and `children` (the dialogs that add or edit).
 */
export function SettingsPanel<Item extends { id: string }>({
  query,
  header,
  renderItem,
  children,
}: {
  query: UseQueryResult<Item[]>;
  header?: ReactNode;
  renderItem: (item: Item) => ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <Stack gap="xs">
      {header}
      {query.data.length === 0 && <EmptyState title={t('settings.empty')} />}
      {query.data.map((item) => (
        <Fragment key={item.id}>{renderItem(item)}</Fragment>
      ))}
      {children}
    </Stack>
  );
}

/** The settings panels' "new …" button, at the right above the list. */
export function AddButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Group justify="flex-end">
      <Button size="xs" onClick={onClick}>
        {label}
      </Button>
    </Group>
  );
}
