// Labels in the dashboard, in a real headless Chromium: an admin creates
// one on the admin screen; the agent adds it in the details panel, sees
// the chip on the conversation's row, filters the list by it, and removes
// it; in Hindi the picker speaks Hindi.  Screenshots go to
// $SCREENSHOT_DIR as labels-NN-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { launch, logIn, pageFor } from './browser.mjs';
import { api, conversationWith, newStaff, sqlOne } from '../integration/lib.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
let step = 0;
const shot = (page, name) => page.screenshot({ path: `${SHOTS}/labels-${String(++step).padStart(2, '0')}-${name}.png` });

const TAG = randomBytes(3).toString('hex');
let browser, agent, admin, mine, other, label;

before(async () => {
  browser = await launch();
  [agent, admin] = await Promise.all([newStaff('Support', `Lata ${TAG}`), newStaff('Admin', `Mohan ${TAG}`)]);
  mine = await conversationWith(agent);
  other = await conversationWith(agent);
  for (const c of [mine, other]) {
    await api('POST', '/api/v1/chat/messages', { token: c.user.token, body: { conversationId: c.id, content: `help ${c.id}` } });
  }
});

after(async () => { await browser?.close(); });

test('an admin creates a label on the admin screen', async () => {
  const page = await pageFor(browser, 1280);
  await logIn(page, '/', admin);
  await page.click('[data-testid=nav-admin]');
  await page.locator('[data-testid=label-admin]').waitFor();
  const name = `Billing ${TAG}`;
  await page.fill('[data-testid=label-new-name]', name);
  await page.locator('[data-testid=label-new-color]').fill('#d73a49');
  await page.click('[data-testid=label-create]');
  await page.locator('[data-testid=label-admin-list] [data-testid=label-chip]', { hasText: name }).waitFor();
  label = { _id: sqlOne(`SELECT id FROM labels WHERE name = '${name}'`), name };
  assert.ok(label._id, 'stored');
  assert.equal(sqlOne(`SELECT color FROM labels WHERE id = ${label._id}`), '#d73a49');
  // The same name again, in another case: refused in words.
  await page.fill('[data-testid=label-new-name]', name.toUpperCase());
  await page.click('[data-testid=label-create]');
  await page.locator('[data-testid=label-error]', { hasText: 'already exists' }).waitFor();
  await shot(page, 'admin');
  await page.context().close();
});

test('the agent adds the label in the details panel, sees it on the row, filters by it and removes it', async () => {
  const page = await pageFor(browser, 1280);
  await logIn(page, `/#/c/${mine.id}`, agent);
  const row = page.locator(`[data-testid=conversation][data-id="${mine.id}"]`);
  await row.waitFor();
  const details = page.locator('[data-testid=details-labels]');
  await details.waitFor();
  await page.locator('[data-testid=label-pick]').selectOption(label._id);
  await page.click('[data-testid=label-add]');
  await details.locator('[data-testid=label-chip]', { hasText: label.name }).waitFor();
  await row.locator('[data-testid=label-chip]', { hasText: label.name }).waitFor();
  const bg = await row.locator('[data-testid=label-chip]').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(bg, 'rgb(215, 58, 73)', 'in its colour');
  assert.equal(sqlOne(`SELECT COUNT(*) FROM conversation_labels WHERE conversationId = ${mine.id} AND labelId = ${label._id}`), '1');
  await shot(page, 'details');
  // The filter: only the labelled conversation is left.
  const others = page.locator(`[data-testid=conversation][data-id="${other.id}"]`);
  await others.waitFor();
  await page.locator('[data-testid=label-filter]').selectOption(label._id);
  await others.waitFor({ state: 'detached' });
  await row.waitFor();
  assert.deepEqual(await page.locator('[data-testid=conversation]').evaluateAll((li) => li.map((x) => x.dataset.id)), [mine.id]);
  await shot(page, 'filtered');
  // Removed: off the row, and out of the filtered list.
  await details.locator('[data-testid=label-remove]').click();
  await row.waitFor({ state: 'detached' });
  assert.equal(sqlOne(`SELECT COUNT(*) FROM conversation_labels WHERE conversationId = ${mine.id}`), '0');
  await page.locator('[data-testid=label-filter]').selectOption('');
  await others.waitFor();
  await page.context().close();
});

test('a change by someone else shows live; in Hindi the picker speaks Hindi', async () => {
  const page = await pageFor(browser, 1280);
  await page.addInitScript(() => localStorage.setItem('lang', 'hi'));
  await logIn(page, `/#/c/${other.id}`, agent);
  const row = page.locator(`[data-testid=conversation][data-id="${other.id}"]`);
  await row.waitFor();
  await page.locator('[data-testid=label-pick] option', { hasText: 'लेबल चुनें' }).waitFor({ state: 'attached' });
  assert.equal((await api('POST', `/api/v1/chat/conversations/${other.id}/labels`, { token: admin.token, body: { labelId: label._id } })).status, 200);
  await row.locator('[data-testid=label-chip]', { hasText: label.name }).waitFor();
  await page.locator('[data-testid=details-labels] [data-testid=label-chip]', { hasText: label.name }).waitFor();
  await shot(page, 'live-hindi');
  await page.context().close();
});
