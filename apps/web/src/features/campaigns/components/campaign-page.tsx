import {
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  Group,
  Modal,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { Campaign, CampaignBreakdown, MetricTotals, SegmentRule } from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { problemMessage } from '../../../lib/problem-message';
import { isAdmin, useSession } from '../../../lib/session';
import { branchesQueryOptions, byId, listingsQueryOptions } from '../../../lib/tenant-data';
import {
  actionsFor,
  type CampaignAction,
  campaignBreakdownQueryOptions,
  campaignMetricsQueryOptions,
  campaignQueryOptions,
  campaignsKey,
  changeCampaignStatus,
  funnelSteps,
  type MetricRange,
  runReactivation,
  stepRate,
} from '../api/campaigns';
import { CampaignBadges, campaignWindow } from './campaign-badges';
import { CampaignReplyForm } from './campaign-reply-form';
import { DailyChart } from './daily-chart';

export function CampaignPage() {
  const { campaignId } = useParams({ from: '/app/campaigns/$campaignId' });
  const me = useSession();
  return (
    <CampaignView
      campaignId={campaignId}
      tenantId={me.tenant.id}
      timeZone={me.tenant.timezone}
      canEdit={isAdmin(me)}
    />
  );
}

/** A campaign: what it is, its status moves, and its figures over a range (daily, funnel, per branch and listing). */
export function CampaignView({
  campaignId,
  tenantId,
  timeZone,
  canEdit,
}: {
  campaignId: string;
  tenantId: string;
  timeZone: string;
  canEdit: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(campaignQueryOptions(campaignId));
  const [range, setRange] = useState<MetricRange>({});
  const [confirmEnd, setConfirmEnd] = useState(false);
  const validRange = !range.from || !range.to || range.from <= range.to;
  const metrics = useQuery({ ...campaignMetricsQueryOptions(campaignId, range), enabled: validRange });
  const breakdown = useQuery({ ...campaignBreakdownQueryOptions(campaignId, range), enabled: validRange });

  const status = useMutation({
    mutationFn: (action: CampaignAction) => changeCampaignStatus(campaignId, action),
    onSuccess: (campaign, action) => {
      queryClient.setQueryData(campaignQueryOptions(campaignId).queryKey, campaign);
      void queryClient.invalidateQueries({ queryKey: campaignsKey });
      notifications.show({ color: 'green', message: t(`campaigns.done.${action}`) });
    },
  });
  const reactivation = useMutation({
    mutationFn: () => runReactivation(campaignId),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });

  const back = (
    <Anchor size="sm" renderRoot={(props) => <Link {...props} to="/campaigns" />}>
      ← {t('campaigns.back')}
    </Anchor>
  );
  if (query.isPending)
    return (
      <Box p="sm">
        {back}
        <Loading />
      </Box>
    );
  if (query.isError)
    return (
      <Box p="sm">
        {back}
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </Box>
    );
  const campaign = query.data;
  const actions = canEdit ? actionsFor(campaign.status) : [];
  const shown = metrics.data ?? null;

  return (
    <Box p="sm" maw={1100} mx="auto">
      {back}
      <Stack gap="sm" mt="xs">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Box miw={0} style={{ flex: '1 1 260px' }}>
            <Title order={1} size="h3" style={{ overflowWrap: 'anywhere' }}>
              {campaign.name}
            </Title>
            <Box mt={4}>
              <CampaignBadges campaign={campaign} />
            </Box>
            <Text size="sm" c="dimmed" mt={4}>
              {campaignWindow(campaign, t, i18n.language, timeZone)}
            </Text>
          </Box>
          {(actions.length > 0 || (canEdit && campaign.status !== 'ENDED')) && (
            <Group gap="xs" role="group" aria-label={t('campaigns.actions')}>
              {canEdit && campaign.status !== 'ENDED' && (
                <Button
                  variant="default"
                  renderRoot={(props) => (
                    <Link {...props} to="/campaigns/$campaignId/edit" params={{ campaignId: campaign.id }} />
                  )}
                >
                  {t('campaigns.edit')}
                </Button>
              )}
              {actions.includes('activate') && (
                <Button
                  color="green"
                  loading={status.isPending && status.variables === 'activate'}
                  disabled={status.isPending}
                  onClick={() => status.mutate('activate')}
                >
                  {t('campaigns.activate')}
                </Button>
              )}
              {actions.includes('pause') && (
                <Button
                  color="yellow"
                  variant="light"
                  loading={status.isPending && status.variables === 'pause'}
                  disabled={status.isPending}
                  onClick={() => status.mutate('pause')}
                >
                  {t('campaigns.pause')}
                </Button>
              )}
              {actions.includes('end') && (
                <Button
                  color="red"
                  variant="outline"
                  loading={status.isPending && status.variables === 'end'}
                  disabled={status.isPending}
                  onClick={() => setConfirmEnd(true)}
                >
                  {t('campaigns.end')}
                </Button>
              )}
            </Group>
          )}
        </Group>
        {status.isError && (
          <Alert color="red" role="alert">
            {problemMessage(status.error, t)}
          </Alert>
        )}
        <CampaignSummary campaign={campaign} tenantId={tenantId} />
        {campaign.type === 'REACTIVATION' && canEdit && campaign.status !== 'ENDED' && (
          <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="reactivation-run-title">
            <Title order={2} size="h5" id="reactivation-run-title">
              {t('campaigns.runTitle')}
            </Title>
            <Text size="xs" c="dimmed" mb="xs">
              {campaign.live ? t('campaigns.runHint') : t('campaigns.runNotLive')}
            </Text>
            <Button
              variant="light"
              disabled={!campaign.live}
              loading={reactivation.isPending}
              onClick={() => reactivation.mutate()}
            >
              {t('campaigns.run')}
            </Button>
            {reactivation.data && (
              <Alert color="teal" mt="xs" data-testid="reactivation-result">
                {t('campaigns.runResult', reactivation.data)}
              </Alert>
            )}
            {reactivation.isError && (
              <Alert color="red" mt="xs" role="alert">
                {problemMessage(reactivation.error, t)}
              </Alert>
            )}
          </Paper>
        )}
        {/* Replies can come in whenever the messages went out: paused or ended, the seller still records them. */}
        {campaign.type === 'REACTIVATION' && campaign.status !== 'DRAFT' && (
          <CampaignReplyForm tenantId={tenantId} />
        )}
        <Group gap="xs" wrap="nowrap" align="flex-end" mt="xs">
          <TextInput
            type="date"
            label={t('campaigns.from')}
            value={range.from ?? shown?.from ?? ''}
            max={range.to ?? shown?.to}
            onChange={(event) => setRange((r) => ({ ...r, from: event.currentTarget.value || undefined }))}
            style={{ flex: 1 }}
          />
          <TextInput
            type="date"
            label={t('campaigns.to')}
            value={range.to ?? shown?.to ?? ''}
            min={range.from ?? shown?.from}
            error={validRange ? undefined : t('campaigns.rangeInvalid')}
            onChange={(event) => setRange((r) => ({ ...r, to: event.currentTarget.value || undefined }))}
            style={{ flex: 1 }}
          />
        </Group>
        {metrics.isPending && validRange ? (
          <Loading />
        ) : metrics.isError ? (
          <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />
        ) : shown ? (
          <>
            <Funnel totals={shown.totals} />
            <DailyChart metrics={shown} />
          </>
        ) : null}
        {breakdown.isPending && validRange ? (
          <Loading />
        ) : breakdown.isError ? (
          <ErrorState error={breakdown.error} onRetry={() => void breakdown.refetch()} />
        ) : breakdown.data ? (
          <Breakdown breakdown={breakdown.data} />
        ) : null}
      </Stack>
      <Modal
        opened={confirmEnd}
        onClose={() => setConfirmEnd(false)}
        title={t('campaigns.endConfirmTitle')}
        centered
      >
        <Text size="sm">{t('campaigns.endConfirm')}</Text>
        <Group justify="flex-end" mt="md" gap="xs">
          <Button variant="default" onClick={() => setConfirmEnd(false)}>
            {t('campaigns.cancel')}
          </Button>
          <Button
            color="red"
            onClick={() => {
              setConfirmEnd(false);
              status.mutate('end');
            }}
          >
            {t('campaigns.endConfirmButton')}
          </Button>
        </Group>
      </Modal>
    </Box>
  );
}

/** The message and the segment in words. */
function CampaignSummary({ campaign, tenantId }: { campaign: Campaign; tenantId: string }) {
  const { t } = useTranslation();
  const branches = useQuery(branchesQueryOptions(tenantId));
  const listings = useQuery(listingsQueryOptions(tenantId));
  const names = {
    branch: (id: string) => byId(branches.data).get(id)?.name ?? id,
    listing: (id: string) => byId(listings.data).get(id)?.title ?? id,
  };
  const rules = campaign.segment.rules;
  return (
    <Card withBorder p="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Box miw={0}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('campaigns.message')}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {campaign.messageTemplate ?? t('campaigns.noMessage')}
          </Text>
        </Box>
        <Box miw={0}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('campaigns.segment.title')}
          </Text>
          {rules.length === 0 ? (
            <Text size="sm">{t('campaigns.describe.none')}</Text>
          ) : (
            <Box component="ul" m={0} pl="md">
              {rules.map((rule, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the rules have no identity but their order
                <Text component="li" size="sm" key={i}>
                  {describeRule(rule, t, names)}
                </Text>
              ))}
            </Box>
          )}
        </Box>
      </SimpleGrid>
    </Card>
  );
}

export function describeRule(
  rule: SegmentRule,
  t: TFunction,
  names: { branch: (id: string) => string; listing: (id: string) => string },
): string {
  const category = (c: string) => t(`campaigns.category.${c}`, { defaultValue: c });
  const period = (days: number | undefined) => (days ? t('campaigns.describe.within', { days }) : '');
  switch (rule.rule) {
    case 'VIEWED':
      return (
        (rule.listingId
          ? t('campaigns.describe.viewedListing', { listing: names.listing(rule.listingId) })
          : t('campaigns.describe.viewedCategory', { category: category(rule.category ?? '') })) +
        period(rule.withinDays) +
        (rule.withoutWin ? t('campaigns.describe.withoutWin') : '')
      );
    case 'LOST':
      return (
        (rule.reasons.length > 0
          ? t('campaigns.describe.lostFor', {
              reasons: rule.reasons.map((r) => t(`lostReason.${r}`)).join(', '),
            })
          : t('campaigns.describe.lost')) + period(rule.withinDays)
      );
    case 'INTERESTED_IN':
      return (
        t('campaigns.describe.interested', { category: category(rule.category) }) + period(rule.withinDays)
      );
    case 'DORMANT':
      return t('campaigns.describe.dormant');
    case 'CLICKED_NOT_WRITTEN':
      return t('campaigns.describe.clickedNotWritten', { hours: rule.withinHours }) + period(rule.withinDays);
    case 'ZONE':
      return t('campaigns.describe.zone', { zones: rule.zones.join(', ') });
    case 'BRANCH':
      return t('campaigns.describe.branch', { branches: rule.branchIds.map(names.branch).join(', ') });
    case 'CONSENT':
      return t('campaigns.describe.consent');
  }
}

/** Impressions -> clicks -> leads -> wins, each with its share of the step before. */
export function Funnel({ totals }: { totals: MetricTotals }) {
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
              {previous && (
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
    </Paper>
  );
}

/** Listings shown before "Ver todos": a category campaign can touch dozens. */
const LISTINGS_SHOWN = 10;

function Breakdown({ breakdown }: { breakdown: CampaignBreakdown }) {
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
