// Canned responses in a real headless Chromium: an agent types "/gr" in
// the composer, picks the reply from the picker with the keyboard, sends
// it, and the user reads it; Escape closes the picker and Tab inserts
// too; an admin adds, changes and deletes canned responses on the admin
// screen.  Screenshots go to $SCREENSHOT_DIR as canned-NN-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, logIn, pageFor } from './browser.mjs';
import { api, conversationWith, newStaff, sqlOne } from '../integration/lib.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
let step = 0;
const shot = (page, name) => page.screenshot({ path: `${SHOTS}/canned-${String(++step).padStart(2, '0')}-${name}.png` });

// Codes of this run only; "gr-" sorts before any other code starting "gr".
const TAG = [...String(process.pid)].map((d) => 'abcdefghij'[d]).join('');
const GREETING = { shortCode: `gr-${TAG}`, content: 'Namaste! Thank you for writing to us. How can we help your crops today?' };
const GROW = { shortCode: `grow-${TAG}`, content: 'Water the seedlings every morning for the first two weeks.' };

let browser, admin, agent, conv;

before(async () => {
  browser = await launch();
  [admin, agent] = await Promise.all([newStaff('Admin', `Canned Admin ${TAG}`), newStaff('Support', `Canned Agent ${TAG}`)]);
  for (const body of [GREETING, GROW]) {
    const r = await api('POST', '/api/v1/chat/canned-responses', { token: admin.token, body });
    assert.equal(r.status, 201, r.text);
  }
  conv = await conversationWith(agent);
});

after(async () => { await browser?.close(); });

const composer = (page) => page.locator('[data-testid=composer]');
const picker = (page) => page.locator('[data-testid=canned-picker]');
const options = (page) => picker(page).locator('[data-testid=canned-option]');

test('an agent types /gr, picks the greeting with Enter, sends it, and the user reads it', async () => {
  const pu = await pageFor(browser, 390, { isMobile: true, hasTouch: true });
  await logIn(pu, '/user.html', conv.user);
  await pu.waitForSelector('[data-testid=composer]');

  const pa = await pageFor(browser, 1280);
  await logIn(pa, `/#/c/${conv.id}`, agent);
  await composer(pa).waitFor();
  assert.equal(await picker(pa).isHidden(), true, 'no picker before a /');
  await composer(pa).click();
  await pa.keyboard.type('/gr');
  await options(pa).first().waitFor();
  assert.equal(await options(pa).first().getAttribute('data-code'), GREETING.shortCode, 'the closest code first');
  assert.ok((await options(pa).allInnerTexts()).some((x) => x.includes(`/${GROW.shortCode}`)), 'every code starting gr');
  assert.equal(await options(pa).first().getAttribute('aria-selected'), 'true');
  await shot(pa, 'picker');
  // Typing on filters: "/gro" leaves the grow one.
  await pa.keyboard.type('o');
  await picker(pa).locator(`[data-code="${GREETING.shortCode}"]`).waitFor({ state: 'detached' });
  assert.equal(await options(pa).first().getAttribute('data-code'), GROW.shortCode);
  await pa.keyboard.press('Backspace');
  await picker(pa).locator(`[data-code="${GREETING.shortCode}"]`).waitFor();
  // Down and up again: the greeting is the one chosen.
  await pa.keyboard.press('ArrowDown');
  assert.equal(await options(pa).nth(1).getAttribute('aria-selected'), 'true');
  await pa.keyboard.press('ArrowUp');
  assert.equal(await options(pa).first().getAttribute('aria-selected'), 'true');
  await pa.keyboard.press('Enter');
  assert.equal(await composer(pa).inputValue(), GREETING.content, 'the reply in place of /gr');
  assert.equal(await picker(pa).isHidden(), true, 'the picker closed');
  assert.equal(await pa.locator('[data-testid=pending], [data-testid=message].mine').count(), 0, 'Enter inserted, it did not send');
  await pa.keyboard.press('Enter');
  await pa.locator('[data-testid=message].mine', { hasText: GREETING.content }).waitFor();
  await pu.locator('[data-testid=message].theirs', { hasText: GREETING.content }).waitFor();
  assert.equal(sqlOne(`SELECT content FROM messages WHERE conversationId = ${conv.id} ORDER BY id DESC LIMIT 1`), GREETING.content);
  await shot(pu, 'user-reads');

  // After white space too; Escape closes and leaves the text; Tab inserts.
  await composer(pa).fill('Hello farmer');
  await composer(pa).press('End');
  await pa.keyboard.type(' /grow');
  await options(pa).first().waitFor();
  await pa.keyboard.press('Escape');
  assert.equal(await picker(pa).isHidden(), true, 'Escape closes');
  assert.equal(await composer(pa).inputValue(), 'Hello farmer /grow');
  await pa.keyboard.type('t');
  await pa.waitForTimeout(400);
  assert.equal(await picker(pa).isHidden(), true, 'closed until the code is left');
  await composer(pa).fill('Hello farmer');
  await pa.keyboard.type(' /grow');
  await options(pa).first().waitFor();
  await pa.keyboard.press('Tab');
  assert.equal(await composer(pa).inputValue(), `Hello farmer ${GROW.content}`);
  // A slash inside a word is no code.
  await composer(pa).fill('and/or');
  await pa.waitForTimeout(400);
  assert.equal(await picker(pa).isHidden(), true, 'no picker inside a word');
  await pa.context().close();
  await pu.context().close();
});

