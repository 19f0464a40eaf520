import { Alert, Box, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DetailPage } from '../../../components/detail-page';
import { ErrorState, Loading } from '../../../components/query-state';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { isAdmin, useSession } from '../../../lib/session';
import {
  actionsFor,
  type CampaignAction,
  campaignBreakdownQueryOptions,
  campaignMetricsQueryOptions,
  campaignQueryOptions,
  campaignsKey,
  changeCampaignStatus,
  type MetricRange,
  runReactivation,
} from '../api/campaigns';
import { CampaignBadges, campaignWindow } from './campaign-badges';
import { Breakdown, Funnel } from './campaign-figures';
import { CampaignReplyForm } from './campaign-reply-form';
import { CampaignSummary } from './campaign-summary';
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

  const status = useApiMutation({
    mutationFn: (action: CampaignAction) => changeCampaignStatus(campaignId, action),
    onSuccess: (campaign, action) => {
      queryClient.setQueryData(campaignQueryOptions(campaignId).queryKey, campaign);
      void queryClient.invalidateQueries({ queryKey: campaignsKey });
      notifications.show({ color: 'green', message: t(`campaigns.done.${action}`) });
    },
  });
  const reactivation = useApiMutation({
    mutationFn: () => runReactivation(campaignId),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });

  return (
    <DetailPage back={{ to: '/campaigns', label: t('campaigns.back') }} query={query} maw={1100}>
      {(campaign) => {
        const actions = canEdit ? actionsFor(campaign.status) : [];
        const shown = metrics.data ?? null;
        return (
          <>
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
                          <Link
                            {...props}
                            to="/campaigns/$campaignId/edit"
                            params={{ campaignId: campaign.id }}
                          />
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
                <Paper
                  withBorder
                  p="sm"
                  radius="md"
                  component="section"
                  aria-labelledby="reactivation-run-title"
                >
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
                  onChange={(event) =>
                    setRange((r) => ({ ...r, from: event.currentTarget.value || undefined }))
                  }
                  style={{ flex: 1 }}
                />
                <TextInput
                  type="date"
                  label={t('campaigns.to')}
                  value={range.to ?? shown?.to ?? ''}
                  min={range.from ?? shown?.from}
                  error={validRange ? undefined : t('campaigns.rangeInvalid')}
                  onChange={(event) =>
                    setRange((r) => ({ ...r, to: event.currentTarget.value || undefined }))
                  }
                  style={{ flex: 1 }}
                />
              </Group>
              {metrics.isPending && validRange ? (
                <Loading />
              ) : metrics.isError ? (
                <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />
              ) : shown ? (
                <>
                  <Funnel totals={shown.totals} revenue={shown.revenue} />
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
          </>
        );
      }}
    </DetailPage>
  );
}
