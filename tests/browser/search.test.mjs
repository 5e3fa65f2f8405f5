// Search in a real headless Chromium: an agent types in the inbox's search
// box and sees conversations (by the user's name) and messages (by their
// words, the match marked) in place of the list; opening a message shows
// its conversation at that message, marked and in view, with older
// messages above it; clearing the box brings the list back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { launch, logIn, pageFor } from './browser.mjs';
import { api, conversationWith, newStaff, sql } from '../integration/lib.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
const W = `yk${randomBytes(3).toString('hex')}`;

let browser, agent, convId, found, pa;

before(async () => {
  browser = await launch();
  agent = await newStaff('Support', `Seema ${W}`);
  const c = await conversationWith(agent);
  convId = c.id;
  sql(`UPDATE users SET name = 'Harish ${W}' WHERE id = ${c.user.user.id}`);
  const send = (token, content) => api('POST', '/api/v1/chat/messages', { token, body: { conversationId: convId, content } });
  await send(c.user.token, 'The mango flowers are dropping');
  found = (await send(agent.token, `Spray ${W}boron on the mango trees in the morning`)).body.data;
  // Enough after it that the newest page does not hold it.
  for (let i = 0; i < 40; i++) await send(i % 2 ? agent.token : c.user.token, `later message ${i}`);
  pa = await pageFor(browser, 1280);
});

after(async () => { await browser?.close(); });

test('search finds the conversation by name and the message by its word, and opens it in context', async () => {
  await logIn(pa, '/', agent);
  await pa.locator('[data-testid=conversation]').first().waitFor();
  await pa.fill('[data-testid=search-input]', 'h');
  await pa.locator('[data-testid=search-note]', { hasText: 'at least 2' }).waitFor();
  await pa.fill('[data-testid=search-input]', `harish ${W}`);
  const conv = pa.locator('[data-testid=search-conversation]');
  await conv.first().waitFor();
  assert.equal(await conv.count(), 1);
  assert.equal(await conv.getAttribute('data-id'), convId);
  assert.equal(await pa.locator('[data-testid=conversation]').first().isVisible(), false, 'the list makes way');

  await pa.fill('[data-testid=search-input]', `${W}boron`);
  const hit = pa.locator('[data-testid=search-message]');
  await hit.first().waitFor();
  assert.equal(await hit.count(), 1);
  assert.equal(await hit.locator('mark').first().innerText(), `${W}boron`, 'the match is marked');
  assert.match(await hit.innerText(), new RegExp(`Harish ${W}`));
  await pa.screenshot({ path: `${SHOTS}/search-01-results.png` });

  await hit.click();
  await pa.waitForURL(`**/#/c/${convId}/m/${found._id}`);
  const msg = pa.locator(`[data-testid=message][data-id="${found._id}"]`);
  await msg.waitFor();
  assert.match(await msg.getAttribute('class'), /\bfound\b/);
  assert.equal(await msg.isVisible(), true);
  const box = await msg.boundingBox();
  const list = await pa.locator('[data-testid=messages]').boundingBox();
  assert.ok(box.y >= list.y && box.y + box.height <= list.y + list.height, `in view: ${JSON.stringify({ box, list })}`);
  await pa.locator('[data-testid=message]', { hasText: 'mango flowers are dropping' }).waitFor();
  await pa.screenshot({ path: `${SHOTS}/search-02-context.png` });

  await pa.fill('[data-testid=search-input]', 'nothingmatchesthis');
  await pa.locator('[data-testid=search-note]', { hasText: 'Nothing found' }).waitFor();
  await pa.locator('[data-testid=search-input]').press('Escape');
  await pa.locator('[data-testid=conversation]').first().waitFor();
  assert.equal(await pa.locator('[data-testid=search-results]').isVisible(), false);
});
