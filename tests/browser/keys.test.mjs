// The dashboard's keyboard shortcuts (keys.js) in a real headless Chromium:
// an agent with three conversations, one of them with an unread message
// from its user, moves through the list with j / k and Alt+arrows, jumps
// to the unread one with n, resolves it with r, focuses the composer with
// c and leaves it with Escape, focuses the search box with /, and opens
// the ? overlay (a modal dialog that keeps the focus and gives it back),
// in English and in Hindi.  Keys typed in the composer stay text.
// Screenshots go to $SCREENSHOT_DIR as keys-NN-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { launch, logIn, pageFor } from './browser.mjs';
import { api, conversationWith, newStaff, sql } from '../integration/lib.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
let step = 0;
const shot = (page, name) => page.screenshot({ path: `${SHOTS}/keys-${String(++step).padStart(2, '0')}-${name}.png` });

const TAG = randomBytes(3).toString('hex');
let browser, agent, page;
let convs;                 // [first, second, unread] in the list's order

const row = (c) => page.locator(`[data-testid=conversation][data-id="${c.id}"]`);
const opened = async (c) => {
  await page.waitForURL(`**/#/c/${c.id}`);
  await row(c).locator('.conv-open[aria-current=true]').waitFor();
  await page.locator('[data-testid=message]', { hasText: `help ${c.id}` }).waitFor();
};
const focused = (sel) => page.locator(`${sel}:focus`).waitFor();
const nothingFocused = () => page.waitForFunction(() => document.activeElement === document.body);

before(async () => {
  browser = await launch();
  agent = await newStaff('Support', `Kavya ${TAG}`);
  convs = [await conversationWith(agent), await conversationWith(agent), await conversationWith(agent)];
  for (const c of convs) {
    await api('POST', '/api/v1/chat/messages', { token: c.user.token, body: { conversationId: c.id, content: `help ${c.id}` } });
  }
  // The first two read by the agent; the list newest first: 0, 1, 2.
  for (const c of convs.slice(0, 2)) {
    const r = await api('POST', `/api/v1/chat/conversations/${c.id}/read`, { token: agent.token });
    assert.equal(r.status, 200, r.text);
  }
  convs.forEach((c, i) => sql(`UPDATE conversations SET updatedAt = NOW(3) - INTERVAL ${i + 1} MINUTE WHERE id = ${c.id}`));
  page = await pageFor(browser, 1280);
});

after(async () => { await browser?.close(); });

test('j / k and Alt+arrows move through the list; the focus stays off the composer', async () => {
  await logIn(page, '/', agent);
  await row(convs[2]).locator('[data-testid=badge]:visible').waitFor();
  const ids = await page.locator('[data-testid=conversation]').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.deepEqual(ids, convs.map((c) => c.id), 'newest first');
  assert.equal(await page.locator('[data-testid=shortcuts-link]').innerText(), '? Shortcuts');
  await nothingFocused();
  await page.keyboard.press('j');
  await opened(convs[0]);
  assert.equal(await page.locator('[data-testid=composer]:focus').count(), 0, 'opened by a key: no focus on the composer');
  await page.keyboard.press('j');
  await opened(convs[1]);
  await page.keyboard.press('k');
  await opened(convs[0]);
  await page.keyboard.press('k');            // the first: stays
  await page.keyboard.press('Alt+ArrowDown');
  await opened(convs[1]);
  await page.keyboard.press('Alt+ArrowUp');
  await opened(convs[0]);
  await shot(page, 'moved');
});

test('n jumps to the conversation with unread messages; with none left it says so', async () => {
  await page.keyboard.press('n');
  await opened(convs[2]);
  await row(convs[2]).locator('[data-testid=badge]').waitFor({ state: 'hidden' });
  await page.keyboard.press('n');
  await page.locator('[data-testid=toast]', { hasText: 'No other conversation has unread messages.' }).waitFor();
  assert.match(page.url(), new RegExp(`#/c/${convs[2].id}$`));
});

