/**
 * The browser every e2e file drives: Debian's Chromium through playwright-core (nothing downloaded). A machine
 * without it skips the browser tests and says how to install it.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

/** Headless, no sandbox (CI runs as root), no first-run or sync; `extraArgs` for what one file needs besides. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', ...extraArgs],
  });
}
