import { Text } from '@mantine/core';
import { onlineManager, useMutationState } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

const subscribe = (changed: () => void) => {
  window.addEventListener('online', changed);
  window.addEventListener('offline', changed);
  const unsubscribe = onlineManager.subscribe(changed);
  return () => {
    window.removeEventListener('online', changed);
    window.removeEventListener('offline', changed);
    unsubscribe();
  };
};
// The browser's word, and TanStack Query's, which is what holds writes back until the connection returns.
const isOffline = () => !navigator.onLine || !onlineManager.isOnline();

/**
 * Says so while the device is offline: the writes made meanwhile wait in TanStack Query's queue (paused
 * mutations, each with its Idempotency-Key, lib/mutation.ts) and go once it is back.
 */
export function OfflineBanner() {
  const { t } = useTranslation();
  const offline = useSyncExternalStore(subscribe, isOffline, () => false);
  const waiting = useMutationState({ filters: { predicate: (mutation) => mutation.state.isPaused } }).length;
  if (!offline) return null;
  return (
    <Text
      role="status"
      size="sm"
      fw={500}
      px="sm"
      py={6}
      bg="yellow.1"
      c="dark.9"
      data-testid="offline-banner"
      className="tm-offline-banner"
    >
      {t('offline.banner')}
      {waiting > 0 && ` · ${t('offline.pending', { count: waiting })}`}
    </Text>
  );
}
