import {
  type AnyRoute,
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
} from '@tanstack/react-router';
import { describe, expect, it } from 'vitest';
import { inboxSearch, loginSearch, settingsSearch, tokenSearch } from './search-params';

const branchId = '0190a6a0-1c2e-7d3f-8a4b-5c6d7e8f9a0b';
const userId = '5f0c8a3e-2b1d-4c6e-9f7a-1b2c3d4e5f60';

/** Opens `url` in a router whose routes validate their search with the app's schemas; returns what a page reads. */
async function searchAt(url: string) {
  const rootRoute = createRootRoute();
  const routes: AnyRoute[] = [
    createRoute({ getParentRoute: () => rootRoute, path: '/', validateSearch: inboxSearch }),
    createRoute({ getParentRoute: () => rootRoute, path: '/login', validateSearch: loginSearch }),
    createRoute({ getParentRoute: () => rootRoute, path: '/settings', validateSearch: settingsSearch }),
    createRoute({ getParentRoute: () => rootRoute, path: '/invitation', validateSearch: tokenSearch }),
  ];
  const router = createRouter({
    routeTree: rootRoute.addChildren(routes),
    history: createMemoryHistory({ initialEntries: [url] }),
  });
  await router.load();
  const match = router.state.matches.at(-1);
  expect(match?.status).toBe('success');
  return { search: match?.search, router };
}

describe('the inbox filters in the URL', () => {
  it('keeps every filter of a shared link', async () => {
    const { search } = await searchAt(
      `/?status=NEW&scope=team&branchId=${branchId}&assignedTo=${userId}&priority=HIGH&source=WHATSAPP&q=%20moto%20g%20&sort=-createdAt`,
    );
    expect(search).toEqual({
      status: 'NEW',
      scope: 'team',
      branchId,
      assignedTo: userId,
      priority: 'HIGH',
      source: 'WHATSAPP',
      q: 'moto g',
      sort: '-createdAt',
    });
  });

  it('drops a bad value and keeps the rest, instead of showing an error page', async () => {
    const { search } = await searchAt(
      '/?status=CLOSED&scope=everyone&branchId=42&assignedTo=not-a-uuid&priority=HIGH&source=TV&sort=newest',
    );
    expect(search).toEqual({ priority: 'HIGH' });
  });

  it('reads a search text the router took for a number, and drops a blank or overlong one', async () => {
    expect((await searchAt('/?q=123')).search).toEqual({ q: '123' });
    expect((await searchAt('/?q=%20%20')).search).toEqual({});
    expect((await searchAt(`/?q=${'a'.repeat(101)}`)).search).toEqual({});
    expect((await searchAt(`/?q=${'a'.repeat(100)}`)).search).toEqual({ q: 'a'.repeat(100) });
  });

  it('writes the filters a page sets into a URL that reads back the same', async () => {
    const { router } = await searchAt('/');
    await router.navigate({ to: '/', search: { status: 'WON', q: '123', sort: 'priority' } });
    expect(router.state.location.pathname).toBe('/');
    expect(router.state.matches.at(-1)?.search).toEqual({ status: 'WON', q: '123', sort: 'priority' });
    expect((await searchAt(router.state.location.href)).search).toEqual({
      status: 'WON',
      q: '123',
      sort: 'priority',
    });
  });
});

describe('the other routes’ search params', () => {
  it('sends a login back only to a path of this app', async () => {
    expect((await searchAt('/login?redirect=%2Fleads%2Fabc%3Ftab%3D1')).search).toEqual({
      redirect: '/leads/abc?tab=1',
    });
    expect((await searchAt('/login?redirect=%2F%2Fevil.example')).search).toEqual({});
    expect((await searchAt('/login?redirect=https%3A%2F%2Fevil.example')).search).toEqual({});
  });

  it('opens a known settings tab and ignores an unknown one', async () => {
    expect((await searchAt('/settings?tab=whatsapp')).search).toEqual({ tab: 'whatsapp' });
    expect((await searchAt('/settings?tab=billing')).search).toEqual({});
  });

  it('takes a link token as text only', async () => {
    expect((await searchAt('/invitation?token=abcDEF_123-xyz')).search).toEqual({ token: 'abcDEF_123-xyz' });
    expect((await searchAt('/invitation?token=%7B%22a%22%3A1%7D')).search).toEqual({});
  });
});
