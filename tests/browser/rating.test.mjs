// Satisfaction in a real headless Chromium: when the agent resolves the
// conversation, the user's page asks "Did we solve your problem?" (live,
// and again after a reload until it is answered); the user picks a score,
// adds a comment and sends it; the page thanks them, and the agent's
// details panel shows the rating.  In Hindi too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, logIn, pageFor } from './browser.mjs';
import { api, conversationWith, newStaff, sqlOne } from '../integration/lib.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
const TAG = `R${[...String(process.pid)].map((d) => 'abcdefghij'[d]).join('')}`;

let browser, agent, user, convId, pa, pu;

before(async () => {
  browser = await launch();
  agent = await newStaff('Support', `Lata ${TAG}`);
  const c = await conversationWith(agent);
  user = c.user;
  convId = c.id;
  await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: convId, content: 'How much urea per acre?' } });
  await api('POST', '/api/v1/chat/messages', { token: agent.token, body: { conversationId: convId, content: 'About 50 kg, in two doses' } });
  pa = await pageFor(browser, 1280);
  pu = await pageFor(browser, 390, { isMobile: true, hasTouch: true });
});

after(async () => { await browser?.close(); });

test('resolving asks the user; the user rates; the page thanks them and the agent sees the rating', async () => {
  await logIn(pu, '/user.html', user);
  await pu.locator('[data-testid=message]', { hasText: 'two doses' }).waitFor();
  assert.equal(await pu.locator('[data-testid=rating]').isVisible(), false, 'not while it is open');
  await logIn(pa, `/#/c/${convId}`, agent);
  await pa.locator('[data-testid=message]', { hasText: 'two doses' }).waitFor();
  await pa.click('[data-testid=resolve]');

  const card = pu.locator('[data-testid=rating]');
  await card.waitFor({ state: 'visible' });
  assert.match(await card.locator('h2').innerText(), /Did we solve your problem\?/);
  // Still asked after a reload (about the resolved one: the page holds a
  // new conversation then), until answered; in Hindi too.
  await pu.reload();
  await card.waitFor({ state: 'visible' });
  await pu.click('[data-testid=lang]');
  await pu.locator('[data-testid=rating] h2', { hasText: 'क्या हमने आपकी समस्या हल की?' }).waitFor();
  await pu.click('[data-testid=lang]');
  assert.equal(await pu.isDisabled('[data-testid=rating-submit]'), true, 'a score first');
  await pu.click('[data-testid=score-4]');
  assert.equal(await pu.getAttribute('[data-testid=score-4]', 'aria-checked'), 'true');
  assert.equal(await pu.innerText('[data-testid=rating-hint]'), 'Mostly');
  await pu.fill('[data-testid=rating-comment]', 'Clear answer, thanks');
  await pu.screenshot({ path: `${SHOTS}/rating-01-ask.png` });
  await pu.click('[data-testid=rating-submit]');
  await pu.locator('[data-testid=rating-thanks]').waitFor();
  assert.equal(sqlOne(`SELECT CONCAT(score, '|', comment) FROM conversation_ratings WHERE conversationId = ${convId}`), '4|Clear answer, thanks');
  await pu.screenshot({ path: `${SHOTS}/rating-02-thanks.png` });
  // Answered: not asked again after a reload (the page, which now holds a
  // new conversation, has looked at the last resolved one).
  const looked = pu.waitForResponse((r) => r.url().includes('status=resolved'));
  await pu.reload();
  await looked;
  await pu.locator('[data-testid=composer]').waitFor();
  assert.equal(await pu.locator('[data-testid=rating] h2').count(), 0);

  // The agent's details panel, live from conversation:updated.
  await pa.locator('[data-testid=details-rating]', { hasText: '4 of 5' }).waitFor();
  assert.match(await pa.innerText('[data-testid=details-rating]'), /Clear answer, thanks/);
});
