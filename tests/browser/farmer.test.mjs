// A new farmer on the end-user page (issue 15, ergonomics): registering,
// the password rule is said before anything is refused, and a refusal says
// the server's reason in the page's language (not "please check"); the
// first screen greets them instead of an empty pane; the composer grows
// with the text and counts down near the 4,000-byte limit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, pageFor } from './browser.mjs';
import { BASE, freshPhone } from '../integration/lib.mjs';

let browser, page;

before(async () => {
  browser = await launch();
  page = await pageFor(browser, 390, { isMobile: true, hasTouch: true });
});
after(async () => { await browser?.close(); });

test('registration says the password rule first and the server\'s reason in words; the first screen greets', async () => {
  await page.goto(`${BASE}/user.html`);
  await page.click('[data-testid=toggle-register]');
  const rule = page.locator('[data-testid=password-rule]');
  await rule.waitFor();
  assert.match(await rule.innerText(), /At least 8 characters/);
  assert.equal(await page.getAttribute('[data-testid=password]', 'aria-describedby'), 'password-rule');
  await page.fill('[data-testid=phone]', freshPhone());
  await page.fill('[data-testid=name]', 'Kisan Ram');
  await page.fill('[data-testid=password]', 'onlyletters');
  await page.click('[data-testid=login-submit]');
  const error = page.locator('[data-testid=login-error]');
  await error.filter({ hasText: 'Mix letters with digits or symbols' }).waitFor();
  await page.click('[data-testid=lang]');
  await page.click('[data-testid=login-submit]');
  await error.filter({ hasText: 'अंक या चिह्न' }).waitFor();
  await page.click('[data-testid=lang]');
  await page.fill('[data-testid=phone]', '12');
  await page.fill('[data-testid=password]', 'good-pass-42');
  await page.click('[data-testid=login-submit]');
  await error.filter({ hasText: 'country code' }).waitFor();
  await page.fill('[data-testid=phone]', freshPhone());
  await page.click('[data-testid=login-submit]');
  const greeting = page.locator('[data-testid=greeting]');
  await greeting.waitFor();
  assert.match(await greeting.innerText(), /Namaste!/);
});

test('the composer grows with the text and counts the bytes left near the limit', async () => {
  const box = page.locator('[data-testid=composer]');
  const h0 = (await box.boundingBox()).height;
  await box.fill('line one\nline two\nline three');
  assert.ok((await box.boundingBox()).height > h0, 'grows');
  const left = page.locator('[data-testid=bytes-left]');
  assert.equal(await left.isVisible(), false, 'no count far from the limit');
  await box.fill('क'.repeat(1200));            // 3,600 bytes
  await left.filter({ hasText: '400 left' }).waitFor();
  await box.fill('क'.repeat(1400));            // 4,200 bytes
  await left.filter({ hasText: '200 too many' }).waitFor();
  // Sent anyway, the server refuses it in words; it stays, to retry.
  await page.click('[data-testid=send]');
  await page.locator('[data-testid=pending].failed', { hasText: 'too long' }).waitFor();
  await box.fill('Thank you');
  await page.click('[data-testid=send]');
  await page.locator('[data-testid=message]', { hasText: 'Thank you' }).waitFor();
  assert.equal(await page.locator('[data-testid=greeting]').count(), 0, 'the greeting makes way');
});

test('a phone that prefers Hindi opens the page in Hindi; a choice made on the page wins after', async () => {
  const hi = await pageFor(browser, 390, { isMobile: true, hasTouch: true, locale: 'hi-IN' });
  await hi.goto(`${BASE}/user.html`);
  await hi.locator('[data-testid=login-submit]', { hasText: 'लॉग इन' }).waitFor();
  assert.equal(await hi.getAttribute('html', 'lang'), 'hi');
  await hi.click('[data-testid=lang]');
  await hi.reload();
  await hi.locator('[data-testid=login-submit]', { hasText: 'Log in' }).waitFor();
  await hi.context().close();
});

test('on a phone every control is at least 48 px, and the page fits the visible screen', async () => {
  const small = [];
  // (The file input is a hidden one the attach button opens.)
  for (const b of await page.locator('button:visible, select:visible, input:visible:not(.visually-hidden), textarea:visible').all()) {
    const box = await b.boundingBox();
    if (box && (box.height < 47.5 || (box.width < 47.5 && (await b.evaluate((e) => e.tagName)) === 'BUTTON'))) {
      small.push(`${await b.evaluate((e) => e.dataset.testid || e.className || e.tagName)} ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  assert.deepEqual(small, [], 'controls under 48 px');
  const { body, viewport } = await page.evaluate(() => ({ body: document.body.getBoundingClientRect().height, viewport: window.innerHeight }));
  assert.ok(Math.abs(body - viewport) <= 1, `the page is the screen's height: ${body} vs ${viewport}`);
  const composer = await page.locator('[data-testid=composer]').boundingBox();
  assert.ok(composer.y + composer.height <= (await page.evaluate(() => window.innerHeight)), 'the composer is on screen');
});
