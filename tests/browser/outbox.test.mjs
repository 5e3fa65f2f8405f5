// The outbox in a real headless Chromium: a message the farmer sends while
// the network is gone fails, stays on screen, and survives the page being
// reloaded; back online it goes by itself, once; a draft survives a reload
// too and goes when sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, logIn, pageFor } from './browser.mjs';
import { conversationWith, newStaff, sqlOne } from '../integration/lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'chat-outbox-'));
let browser, user, convId, pu, photo;

before(async () => {
  const path = join(dir, 'leaf.jpg');
  execFileSync('vips', ['gaussnoise', `${path}[Q=85]`, '640', '480']);
  photo = readFileSync(path);
  browser = await launch();
  const agent = await newStaff('Support', 'Outbox Agent');
  const c = await conversationWith(agent);
  user = c.user;
  convId = c.id;
  pu = await pageFor(browser, 390, { isMobile: true, hasTouch: true });
});
after(async () => { await browser?.close(); rmSync(dir, { recursive: true, force: true }); });

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

const images = () => Number(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${convId} AND messageType = 'image'`));
const uploads = () => Number(sqlOne(`SELECT COUNT(*) FROM media WHERE ownerId = ${user.user.id}`));

test('a photo picked with no network waits on the phone, survives a reload, and goes once', async () => {
  const before = images();
  const beforeUploads = uploads();
  // The link is down for the upload, then holds it back after the reload:
  // the photo must come back from the phone's own store, not from memory.
  let mode = 'down', release, posts = 0;
  const held = new Promise((r) => { release = r; });
  await pu.route('**/api/v1/chat/media', async (route) => {
    if (mode === 'down') { await route.abort('internetdisconnected'); return; }
    posts++;
    await held;
    await route.continue().catch(() => {});
  });
  await pu.setInputFiles('[data-testid=file-input]', { name: 'leaf.jpg', mimeType: 'image/jpeg', buffer: photo });
  await pu.locator('[data-testid=uploading].failed', { hasText: 'Cannot reach the server' }).waitFor();
  mode = 'held';
  await pu.reload();
  const bubble = pu.locator('[data-testid=uploading]');
  await bubble.waitFor();
  assert.match(await bubble.locator('[data-testid=upload-preview]').getAttribute('src'), /^blob:/, 'shown from the phone\'s copy');
  assert.equal(images(), before, 'not sent yet');
  release();
  const sent = pu.locator('[data-testid=message].mine [data-testid=msg-image]');
  await sent.waitFor();
  await bubble.waitFor({ state: 'detached' });
  await pu.unroute('**/api/v1/chat/media');
  assert.equal(posts, 1, 'uploaded once after the reload');
  assert.equal(images(), before + 1, 'sent once');
  assert.equal(uploads(), beforeUploads + 1, 'stored once');
  await pu.reload();
  await sent.waitFor();
  assert.equal(await bubble.count(), 0, 'nothing left to send');
  assert.equal(images(), before + 1, 'still once');
});

test('a photo that failed goes by itself when the network comes back', async () => {
  const before = images();
  await pu.context().setOffline(true);
  await pu.setInputFiles('[data-testid=file-input]', { name: 'leaf.jpg', mimeType: 'image/jpeg', buffer: photo });
  await pu.locator('[data-testid=uploading].failed').waitFor();
  await pu.context().setOffline(false);
  await pu.locator('[data-testid=message].mine [data-testid=msg-image]').nth(1).waitFor();
  await pu.locator('[data-testid=uploading]').waitFor({ state: 'detached' });
  assert.equal(images(), before + 1);
});

test('a cancelled upload is gone from the outbox too', async () => {
  const before = images();
  await pu.route('**/api/v1/chat/media', () => {});   // never answers
  await pu.setInputFiles('[data-testid=file-input]', { name: 'leaf.jpg', mimeType: 'image/jpeg', buffer: photo });
  await pu.locator('[data-testid=uploading]').waitFor();
  await pu.click('[data-testid=upload-cancel]');
  await pu.locator('[data-testid=uploading]').waitFor({ state: 'detached' });
  await pu.unroute('**/api/v1/chat/media');
  await pu.reload();
  await pu.locator('[data-testid=composer]').waitFor();
  await pu.locator('[data-testid=message].mine [data-testid=msg-image]').nth(1).waitFor();
  const left = await pu.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('chat-outbox');
    req.onsuccess = () => {
      const all = req.result.transaction('messages').objectStore('messages').getAll();
      all.onsuccess = () => resolve(all.result.length);
    };
  }));
  assert.equal(left, 0, 'the outbox is empty');
  assert.equal(images(), before);
});
