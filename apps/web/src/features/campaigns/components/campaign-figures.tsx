import { Button, Card, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { CampaignBreakdown, MetricTotals, MoneyTotal } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../lib/format';
import { funnelSteps, stepRate } from '../api/campaigns';

/**
 * Impressions -> clicks -> leads -> wins, each with its share of the step before, ending in what the wins were
 * worth: one amount per currency, never added across currencies.
 */
export function Funnel({ totals, revenue = [] }: { totals: MetricTotals; revenue?: readonly MoneyTotal[] }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
  const overall = stepRate(totals.wins, totals.impressions);
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="funnel-title">
      <Group justify="space-between" gap="xs" mb="xs">
        <Title order={2} size="h5" id="funnel-title">
          {t('campaigns.funnel')}
        </Title>
        <Text size="xs" c="dimmed" data-testid="funnel-overall">
          {t('campaigns.overall', {
            rate: overall === null ? t('campaigns.noRate') : percent.format(overall),
          })}
        </Text>
      </Group>
      <SimpleGrid
        cols={{ base: 2, sm: 4 }}
        spacing="xs"
        component="ol"
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {funnelSteps.map((step, i) => {
          const previous = i > 0 ? funnelSteps[i - 1] : undefined;
          const rate = previous ? stepRate(totals[step], totals[previous]) : null;
          return (
            <Paper component="li" key={step} withBorder p="xs" radius="md">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t(`campaigns.metric.${step}`)}
              </Text>
              <Text fw={700} fz={24} lh={1.3} data-testid={`metric-${step}`}>
                {number.format(totals[step])}
              </Text>
              {/* The first step (impressions) has no step before it, so no share. */}
              {previous && step !== 'impressions' && (
                <>
                  <Text size="xs" c="dimmed" data-testid={`rate-${step}`}>
                    {t(`campaigns.rateOf.${step}`, {
                      rate: rate === null ? t('campaigns.noRate') : percent.format(rate),
                    })}
                  </Text>
                  <Progress mt={4} size="sm" value={Math.min(100, (rate ?? 0) * 100)} aria-hidden="true" />
                </>
              )}
            </Paper>
          );
        })}
      </SimpleGrid>
      <Text size="sm" mt="xs" data-testid="funnel-revenue">
        {revenue.length === 0
          ? t('campaigns.noRevenue')
          : t('campaigns.revenue', {
              amounts: revenue.map((r) => formatMoney(r.total, r.currency, i18n.language)).join(' · '),
            })}
      </Text>
    </Paper>
  );
}

/** Listings shown before "Ver todos": a category campaign can touch dozens. */
const LISTINGS_SHOWN = 10;

export function Breakdown({ breakdown }: { breakdown: CampaignBreakdown }) {
  const { t, i18n } = useTranslation();
  const [allListings, setAllListings] = useState(false);
  const number = new Intl.NumberFormat(i18n.language);
  const listings = allListings ? breakdown.byListing : breakdown.byListing.slice(0, LISTINGS_SHOWN);
  const figures = ['clicks', 'leads', 'wins'] as const;
  const empty = (
    <Text size="sm" c="dimmed" p="sm">
      {t('campaigns.noData')}
    </Text>
  );
  return (
    <Stack gap="sm">
      <Card withBorder p={0} component="section" aria-labelledby="by-branch-title">
        <Title order={2} size="h5" p="sm" pb={0} id="by-branch-title">
          {t('campaigns.byBranch')}
        </Title>
        {breakdown.byBranch.length === 0 ? (
          empty
        ) : (
          <Table.ScrollContainer minWidth={300}>
            <Table verticalSpacing="xs" fz="sm" aria-labelledby="by-branch-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('campaigns.branch')}</Table.Th>
                  {figures.map((f) => (
                    <Table.Th key={f} ta="right">
                      {t(`campaigns.metric.${f}`)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {breakdown.byBranch.map((row) => (
                  <Table.Tr key={row.branchId}>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{row.name}</Table.Td>
                    {figures.map((f) => (
                      <Table.Td key={f} ta="right">
                        {number.format(row[f])}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Card withBorder p={0} component="section" aria-labelledby="by-listing-title">
        <Title order={2} size="h5" p="sm" pb={0} id="by-listing-title">
          {t('campaigns.byListing')}
        </Title>
        {breakdown.byListing.length === 0 ? (
          empty
        ) : (
          <Table.ScrollContainer minWidth={480}>
            <Table verticalSpacing="xs" fz="sm" aria-labelledby="by-listing-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('campaigns.listing')}</Table.Th>
                  <Table.Th ta="right">{t('campaigns.metric.impressions')}</Table.Th>
                  {figures.map((f) => (
                    <Table.Th key={f} ta="right">
                      {t(`campaigns.metric.${f}`)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {listings.map((row) => (
                  <Table.Tr key={row.listingId ?? 'none'}>
                    <Table.Td miw={180} style={{ overflowWrap: 'anywhere' }}>
                      {row.title ?? t('campaigns.noListing')}
                    </Table.Td>
                    <Table.Td ta="right">{number.format(row.impressions)}</Table.Td>
                    {figures.map((f) => (
                      <Table.Td key={f} ta="right">
                        {number.format(row[f])}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {breakdown.byListing.length > LISTINGS_SHOWN && (
          <Group justify="center" p="xs">
            <Button variant="subtle" size="xs" onClick={() => setAllListings((v) => !v)}>
              {allListings
                ? t('campaigns.showFewer')
                : t('campaigns.showAll', { count: breakdown.byListing.length })}
            </Button>
          </Group>
        )}
      </Card>
    </Stack>
  );
}
