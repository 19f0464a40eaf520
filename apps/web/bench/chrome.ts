import * as chromeLauncher from 'chrome-launcher';

/** Debian's Chromium (CHROME_PATH, default /usr/bin/chromium; no browser download), headless, for Lighthouse. */
export const launchBenchChrome = () =>
  chromeLauncher.launch({
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
