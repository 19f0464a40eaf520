import { Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import {
  type LeadPriority,
  type LeadSource,
  type LeadStatus,
  leadPriorities,
  leadSources,
  leadStatuses,
} from '@techmarket/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const set = <K extends keyof InboxFilters>(key: K, value: InboxFilters[K] | null) =>
    onChange({ ...filters, [key]: value ?? undefined });
  const any = Object.entries(filters).some(([key, v]) => key !== 'sort' && v !== undefined);

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
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="xs">
        <Select
          label={t('inbox.status')}
          placeholder={t('inbox.allStatuses')}
          clearable
          size="xs"
          value={filters.status ?? null}
          data={leadStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          onChange={(v) => set('status', v as LeadStatus | null)}
        />
        <Select
          label={t('inbox.priority')}
          placeholder={t('inbox.all')}
          clearable
          size="xs"
          value={filters.priority ?? null}
          data={leadPriorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          onChange={(v) => set('priority', v as LeadPriority | null)}
        />
        <Select
          label={t('inbox.source')}
          placeholder={t('inbox.all')}
          clearable
          size="xs"
          value={filters.source ?? null}
          data={leadSources.map((s) => ({ value: s, label: t(`source.${s}`) }))}
          onChange={(v) => set('source', v as LeadSource | null)}
        />
        <Select
          label={t('inbox.branch')}
          placeholder={t('inbox.all')}
          clearable
          size="xs"
          value={filters.branchId ?? null}
          data={options.branches.map((b) => ({ value: b.id, label: b.name }))}
          onChange={(v) => set('branchId', v)}
        />
        <Select
          label={t('inbox.seller')}
          placeholder={t('inbox.all')}
          clearable
          searchable
          size="xs"
          value={filters.assignedTo ?? null}
          data={options.sellers.map((s) => ({ value: s.id, label: s.name }))}
          onChange={(v) => set('assignedTo', v)}
        />
        <Select
          label={t('inbox.sort')}
          size="xs"
          allowDeselect={false}
          value={filters.sort ?? 'priority'}
          data={[
            { value: 'priority', label: t('inbox.sortPriority') },
            { value: '-createdAt', label: t('inbox.sortCreated') },
            { value: '-lastActivityAt', label: t('inbox.sortActivity') },
          ]}
          onChange={(v) => set('sort', v === 'priority' ? undefined : (v as InboxFilters['sort']))}
        />
      </SimpleGrid>
      {any && (
        <Group justify="flex-end" mt={4}>
          <Button variant="subtle" size="compact-xs" onClick={() => onChange({ sort: filters.sort })}>
            {t('inbox.clear')}
          </Button>
        </Group>
      )}
    </div>
  );
}
