import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { NotFound } from '../components/not-found';
import { RouteError } from '../components/route-error';
import {
  inboxSorts,
  leadPriorityList,
  leadSourceList,
  leadStatusList,
  oneOf,
  textParam,
  uuidParam,
} from '../lib/domain';
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
  validateSearch: (search: Record<string, unknown>): { redirect?: string | undefined } => ({
    redirect:
      typeof search.redirect === 'string' &&
      search.redirect.startsWith('/') &&
      !search.redirect.startsWith('//')
        ? search.redirect
        : undefined,
  }),
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

export interface InboxSearch {
  status?: (typeof leadStatusList)[number] | undefined;
  branchId?: string | undefined;
  assignedTo?: string | undefined;
  priority?: (typeof leadPriorityList)[number] | undefined;
  source?: (typeof leadSourceList)[number] | undefined;
  q?: string | undefined;
  sort?: (typeof inboxSorts)[number] | undefined;
}
const inboxSearch = (search: Record<string, unknown>): InboxSearch => ({
  status: oneOf(leadStatusList)(search.status),
  branchId: uuidParam(search.branchId),
  assignedTo: uuidParam(search.assignedTo),
  priority: oneOf(leadPriorityList)(search.priority),
  source: oneOf(leadSourceList)(search.source),
  q: textParam(search.q),
  sort: oneOf(inboxSorts)(search.sort),
});

export const inboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  validateSearch: inboxSearch,
  component: lazyRouteComponent(() => import('../features/leads/components/inbox-page'), 'InboxPage'),
});

const boardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/board',
  validateSearch: (search: Record<string, unknown>): { branchId?: string | undefined } => ({
    branchId: uuidParam(search.branchId),
  }),
  component: lazyRouteComponent(() => import('../features/leads/components/board-page'), 'BoardPage'),
});

const settingsTabs = ['branches', 'team', 'listings', 'links', 'apiKeys'] as const;
export type SettingsTab = (typeof settingsTabs)[number];

export const leadRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/leads/$leadId',
  component: lazyRouteComponent(() => import('../features/leads/components/lead-page'), 'LeadPage'),
});

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings',
  validateSearch: (search: Record<string, unknown>): { tab?: SettingsTab | undefined } => ({
    tab: oneOf(settingsTabs)(search.tab),
  }),
  component: lazyRouteComponent(
    () => import('../features/settings/components/settings-page'),
    'SettingsPage',
  ),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([inboxRoute, boardRoute, leadRoute, settingsRoute, tasksRoute]),
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
const tasksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tasks',
  component: lazyRouteComponent(() => import('../features/tasks/components/tasks-page'), 'TasksPage'),
});

