// The support dashboard and the end-user page in a real headless Chromium
// (Debian's, driven by playwright-core), two browser contexts walking the
// seven flows against the stack the harness started.  Each step leaves a
// screenshot under $SCREENSHOT_DIR.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BASE, DEMO, makePng, sqlOne } from '../integration/lib.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
const PNG = makePng(240, 160);

let browser, agentCtx, userCtx, agent, user;
const dialogs = [];
let step = 0;
const shot = async (page, name) => page.screenshot({ path: `${SHOTS}/${String(++step).padStart(2, '0')}-${name}.png` });

// Every new Notification the page makes is recorded (and still shown).
const recordNotifications = () => {
  const Real = window.Notification;
  window.__notes = [];
  window.Notification = class extends Real {
    constructor(title, opts) { super(title, opts); window.__notes.push({ title, body: opts?.body }); }
  };
  Object.defineProperty(window.Notification, 'permission', { get: () => Real.permission });
  window.Notification.requestPermission = (...a) => Real.requestPermission(...a);
};

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  agentCtx = await browser.newContext({ viewport: { width: 1100, height: 760 }, permissions: ['notifications'] });
  userCtx = await browser.newContext({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
  await agentCtx.addInitScript(recordNotifications);
  agent = await agentCtx.newPage();
  user = await userCtx.newPage();
  for (const p of [agent, user]) {
    p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    p.on('pageerror', (e) => { throw e; });
  }
});

after(async () => { await browser?.close(); });

const rajeshId = () => sqlOne(`SELECT id FROM users WHERE phone = '${DEMO.rajesh.phone}'`);
const rajeshRow = () => agent.locator('[data-testid=conversation]', { hasText: 'Rajesh Kumar' });

async function login(page, url, who) {
  await page.goto(`${BASE}${url}`);
  await page.fill('[data-testid=phone]', who.phone.replace('+91', ''));
  await page.fill('[data-testid=password]', who.password);
  await page.click('[data-testid=login-submit]');
}

test('flow 1: a wrong password is said in words; the agent logs in and sees the list', async () => {
  await agent.goto(`${BASE}/`);
  await agent.fill('[data-testid=phone]', '9000000001');
  await agent.fill('[data-testid=password]', 'wrong-password-1');
  await agent.click('[data-testid=login-submit]');
  await agent.waitForFunction(() => document.querySelector('[data-testid=login-error]')?.textContent.length > 0);
  assert.match(await agent.textContent('[data-testid=login-error]'), /wrong/);
  await shot(agent, 'login-error');
  await login(agent, '/', DEMO.asha);
  await agent.waitForSelector('[data-testid=conversation]');
  assert.ok(await agent.evaluate(() => localStorage.getItem('token')?.length > 20), 'token kept in localStorage');
  assert.equal(await rajeshRow().count(), 1);
  assert.equal(await agent.locator('[data-testid=conversation]', { hasText: 'Priya Singh' }).count(), 1);
  await shot(agent, 'agent-list');
});

test('flow 6: the user opens the app; the agent sees the presence dot turn online', async () => {
  assert.equal(await rajeshRow().locator('[data-testid=presence]').getAttribute('data-online'), 'false');
  await login(user, '/user.html', DEMO.rajesh);
  await user.waitForSelector('[data-testid=composer]');
  await rajeshRow().locator('[data-testid=presence][data-online=true]').waitFor();
  await shot(agent, 'agent-sees-online');
  await shot(user, 'user-chat');
});

test('flow 2: the agent opens the conversation: history, status, and the user\'s checks turn double', async () => {
  await user.fill('[data-testid=composer]', 'Are you there?');
  await user.keyboard.press('Enter');
  const mine = user.locator('[data-testid=message].mine', { hasText: 'Are you there?' });
  await mine.locator('[data-testid=check][data-state=sent]').waitFor();
  await rajeshRow().click();
  await agent.waitForSelector('[data-testid=message]');
  assert.equal(await agent.textContent('[data-testid=chat-name]'), 'Rajesh Kumar');
  assert.equal(await agent.textContent('[data-testid=chat-status]'), 'Online now');
  await agent.locator('[data-testid=message]', { hasText: 'Are you there?' }).waitFor();
  await mine.locator('[data-testid=check][data-state=read]').waitFor();
  assert.equal(await mine.locator('[data-testid=check]').textContent(), '✓✓');
  assert.equal(sqlOne(`SELECT supportUnreadCount FROM conversations WHERE userId = ${rajeshId()} AND status = 'open' ORDER BY id LIMIT 1`), '0');
  await shot(agent, 'agent-chat');
  await shot(user, 'user-double-check');
});

