// browser.mjs - what the browser tests share: Debian's Chromium driven by
// playwright-core, a page per context, and the login form filled in.
import { chromium } from 'playwright-core';
import { BASE } from '../integration/lib.mjs';

export const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // A fake microphone (a tone) that needs no prompt, for voice notes.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

// A page in a new context of browser (width x 800); a page error fails the test.
export async function pageFor(browser, width, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, ...opts });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => { throw e; });
  return page;
}

export async function logIn(page, url, who) {
  await page.goto(`${BASE}${url}`);
  await page.fill('[data-testid=phone]', who.phone);
  await page.fill('[data-testid=password]', who.password);
  await page.click('[data-testid=login-submit]');
}
