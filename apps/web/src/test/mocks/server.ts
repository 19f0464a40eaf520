import { setupServer } from 'msw/node';

/** The API as the component tests see it: each test adds the handlers it needs (`server.use`, see api.ts). */
export const server = setupServer();

/**
 * Every request the page sends from now on, in order (method, and path with its query): for a test that checks
 * what was asked, or that nothing was (the listeners are dropped after each test). With `bodies`, each entry
 * also holds the JSON body as the page wrote it, and is listed once that body is read.
 */
export function recordRequests({ bodies = false }: { bodies?: boolean } = {}) {
  const requests: { method: string; path: string; body?: unknown }[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    const entry = { method: request.method, path: `${url.pathname}${url.search}` };
    if (!bodies) {
      requests.push(entry);
      return;
    }
    void request
      .clone()
      .text()
      .then((text) => requests.push({ ...entry, body: text ? JSON.parse(text) : undefined }));
  });
  return requests;
}
