import {
  Box,
  Group,
  NativeSelect,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Kpis, Reputation } from '@techmarket/contracts';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportMenu } from '../../../components/export-menu';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { leadSourceList, lostReasonList } from '../../../lib/domain';
import { useSession } from '../../../lib/session';
import { branchesQueryOptions } from '../../../lib/tenant-data';
import { dayIn, shiftDay } from '../../../lib/zoned-time';
import {
  assistantKpisQueryOptions,
  formatMinutes,
  formatRate,
  kpisQueryOptions,
  periodOf,
  reputationQueryOptions,
  revenueQueryOptions,
} from '../api/analytics';
import { arrowOf, type Change, changeOf, signOf } from '../lib/compare';
import { AssistantAcceptance } from './assistant-acceptance';
import { BarChartCard } from './bar-chart-card';
import { DailyTrends } from './daily-trends';
import { RevenueBoard } from './revenue-board';

const presets = ['7', '30', '90'] as const;
type Preset = (typeof presets)[number] | 'custom';
/** A cleared date input gives ''; only whole dates make a period. */
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** KPIs and response reputation of the shop: cards, charts, branch and period pickers. */
export function DashboardPage() {
  const me = useSession();
  return <DashboardView tenantId={me.tenant.id} timeZone={me.tenant.timezone} />;
}

export function DashboardView({
  tenantId,
  timeZone,
  now = Date.now(),
}: {
  tenantId: string;
  /** The shop's zone: its calendar days, whatever the browser's zone. */
  timeZone: string;
  now?: number;
}) {
  const { t } = useTranslation();
  const [preset, setPreset] = useState<Preset>('30');
  const [fromDay, setFromDay] = useState(() => shiftDay(dayIn(now, timeZone), -29));
  const [toDay, setToDay] = useState(() => dayIn(now, timeZone));
  const [branchId, setBranchId] = useState('');
  const branches = useQuery(branchesQueryOptions(tenantId));
  const period = periodOf(fromDay, toDay, timeZone);
  const validPeriod = isDay(fromDay) && isDay(toDay) && fromDay <= toDay;
  const filters = { ...period, branchId: branchId || undefined };
  // Both groupings of the same period and branch, fetched side by side.
  const kpis = useQuery({ ...kpisQueryOptions(tenantId, filters, 'branch'), enabled: validPeriod });
  const daily = useQuery({ ...kpisQueryOptions(tenantId, filters, 'day'), enabled: validPeriod });
  const reputation = useQuery(reputationQueryOptions(tenantId));
  const revenue = useQuery({ ...revenueQueryOptions(tenantId, filters), enabled: validPeriod });
  const assistant = useQuery({ ...assistantKpisQueryOptions(tenantId, filters), enabled: validPeriod });

  const choosePreset = (value: Preset) => {
    setPreset(value);
    if (value === 'custom') return;
    setFromDay(shiftDay(dayIn(now, timeZone), 1 - Number(value)));
    setToDay(dayIn(now, timeZone));
  };

  return (
    <Box p="sm" maw={1200} mx="auto">
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={1} size="h3">
          {t('dashboard.title')}
        </Title>
        {validPeriod && (
          <ExportMenu tenantId={tenantId} kind="kpis" filters={{ ...filters, groupBy: 'branch' }} />
        )}
      </Group>
      <Stack gap="xs" mb="md">
        <Group gap="xs" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('dashboard.branch')}
            value={branchId}
            onChange={(event) => setBranchId(event.currentTarget.value)}
            data={[
              { value: '', label: t('dashboard.allBranches') },
              ...(branches.data ?? []).map((b) => ({ value: b.id, label: b.name })),
            ]}
            miw={180}
            style={{ flex: '1 1 180px' }}
          />
          <SegmentedControl
            value={preset}
            onChange={(value) => choosePreset(value as Preset)}
            data={presets.map((value) => ({ value, label: t(`dashboard.range${value}`) }))}
            aria-label={t('dashboard.title')}
          />
        </Group>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            type="date"
            label={t('dashboard.from')}
            value={fromDay}
            max={toDay}
            onChange={(event) => {
              setPreset('custom');
              setFromDay(event.currentTarget.value);
            }}
            style={{ flex: 1 }}
          />
          <TextInput
            type="date"
            label={t('dashboard.to')}
            value={toDay}
            min={fromDay}
            onChange={(event) => {
              setPreset('custom');
              setToDay(event.currentTarget.value);
            }}
            style={{ flex: 1 }}
          />
        </Group>
      </Stack>
      {kpis.isPending && validPeriod ? (
        <Loading />
      ) : kpis.isError ? (
        <ErrorState error={kpis.error} onRetry={() => void kpis.refetch()} />
      ) : kpis.data ? (
        <KpiBoard kpis={kpis.data} trends={<DailyTrends query={daily} timeZone={timeZone} />} />
      ) : null}
      <Box mt="md">
        {revenue.isError ? (
          <ErrorState error={revenue.error} onRetry={() => void revenue.refetch()} />
        ) : revenue.data ? (
          <RevenueBoard revenue={revenue.data} />
        ) : null}
      </Box>
      <Box mt="md">
        {assistant.isError ? (
          <ErrorState error={assistant.error} onRetry={() => void assistant.refetch()} />
        ) : assistant.data ? (
          <AssistantAcceptance figures={assistant.data} />
        ) : null}
      </Box>
      <Box mt="md">
        {reputation.isPending ? (
          <Loading />
        ) : reputation.isError ? (
          <ErrorState error={reputation.error} onRetry={() => void reputation.refetch()} />
        ) : (
          <ReputationCard reputation={reputation.data} />
        )}
      </Box>
    </Box>
  );
}

