/**
 * `npm run bench:web`: Lighthouse's mobile preset (simulated slow 4G, 4x CPU slowdown) on the login page, the
 * signed-in inbox and a lead, in Debian's Chromium (CHROME_PATH, default /usr/bin/chromium; no browser download).
 * The app is built and served by the real API on a fresh database with the demo shop (e2e/demo-server.ts), the
 * session is a real login as the demo seller, and the first visit's JS is what the login page's first load
 * transferred (its gzip size, read from the built files, and what went over the wire: brotli when accepted).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { MeResponse } from '@techmarket/contracts';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { DEMO_SELLER, startDemoServer } from '../e2e/demo-server';
import { launchBenchChrome } from './chrome';

const server = await startDemoServer({ name: 'bench-web', embeddedPortOffset: 3, nodeEnv: 'production' });
const { baseUrl, dist } = server;
const chrome = await launchBenchChrome();
try {
  const audit = async (url: string) => {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      // Keeps the session cookie; the cache is still emptied before each page (a first visit).
      disableStorageReset: true,
    });
    if (!result) throw new Error(`no Lighthouse result for ${url}`);
    return result.lhr;
  };
  // BENCH_WEB_REPORTS=<folder> keeps each page's full Lighthouse report (JSON) to read its audits and trace.
  const keep = (name: string, lhr: Awaited<ReturnType<typeof audit>>) => {
    const folder = process.env.BENCH_WEB_REPORTS;
    if (!folder) return;
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `${name}.json`), JSON.stringify(lhr));
  };
  const report = (name: string, lhr: Awaited<ReturnType<typeof audit>>) => {
    keep(name, lhr);
    const score = (category: string) => Math.round((lhr.categories[category]?.score ?? 0) * 100);
    const value = (id: string) => lhr.audits[id]?.displayValue ?? '?';
    console.log(
      `${name.padEnd(6)} performance ${score('performance')}, accessibility ${score('accessibility')}; ` +
        `FCP ${value('first-contentful-paint')}, LCP ${value('largest-contentful-paint')}, ` +
        `TBT ${value('total-blocking-time')}, CLS ${value('cumulative-layout-shift')}`,
    );
    // A run that could not measure (no paint in time, a busy machine) scores 0: say why.
    if (lhr.runtimeError)
      console.log(`       not measured: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    type Shift = { score?: number; node?: { snippet?: string } };
    const shifts = (lhr.audits['layout-shifts']?.details as { items?: Shift[] })?.items ?? [];
    for (const shift of shifts.slice(0, 3)) {
      console.log(
        `       layout shift ${shift.score?.toFixed(3)}: ${shift.node?.snippet ?? '?'}`.slice(0, 300),
      );
    }
    for (const item of Object.values(lhr.audits)) {
      if (item.score !== null && item.score < 1 && item.scoreDisplayMode === 'binary') {
        console.log(`       failing: ${item.id} (${item.title})`);
        const nodes = (item.details as { items?: { node?: { snippet?: string; explanation?: string } }[] })
          ?.items;
        const lines = (nodes ?? []).map(({ node }) =>
          `         ${node?.snippet ?? ''} ${node?.explanation ?? ''}`.replace(/\s+/g, ' ').slice(0, 400),
        );
        for (const line of [...new Set(lines)].slice(0, 6)) console.log(line);
      }
    }
  };

  const login = await audit(`${baseUrl}/login`);
  report('login', login);
  type Request = { url: string; resourceType?: string; transferSize?: number };
  const requests = ((login.audits['network-requests']?.details as { items?: Request[] })?.items ?? []).filter(
    (r) => r.resourceType === 'Script',
  );
  const gzip = requests.reduce((sum, r) => {
    const file = path.join(dist, new URL(r.url).pathname);
    return sum + gzipSync(readFileSync(file), { level: 9 }).length;
  }, 0);
  const wire = requests.reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
  console.log(
    `first visit (login page): ${requests.length} JS files, ${(gzip / 1024).toFixed(1)} KB gzip ` +
      `(${(wire / 1024).toFixed(1)} KB transferred)`,
  );

  // The seller's session, put in the browser itself (Chrome ignores a Cookie header Lighthouse would inject).
  const answer = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_SELLER),
  });
  if (!answer.ok) throw new Error(`login failed: ${answer.status} ${await answer.text()}`);
  const { token } = (await answer.json()) as { token: string };
  const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  const context = cdp.contexts()[0];
  if (!context) throw new Error('no browser context');
  // The signed-in pages are measured as a returning seller opens them: with the service worker installed and its
  // shell cached. The page registers it only after its first screen (src/lib/after-load.ts), which may be after
  // Lighthouse has finished with the login page: wait for it here, so its install does not run during the next audit.
  const warm = await context.newPage();
  await warm.goto(`${baseUrl}/login`);
  await warm.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await warm.close();
  await context.addCookies([
    { name: 'tm_session', value: token, url: baseUrl, httpOnly: true, sameSite: 'Lax' },
  ]);
  const me = (await (
    await fetch(`${baseUrl}/api/v1/me`, { headers: { cookie: `tm_session=${token}` } })
  ).json()) as MeResponse;
  const tenantId = me.tenant.id;
  const leads = (await (
    await fetch(`${baseUrl}/api/v1/tenants/${tenantId}/leads?limit=1`, {
      headers: { cookie: `tm_session=${token}` },
    })
  ).json()) as { items: { id: string }[] };
  const lead = leads.items[0];
  if (!lead) throw new Error('the demo seller sees no lead');

  report('inbox', await audit(`${baseUrl}/`));
  report('lead', await audit(`${baseUrl}/leads/${lead.id}`));
  await cdp.close();
} finally {
  await chrome.kill();
  await server.stop();
}
