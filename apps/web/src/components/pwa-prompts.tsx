import { Button, Group, Paper, Text } from '@mantine/core';
import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { onPwaChange, pwaState } from '../lib/pwa';

/** "Hay una versión nueva": a new service worker waits; updating hands over to it and reloads the page. */
export function PwaPrompts() {
  const { t } = useTranslation();
  const apply = useSyncExternalStore(onPwaChange, () => pwaState().updateReady);
  const [dismissed, setDismissed] = useState(false);
  const [updating, setUpdating] = useState(false);
  if (!apply || dismissed) return null;
  return (
    <Paper
      role="status"
      shadow="md"
      withBorder
      p="sm"
      style={{
        position: 'fixed',
        insetInline: 12,
        bottom: 12,
        zIndex: 400,
        maxWidth: 420,
        marginInline: 'auto',
      }}
    >
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{t('pwa.updateReady')}</Text>
        <Group gap="xs" wrap="nowrap">
          <Button variant="subtle" size="compact-md" onClick={() => setDismissed(true)}>
            {t('pwa.later')}
          </Button>
          <Button
            size="compact-md"
            loading={updating}
            onClick={() => {
              setUpdating(true);
              void apply();
            }}
          >
            {t('pwa.update')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}

/** "Instalar la app", while the browser offers to install it. */
export function useInstallOffer() {
  return useSyncExternalStore(onPwaChange, () => pwaState().installPrompt !== null);
}