/**
 * One figure: what it is, its value, one line saying what it counts, and how it moved since the previous period
 * of the same length (arrow and sign; green when that is good news, red when not).
 */
function StatCard({
  label,
  value,
  definition,
  extra,
  change,
  changeText,
}: {
  label: string;
  value: string;
  definition: string;
  extra?: string;
  change: Change | null;
  /** The amount of the change in the figure's unit, without its sign ("8", "3 min", "5 p. p."). */
  changeText: string;
}) {
  const { t } = useTranslation();
  const color =
    change === null || change.better === null
      ? 'dimmed'
      : change.better
        ? 'var(--tm-change-better)'
        : 'var(--tm-change-worse)';
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} fz={24} lh={1.3}>
        {value}
      </Text>
      <Text size="xs">{definition}</Text>
      {extra && <Text size="xs">{extra}</Text>}
      <Text size="xs" c={color} fw={500}>
        {change === null
          ? t('dashboard.noPrevious')
          : change.direction === 'same'
            ? t('dashboard.samePrevious')
            : t('dashboard.vsPrevious', { change: `${arrowOf(change)} ${signOf(change)}${changeText}` })}
      </Text>
    </Paper>
  );
}

/** The period's figures; `trends`, the day-by-day charts, go between the cards and the other charts. */
export function KpiBoard({ kpis, trends }: { kpis: Kpis; trends?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const totals = kpis.totals;
  const noData = t('dashboard.noData');
  const rate = (value: number | null) => formatRate(value, locale, noData);
  const percent = (value: number) => rate(value);
  const minutes = (value: number | null) => formatMinutes(value, locale, t);
  // Null when the figures were asked without a comparison: every change is then left out.
  const before = kpis.previous?.totals;
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const count = (change: Change | null) => (change ? whole.format(Math.abs(change.amount)) : '');
  const points = (change: Change | null) =>
    change ? t('dashboard.points', { value: whole.format(Math.abs(change.amount)) }) : '';
  // In whole minutes, as the card says them: 12.4 against 12.1 is no change.
  const wholeMinutes = (value: number | null) => (value === null ? null : Math.round(value));
  const responseChange = changeOf(
    wholeMinutes(totals.firstResponse.medianMinutes),
    wholeMinutes(before?.firstResponse.medianMinutes ?? null),
    { lowerIsBetter: true },
  );
  const unansweredChange = changeOf(
    totals.firstResponse.unanswered,
    before?.firstResponse.unanswered ?? null,
    {
      lowerIsBetter: true,
    },
  );

  if (totals.leads === 0 && totals.followUp.due === 0) return <EmptyState title={t('dashboard.empty')} />;

  const bySource = leadSourceList
    .map((source) => ({ label: t(`source.${source}`), value: totals.bySource[source] ?? 0 }))
    .filter((d) => d.value > 0);
  const funnel = [
    { label: t('dashboard.funnelLeads'), value: totals.leads },
    { label: t('dashboard.funnelResponded'), value: totals.firstResponse.responded },
    { label: t('dashboard.funnelClosed'), value: totals.won + totals.lost },
    { label: t('dashboard.funnelWon'), value: totals.won },
  ];
  const winByBranch = kpis.groups
    .filter((g) => g.winRate !== null)
    .map((g) => ({ label: g.label ?? '—', value: g.winRate ?? 0 }));
  const lost = lostReasonList
    .map((reason) => ({ label: t(`lostReason.${reason}`), value: totals.lostReasons[reason] ?? 0 }))
    .filter((d) => d.value > 0);

  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="xs">
        <StatCard
          label={t('dashboard.leads')}
          value={String(totals.leads)}
          definition={t('dashboard.leadsHint')}
          change={changeOf(totals.leads, before?.leads ?? null)}
          changeText={count(changeOf(totals.leads, before?.leads ?? null))}
        />
        <StatCard
          label={t('dashboard.firstResponse')}
          value={minutes(totals.firstResponse.medianMinutes)}
          definition={t(
            kpis.businessHoursOnly ? 'dashboard.firstResponseHintBusiness' : 'dashboard.firstResponseHint',
          )}
          extra={
            totals.firstResponse.p90Minutes === null
              ? undefined
              : t('dashboard.p90Words', { time: minutes(totals.firstResponse.p90Minutes) })
          }
          change={responseChange}
          changeText={responseChange ? minutes(Math.abs(responseChange.amount)) : ''}
        />
        <StatCard
          label={t('dashboard.unansweredTitle')}
          value={String(totals.firstResponse.unanswered)}
          definition={t('dashboard.unansweredHint')}
          change={unansweredChange}
          changeText={count(unansweredChange)}
        />
        <StatCard
          label={t('dashboard.conversion')}
          value={rate(totals.conversionRate)}
          definition={t('dashboard.conversionHint', { won: totals.won, leads: totals.leads })}
          change={changeOf(totals.conversionRate, before?.conversionRate ?? null, { rate: true })}
          changeText={points(changeOf(totals.conversionRate, before?.conversionRate ?? null, { rate: true }))}
        />
        <StatCard
          label={t('dashboard.winRate')}
          value={rate(totals.winRate)}
          definition={t('dashboard.winRateHint', { won: totals.won, closed: totals.won + totals.lost })}
          change={changeOf(totals.winRate, before?.winRate ?? null, { rate: true })}
          changeText={points(changeOf(totals.winRate, before?.winRate ?? null, { rate: true }))}
        />
        <StatCard
          label={t('dashboard.compliance')}
          value={rate(totals.followUp.compliance)}
          definition={t('dashboard.complianceHint', {
            onTime: totals.followUp.onTime,
            due: totals.followUp.due,
          })}
          change={changeOf(totals.followUp.compliance, before?.followUp.compliance ?? null, { rate: true })}
          changeText={points(
            changeOf(totals.followUp.compliance, before?.followUp.compliance ?? null, { rate: true }),
          )}
        />
      </SimpleGrid>
      {trends}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <BarChartCard title={t('dashboard.bySource')} data={bySource} emptyLabel={noData} />
        <BarChartCard
          title={t('dashboard.funnel')}
          data={funnel}
          emptyLabel={noData}
          color="var(--mantine-color-teal-6)"
        />
        <BarChartCard
          title={t('dashboard.winByBranch')}
          data={winByBranch}
          emptyLabel={noData}
          format={percent}
          max={1}
          color="var(--mantine-color-green-6)"
        />
        <BarChartCard
          title={t('dashboard.lostReasons')}
          data={lost}
          emptyLabel={noData}
          color="var(--mantine-color-red-6)"
        />
      </SimpleGrid>
    </Stack>
  );
}

