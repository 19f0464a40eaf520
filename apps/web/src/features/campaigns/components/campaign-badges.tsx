import { Badge, Group } from '@mantine/core';
import type { Campaign, CampaignStatus } from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format';

const colors: Record<CampaignStatus, string> = {
  DRAFT: 'gray',
  ACTIVE: 'green',
  PAUSED: 'yellow',
  ENDED: 'dark',
};

/** Status and type, plus "En curso" when the campaign is ACTIVE inside its window (what attribution counts). */
export function CampaignBadges({ campaign }: { campaign: Pick<Campaign, 'status' | 'type' | 'live'> }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="wrap">
      <Badge color={colors[campaign.status]} variant="light" size="sm" data-testid="campaign-status">
        {t(`campaigns.statusName.${campaign.status}`)}
      </Badge>
      <Badge color="blue" variant="outline" size="sm">
        {t(`campaigns.typeName.${campaign.type}`)}
      </Badge>
      {campaign.live && (
        <Badge color="teal" variant="dot" size="sm">
          {t('campaigns.live')}
        </Badge>
      )}
    </Group>
  );
}

/** "1 dic 2026, 09:00 – 31 dic 2026, 23:59" in the shop's time zone, or what is missing. */
export function campaignWindow(
  campaign: Pick<Campaign, 'startAt' | 'endAt'>,
  t: TFunction,
  locale: string,
  timeZone: string,
): string {
  const at = (iso: string) => formatDateTime(iso, locale, timeZone);
  if (campaign.startAt && campaign.endAt)
    return t('campaigns.window', { from: at(campaign.startAt), to: at(campaign.endAt) });
  if (campaign.startAt) return t('campaigns.windowFrom', { from: at(campaign.startAt) });
  if (campaign.endAt) return t('campaigns.windowTo', { to: at(campaign.endAt) });
  return t('campaigns.noDates');
}
