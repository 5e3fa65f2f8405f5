// Private notes in a real headless Chromium: an agent switches the composer
// to Note, writes one, and sees it marked as a note (in English and Hindi);
// an admin opening the conversation sees it in place; the user's page
// shows the agent's reply sent after it, and never the note.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, logIn, pageFor } from './browser.mjs';
import { BASE, conversationWith, api, newStaff } from '../integration/lib.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
const TAG = `N${[...String(process.pid)].map((d) => 'abcdefghij'[d]).join('')}`;

let browser, agent, admin, user, convId, pa, pu;

before(async () => {
  browser = await launch();
  agent = await newStaff('Support', `Kavya ${TAG}`);
  admin = await newStaff('Admin', `Ravi ${TAG}`);
  const c = await conversationWith(agent);
  user = c.user;
  convId = c.id;
  await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: convId, content: 'Leaves curling on my tomatoes' } });
  pa = await pageFor(browser, 1280);
  pu = await pageFor(browser, 390, { isMobile: true, hasTouch: true });
});

after(async () => { await browser?.close(); });

test('a note written in the Note mode shows as a note to the team and never on the user\'s page', async () => {
  await logIn(pu, '/user.html', user);
  await pu.locator('[data-testid=message]', { hasText: 'Leaves curling' }).waitFor();
  await logIn(pa, `/#/c/${convId}`, agent);
  await pa.locator('[data-testid=message]', { hasText: 'Leaves curling' }).waitFor();

  await pa.click('[data-testid=mode-note]');
  assert.equal(await pa.getAttribute('[data-testid=mode-note]', 'aria-checked'), 'true');
  assert.match(await pa.getAttribute('[data-testid=composer]', 'placeholder'), /only the team/);
  assert.equal(await pa.isDisabled('[data-testid=attach]'), true, 'a note is text');
  await pa.fill('[data-testid=composer]', 'Probably leaf curl virus, ask about whiteflies');
  await pa.keyboard.press('Enter');
  const note = pa.locator('[data-testid=note]', { hasText: 'whiteflies' });
  await note.waitFor();
  assert.equal(await note.locator('[data-testid=note-label]').innerText(), 'PRIVATE NOTE'.toUpperCase());
  assert.equal(await note.locator('[data-testid=check]').count(), 0, 'no read ticks on a note');
  await pa.screenshot({ path: `${SHOTS}/notes-01-agent.png` });

  // Back to Reply: the user gets this one, and only this one.
  await pa.click('[data-testid=mode-reply]');
  await pa.fill('[data-testid=composer]', 'Do you see small white insects under the leaves?');
  await pa.keyboard.press('Enter');
  await pu.locator('[data-testid=message]', { hasText: 'white insects' }).waitFor();
  assert.equal(await pu.locator('text=whiteflies').count(), 0, 'the note never reaches the user\'s page');
  assert.equal(await pu.locator('[data-testid=note]').count(), 0);
  await pu.reload();
  await pu.locator('[data-testid=message]', { hasText: 'white insects' }).waitFor();
  assert.equal(await pu.locator('text=whiteflies').count(), 0, 'nor its history');
  await pu.screenshot({ path: `${SHOTS}/notes-02-user.png` });
});

test('an admin opening the conversation sees the note in place, labelled in Hindi too', async () => {
  const pb = await pageFor(browser, 1280);
  await logIn(pb, `/#/c/${convId}`, admin);
  const note = pb.locator('[data-testid=note]', { hasText: 'whiteflies' });
  await note.waitFor();
  const order = await pb.locator('[data-testid=messages] > [data-testid=message], [data-testid=messages] > [data-testid=note]').allInnerTexts();
  const at = (s) => order.findIndex((x) => x.includes(s));
  assert.ok(at('Leaves curling') < at('whiteflies') && at('whiteflies') < at('white insects'), order.join(' | '));
  await pb.click('[data-testid=lang]');
  await pb.locator('[data-testid=note-label]', { hasText: 'निजी नोट' }).waitFor();
  await pb.screenshot({ path: `${SHOTS}/notes-03-admin-hi.png` });
});
