import { Anchor, Box, Button, Group, NativeSelect, Paper, SimpleGrid, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type Campaign, type CampaignStatus, campaignStatuses } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListPage } from '../../../components/list-page';
import { isAdmin, useSession } from '../../../lib/session';
import { campaignsQueryOptions, funnelSteps } from '../api/campaigns';
import { CampaignBadges, campaignWindow } from './campaign-badges';

/** The shop's campaigns, newest first, with their figures; filterable by status. */
export function CampaignsPage() {
  const me = useSession();
  return <CampaignsView tenantId={me.tenant.id} timeZone={me.tenant.timezone} canEdit={isAdmin(me)} />;
}

export function CampaignsView({
  tenantId,
  timeZone,
  canEdit,
}: {
  tenantId: string;
  timeZone: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CampaignStatus | ''>('');
  const query = useInfiniteQuery(campaignsQueryOptions(tenantId, { status: status || undefined }));

  return (
    <ListPage
      title={t('campaigns.title')}
      actionsAlign="flex-end"
      actions={
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <NativeSelect
            label={t('campaigns.status')}
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as CampaignStatus | '')}
            data={[
              { value: '', label: t('campaigns.allStatuses') },
              ...campaignStatuses.map((s) => ({ value: s, label: t(`campaigns.statusName.${s}`) })),
            ]}
          />
          {canEdit && (
            <Button renderRoot={(props) => <Link {...props} to="/campaigns/new" />}>
              {t('campaigns.new')}
            </Button>
          )}
        </Group>
      }
      query={query}
      empty={{ title: t('campaigns.empty'), hint: canEdit ? t('campaigns.emptyHint') : undefined }}
      renderItem={(campaign) => <CampaignRow campaign={campaign} timeZone={timeZone} />}
    />
  );
}

function CampaignRow({ campaign, timeZone }: { campaign: Campaign; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <Paper withBorder p="sm" radius="md" data-testid="campaign-row">
      <Group justify="space-between" gap="xs" align="flex-start">
        <Box miw={0} style={{ flex: '1 1 240px' }}>
          <Anchor
            fw={600}
            style={{ overflowWrap: 'anywhere' }}
            renderRoot={(props) => (
              <Link {...props} to="/campaigns/$campaignId" params={{ campaignId: campaign.id }} />
            )}
          >
            {campaign.name}
          </Anchor>
          <Text size="xs" c="dimmed" mt={2}>
            {campaignWindow(campaign, t, i18n.language, timeZone)}
          </Text>
        </Box>
        <CampaignBadges campaign={campaign} />
      </Group>
      <SimpleGrid
        cols={4}
        spacing={4}
        mt="xs"
        mb={0}
        component="dl"
        aria-label={t('campaigns.figuresOf', { name: campaign.name })}
      >
        {funnelSteps.map((step) => (
          <Box key={step} miw={0}>
            <Text component="dt" size="xs" c="dimmed" truncate>
              {t(`campaigns.metric.${step}`)}
            </Text>
            <Text component="dd" m={0} fw={700} data-testid={`campaign-${step}`}>
              {number.format(campaign.totals[step])}
            </Text>
          </Box>
        ))}
      </SimpleGrid>
    </Paper>
  );
}
