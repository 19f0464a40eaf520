import { Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { leadSources, type MoneyFigure, type Revenue, type RevenueGroup } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isOneOf } from '../../../lib/domain';
import { formatMoney } from '../../../lib/format';
import { BarChartCard } from './bar-chart-card';

const groupings = ['bySource', 'byBranch', 'bySeller', 'byCampaign'] as const;
type Grouping = (typeof groupings)[number];

/** The currencies of a set of figures, in order; leads without a value (null) have none. */
const currenciesOf = (figures: readonly MoneyFigure[]) =>
  [...new Set(figures.flatMap((f) => (f.currency === null ? [] : [f.currency])))].sort();

/**
 * The period's money, each figure in its own currency (a shop selling in soles and dollars sees two totals,
 * never one sum): revenue won and average ticket, the open pipeline per stage, and who or what brought the
 * revenue in (source, branch, seller, campaign).
 */
export function RevenueBoard({ revenue }: { revenue: Revenue }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const money = (amount: number, currency: string) => formatMoney(amount, currency, locale);
  const [grouping, setGrouping] = useState<Grouping>('bySource');
  const won = revenue.won.filter((f) => f.currency !== null);
  const pipelineCurrencies = currenciesOf(revenue.pipeline);

  const groupLabel = (group: RevenueGroup): string => {
    if (grouping === 'bySource') return isOneOf(leadSources, group.key) ? t(`source.${group.key}`) : '—';
    if (group.key === null)
      return grouping === 'bySeller' ? t('dashboard.unassigned') : t('dashboard.noCampaign');
    return group.label ?? '—';
  };
  const rows = revenue[grouping].filter((g) => g.currency !== null);

  return (
    <Stack gap="sm" component="section" aria-label={t('dashboard.money')}>
      <Title order={2} size="h4">
        {t('dashboard.money')}
      </Title>
      {won.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dashboard.noRevenue')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="xs">
          {won.map((figure) => {
            const currency = figure.currency ?? '';
            return (
              <Paper key={currency} withBorder p="sm" radius="md">
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {t('dashboard.revenue', { currency })}
                </Text>
                <Text fw={700} fz={24} lh={1.3}>
                  {money(figure.amount, currency)}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('dashboard.averageTicket', {
                    count: figure.leads,
                    average: money(figure.averageTicket ?? 0, currency),
                  })}
                </Text>
              </Paper>
            );
          })}
        </SimpleGrid>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        {pipelineCurrencies.length === 0 ? (
          <BarChartCard title={t('dashboard.pipeline')} data={[]} emptyLabel={t('dashboard.noData')} />
        ) : (
          pipelineCurrencies.map((currency) => (
            <BarChartCard
              key={currency}
              title={t('dashboard.pipelineIn', { currency })}
              data={revenue.pipeline
                .filter((f) => f.currency === currency)
                .map((f) => ({ label: t(`status.${f.status}`), value: f.amount }))}
              format={(value) => money(value, currency)}
              emptyLabel={t('dashboard.noData')}
              color="var(--mantine-color-violet-6)"
            />
          ))
        )}
        <Paper withBorder p="sm" radius="md" component="section" aria-label={t('dashboard.revenueBy')}>
          <Title order={3} size="h5" mb="xs">
            {t('dashboard.revenueBy')}
          </Title>
          <SegmentedControl
            size="xs"
            mb="xs"
            value={grouping}
            onChange={(value) => setGrouping(value as Grouping)}
            data={groupings.map((value) => ({ value, label: t(`dashboard.${value}Money`) }))}
            aria-label={t('dashboard.revenueBy')}
          />
          {rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.noRevenue')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={320}>
              <Table striped aria-label={t('dashboard.revenueBy')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t(`dashboard.${grouping}Money` as const)}</Table.Th>
                    <Table.Th ta="right">{t('dashboard.sales')}</Table.Th>
                    <Table.Th ta="right">{t('dashboard.revenueColumn')}</Table.Th>
                    <Table.Th ta="right">{t('dashboard.averageColumn')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((group) => {
                    const currency = group.currency ?? '';
                    return (
                      <Table.Tr key={`${group.key ?? '-'}|${currency}`}>
                        <Table.Th scope="row" fw={500}>
                          {groupLabel(group)}
                        </Table.Th>
                        <Table.Td ta="right">{group.leads}</Table.Td>
                        <Table.Td ta="right">{money(group.amount, currency)}</Table.Td>
                        <Table.Td ta="right">{money(group.averageTicket ?? 0, currency)}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
