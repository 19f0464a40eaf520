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
  campaignBreakdownQueryOptions,
  campaignMetricsQueryOptions,
  campaignQueryOptions,
  campaignsQueryOptions,
} from '../features/campaigns/api/campaigns';
import {
  boardColumnQueryOptions,
  inboxCountsFilter,
  inboxQueryFor,
  inboxQueryOptions,
  leadCountsQueryOptions,
  leadEventsQueryOptions,
  leadQueryOptions,
} from '../features/leads/api/leads';
import { leadStatusList } from '../lib/domain';
import { boardSearch, inboxSearch, loginSearch, settingsSearch, tokenSearch } from '../lib/search-params';
import { meQueryOptions } from '../lib/session';
import { branchesQueryOptions, listingsQueryOptions, usersQueryOptions } from '../lib/tenant-data';

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
  validateSearch: loginSearch,
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQueryOptions);
    if (me) throw redirect({ to: '/' });
  },
  component: lazyRouteComponent(() => import('../features/auth/components/login-page'), 'LoginPage'),
});

/** Open to anyone: the way back in without e-mail (a reset link from the shop's owner or manager). */
const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/forgot-password',
  component: lazyRouteComponent(
    () => import('../features/auth/components/forgot-password-page'),
    'ForgotPasswordPage',
  ),
});

/** The pages a reset or invitation link opens: no session needed, the token is in the query string. */
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: tokenSearch,
  component: lazyRouteComponent(
    () => import('../features/account/components/set-password-page'),
    'ResetPasswordPage',
  ),
});
const invitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/invitation',
  validateSearch: tokenSearch,
  component: lazyRouteComponent(
    () => import('../features/account/components/set-password-page'),
    'InvitationPage',
  ),
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

/**
 * Loaders start a screen's queries while its lazy chunk downloads, instead of after it mounts; they
 * do not wait for the answers (the screen shows its own loading state), so navigation stays instant.
 */
const prefetchTenantLists = (queryClient: QueryClient, tenantId: string) => {
  void queryClient.prefetchQuery(branchesQueryOptions(tenantId));
  void queryClient.prefetchQuery(usersQueryOptions(tenantId));
};

export const inboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  validateSearch: inboxSearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient, me }, deps }) => {
    const tenantId = me.tenant.id;
    const query = inboxQueryFor(deps, me);
    void queryClient.prefetchInfiniteQuery(inboxQueryOptions(tenantId, query));
    void queryClient.prefetchQuery(leadCountsQueryOptions(tenantId, inboxCountsFilter(query)));
    prefetchTenantLists(queryClient, tenantId);
    void queryClient.prefetchQuery(listingsQueryOptions(tenantId));
  },
  component: lazyRouteComponent(() => import('../features/leads/components/inbox-page'), 'InboxPage'),
});

const boardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/board',
  validateSearch: boardSearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient, me }, deps }) => {
    for (const status of leadStatusList) {
      void queryClient.prefetchQuery(boardColumnQueryOptions(me.tenant.id, status, deps.branchId));
    }
    void queryClient.prefetchQuery(
      leadCountsQueryOptions(me.tenant.id, deps.branchId ? { branchId: deps.branchId } : {}),
    );
    prefetchTenantLists(queryClient, me.tenant.id);
  },
  component: lazyRouteComponent(() => import('../features/leads/components/board-page'), 'BoardPage'),
});

export const leadRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/leads/$leadId',
  loader: ({ context: { queryClient, me }, params }) => {
    void queryClient.prefetchQuery(leadQueryOptions(params.leadId));
    void queryClient.prefetchQuery(leadEventsQueryOptions(params.leadId));
    prefetchTenantLists(queryClient, me.tenant.id);
  },
  component: lazyRouteComponent(() => import('../features/leads/components/lead-page'), 'LeadPage'),
});

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings',
  validateSearch: settingsSearch,
  component: lazyRouteComponent(
    () => import('../features/settings/components/settings-page'),
    'SettingsPage',
  ),
});

