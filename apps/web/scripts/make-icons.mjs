// Draws the app's icons (the "TM" mark of the favicon) as PNGs with Debian's Chromium, for the web app manifest and
// iOS's home screen. Run once after changing the mark: `node scripts/make-icons.mjs`; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '../public/icons');
// Maskable icons keep their mark inside the central 80% circle; the plain ones fill a rounded square.
const mark = (size, { maskable }) => `<!doctype html><html><body style="margin:0">
<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">
  <rect width="100" height="100" rx="${maskable ? 0 : 18}" fill="#1c7ed6"/>
  <text x="50" y="${maskable ? 61 : 64}" font-size="${maskable ? 32 : 44}" font-weight="700" text-anchor="middle"
        fill="#ffffff" font-family="DejaVu Sans, Arial, sans-serif">TM</text>
</svg></body></html>`;

const icons = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon.png', size: 180, maskable: true },
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox'],
});
try {
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    await page.setContent(mark(icon.size, icon));
    writeFileSync(path.join(out, icon.file), await page.locator('svg').screenshot({ omitBackground: true }));
    await page.close();
  }
} finally {
  await browser.close();
}
