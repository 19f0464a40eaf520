import { Box, Card, SimpleGrid, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Campaign, SegmentRule } from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { branchesQueryOptions, byId, listingsQueryOptions } from '../../../lib/tenant-data';

/** The message and the segment in words. */
export function CampaignSummary({ campaign, tenantId }: { campaign: Campaign; tenantId: string }) {
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