test('an admin adds, changes and deletes canned responses on the admin screen', async () => {
  const page = await pageFor(browser, 1280);
  await logIn(page, '/#/admin', admin);
  const section = page.locator('[data-testid=canned-admin]');
  await section.waitFor();
  const row = (code) => section.locator(`[data-testid=canned-row][data-code="${code}"]`);
  await row(GREETING.shortCode).waitFor();
  const code = `thanks-${TAG}`;
  const form = section.locator('[data-testid=canned-add-form]');
  // A taken code: the admin is told so, nothing is added.
  await form.locator('[data-testid=canned-code-input]').fill(GREETING.shortCode);
  await form.locator('[data-testid=canned-content-input]').fill('Again');
  await form.locator('[data-testid=canned-add]').click();
  await section.locator('[data-testid=canned-add-error]', { hasText: 'Another canned response has this short code.' }).waitFor();
  await form.locator('[data-testid=canned-code-input]').fill(code);
  await form.locator('[data-testid=canned-content-input]').fill('Thank you, we are glad to help.');
  await form.locator('[data-testid=canned-add]').click();
  await row(code).waitFor();
  assert.equal(await row(code).locator('[data-testid=canned-content]').innerText(), 'Thank you, we are glad to help.');
  await section.locator('[data-testid=canned-note]', { hasText: `/${code} was added.` }).waitFor();
  await shot(page, 'admin-list');

  // Edit: the row becomes a form; Save shows it changed.
  await row(code).locator('[data-testid=canned-edit]').click();
  const editing = section.locator('[data-testid=canned-row]:has([data-testid=canned-save])');
  await editing.locator('[data-testid=canned-content-input]').fill('Thank you! Write again any time.');
  await editing.locator('[data-testid=canned-save]').click();
  await row(code).locator('[data-testid=canned-content]', { hasText: 'Thank you! Write again any time.' }).waitFor();
  assert.equal(sqlOne(`SELECT content FROM canned_responses WHERE shortCode = '${code}'`), 'Thank you! Write again any time.');

  // The search narrows the list.
  await section.locator('[data-testid=canned-search]').fill('write again');
  await row(GREETING.shortCode).waitFor({ state: 'detached' });
  assert.equal(await section.locator('[data-testid=canned-row]').count(), 1);
  await section.locator('[data-testid=canned-search]').fill('');
  await row(GREETING.shortCode).waitFor();

  // Delete asks once more, then it is gone.
  await row(code).locator('[data-testid=canned-delete]').click();
  assert.equal(await row(code).locator('[data-testid=canned-delete]').innerText(), 'Delete for good?');
  assert.equal(sqlOne(`SELECT COUNT(*) FROM canned_responses WHERE shortCode = '${code}'`), '1', 'not yet');
  await row(code).locator('[data-testid=canned-delete]').click();
  await row(code).waitFor({ state: 'detached' });
  assert.equal(sqlOne(`SELECT COUNT(*) FROM canned_responses WHERE shortCode = '${code}'`), '0');

  // In Hindi: the section's words change.
  await page.click('[data-testid=lang]');
  await section.locator('h3', { hasText: 'तैयार जवाब' }).waitFor();
  await page.context().close();
});
