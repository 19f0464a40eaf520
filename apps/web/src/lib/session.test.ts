import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meQueryOptions } from './session';

afterEach(() => vi.unstubAllGlobals());

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The API as the browser meets it: only GET /session answers; anything else would be a 404 in the console. */
function api(state: unknown) {
  const fetch = vi.fn(async (url: string) =>
    url === '/api/v1/session' ? json(200, state) : json(404, { status: 404, title: 'Not found' }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('the session query', () => {
  it('is null for a logged-out visit, asked without an error answer', async () => {
    const fetch = api({ authenticated: false });
    expect(await new QueryClient().fetchQuery(meQueryOptions)).toBeNull();
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/v1/session']);
  });

  it('is the signed-in user and tenant otherwise', async () => {
    const me = {
      user: { id: 'u1', name: 'Ana', role: 'OWNER' },
      tenant: { id: 't1', name: 'TechPeru' },
      csrfToken: 'csrf',
    };
    api({ authenticated: true, ...me });
    expect(await new QueryClient().fetchQuery(meQueryOptions)).toEqual(me);
  });
});
