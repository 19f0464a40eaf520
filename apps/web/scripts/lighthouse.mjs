// Lighthouse on the signed-in inbox, in Debian's Chromium (no browser download).
// Start the app first (`npm start`, or the API on BASE_URL), then:
//   node apps/web/scripts/lighthouse.mjs [BASE_URL] [email] [password]
// The session comes from a real login, so the audit sees the inbox a seller sees.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://localhost:3000';
const email = process.argv[3] ?? 'owner@techperu.pe';
const password = process.argv[4] ?? 'techmarket2026';

const login = await fetch(`${base}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, password }),
});
if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
const { token } = await login.json();

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-sync',
  ],
});
// Chrome ignores a Cookie header injected by Lighthouse: put the session cookie in the browser itself.
const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
const context = cdp.contexts()[0];
if (!context) throw new Error('no browser context');
await context.addCookies([{ name: 'tm_session', value: token, url: base, httpOnly: true, sameSite: 'Lax' }]);
try {
  for (const formFactor of ['mobile', 'desktop']) {
    const result = await lighthouse(
      `${base}/`,
      {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        disableStorageReset: true,
      },
      formFactor === 'desktop'
        ? (await import('lighthouse/core/config/desktop-config.js')).default
        : undefined,
    );
    if (!result) throw new Error('no result');
    const { categories, audits } = result.lhr;
    const score = (c) => Math.round((categories[c]?.score ?? 0) * 100);
    console.log(
      `${formFactor}: performance ${score('performance')}, accessibility ${score('accessibility')}, best practices ${score('best-practices')}; ` +
        `FCP ${audits['first-contentful-paint']?.displayValue}, LCP ${audits['largest-contentful-paint']?.displayValue}, ` +
        `TBT ${audits['total-blocking-time']?.displayValue}, CLS ${audits['cumulative-layout-shift']?.displayValue}`,
    );
    if (process.env.LH_DETAILS) {
      const requests = audits['network-requests']?.details?.items ?? [];
      for (const r of requests) if (r.statusCode >= 400) console.log(`  ${r.statusCode} ${r.url}`);
      const api = requests.filter((r) => r.url.includes('/api/'));
      console.log(
        `  ${requests.length} requests, ${api.length} to the API: ${api.map((r) => r.url.split('/api/v1')[1]).join(' ')}`.slice(
          0,
          1500,
        ),
      );
      for (const shift of audits['layout-shifts']?.details?.items ?? []) {
        console.log(`  layout shift ${shift.score?.toFixed?.(3)} ${shift.node?.snippet ?? ''}`.slice(0, 300));
      }
      const tasks = audits['long-tasks']?.details?.items ?? [];
      for (const t of tasks.slice(0, 8))
        console.log(`  long task ${Math.round(t.duration)} ms at ${Math.round(t.startTime)} ${t.url}`);
      const boot = audits['bootup-time']?.details?.items ?? [];
      for (const b of boot.slice(0, 5))
        console.log(`  bootup ${b.url} total ${Math.round(b.total)} script ${Math.round(b.scripting)}`);
    }
    for (const audit of Object.values(audits)) {
      if (audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode === 'binary') {
        console.log(`  - ${audit.id}: ${audit.title}`);
        if (process.env.LH_DETAILS) {
          const items = (audit.details && 'items' in audit.details ? audit.details.items : []) ?? [];
          for (const item of items.slice(0, 6)) {
            const node = item.node ?? {};
            console.log(
              `      ${item.description ?? item.source ?? ''} ${node.snippet ?? ''} ${node.explanation ?? ''}`.slice(
                0,
                300,
              ),
            );
          }
        }
      }
    }
  }
} finally {
  await cdp.close().catch(() => undefined);
  await chrome.kill();
}