const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  component: lazyRouteComponent(() => import('../features/account/components/account-page'), 'AccountPage'),
});

const tasksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tasks',
  component: lazyRouteComponent(() => import('../features/tasks/components/tasks-page'), 'TasksPage'),
});

const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/dashboard',
  component: lazyRouteComponent(
    () => import('../features/dashboard/components/dashboard-page'),
    'DashboardPage',
  ),
});

const importsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/imports',
  component: lazyRouteComponent(() => import('../features/imports/components/imports-page'), 'ImportsPage'),
});

const ticketsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tickets',
  component: lazyRouteComponent(() => import('../features/tickets/components/tickets-page'), 'TicketsPage'),
});

const ticketRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tickets/$ticketId',
  component: lazyRouteComponent(() => import('../features/tickets/components/ticket-page'), 'TicketPage'),
});

const customersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/customers',
  loader: ({ context: { queryClient, me } }) => {
    void queryClient.prefetchQuery(branchesQueryOptions(me.tenant.id));
  },
  component: lazyRouteComponent(
    () => import('../features/customers/components/customers-page'),
    'CustomersPage',
  ),
});

const customerRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/customers/$customerId',
  loader: ({ context: { queryClient, me } }) => {
    void queryClient.prefetchQuery(branchesQueryOptions(me.tenant.id));
  },
  component: lazyRouteComponent(
    () => import('../features/customers/components/customer-page'),
    'CustomerPage',
  ),
});

const quotesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/quotes',
  component: lazyRouteComponent(() => import('../features/quotes/components/quotes-page'), 'QuotesPage'),
});

const quoteRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/quotes/$quoteId',
  component: lazyRouteComponent(() => import('../features/quotes/components/quote-page'), 'QuotePage'),
});

const campaignsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/campaigns',
  loader: ({ context: { queryClient, me } }) => {
    void queryClient.prefetchInfiniteQuery(campaignsQueryOptions(me.tenant.id, {}));
  },
  component: lazyRouteComponent(
    () => import('../features/campaigns/components/campaigns-page'),
    'CampaignsPage',
  ),
});

const newCampaignRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/campaigns/new',
  loader: ({ context: { queryClient, me } }) => {
    prefetchTenantLists(queryClient, me.tenant.id);
    void queryClient.prefetchQuery(listingsQueryOptions(me.tenant.id));
  },
  component: lazyRouteComponent(
    () => import('../features/campaigns/components/campaign-editor-pages'),
    'NewCampaignPage',
  ),
});

const campaignRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/campaigns/$campaignId',
  loader: ({ context: { queryClient }, params }) => {
    void queryClient.prefetchQuery(campaignQueryOptions(params.campaignId));
    void queryClient.prefetchQuery(campaignMetricsQueryOptions(params.campaignId, {}));
    void queryClient.prefetchQuery(campaignBreakdownQueryOptions(params.campaignId, {}));
  },
  component: lazyRouteComponent(
    () => import('../features/campaigns/components/campaign-page'),
    'CampaignPage',
  ),
});

const editCampaignRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/campaigns/$campaignId/edit',
  loader: ({ context: { queryClient, me } }) => {
    prefetchTenantLists(queryClient, me.tenant.id);
    void queryClient.prefetchQuery(listingsQueryOptions(me.tenant.id));
  },
  component: lazyRouteComponent(
    () => import('../features/campaigns/components/campaign-editor-pages'),
    'EditCampaignPage',
  ),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  invitationRoute,
  appRoute.addChildren([
    accountRoute,
    inboxRoute,
    boardRoute,
    leadRoute,
    settingsRoute,
    tasksRoute,
    dashboardRoute,
    importsRoute,
    ticketsRoute,
    ticketRoute,
    customersRoute,
    customerRoute,
    quotesRoute,
    quoteRoute,
    campaignsRoute,
    newCampaignRoute,
    campaignRoute,
    editCampaignRoute,
  ]),
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
