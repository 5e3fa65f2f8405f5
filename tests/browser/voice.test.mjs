// Voice notes in a real headless Chromium (a fake microphone, a tone):
// the user taps the microphone, the time runs, a second tap sends it; it
// plays inline on both sides, stored and served as audio (Opus in WebM),
// not as a video.  Cancel sends nothing; in Note mode there is no
// recording (a note is text).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, logIn, pageFor } from './browser.mjs';
import { BASE, api, conversationWith, newStaff, sqlOne } from '../integration/lib.mjs';

let browser, agent, user, convId, pa, pu;

before(async () => {
  browser = await launch();
  agent = await newStaff('Support', 'Voice Agent');
  const c = await conversationWith(agent);
  user = c.user;
  convId = c.id;
  await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: convId, content: 'Listen to my pump' } });
  pu = await pageFor(browser, 390, { isMobile: true, hasTouch: true });
  pa = await pageFor(browser, 1280);
});
after(async () => { await browser?.close(); });

test('a voice note recorded on the phone plays on both sides, as audio', async () => {
  await logIn(pu, '/user.html', user);
  await pu.locator('[data-testid=message]', { hasText: 'Listen to my pump' }).waitFor();
  await logIn(pa, `/#/c/${convId}`, agent);
  await pa.locator('[data-testid=message]', { hasText: 'Listen to my pump' }).waitFor();

  // Cancel: nothing goes.
  await pu.click('[data-testid=record]');
  await pu.locator('[data-testid=record-time]', { hasText: /0:0\d/ }).waitFor();
  await pu.click('[data-testid=record-cancel]');
  assert.equal(await pu.locator('[data-testid=record-time]').isVisible(), false);

  await pu.click('[data-testid=record]');
  await pu.locator('[data-testid=record-time]', { hasText: '0:01' }).waitFor();
  await pu.click('[data-testid=record]');
  const mine = pu.locator('[data-testid=message].mine [data-testid=msg-audio]');
  await mine.waitFor();
  const theirs = pa.locator('[data-testid=message] [data-testid=msg-audio]');
  await theirs.waitFor();
  assert.equal(Number(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${convId} AND messageType = 'audio'`)), 1, 'only the one sent');
  const src = await theirs.getAttribute('src');
  const res = await fetch(src);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^audio\/(webm|ogg)/, 'served as audio');
  assert.ok((await res.arrayBuffer()).byteLength > 1000, 'a recording, not an empty file');
  // It plays: the element knows its length once loaded.
  const duration = await theirs.evaluate((a) => new Promise((resolve) => {
    if (a.readyState >= 1) resolve(a.duration); else a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true });
  }));
  assert.ok(duration > 0.5 || duration === Infinity, `it plays: ${duration}`);
  // The agent's Note mode records nothing.
  await pa.click('[data-testid=mode-note]');
  assert.equal(await pa.isDisabled('[data-testid=record]'), true);
});
