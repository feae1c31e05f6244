import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless, as TOOLING.md says it runs here. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.FAULTLINE_TEST_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
