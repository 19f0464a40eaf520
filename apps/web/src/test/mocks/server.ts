import { setupServer } from 'msw/node';

/** The API as the component tests see it: each test adds the handlers it needs (`server.use`, see api.ts). */
export const server = setupServer();

/**
 * Every request the page sends from now on, in order (method, and path with its query): for a test that checks
 * what was asked, or that nothing was (the listeners are dropped after each test).
 */
export function recordRequests() {
  const requests: { method: string; path: string }[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    requests.push({ method: request.method, path: `${url.pathname}${url.search}` });
  });
  return requests;
}
