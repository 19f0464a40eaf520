import { Button, Menu, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ContactConsent as Consent } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { consentSourceLabel } from '../../../lib/enum-labels';
import { formatDateTime } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { tasksKey } from '../../tasks';
import { consentQueryOptions, giveConsent, optOut } from '../api/consent';

/** Where a seller records consent in one tap: the customer said so on WhatsApp or at the counter. */
const sources = ['whatsapp', 'tienda'] as const;

/**
 * Whether the shop may send this customer promotions, and the one tap that records a yes or a stop. A change is
 * written on the customer's leads' history: `onChanged` lets the page showing one reload it.
 */
export function ContactConsent({
  contactId,
  timeZone,
  onChanged,
}: {
  contactId: string;
  timeZone: string;
  onChanged?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(consentQueryOptions(contactId));
  const change = useApiMutation({
    mutationFn: (action: { kind: 'consent'; source: string } | { kind: 'optOut' }) =>
      action.kind === 'consent' ? giveConsent(contactId, action.source) : optOut(contactId),
    onSuccess: (consent: Consent, action) => {
      queryClient.setQueryData(consentQueryOptions(contactId).queryKey, consent);
      if (action.kind === 'optOut') void queryClient.invalidateQueries({ queryKey: tasksKey });
      onChanged?.();
      notifications.show({
        color: action.kind === 'optOut' ? 'gray' : 'teal',
        message:
          action.kind === 'optOut'
            ? t('consent.optedOutToast', { count: consent.cancelledTasks })
            : t('consent.givenToast'),
      });
    },
    onError: (error) => notifications.show({ color: 'red', message: problemMessage(error, t) }),
  });

  // The answer comes after the lead's: until then the same two lines, so the cards below do not jump when it
  // arrives (Lighthouse measured a layout shift of 0.108 on a phone when this was one line of "…").
  if (!query.data) {
    return (
      <Stack gap={4} align="flex-end">
        <Text size="sm" w="100%" ta="right">
          {query.isError ? t('consent.unknown') : '…'}
        </Text>
        <Button size="compact-sm" variant="default" disabled>
          {t('consent.change')}
        </Button>
      </Stack>
    );
  }
  const consent = query.data;
  const when = (iso: string) => formatDateTime(iso, i18n.language, timeZone);
  const state = consent.optedOutAt
    ? t('consent.optedOut', { when: when(consent.optedOutAt) })
    : consent.marketingConsent
      ? t('consent.given', {
          source: consentSourceLabel(consent.consentSource, t),
          when: consent.consentAt ? when(consent.consentAt) : '—',
        })
      : t('consent.none');

  return (
    <Stack gap={4} align="flex-end">
      <Text
        size="sm"
        w="100%"
        ta="right"
        c={consent.optedOutAt ? 'red.8' : undefined}
        data-testid="contact-consent"
      >
        {state}
      </Text>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="compact-sm" variant="default" loading={change.isPending} style={{ flexShrink: 0 }}>
            {t('consent.change')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {!consent.marketingConsent &&
            sources.map((source) => (
              <Menu.Item key={source} onClick={() => change.mutate({ kind: 'consent', source })}>
                {t(`consent.giveVia.${source}`)}
              </Menu.Item>
            ))}
          {!consent.optedOutAt && (
            <Menu.Item color="red" onClick={() => change.mutate({ kind: 'optOut' })}>
              {t('consent.optOut')}
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
    </Stack>
  );
}