test('c focuses the composer, where keys are text; Escape leaves it and / focuses the search box', async () => {
  // The search box of the dashboard, or a stand-in with its test id: "/"
  // finds whichever is there.
  const real = await page.locator('[data-testid=search-input]').count() > 0;
  if (!real) {
    await page.evaluate(() => {
      const box = document.createElement('input');
      box.dataset.testid = 'search-input';
      box.id = 'stand-in-search';
      document.body.append(box);
    });
  }
  await page.keyboard.press('c');
  await focused('[data-testid=composer]');
  await page.keyboard.type('j/k?n');
  assert.equal(await page.inputValue('[data-testid=composer]'), 'j/k?n', 'typed, not shortcuts');
  assert.match(page.url(), new RegExp(`#/c/${convs[2].id}$`));
  assert.equal(await page.locator('[data-testid=shortcuts-help]').count(), 0);
  assert.equal(await page.locator('[data-testid=search-input]:focus').count(), 0);
  await page.fill('[data-testid=composer]', '');
  await page.keyboard.press('Escape');
  await nothingFocused();
  await page.keyboard.press('/');
  await focused('[data-testid=search-input]');
  if (!real) assert.equal(await page.inputValue('[data-testid=search-input]'), '', 'the slash is not typed');
  await page.keyboard.press('Escape');
  await nothingFocused();
  await page.evaluate(() => document.getElementById('stand-in-search')?.remove());
  await page.keyboard.press('Enter');
  await focused('[data-testid=composer]');
  await page.keyboard.press('Escape');
  await nothingFocused();
});

test('r resolves the open conversation, as the Resolve button does', async () => {
  await page.locator('[data-testid=resolve]').waitFor();
  await page.keyboard.press('r');
  await page.locator('[data-testid=conv-status]', { hasText: 'Resolved' }).waitFor();
  const r = await api('GET', `/api/v1/chat/conversations/${convs[2].id}`, { token: agent.token });
  assert.equal(r.body.data.status, 'resolved');
  await page.keyboard.press('r');
  await page.locator('[data-testid=toast]', { hasText: 'already resolved' }).waitFor();
  await shot(page, 'resolved');
});

test('? opens the overlay: a modal dialog listing every shortcut, the focus kept in it, Escape closes it and gives the focus back', async () => {
  const from = row(convs[0]).locator('.conv-open');
  await from.focus();
  await page.keyboard.press('?');
  const dialog = page.locator('[data-testid=shortcuts-help]');
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('role'), 'dialog');
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  assert.equal(await page.locator('#keys-title').innerText(), 'Keyboard shortcuts');
  const rows = await dialog.locator('[data-testid=shortcut]').allInnerTexts();
  assert.equal(rows.length, 8);
  for (const [i, words] of ['Next conversation', 'Previous conversation', 'Next conversation with unread messages',
    'Resolve the open conversation', 'Search', 'Write in the message box', 'Leave the text box', 'Show these shortcuts'].entries()) {
    assert.ok(rows[i].includes(words), `${rows[i]} says ${words}`);
  }
  assert.match(rows[0], /j[\s\S]*or[\s\S]*Alt\+↓/);
  await focused('[data-testid=shortcuts-close]');
  await page.keyboard.press('Tab');
  await focused('[data-testid=shortcuts-close]');
  await page.keyboard.press('Shift+Tab');
  await focused('[data-testid=shortcuts-close]');
  await page.keyboard.press('j');            // no shortcut under the overlay
  assert.match(page.url(), new RegExp(`#/c/${convs[2].id}$`));
  await shot(page, 'overlay');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await focused(`[data-testid=conversation][data-id="${convs[0].id}"] .conv-open`);
  // The header's link opens it too; its close button gives the focus back.
  await page.click('[data-testid=shortcuts-link]');
  await dialog.waitFor();
  await page.click('[data-testid=shortcuts-close]');
  await dialog.waitFor({ state: 'detached' });
  await focused('[data-testid=shortcuts-link]');
});

test('in Hindi the link and the overlay speak Hindi', async () => {
  await page.click('[data-testid=lang]');
  await page.locator('[data-testid=shortcuts-link]', { hasText: '? शॉर्टकट' }).waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('?');
  const dialog = page.locator('[data-testid=shortcuts-help]');
  await dialog.waitFor();
  assert.equal(await page.locator('#keys-title').innerText(), 'कीबोर्ड शॉर्टकट');
  const rows = await dialog.locator('[data-testid=shortcut]').allInnerTexts();
  assert.ok(rows[0].includes('अगली बातचीत') && rows[0].includes('या'), rows[0]);
  assert.ok(rows[2].includes('अपठित संदेशों वाली अगली बातचीत'), rows[2]);
  assert.equal(await page.locator('[data-testid=shortcuts-close]').innerText(), 'बंद करें');
  await shot(page, 'overlay-hindi');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.keyboard.press('n');
  await page.locator('[data-testid=toast]', { hasText: 'किसी और बातचीत में अपठित संदेश नहीं हैं।' }).waitFor();
});
