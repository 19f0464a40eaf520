import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { createI18n } from './lib/i18n';

// Most visits are signed in: fetch the signed-in shell's and the inbox's code alongside the session
// check instead of after it (on the login page this costs one unused download, once).
if (window.location.pathname !== '/login') {
  void import('./components/app-layout');
  if (window.location.pathname === '/') void import('./features/leads/components/inbox-page');
}

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App i18n={createI18n()} />
  </StrictMode>,
);
