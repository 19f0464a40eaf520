// Gzip size of the JavaScript a first visit downloads: the entry's static import closure (what
// index.html loads and preloads), then each route's lazy chunk with its own closure on top.
// Run after `vite build`: node scripts/bundle-size.mjs
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const assets = path.join(dist, 'assets');
const files = readdirSync(assets);
const gz = (file) => gzipSync(readFileSync(path.join(assets, file)), { level: 9 }).length;
const staticImports = (file) =>
  [
    ...readFileSync(path.join(assets, file), 'utf8').matchAll(/(?:import|from)\s*["']\.\/([^"']+\.js)["']/g),
  ].map((m) => m[1]);
const closure = (roots, seen = new Set()) => {
  const stack = [...roots];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...staticImports(file));
  }
  return seen;
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const sum = (set) => [...set].reduce((n, f) => n + gz(f), 0);

const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const entry = [...html.matchAll(/assets\/([^"]+\.js)/g)].map((m) => m[1]);
const initial = closure(entry);
const css = files.filter((f) => f.endsWith('.css') && html.includes(f));
console.log(`initial JS (entry + preloads): ${kb(sum(initial))} gzip in ${initial.size} files`);
console.log(`initial CSS: ${kb(css.reduce((n, f) => n + gz(f), 0))} gzip`);
for (const route of [
  'login-page',
  'app-layout',
  'inbox-page',
  'lead-page',
  'board-page',
  'settings-page',
  'tasks-page',
  'dashboard-page',
  'tickets-page',
  'ticket-page',
  'quotes-page',
  'quote-page',
  'campaigns-page',
  'campaign-page',
  'campaign-editor',
  // The language catalogs other than Spanish, fetched when chosen.
  'pt-br',
  'en',
]) {
  const chunk = files.find((f) => f.startsWith(`${route}-`) && f.endsWith('.js'));
  if (!chunk) continue;
  const extra = new Set([...closure([chunk])].filter((f) => !initial.has(f)));
  console.log(`  + ${route}: ${kb(sum(extra))} gzip`);
}
const inbox = closure([
  ...initial,
  ...['app-layout', 'inbox-page'].map((r) => files.find((f) => f.startsWith(`${r}-`) && f.endsWith('.js'))),
]);
console.log(`signed-in inbox, first visit: ${kb(sum(inbox))} gzip JS`);