test('flow 3/5: typing shows on both sides; a text each way; markup stays text', async () => {
  await agent.type('[data-testid=composer]', 'Let me check');
  await user.waitForFunction(() => document.querySelector('[data-testid=typing]').textContent.includes('Asha Verma is typing'));
  await shot(user, 'user-sees-typing');
  await agent.keyboard.press('Enter');
  await user.locator('[data-testid=message].theirs', { hasText: 'Let me check' }).waitFor();
  // The user has the chat open: the agent's message turns to a double check.
  await agent.locator('[data-testid=message].mine', { hasText: 'Let me check' }).locator('[data-testid=check][data-state=read]').waitFor();
  await user.waitForFunction(() => document.querySelector('[data-testid=typing]').textContent === '');
  await user.type('[data-testid=composer]', 'Thanks');
  await agent.waitForFunction(() => document.querySelector('[data-testid=typing]').textContent.includes('Rajesh Kumar is typing'));
  await shot(agent, 'agent-sees-typing');
  await user.fill('[data-testid=composer]', '<img src=x onerror=alert(1)>');
  await user.keyboard.press('Enter');
  const evil = agent.locator('[data-testid=msg-text]', { hasText: '<img src=x onerror=alert(1)>' });
  await evil.waitFor();
  assert.equal(await agent.locator('[data-testid=messages] img[src=x]').count(), 0);
  await agent.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'no script ran');
  await shot(agent, 'agent-text-not-html');
});

