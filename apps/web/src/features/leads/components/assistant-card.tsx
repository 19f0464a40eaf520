import { Blockquote, Box, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Assistance, LeadDetail } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { formatMoney, whatsappUrl } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import {
  askAssistant,
  assistanceFeedback,
  type LeadEvent,
  leadEventsQueryOptions,
  leadQueryOptions,
} from '../api/leads';

/** The lead's latest assistance as the API sends it (a loose record on the lead), checked before use. */
export function readAssistance(value: LeadDetail['assistance']): Assistance | null {
  if (!value || typeof value.suggestedReply !== 'string' || typeof value.id !== 'string') return null;
  return value as unknown as Assistance;
}

/** The customer's latest words on the lead's history (a marketplace message, a WhatsApp one, one told in person). */
export function lastCustomerMessage(events: readonly LeadEvent[] | undefined): string | null {
  const last = events?.findLast((e) => e.type === 'MESSAGE_RECEIVED' && typeof e.payload.text === 'string');
  return typeof last?.payload.text === 'string' ? last.payload.text : null;
}

/**
 * The assistant's suggestion for the lead: the next step, then what the customer last wrote right above the
 * reply to it, to send on WhatsApp in one tap. With a channel (`viaChannel`) the reply goes from the
 * conversation's composer, which offers it; the wa.me button is only for branches without one, and
 * `onWhatsappOpened` is told when it is used. How sure the model was is for owners and managers
 * (`showDetails`), folded away: a seller acts on the reply, not on a percentage.
 */
export function AssistantCard({
  lead,
  viaChannel = false,
  showDetails = false,
  onWhatsappOpened,
}: {
  lead: LeadDetail;
  viaChannel?: boolean;
  showDetails?: boolean;
  onWhatsappOpened?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const assistance = readAssistance(lead.assistance);
  const events = useQuery(leadEventsQueryOptions(lead.id));
  const customerWrote = lastCustomerMessage(events.data);
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
      <Title order={2} size="h5" mb="xs">
        {t('assistant.title')}
      </Title>
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
          {customerWrote && (
            <div>
              <Text size="xs" c="dimmed">
                {t('assistant.customerWrote')}
              </Text>
              <Blockquote
                p="xs"
                mt={4}
                color="gray"
                fz="sm"
                style={{ whiteSpace: 'pre-wrap' }}
                data-testid="customer-wrote"
              >
                {customerWrote}
              </Blockquote>
            </div>
          )}
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
                onClick={() => {
                  onWhatsappOpened?.();
                  void assistanceFeedback(lead.id, assistance.id, 'USED').catch(() => undefined);
                }}
              >
                {t('assistant.useReply')}
              </Button>
            )}
            <Button size="xs" variant="default" loading={ask.isPending} onClick={() => ask.mutate()}>
              {t('assistant.again')}
            </Button>
          </Group>
          {showDetails && (
            <Box component="details">
              <Text component="summary" size="xs" c="dimmed" style={{ cursor: 'pointer' }}>
                {t('assistant.details')}
              </Text>
              <Text size="xs" mt={4}>
                {t('assistant.confidence', { pct: Math.round(assistance.confidence * 100) })}
              </Text>
            </Box>
          )}
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
