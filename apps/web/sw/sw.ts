/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { API_CACHE, OPEN_LEAD_MESSAGE } from './shared';

/**
 * The web app's service worker (built by vite-plugin-pwa, Workbox inside):
 * - the shell (index.html, the bundles, icons) precached at install, so the app opens without a network; a new
 *   deploy installs a new worker, which waits until the page says "update" (the prompt in the app);
 * - the last inbox and lead pages: their API reads go to the network first and fall back to what was last read,
 *   in API_CACHE, which the app empties on logout (another person must never read the last one's shop);
 * - pushes (modules/push of the API) shown as notifications; a tap opens the lead.
 */
declare let self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// The first worker serves the page that installed it at once; a later one waits for "update" (SKIP_WAITING).
clientsClaim();

// Pages of the app open the shell; the API, the short links (/w/), the public quote PDFs (/q/) and the simulator are
// the server's own.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api\//, /^\/w\//, /^\/q\//, /^\/simulator\//],
  }),
);

/** The reads the inbox and a lead's page make: the session, the inbox list and counts, the lead and its history. */
const offlineReads = [
  /^\/api\/v1\/session$/,
  /^\/api\/v1\/tenants\/[^/]+\/leads(\/counts)?$/,
  /^\/api\/v1\/tenants\/[^/]+\/(branches|users|listings|tasks\/counts)$/,
  /^\/api\/v1\/leads\/[^/]+(\/(events|messages|tasks))?$/,
];
registerRoute(
  ({ url, request, sameOrigin }) =>
    sameOrigin && request.method === 'GET' && offlineReads.some((read) => read.test(url.pathname)),
  new NetworkFirst({
    cacheName: API_CACHE,
    plugins: [
      new ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 24 * 60 * 60 }),
      // Only a good answer is kept: never an error, never a 401 that would stand for the session offline.
      { cacheWillUpdate: async ({ response }) => (response.status === 200 ? response : null) },
    ],
  }),
);

// The app's "update" button: the waiting worker takes over, and the page reloads on the change.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

interface PushMessage {
  title: string;
  body: string;
  leadId: string;
  url: string;
  tag: string;
}

const isPushMessage = (value: unknown): value is PushMessage =>
  typeof value === 'object' &&
  value !== null &&
  ['title', 'body', 'url', 'tag'].every((key) => typeof (value as Record<string, unknown>)[key] === 'string');

self.addEventListener('push', (event) => {
  let message: unknown = null;
  try {
    message = event.data?.json();
  } catch {
    // Not ours, or not JSON: nothing to show.
  }
  if (!isPushMessage(message) || !message.url.startsWith('/')) return;
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      tag: message.tag,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: message.url },
    }),
  );
});

/** Opens a page of the app: in a window already open (the app routes there itself), else in a new one. */
async function openPage(url: string) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (!open) {
    await self.clients.openWindow(url);
    return;
  }
  open.postMessage({ type: OPEN_LEAD_MESSAGE, url });
  await open.focus().catch(() => undefined);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data as { url?: unknown } | null)?.url;
  if (typeof url !== 'string' || !url.startsWith('/')) return;
  // Started before waitUntil, so that the browser tests' synthetic click (which cannot be waited on) opens it too.
  const opening = openPage(url);
  event.waitUntil(opening);
});
