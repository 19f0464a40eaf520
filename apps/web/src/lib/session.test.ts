import { QueryClient } from '@tanstack/react-query';
import { sessionStateResponse } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { getting } from '../test/mocks/api';
import { aTenant, aUser } from '../test/mocks/fixtures';
import { recordRequests, server } from '../test/mocks/server';
import { meQueryOptions, wasSignedIn } from './session';

/** The API as the browser meets it: only GET /session answers (anything else fails the test). */
function api(state: z.input<typeof sessionStateResponse>) {
  server.use(getting('/session', sessionStateResponse, () => state));
  return recordRequests();
}

describe('the session query', () => {
  it('is null for a logged-out visit, asked without an error answer', async () => {
    const requests = api({ authenticated: false });
    expect(await new QueryClient().fetchQuery(meQueryOptions)).toBeNull();
    expect(requests).toEqual([{ method: 'GET', path: '/api/v1/session' }]);
  });

  it('is the signed-in user and tenant otherwise', async () => {
    const me = { user: aUser({ name: 'Ana' }), tenant: aTenant({ name: 'TechPeru' }), csrfToken: 'csrf' };
    api({ authenticated: true, ...me });
    expect(await new QueryClient().fetchQuery(meQueryOptions)).toEqual(me);
  });
});

describe('the signed-in hint (main.tsx prefetches the signed-in shell only after one)', () => {
  it('is set by a signed-in answer and cleared by a logged-out one', async () => {
    localStorage.clear();
    expect(wasSignedIn()).toBe(false);
    api({ authenticated: true, user: aUser(), tenant: aTenant(), csrfToken: 'csrf' });
    await new QueryClient().fetchQuery(meQueryOptions);
    expect(wasSignedIn()).toBe(true);
    api({ authenticated: false });
    await new QueryClient().fetchQuery(meQueryOptions);
    expect(wasSignedIn()).toBe(false);
  });
});
