import { API_CACHE } from '../../sw/shared';
import { apiRequest } from './api-client';

/**
 * The page's side of the installable app: whether a new version waits (the service worker registered in main.tsx
 * says so), whether the browser offers to install the app, the offline data to forget on logout, and this device's
 * push subscription.
 */

type Listener = () => void;
const listeners = new Set<Listener>();
const state: { updateReady: (() => Promise<void>) | null; installPrompt: InstallPromptEvent | null } = {
  updateReady: null,
  installPrompt: null,
};
const changed = () => {
  for (const listener of listeners) listener();
};

/** Chromium's `beforeinstallprompt` (not in TypeScript's DOM library). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export const pwaState = () => state;
export const onPwaChange = (listener: Listener) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};

/** A new version is installed and waits; `apply` hands over to it (the page then reloads). */
export function updateReady(apply: () => Promise<void>) {
  state.updateReady = apply;
  changed();
}

/** Keeps the browser's offer to install the app, to make it from our own button instead of its mini-bar. */
export function listenForInstallPrompt(target: Window = window) {
  target.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    state.installPrompt = event as InstallPromptEvent;
    changed();
  });
  target.addEventListener('appinstalled', () => {
    state.installPrompt = null;
    changed();
  });
}

export async function promptInstall() {
  const offer = state.installPrompt;
  if (!offer) return;
  state.installPrompt = null;
  changed();
  await offer.prompt();
}

/** The last inbox and lead pages kept for offline use: another person must never read them after this one. */
export async function forgetOfflineData() {
  if (typeof caches === 'undefined') return;
  await caches.delete(API_CACHE).catch(() => false);
}

/** Whether this browser can be pushed to (a secure page with a service worker and the Push API). */
export const pushSupported = () =>
  typeof window !== 'undefined' &&
  'serviceWorker' in navigator &&
  'PushManager' in window &&
  'Notification' in window;

async function registration() {
  if (!pushSupported()) return null;
  return (await navigator.serviceWorker.getRegistration()) ?? null;
}

export async function currentPushSubscription() {
  return (await (await registration())?.pushManager.getSubscription()) ?? null;
}

/** Asks for permission, subscribes this browser with the server's VAPID key and hands it to the API. */
export async function enablePush(language: string) {
  if ((await Notification.requestPermission()) !== 'granted') return false;
  const worker = await navigator.serviceWorker.ready;
  const { publicKey } = await apiRequest<{ publicKey: string }>('/push/public-key');
  const subscription =
    (await worker.pushManager.getSubscription()) ??
    (await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }));
  await apiRequest('/me/push-subscriptions', {
    method: 'POST',
    body: { ...subscription.toJSON(), language },
  });
  return true;
}

/** Stops pushes to this browser: the API forgets the device and the browser drops the subscription. */
export async function disablePush() {
  const subscription = await currentPushSubscription();
  if (!subscription) return;
  await apiRequest('/me/push-subscriptions', {
    method: 'DELETE',
    body: { endpoint: subscription.endpoint },
  }).catch(() => undefined);
  await subscription.unsubscribe().catch(() => false);
}
