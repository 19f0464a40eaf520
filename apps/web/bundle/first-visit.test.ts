/**
 * The size budget of a first visit on a phone over mobile data (issue #16): at most 250 KB of JavaScript, gzip,
 * for the login page a logged-out visitor lands on, and for the inbox a signed-in seller opens. Read from the
 * built bundle's manifest: what index.html loads and preloads, then each route's lazy chunk with its static
 * imports (what the router fetches before drawing it).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Manifest } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BUDGET = 250 * 1024;
const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('first-visit JavaScript', () => {
  let dist: string;
  let manifest: Manifest;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'tm-web-bundle-'));
    // Vitest sets NODE_ENV=test, and Vite keeps a NODE_ENV it finds: React would come in its development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        root: webRoot,
        configFile: path.join(webRoot, 'vite.config.ts'),
        logLevel: 'warn',
        build: { outDir: dist, emptyOutDir: true, manifest: true },
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    manifest = JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
  }, 180_000);

  afterAll(() => {
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  /** The files of these chunks (manifest keys) and of everything they import statically. */
  function filesOf(keys: string[]) {
    const files = new Set<string>();
    const stack = [...keys];
    while (stack.length) {
      const key = stack.pop() as string;
      const chunk = manifest[key];
      if (!chunk) throw new Error(`${key} is not in the manifest`);
      if (files.has(chunk.file)) continue;
      files.add(chunk.file);
      stack.push(...(chunk.imports ?? []));
    }
    return files;
  }

  /** The gzip size of these chunks (manifest keys) and of everything they import statically. */
  function gzipOf(keys: string[]) {
    return [...filesOf(keys)].reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length,
      0,
    );
  }
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

  it('counts real chunks (the entry is React, the router and Mantine, well over 100 KB)', () => {
    expect(gzipOf(['index.html'])).toBeGreaterThan(100 * 1024);
  });

  it.each([
    ['the login page, logged out', ['src/features/auth/components/login-page.tsx']],
    [
      'the inbox, signed in',
      ['src/components/app-layout.tsx', 'src/features/leads/components/inbox-page.tsx'],
    ],
  ])('keeps %s within 250 KB gzip', (_, routes) => {
    const size = gzipOf(['index.html', ...routes]);
    expect(size, `${kb(size)} gzip, over the budget of ${kb(BUDGET)}`).toBeLessThanOrEqual(BUDGET);
  });

  it('loads the holidays calendar (@mantine/dates, dayjs) with the follow-up rules only, not with the settings page', () => {
    const calendar = 'src/features/followup-policy/components/holiday-picker.tsx';
    const settings = filesOf(['index.html', 'src/features/settings/components/settings-page.tsx']);
    const own = manifest[calendar]?.file;
    expect(manifest[calendar]?.isDynamicEntry, 'the calendar is a chunk of its own').toBe(true);
    expect(settings.has(own ?? '')).toBe(false);
    const datesCode = (file: string) =>
      readFileSync(path.join(dist, file), 'utf8').includes('@mantine/dates/DatePickerInput');
    expect([...settings].filter((file) => file.endsWith('.js') && datesCode(file))).toEqual([]);
    // The search above finds the calendar where it is: in what the follow-up rules load.
    expect([...filesOf([calendar])].some(datesCode)).toBe(true);
  });
});
