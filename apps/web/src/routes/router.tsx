import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { leadPriority, leadSource, leadStatus } from '@techmarket/contracts';
import { z } from 'zod';
import { NotFound } from '../components/not-found';
import { RouteError } from '../components/route-error';
import { meQueryOptions } from '../lib/session';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
  errorComponent: RouteError,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: z.object({ redirect: z.string().startsWith('/').optional().catch(undefined) }),
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQueryOptions);
    if (me) throw redirect({ to: '/' });
  },
  component: lazyRouteComponent(() => import('../features/auth/components/login-page'), 'LoginPage'),
});

/** Everything below needs a session: without one, go to the login and come back afterwards. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQueryOptions);
    if (!me) {
      throw redirect({
        to: '/login',
        search: { redirect: location.pathname === '/' ? undefined : location.href },
      });
    }
    return { me };
  },
  component: lazyRouteComponent(() => import('../components/app-layout'), 'AppLayout'),
});

const inboxSearch = z.object({
  status: leadStatus.optional().catch(undefined),
  branchId: z.uuid().optional().catch(undefined),
  assignedTo: z.uuid().optional().catch(undefined),
  priority: leadPriority.optional().catch(undefined),
  source: leadSource.optional().catch(undefined),
  q: z.string().trim().min(1).max(100).optional().catch(undefined),
  sort: z.enum(['priority', '-createdAt', '-lastActivityAt']).optional().catch(undefined),
});
export type InboxSearch = z.infer<typeof inboxSearch>;

export const inboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  validateSearch: inboxSearch,
  component: lazyRouteComponent(() => import('../features/leads/components/inbox-page'), 'InboxPage'),
});

const boardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/board',
  validateSearch: z.object({ branchId: z.uuid().optional().catch(undefined) }),
  component: lazyRouteComponent(() => import('../features/leads/components/board-page'), 'BoardPage'),
});

export const leadRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/leads/$leadId',
  component: lazyRouteComponent(() => import('../features/leads/components/lead-page'), 'LeadPage'),
});

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings',
  validateSearch: z.object({
    tab: z.enum(['branches', 'team', 'listings', 'apiKeys']).optional().catch(undefined),
  }),
  component: lazyRouteComponent(
    () => import('../features/settings/components/settings-page'),
    'SettingsPage',
  ),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([inboxRoute, boardRoute, leadRoute, settingsRoute]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
