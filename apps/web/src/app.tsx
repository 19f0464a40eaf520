import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { notificationsStore } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import type { i18n as I18n } from 'i18next';
import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { I18nextProvider } from 'react-i18next';
import { OPEN_LEAD_MESSAGE } from '../sw/shared';
import { PwaPrompts } from './components/pwa-prompts';
import { firstScreenResolved } from './lib/after-load';
import { ApiError, NetworkError, onUnauthorized } from './lib/api-client';
import { forgetOfflineData } from './lib/pwa';
import { createAppRouter } from './routes/router';
import { colorSchemeManager, cssVariablesResolver, theme } from './theme';

const Toasts = lazy(() => import('./components/toasts').then((m) => ({ default: m.Toasts })));

/** Whether Mantine's store holds a toast (shown or queued): the toasts' container is needed from then on. */
const holdsToast = () => {
  const { notifications, queue } = notificationsStore.getState();
  return notifications.length + queue.length > 0;
};

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not fix itself by asking again; a network blip might.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: true,
      },
      mutations: {
        // A write cut off by the network is tried again, once back online when offline: with the same
        // Idempotency-Key (lib/mutation.ts), so one that had arrived is not done twice.
        retry: (count, error) => error instanceof NetworkError && count < 3,
      },
    },
  });
}

export function App({ i18n }: { i18n: I18n }) {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createAppRouter(queryClient));
  // The toasts' container (its transitions, swipe handling) is loaded and mounted with the first toast, not with
  // every screen: a toast waits in Mantine's store until the container arrives, then shows. Mounted once, it stays.
  const toastRaised = useSyncExternalStore(notificationsStore.subscribe, holdsToast);
  const [toasts, setToasts] = useState(false);
  if (toastRaised && !toasts) setToasts(true);
  useEffect(() => {
    if (router.state.status === 'idle' && router.state.resolvedLocation) firstScreenResolved();
    return router.subscribe('onResolved', firstScreenResolved);
  }, [router]);

  // A 401 anywhere means the session is over: forget it and show the login.
  useEffect(() => {
    const unsubscribe = onUnauthorized(() => {
      void forgetOfflineData();
      if (queryClient.getQueryData(['me']) === null) return;
      queryClient.setQueryData(['me'], null);
      void router.navigate({ to: '/login' });
    });
    return () => {
      unsubscribe();
    };
  }, [queryClient, router]);

  // A tapped notification (the service worker) opens its lead in this window, without reloading the app.
  useEffect(() => {
    const worker = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
    if (!worker) return;
    const open = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; url?: unknown } | null;
      if (data?.type === OPEN_LEAD_MESSAGE && typeof data.url === 'string' && data.url.startsWith('/')) {
        router.history.push(data.url);
      }
    };
    worker.addEventListener('message', open);
    return () => worker.removeEventListener('message', open);
  }, [router]);

  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider
        theme={theme}
        colorSchemeManager={colorSchemeManager}
        cssVariablesResolver={cssVariablesResolver}
        defaultColorScheme="auto"
      >
        {/* Nothing to show until a toast is raised: no fallback. */}
        {toasts && (
          <Suspense fallback={null}>
            <Toasts />
          </Suspense>
        )}
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
          <PwaPrompts />
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}
