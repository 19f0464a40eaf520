import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { AssistantKpis } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { formatMinutes, formatRate } from '../api/analytics';

/**
 * What the sellers did with the assistant's suggested replies in the period: sent as is, edited, or not used
 * (what they said, or read off the first WhatsApp message they sent after it), and the typing it saved them.
 */
export function AssistantAcceptance({ figures }: { figures: AssistantKpis }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const noData = t('dashboard.noData');
  const count = (value: number) => new Intl.NumberFormat(locale).format(value);
  const cards = [
    {
      label: t('dashboard.assistantAsIs'),
      value: formatRate(figures.shares.sentAsIs, locale, noData),
      hint: t('dashboard.assistantAsIsHint', { count: count(figures.sentAsIs) }),
    },
    {
      label: t('dashboard.assistantEdited'),
      value: formatRate(figures.shares.edited, locale, noData),
      hint: t('dashboard.assistantEditedHint', { count: count(figures.edited) }),
    },
    {
      label: t('dashboard.assistantNotUsed'),
      value: formatRate(figures.shares.notUsed, locale, noData),
      hint: t('dashboard.assistantNotUsedHint', { count: count(figures.notUsed) }),
    },
    {
      label: t('dashboard.assistantTimeSaved'),
      value: formatMinutes(figures.timeSaved.minutes, locale, t),
      hint: t('dashboard.assistantTimeSavedHint', {
        characters: count(figures.timeSaved.characters),
        rate: count(figures.timeSaved.charsPerMinute),
      }),
    },
  ];
  return (
    <Stack gap="sm" component="section" aria-label={t('dashboard.assistant')}>
      <Title order={2} size="h4">
        {t('dashboard.assistant')}
      </Title>
      <Text size="sm" c="dimmed">
        {figures.withOutcome === 0
          ? t('dashboard.assistantEmpty', { suggestions: count(figures.suggestions) })
          : t('dashboard.assistantHint', {
              withOutcome: count(figures.withOutcome),
              suggestions: count(figures.suggestions),
              inferred: count(figures.inferred),
            })}
      </Text>
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="xs">
        {cards.map((card) => (
          <Paper key={card.label} withBorder p="sm" radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {card.label}
            </Text>
            <Text fw={700} fz={24} lh={1.3}>
              {card.value}
            </Text>
            <Text size="xs" c="dimmed">
              {card.hint}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
