// A phone photo over a slow link, in a real headless Chromium: a 3000x2000
// JPEG is made small in the browser before it goes (about 1600 px, far
// fewer bytes), shown from the phone's own copy while it uploads, can be
// cancelled (nothing sent) and sent again; the timeline then shows the
// server's thumbnail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, logIn, pageFor } from './browser.mjs';
import { conversationWith, newStaff, sqlOne } from '../integration/lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'chat-photo-'));
let browser, user, convId, pu, photo;

before(async () => {
  // A camera-sized photo that does not compress to nothing: noise.
  const path = join(dir, 'field.jpg');
  execFileSync('vips', ['gaussnoise', `${path}[Q=90]`, '3000', '2000']);
  photo = readFileSync(path);
  browser = await launch();
  const agent = await newStaff('Support', 'Photo Agent');
  const c = await conversationWith(agent);
  user = c.user;
  convId = c.id;
  pu = await pageFor(browser, 390, { isMobile: true, hasTouch: true });
});
after(async () => { await browser?.close(); rmSync(dir, { recursive: true, force: true }); });

const images = () => Number(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${convId} AND messageType = 'image'`));

test('the photo is made small first, shown while it goes, cancelled, then sent', async () => {
  await logIn(pu, '/user.html', user);
  await pu.locator('[data-testid=greeting]').waitFor();
  // Hold the upload back until the test lets it go: a slow link.
  let release;
  const held = new Promise((r) => { release = r; });
  const sizes = [];
  await pu.route('**/api/v1/chat/media', async (route) => {
    sizes.push(route.request().postDataBuffer()?.length ?? 0);
    await held;
    // (Cancelled meanwhile: the browser dropped the request.)
    await route.continue().catch(() => {});
  });
  await pu.setInputFiles('[data-testid=file-input]', { name: 'field.jpg', mimeType: 'image/jpeg', buffer: photo });
  const bubble = pu.locator('[data-testid=uploading]');
  await bubble.waitFor();
  assert.match(await bubble.locator('[data-testid=upload-preview]').getAttribute('src'), /^blob:/, 'the phone\'s own copy');
  await pu.click('[data-testid=upload-cancel]');
  await bubble.waitFor({ state: 'detached' });
  release();
  assert.equal(sizes.length, 1);
  assert.ok(sizes[0] < photo.length / 2, `made small: ${sizes[0]} of ${photo.length} bytes`);
  assert.equal(images(), 0, 'a cancelled photo is not sent');
  await pu.unroute('**/api/v1/chat/media');

  await pu.setInputFiles('[data-testid=file-input]', { name: 'field.jpg', mimeType: 'image/jpeg', buffer: photo });
  const sent = pu.locator('[data-testid=message].mine [data-testid=msg-image]');
  await sent.waitFor();
  assert.equal(images(), 1);
  assert.match(await sent.getAttribute('src'), /-thumb\./, 'the timeline shows the thumbnail');
  const dims = sqlOne(`SELECT CONCAT(md.width, 'x', md.height) FROM messages m JOIN media md ON md.id = m.mediaId WHERE m.conversationId = ${convId}`);
  assert.equal(dims, '1600x1067');
});
