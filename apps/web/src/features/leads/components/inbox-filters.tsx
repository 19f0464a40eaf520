import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import type { LeadPriority, LeadSource } from '@techmarket/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { leadPriorityList as leadPriorities, leadSourceList as leadSources } from '../../../lib/domain';
import type { InboxFilters } from '../api/leads';

export interface FilterOptions {
  branches: { id: string; name: string }[];
  sellers: { id: string; name: string }[];
}

/** The inbox filters; every change goes to the URL, so a filtered inbox can be shared and reloaded. */
export function InboxFiltersBar({
  filters,
  options,
  onChange,
}: {
  filters: InboxFilters;
  options: FilterOptions;
  onChange: (next: InboxFilters) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState(filters.q ?? '');
  useEffect(() => setQ(filters.q ?? ''), [filters.q]);
  const pushQ = useDebouncedCallback((value: string) => {
    onChange({ ...filters, q: value.trim() || undefined });
  }, 350);
  const all = { value: '', label: t('inbox.all') };
  const set = <K extends keyof InboxFilters>(key: K, value: InboxFilters[K] | undefined) =>
    onChange({ ...filters, [key]: value });
  const any = Object.entries(filters).some(
    ([key, v]) => key !== 'sort' && key !== 'status' && key !== 'scope' && v !== undefined,
  );

  return (
    <div>
      <TextInput
        type="search"
        aria-label={t('inbox.search')}
        placeholder={t('inbox.search')}
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          pushQ(e.currentTarget.value);
        }}
        mb="xs"
      />
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="xs">
        <NativeSelect
          label={t('inbox.priority')}
          size="xs"
          value={filters.priority ?? ''}
          data={[all, ...leadPriorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))]}
          onChange={(e) => set('priority', (e.currentTarget.value || undefined) as LeadPriority | undefined)}
        />
        <NativeSelect
          label={t('inbox.source')}
          size="xs"
          value={filters.source ?? ''}
          data={[all, ...leadSources.map((s) => ({ value: s, label: t(`source.${s}`) }))]}
          onChange={(e) => set('source', (e.currentTarget.value || undefined) as LeadSource | undefined)}
        />
        <NativeSelect
          label={t('inbox.branch')}
          size="xs"
          value={filters.branchId ?? ''}
          data={[all, ...options.branches.map((b) => ({ value: b.id, label: b.name }))]}
          onChange={(e) => set('branchId', e.currentTarget.value || undefined)}
        />
        <NativeSelect
          label={t('inbox.seller')}
          size="xs"
          value={filters.assignedTo ?? ''}
          data={[all, ...options.sellers.map((s) => ({ value: s.id, label: s.name }))]}
          onChange={(e) => set('assignedTo', e.currentTarget.value || undefined)}
        />
        <NativeSelect
          label={t('inbox.sort')}
          size="xs"
          value={filters.sort ?? 'waiting'}
          data={[
            { value: 'waiting', label: t('inbox.sortWaiting') },
            { value: 'priority', label: t('inbox.sortPriority') },
            { value: '-createdAt', label: t('inbox.sortCreated') },
            { value: '-lastActivityAt', label: t('inbox.sortActivity') },
          ]}
          onChange={(e) => {
            const sort = e.currentTarget.value as NonNullable<InboxFilters['sort']>;
            set('sort', sort === 'waiting' ? undefined : sort);
          }}
        />
      </SimpleGrid>
      {any && (
        <Group justify="flex-end" mt={4}>
          <Button
            variant="subtle"
            size="compact-xs"
            onClick={() => onChange({ sort: filters.sort, status: filters.status, scope: filters.scope })}
          >
            {t('inbox.clear')}
          </Button>
        </Group>
      )}
    </div>
  );
}
