// The outbox in a real headless Chromium: a message the farmer sends while
// the network is gone fails, stays on screen, and survives the page being
// reloaded; back online it goes by itself, once; a draft survives a reload
// too and goes when sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, logIn, pageFor } from './browser.mjs';
import { conversationWith, newStaff, sqlOne } from '../integration/lib.mjs';

let browser, user, convId, pu;

before(async () => {
  browser = await launch();
  const agent = await newStaff('Support', 'Outbox Agent');
  const c = await conversationWith(agent);
  user = c.user;
  convId = c.id;
  pu = await pageFor(browser, 390, { isMobile: true, hasTouch: true });
});
after(async () => { await browser?.close(); });

const stored = (text) => Number(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${convId} AND content = '${text}'`));

test('sent offline, reloaded, online again: it goes by itself, once', async () => {
  await logIn(pu, '/user.html', user);
  await pu.locator('[data-testid=greeting]').waitFor();
  await pu.context().setOffline(true);
  await pu.fill('[data-testid=composer]', 'Sent from the field with no network');
  await pu.keyboard.press('Enter');
  await pu.locator('[data-testid=pending].failed', { hasText: 'no network' }).waitFor();
  assert.equal(stored('Sent from the field with no network'), 0);
  await pu.context().setOffline(false);
  await pu.reload();
  // Back on the page: it shows, and goes, with its first clientMessageId.
  await pu.locator('[data-testid=message].mine', { hasText: 'Sent from the field with no network' }).waitFor();
  await pu.locator('[data-testid=message].mine [data-testid=check]').first().waitFor();
  assert.equal(await pu.locator('[data-testid=pending]').count(), 0);
  assert.equal(stored('Sent from the field with no network'), 1, 'once');
  // Another reload sends nothing again.
  await pu.reload();
  await pu.locator('[data-testid=message].mine', { hasText: 'Sent from the field with no network' }).waitFor();
  assert.equal(await pu.locator('[data-testid=pending]').count(), 0);
  assert.equal(stored('Sent from the field with no network'), 1, 'still once');
});

test('a draft survives a reload and goes when sent', async () => {
  await pu.fill('[data-testid=composer]', 'How much water for');
  await pu.reload();
  const box = pu.locator('[data-testid=composer]');
  await box.waitFor();
  await pu.waitForFunction(() => document.querySelector('[data-testid=composer]').value === 'How much water for');
  await box.press('End');
  await box.type(' chillies?');
  await box.press('Enter');
  await pu.locator('[data-testid=message].mine', { hasText: 'How much water for chillies?' }).waitFor();
  await pu.reload();
  await pu.locator('[data-testid=message].mine', { hasText: 'How much water for chillies?' }).waitFor();
  assert.equal(await box.inputValue(), '', 'the draft went with the message');
});
