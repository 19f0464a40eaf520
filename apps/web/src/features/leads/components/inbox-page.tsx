import { Box, Button, Collapse, Group, Text, Title } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import {
  lazy,
  Suspense,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { afterFirstScreen } from '../../../lib/after-load';
import { useSession } from '../../../lib/session';
import {
  branchesQueryOptions,
  byId,
  listingsByIdQueryOptions,
  usersQueryOptions,
} from '../../../lib/tenant-data';
import { inboxRoute } from '../../../routes/router';
import { taskCountsQueryOptions } from '../../tasks';
import {
  type InboxFilters,
  type InboxQuery,
  inboxCountsFilter,
  inboxQueryFor,
  inboxQueryOptions,
  inboxScopeOf,
  leadCountsQueryOptions,
} from '../api/leads';
import { InboxFiltersBar } from './inbox-filters';
import { LeadRow } from './lead-row';
import { NewLeadButton } from './new-lead-button';
import { StatusChips } from './status-chips';

/** Rows have a fixed height (lead-row.module.css), so the list never measures them. */
const ROW_HEIGHT = 84;

/**
 * Loaded after the inbox: its menu stays out of the first visit's bundle (bundle/first-visit.test.ts), and its code
 * (Menu, floating-ui) is fetched, evaluated and drawn once the first screen is up and the browser idle
 * (lib/after-load.ts), not in the same stretch of main-thread work as the rows.
 */
const ExportMenu = lazy(() =>
  import('../../../components/export-menu').then((m) => ({ default: m.ExportMenu })),
);

const noLeads: never[] = [];

/** The export takes the inbox's filters; its rows come newest first, whatever the inbox's sort. */
const exportFilters = ({ sort: _sort, ...filters }: InboxQuery) => filters;

/** The inbox (bandeja): filters in the URL, cursor pages, and a window-virtualized list. */
export function InboxPage() {
  const { t } = useTranslation();
  const me = useSession();
  const tenantId = me.tenant.id;
  const filters: InboxFilters = inboxRoute.useSearch();
  const navigate = useNavigate({ from: '/' });
  // Read at once, not after the first paint, so the filters do not jump on a phone.
  const desktop = useMediaQuery('(min-width: 48em)', undefined, { getInitialValueInEffect: false });
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(false);
  const [filtersOpened, setFiltersOpened] = useState(false);
  if (filtersOpen && !filtersOpened) setFiltersOpened(true);
  const [exportShown, setExportShown] = useState(false);
  useEffect(() => afterFirstScreen(() => setExportShown(true)), []);

  const query = inboxQueryFor(filters, me);
  const scope = inboxScopeOf(filters, me);
  const inbox = useInfiniteQuery(inboxQueryOptions(tenantId, query));
  const counts = useQuery({ ...leadCountsQueryOptions(tenantId, inboxCountsFilter(query)), retry: false });
  const branches = useQuery(branchesQueryOptions(tenantId));
  const users = useQuery(usersQueryOptions(tenantId));
  const branchById = useMemo(() => byId(branches.data), [branches.data]);
  const userById = useMemo(() => byId(users.data), [users.data]);

  const loaded = useMemo(() => inbox.data?.pages.flatMap((p) => p.items) ?? [], [inbox.data]);
  // The rows are rendered as a transition, in slices, not in one long task with the screen around them; until the
  // first rows are drawn the loader stays (the first render shows it even when the answer is already here).
  const leads = useDeferredValue(loaded, noLeads);
  const drawing = leads !== loaded && leads.length === 0;
  // Task badges: one count call per loaded page of rows.
  const taskCounts = useQueries({
    queries: (inbox.data?.pages ?? []).map((page) =>
      taskCountsQueryOptions(
        tenantId,
        page.items.map((lead) => lead.id),
      ),
    ),
    combine: (results) => new Map(results.flatMap((r) => r.data?.items ?? []).map((c) => [c.leadId, c])),
  });
  // Product names: the listings of each loaded page, however large the catalog.
  const productNames = useQueries({
    queries: (inbox.data?.pages ?? []).map((page) =>
      listingsByIdQueryOptions(
        tenantId,
        [...new Set(page.items.flatMap((lead) => (lead.listingId ? [lead.listingId] : [])))].sort(),
      ),
    ),
    combine: (results) => new Map(results.flatMap((r) => r.data ?? []).map((l) => [l.id, l.title])),
  });
  // Badges and product names come after the rows: rendered as transitions, in slices (rows are memoized, so the
  // urgent render that precedes each does not redraw them).
  const taskCountsShown = useDeferredValue(taskCounts);
  const productNamesShown = useDeferredValue(productNames);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);

  const listRef = useRef<HTMLUListElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const top = listRef.current ? listRef.current.getBoundingClientRect().top + window.scrollY : 0;
    if (Math.abs(top - scrollMargin) > 1) setScrollMargin(top);
  });
  const virtualizer = useWindowVirtualizer({
    count: leads.length + (inbox.hasNextPage ? 1 : 0),
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  // Fetch the next page when the loader row scrolls into view.
  useEffect(() => {
    if (leads.length > 0 && lastIndex >= leads.length - 1 && inbox.hasNextPage && !inbox.isFetchingNextPage) {
      void inbox.fetchNextPage();
    }
  }, [lastIndex, leads.length, inbox]);

  const setFilters = (next: InboxFilters) => void navigate({ search: next, replace: true });
  // A role's own default scope stays out of the URL, like every other default.
  const defaultScope = inboxScopeOf({}, me);
  const setScope = (next: 'mine' | 'team') =>
    setFilters({ ...filters, scope: next === defaultScope ? undefined : next, assignedTo: undefined });
  // Picking a seller is looking at the team.
  const setBarFilters = (next: InboxFilters) =>
    setFilters(
      next.assignedTo && next.assignedTo !== filters.assignedTo && scope === 'mine'
        ? { ...next, scope: defaultScope === 'team' ? undefined : 'team' }
        : next,
    );

  return (
    <Box p="sm" maw={1100} mx="auto">
      {/* Wraps on a phone: the title and its three buttons are wider than 390 px, and a page wider than the screen
          makes a phone zoom out, pushing the bottom navigation off it. */}
      <Group justify="space-between" mb={4} gap="xs">
        <Title order={1} size="h3">
          {t('inbox.title')}
        </Title>
        <Group gap="xs" wrap="nowrap">
          {!desktop && (
            <Button variant="light" size="compact-sm" onClick={toggleFilters} aria-expanded={filtersOpen}>
              {t('inbox.filters')}
            </Button>
          )}
          {exportShown && (
            <Suspense fallback={null}>
              <ExportMenu tenantId={tenantId} kind="leads" filters={exportFilters(query)} />
            </Suspense>
          )}
          <NewLeadButton />
        </Group>
      </Group>
      {/* Two toggle buttons rather than Mantine's SegmentedControl: the inbox is a first visit's page, within its
          250 KB budget (bundle/first-visit.test.ts), and Button is already on it. */}
      <Button.Group aria-label={t('inbox.scope')} data-testid="inbox-scope" mb={4}>
        {(['mine', 'team'] as const).map((value) => (
          <Button
            key={value}
            size="sm"
            variant={scope === value ? 'filled' : 'default'}
            aria-pressed={scope === value}
            onClick={() => setScope(value)}
          >
            {t(value === 'mine' ? 'inbox.scopeMine' : 'inbox.scopeTeam')}
          </Button>
        ))}
      </Button.Group>
      <StatusChips
        counts={counts.data ?? null}
        value={filters.status ?? 'OPEN'}
        onChange={(status) => setFilters({ ...filters, status: status === 'OPEN' ? undefined : status })}
      />
      <Collapse expanded={desktop || filtersOpen}>
        {/* On a phone the filters are folded away: rendered once first opened, not at startup. */}
        {(desktop || filtersOpened) && (
          <InboxFiltersBar
            filters={scope === 'mine' ? { ...filters, assignedTo: undefined } : filters}
            onChange={setBarFilters}
            options={{
              branches: (branches.data ?? []).map((b) => ({ id: b.id, name: b.name })),
              sellers: (users.data ?? []).filter((u) => u.active).map((u) => ({ id: u.id, name: u.name })),
            }}
          />
        )}
      </Collapse>
      <Text size="xs" c="dimmed" mt="xs" mih={18} aria-live="polite">
        {inbox.isSuccess &&
          `${t('inbox.loaded', { count: leads.length })}${inbox.hasNextPage ? ` · ${t('inbox.more')}` : ''}`}
      </Text>
      <Box mt={4}>
        {inbox.isPending || drawing ? (
          <Loading />
        ) : inbox.isError ? (
          <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />
        ) : leads.length === 0 ? (
          <EmptyState title={t('inbox.empty')} hint={t('inbox.emptyHint')} />
        ) : (
          <ul
            ref={listRef}
            aria-label={t('inbox.title')}
            style={{ height: virtualizer.getTotalSize(), position: 'relative', margin: 0, padding: 0 }}
          >
            {items.map((item) => {
              const lead = leads[item.index];
              return (
                <li
                  key={lead?.id ?? 'loader'}
                  style={{
                    position: 'absolute',
                    listStyle: 'none',
                    top: 0,
                    left: 0,
                    width: '100%',
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)`,
                  }}
                >
                  {lead ? (
                    <LeadRow
                      lead={lead}
                      now={now}
                      names={{
                        product: lead.listingId ? (productNamesShown.get(lead.listingId) ?? null) : null,
                        seller: lead.assignedToUserId
                          ? (userById.get(lead.assignedToUserId)?.name ?? null)
                          : null,
                        branch: branchById.size > 1 ? (branchById.get(lead.branchId)?.name ?? null) : null,
                        hours: branchById.get(lead.branchId),
                        tasks: taskCountsShown.get(lead.id),
                      }}
                    />
                  ) : (
                    <Loading label={t('inbox.loadingMore')} />
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </Box>
    </Box>
  );
}
