import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { afterFirstScreen, removeSplashAfterFirstScreen } from './lib/after-load';
import { appStylesApplied } from './lib/app-styles';
import { createI18n, initialLanguage, loadLanguage } from './lib/i18n';
import { listenForInstallPrompt, updateReady } from './lib/pwa';
import { wasSignedIn } from './lib/session';

// Most visits are signed in: fetch the signed-in shell's and the inbox's code alongside the session
// check instead of after it. Only in a browser that was signed in last time, so that a first visit
// (logged out, sent to the login page) stays within its 250 KB of JS.
// Otherwise the visit most likely ends on the login page: fetch its code beside the session check instead.
const { pathname } = window.location;
if (pathname !== '/login' && wasSignedIn()) {
  void import('./components/app-layout');
  if (pathname === '/') void import('./features/leads/components/inbox-page');
} else if (pathname === '/login' || pathname === '/') {
  void import('./features/auth/components/login-page');
}

// The installable app: its service worker (sw/sw.ts) keeps the shell and the last pages for offline use; a new
// version waits for the person to choose "update" (components/pwa-prompts.tsx) instead of reloading under them.
// Registered off the first paint's path: workbox-window is its own chunk, not part of a first visit's budget, and
// it is fetched after the first screen, not beside its code on a slow network (lib/after-load.ts).
listenForInstallPrompt();
afterFirstScreen(() => {
  void import('virtual:pwa-register').then(({ registerSW }) => {
    const updateServiceWorker = registerSW({
      immediate: true,
      onNeedRefresh: () => updateReady(() => updateServiceWorker(true)),
    });
  });
});

removeSplashAfterFirstScreen();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
const language = initialLanguage();
const i18n = createI18n(language);
// A Portuguese or English visit waits for its strings (one small chunk); a failed fetch shows Spanish. Every
// visit waits for the app's stylesheet (lib/app-styles.ts: preloaded, not render-blocking, so the splash paints first).
void Promise.all([loadLanguage(i18n, language).catch(() => undefined), appStylesApplied()]).finally(() =>
  createRoot(root).render(
    <StrictMode>
      <App i18n={i18n} />
    </StrictMode>,
  ),
);