function ReputationCard({ reputation }: { reputation: Reputation }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={t('dashboard.reputation')}>
      <Title order={2} size="h5">
        {t('dashboard.reputation')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('dashboard.reputationHint', { days: reputation.windowDays })}
      </Text>
      <Stack gap="xs">
        {reputation.branches.map((branch) => (
          <Box key={branch.branchId}>
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" fw={500} truncate>
                {branch.name}
              </Text>
              <Text size="sm" fw={700}>
                {branch.score ?? '—'}
              </Text>
            </Group>
            <Progress
              value={branch.score ?? 0}
              color={
                branch.score === null
                  ? 'gray'
                  : branch.score >= 70
                    ? 'green'
                    : branch.score >= 40
                      ? 'yellow'
                      : 'red'
              }
              aria-label={`${branch.name}: ${t('dashboard.score')} ${branch.score ?? t('dashboard.noData')}`}
            />
            <Text size="xs" c="dimmed">
              {t('dashboard.median')}: {formatMinutes(branch.inputs.medianMinutes, i18n.language, t)} ·{' '}
              {t('dashboard.onTime')}:{' '}
              {formatRate(branch.inputs.onTimeRate, i18n.language, t('dashboard.noData'))}
            </Text>
          </Box>
        ))}
      </Stack>
    </Paper>
  );
}
