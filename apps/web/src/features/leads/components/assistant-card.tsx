import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { Assistance, LeadDetail } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { formatMoney, whatsappUrl } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { askAssistant, assistanceFeedback, leadQueryOptions } from '../api/leads';

/** The lead's latest assistance as the API sends it (a loose record on the lead), checked before use. */
export function readAssistance(value: LeadDetail['assistance']): Assistance | null {
  if (!value || typeof value.suggestedReply !== 'string' || typeof value.id !== 'string') return null;
  return value as unknown as Assistance;
}

/**
 * The assistant's suggestion for the lead: a reply to send on WhatsApp in one tap, and the next step. With a
 * channel (`viaChannel`) the reply goes from the conversation's composer, which offers it; the wa.me button is
 * only for branches without one.
 */
export function AssistantCard({ lead, viaChannel = false }: { lead: LeadDetail; viaChannel?: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const assistance = readAssistance(lead.assistance);
  const ask = useApiMutation({
    mutationFn: () => askAssistant(lead.id),
    onSuccess: (fresh) =>
      queryClient.setQueryData<LeadDetail>(leadQueryOptions(lead.id).queryKey, (old) =>
        old ? { ...old, assistance: fresh as unknown as LeadDetail['assistance'] } : old,
      ),
    onError: (error) =>
      notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) }),
  });

  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {t('assistant.title')}
        </Title>
        {assistance && (
          <Badge variant="light" color="grape" size="sm">
            {t('assistant.confidence', { pct: Math.round(assistance.confidence * 100) })}
          </Badge>
        )}
      </Group>
      {assistance ? (
        <Stack gap="xs">
          <div>
            <Text size="xs" c="dimmed">
              {t('assistant.next')}
            </Text>
            <Text size="sm" fw={500}>
              {t(`assistant.${assistance.nextBestAction}`)}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('assistant.suggestedReply')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="suggested-reply">
              {assistance.suggestedReply}
            </Text>
          </div>
          {assistance.alternatives.length > 0 && (
            <div>
              <Text size="xs" c="dimmed">
                {t('assistant.alternatives')}
              </Text>
              {assistance.alternatives.map((alt) => (
                <Text size="sm" key={alt.listingId}>
                  {alt.title} · {formatMoney(alt.price, alt.currency, i18n.language)}
                </Text>
              ))}
            </div>
          )}
          <Group gap="xs">
            {lead.contact.phone && !viaChannel && (
              <Button
                component="a"
                size="xs"
                color="green"
                href={whatsappUrl(lead.contact.phone, assistance.suggestedReply)}
                target="_blank"
                rel="noopener noreferrer"
                onClick={() => void assistanceFeedback(lead.id, assistance.id, 'USED').catch(() => undefined)}
              >
                {t('assistant.useReply')}
              </Button>
            )}
            <Button size="xs" variant="default" loading={ask.isPending} onClick={() => ask.mutate()}>
              {t('assistant.again')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="xs" align="flex-start">
          <Text size="sm" c="dimmed">
            {t('assistant.none')}
          </Text>
          <Button size="xs" variant="light" loading={ask.isPending} onClick={() => ask.mutate()}>
            {t('assistant.ask')}
          </Button>
        </Stack>
      )}
    </Card>
  );
}
