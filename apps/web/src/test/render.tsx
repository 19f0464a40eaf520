import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  RouterProvider,
} from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { createI18n, type Language, loadLanguage } from '../lib/i18n';
import { theme } from '../theme';

/** Renders a component with the app's providers (theme, i18n, query client) inside a memory router. */
export async function renderWithProviders(
  ui: ReactNode,
  { language = 'es-419' as Language, path = '/' }: { language?: Language; path?: string } = {},
) {
  const i18n = createI18n(language);
  await loadLanguage(i18n, language);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const rootRoute = createRootRoute();
  const routes = ['/', '/leads/$leadId', '/board', '/login', '/settings'].map((path) =>
    createRoute({ getParentRoute: () => rootRoute, path, component: () => ui }),
  );
  const router = createRouter({
    routeTree: rootRoute.addChildren(routes),
    history: createMemoryHistory({ initialEntries: [path] }),
  });
  const result = render(
    <I18nextProvider i18n={i18n}>
      {/* env="test": no transitions and no portals, so menus and modals show at once whatever the load */}
      <MantineProvider theme={theme} env="test">
        <QueryClientProvider client={queryClient}>
          {/* biome-ignore lint/suspicious/noExplicitAny: a test router, not the app's registered one */}
          <RouterProvider router={router as any} />
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>,
  );
  await router.load();
  return { ...result, i18n, queryClient, router };
}
