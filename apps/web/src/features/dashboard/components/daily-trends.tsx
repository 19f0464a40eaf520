import { SimpleGrid } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { Kpis } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { formatMinutes, formatRate } from '../api/analytics';
import { dailyFigures, dayLabeler, minuteTicks } from '../lib/daily-series';
import { DayChartCard } from './day-chart-card';

const rateTicks = [0, 0.25, 0.5, 0.75, 1] as const;

/**
 * The period day by day (`groupBy=day`): first response median and P90 by the day leads came in, and
 * follow-up compliance by the day tasks fell due. Days with nothing to measure are gaps.
 */
export function DailyTrends({
  query,
  timeZone,
}: {
  query: UseQueryResult<Kpis>;
  /** The shop's zone: the API's days are its calendar days. */
  timeZone: string;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <DailyCharts kpis={query.data} timeZone={timeZone} />;
}

function DailyCharts({ kpis, timeZone }: { kpis: Kpis; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const noData = t('dashboard.noData');
  const figures = dailyFigures(kpis, timeZone);
  const short = dayLabeler(locale);
  const long = dayLabeler(locale, { weekday: true });
  const days = figures.map(({ day }) => ({ day, label: short(day), fullLabel: long(day) }));
  const minutes = (value: number) => formatMinutes(value, locale, t);
  const percent = (value: number) => formatRate(value, locale, noData);
  const median = figures.map((d) => d.figures?.firstResponse.medianMinutes ?? null);
  const p90 = figures.map((d) => d.figures?.firstResponse.p90Minutes ?? null);
  const slowest = Math.max(0, ...median.map((v) => v ?? 0), ...p90.map((v) => v ?? 0));

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      <DayChartCard
        kind="line"
        title={t('dashboard.firstResponseByDay')}
        hint={`${t('dashboard.firstResponseByDayHint')}${
          kpis.businessHoursOnly ? ` · ${t('dashboard.businessMinutes')}` : ''
        }`}
        days={days}
        series={[
          {
            key: 'median',
            label: t('dashboard.median'),
            color: 'var(--mantine-color-blue-6)',
            values: median,
          },
          {
            key: 'p90',
            label: t('dashboard.p90'),
            color: 'var(--mantine-color-orange-6)',
            values: p90,
          },
        ]}
        format={minutes}
        ticks={minuteTicks(slowest)}
        dayHeader={t('dashboard.day')}
        noData={noData}
      />
      <DayChartCard
        kind="bar"
        title={t('dashboard.complianceByDay')}
        hint={t('dashboard.complianceByDayHint')}
        days={days}
        series={[
          {
            key: 'compliance',
            label: t('dashboard.compliance'),
            color: 'var(--mantine-color-teal-6)',
            values: figures.map((d) => d.figures?.followUp.compliance ?? null),
            describe: (value, index) => {
              const followUp = figures[index]?.figures?.followUp;
              const detail = followUp
                ? ` (${t('dashboard.complianceDetail', { onTime: followUp.onTime, due: followUp.due })})`
                : '';
              return `${percent(value)}${detail}`;
            },
          },
        ]}
        format={percent}
        max={1}
        ticks={rateTicks}
        dayHeader={t('dashboard.day')}
        noData={noData}
      />
    </SimpleGrid>
  );
}
