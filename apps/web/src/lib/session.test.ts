import { QueryClient } from '@tanstack/react-query';
import { sessionStateResponse } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { getting } from '../test/mocks/api';
import { aTenant, aUser } from '../test/mocks/fixtures';
import { recordRequests, server } from '../test/mocks/server';
import { meQueryOptions } from './session';

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