test('flow 4: an image from the agent renders for the user, and one from the user for the agent', async () => {
  await agent.setInputFiles('[data-testid=file-input]', { name: 'crop_issue.png', mimeType: 'image/png', buffer: PNG });
  const img = user.locator('[data-testid=msg-image]').last();
  await img.waitFor();
  await user.waitForFunction(() => [...document.querySelectorAll('[data-testid=msg-image]')].some((i) => i.complete && i.naturalWidth === 240));
  assert.equal(await img.getAttribute('alt'), 'crop_issue.png');
  await shot(user, 'user-sees-image');
  await user.setInputFiles('[data-testid=file-input]', { name: 'leaf.png', mimeType: 'image/png', buffer: PNG });
  await agent.locator('[data-testid=msg-image][alt="leaf.png"]').waitFor();
  await agent.waitForFunction(() => { const i = document.querySelector('[data-testid=msg-image][alt="leaf.png"]'); return i && i.complete && i.naturalWidth === 240; });
  // The timeline shows the thumbnail, its box sized before it loads; a
  // click opens the display version in the lightbox.
  const leaf = agent.locator('[data-testid=msg-image][alt="leaf.png"]');
  assert.match(await leaf.getAttribute('src'), /\/uploads\/chat\/[0-9a-f]{32}-thumb\.jpg$/);
  assert.deepEqual([await leaf.getAttribute('width'), await leaf.getAttribute('height')], ['240', '160']);
  await leaf.click();
  const full = agent.locator('[data-testid=lightbox] img');
  await full.waitFor();
  assert.match(await full.getAttribute('src'), /\/uploads\/chat\/[0-9a-f]{32}\.jpg$/);
  assert.equal(await full.getAttribute('src'), (await leaf.getAttribute('src')).replace('-thumb', ''));
  // A modal dialog that keeps the focus and gives it back to the photo.
  assert.equal(await agent.getAttribute('[data-testid=lightbox]', 'aria-modal'), 'true');
  assert.equal(await agent.evaluate(() => document.activeElement.dataset.testid), 'lightbox-close');
  await agent.keyboard.press('Tab');
  assert.equal(await agent.evaluate(() => document.activeElement.dataset.testid), 'lightbox-close', 'the focus stays in it');
  await agent.keyboard.press('Escape');
  await agent.locator('[data-testid=lightbox]').waitFor({ state: 'detached' });
  assert.equal(await agent.evaluate(() => document.activeElement.querySelector('[data-testid=msg-image]')?.alt), 'leaf.png', 'back on the photo');
  // The photo is a button: the keyboard opens it too.
  await agent.keyboard.press('Enter');
  await full.waitFor();
  await agent.click('[data-testid=lightbox-close]');
  await agent.locator('[data-testid=lightbox]').waitFor({ state: 'detached' });
  // A file that is not an image, video or audio is refused in words.
  await agent.setInputFiles('[data-testid=file-input]', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await agent.waitForFunction(() => document.querySelector('[data-testid=chat-error]').textContent.length > 0);
  await shot(agent, 'agent-sees-image');
});

test('flow 5: a message while the agent is on the list raises the badge, moves the row up and notifies', async () => {
  await agent.click('[data-testid=back]');
  await agent.waitForSelector('[data-testid=conversation-list]');
  // Priya's row on top first, so that "moves to the top" can be seen.
  await agent.evaluate(() => window.__notes.splice(0));
  await user.fill('[data-testid=composer]', 'Can you help me with fertilizer?');
  await user.keyboard.press('Enter');
  const first = agent.locator('[data-testid=conversation]').first();
  await agent.waitForFunction(() => document.querySelector('[data-testid=conversation] [data-testid=conv-name]')?.textContent === 'Rajesh Kumar'
    && document.querySelector('[data-testid=conversation] [data-testid=badge]')?.textContent === '1');
  assert.equal(await first.locator('[data-testid=preview]').textContent(), 'Can you help me with fertilizer?');
  const notes = await agent.evaluate(() => window.__notes);
  assert.deepEqual(notes.map((n) => n.title), ['New message from Rajesh Kumar']);
  assert.match(await agent.title(), /^\(1\) /);
  await shot(agent, 'agent-badge-and-notification');
  // An image shows as "Photo" in the preview.
  await user.setInputFiles('[data-testid=file-input]', { name: 'more.png', mimeType: 'image/png', buffer: PNG });
  await agent.waitForFunction(() => document.querySelector('[data-testid=conversation] [data-testid=preview]')?.textContent === 'Photo');
});

test('a refused message stays with a retry button; a dropped network shows offline and catches up', async () => {
  // Too long for the server: kept, marked, retryable.
  await rajeshRow().click();
  await agent.waitForSelector('[data-testid=composer]');
  await agent.fill('[data-testid=composer]', 'x'.repeat(4100));
  await agent.keyboard.press('Enter');
  await agent.locator('[data-testid=pending].failed [data-testid=retry]').waitFor();
  await shot(agent, 'agent-failed-send');
  // The user's network drops: the page says so, and catches up after.
  await userCtx.setOffline(true);
  await user.locator('#offline:not([hidden])').waitFor({ timeout: 60000 });
  await shot(user, 'user-offline');
  await agent.fill('[data-testid=composer]', 'Sent while you were away');
  await agent.keyboard.press('Enter');
  await agent.locator('[data-testid=message].mine', { hasText: 'Sent while you were away' }).waitFor();
  await userCtx.setOffline(false);
  await user.locator('#offline[hidden]').waitFor({ state: 'attached', timeout: 30000 });
  await user.locator('[data-testid=message].theirs', { hasText: 'Sent while you were away' }).waitFor({ timeout: 30000 });
  await shot(user, 'user-caught-up');
  await agent.click('[data-testid=back]');
  await agent.waitForSelector('[data-testid=conversation-list]');
});

test('flow 6: the user closes the page; the dot turns offline and the chat says last seen', async () => {
  await user.close();
  await rajeshRow().locator('[data-testid=presence][data-online=false]').waitFor();
  await rajeshRow().click();
  await agent.waitForFunction(() => /Last seen/.test(document.querySelector('[data-testid=chat-status]').textContent));
  await shot(agent, 'agent-last-seen');
});

test('flow 7: back leaves the room; Hindi switch; logout returns to login and drops the token', async () => {
  await agent.click('[data-testid=back]');
  await agent.click('[data-testid=lang]');
  assert.equal(await agent.textContent('.list h2'), 'बातचीत');
  assert.equal(await agent.getAttribute('html', 'lang'), 'hi');
  await shot(agent, 'agent-hindi');
  await agent.click('[data-testid=lang]');
  assert.equal(await agent.textContent('.list h2'), 'Conversations');
  await agent.click('[data-testid=logout]');
  await agent.waitForSelector('[data-testid=login-form]');
  assert.equal(await agent.evaluate(() => localStorage.getItem('token')), null);
  await shot(agent, 'agent-logged-out');
});

test('a revoked token sends the agent back to login', async () => {
  await login(agent, '/', DEMO.asha);
  await agent.waitForSelector('[data-testid=conversation]');
  // The same token logged out elsewhere (another tab, an admin).
  const token = await agent.evaluate(() => localStorage.getItem('token'));
  const r = await fetch(`${BASE}/api/v1/users/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  await agent.reload();
  await agent.waitForSelector('[data-testid=login-form]');
  assert.equal(await agent.evaluate(() => localStorage.getItem('token')), null);
  await shot(agent, 'agent-revoked-back-to-login');
});

test('an end user registers and lands in a new conversation', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 760 }, isMobile: true });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/user.html`);
  await page.click('[data-testid=toggle-register]');
  const phone = `98${String(Date.now()).slice(-8)}`;
  await page.fill('[data-testid=phone]', phone);
  await page.fill('[data-testid=name]', 'Meena Devi');
  await page.fill('[data-testid=password]', 'meena-pass-1');
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=composer]');
  await page.fill('[data-testid=composer]', 'Namaste');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=message].mine [data-testid=check]').waitFor();
  await shot(page, 'user-registered');
  await ctx.close();
});
