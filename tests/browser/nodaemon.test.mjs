// The pages without pushd (issue 13, "No daemon"): the stack's pushd is
// stopped, an agent and a user log in, the pages say quietly that live
// updates are off and work over REST (sends, polls of the open
// conversation and of the list, read checks, the queue's count); then pushd
// starts and both pages go live again: the note goes, and a message and
// the typing indicator (which only the socket carries) arrive.  pushd is
// running again at the end whatever happens: later files need it.
// Screenshots go to $SCREENSHOT_DIR as nodaemon-NN-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { launch, logIn, pageFor as pageIn } from './browser.mjs';
import { api, conversationWith, ctl, newStaff, queuedConversation, sqlOne } from '../integration/lib.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
let step = 0;
const shot = (page, name) => page.screenshot({ path: `${SHOTS}/nodaemon-${String(++step).padStart(2, '0')}-${name}.png` });

// The pages poll every 2 s: what they show must show within a few polls.
const POLLED = { timeout: 10000 };
// socket.io-client retries with a back-off of at most 5 s (and a page
// whose socket gave up asks again every 10 s).
const LIVE_AGAIN = { timeout: 30000 };

const pushdRunning = () => {
  try {
    return execFileSync('pgrep', ['-f', `/pushd/pushd -c ${process.env.STATE_DIR}/chat.conf`], { encoding: 'utf8' }).trim() !== '';
  } catch { return false; }
};

const TAG = `N${[...String(process.pid)].map((d) => 'abcdefghij'[d]).join('')}`;
let browser, agent, conv, pa, pu;

const pageFor = (width, opts) => pageIn(browser, width, opts);

const row = () => pa.locator(`[data-testid=conversation][data-id="${conv.id}"]`);
const msg = (page, side, text) => page.locator(`[data-testid=message].${side}`, { hasText: text });
const note = (page) => page.locator('[data-testid=polling-note]');

before(async () => {
  browser = await launch();
  agent = await newStaff('Support', `Kavita ${TAG}`);
  conv = await conversationWith(agent);
  pa = await pageFor(1280);
  pu = await pageFor(390, { isMobile: true, hasTouch: true });
  ctl('pushd-stop');
});

after(async () => {
  try {
    if (!pushdRunning()) ctl('pushd-start');
  } finally {
    await browser?.close();
  }
});

test('pushd down: both pages log in and say quietly that live updates are off, with no offline banner', async () => {
  await logIn(pa, '/', agent);
  await pa.waitForSelector('[data-testid=inbox]');
  await note(pa).waitFor(POLLED);
  assert.equal(await note(pa).innerText(), 'Live updates off, refreshing every few seconds');
  await row().waitFor();
  await logIn(pu, '/user.html', conv.user);
  await pu.waitForSelector('[data-testid=composer]');
  await note(pu).waitFor(POLLED);
  // Polls keep succeeding: the offline banner never shows.
  for (const p of [pa, pu]) assert.equal(await p.locator('#offline').isVisible(), false, 'no offline banner');
  // Hindi, too.
  await pu.click('[data-testid=lang]');
  assert.equal(await note(pu).innerText(), 'लाइव अपडेट बंद हैं, हर कुछ सेकंड में ताज़ा किया जा रहा है');
  await pu.click('[data-testid=lang]');
  await shot(pa, 'agent-polling');
  await shot(pu, 'user-polling');
});

test('pushd down: a message each way over REST, the list and the read checks follow by polling', async () => {
  // The user writes; the agent, on the list, sees the row move up with a badge.
  await pu.fill('[data-testid=composer]', `Rain damaged my onions ${TAG}`);
  await pu.keyboard.press('Enter');
  const mine = msg(pu, 'mine', `Rain damaged my onions ${TAG}`);
  await mine.locator('[data-testid=check][data-state=sent]').waitFor(POLLED);
  assert.equal(await pu.locator('[data-testid=pending]').count(), 0, 'sent, not left pending');
  await row().locator('[data-testid=preview]', { hasText: `Rain damaged my onions ${TAG}` }).waitFor(POLLED);
  await row().locator('[data-testid=badge]:not([hidden])', { hasText: '1' }).waitFor(POLLED);
  assert.equal(await pa.locator('[data-testid=conversation]').first().getAttribute('data-id'), conv.id, 'moved to the top');
  await shot(pa, 'agent-list-polled');

  // The agent opens it: the message is there, and the user's check turns double.
  await row().click();
  await msg(pa, 'theirs', `Rain damaged my onions ${TAG}`).waitFor();
  await mine.locator('[data-testid=check][data-state=read]').waitFor(POLLED);
  await row().locator('[data-testid=badge][hidden]').waitFor({ state: 'attached', ...POLLED });
  assert.equal(sqlOne(`SELECT supportUnreadCount FROM conversations WHERE id = ${conv.id}`), '0');

  // The agent answers; the user sees it, and the agent's check turns double.
  await pa.fill('[data-testid=composer]', `Send a photo of the bulbs ${TAG}`);
  await pa.keyboard.press('Enter');
  const reply = msg(pa, 'mine', `Send a photo of the bulbs ${TAG}`);
  await reply.locator('[data-testid=check]').waitFor(POLLED);
  await msg(pu, 'theirs', `Send a photo of the bulbs ${TAG}`).waitFor(POLLED);
  await reply.locator('[data-testid=check][data-state=read]').waitFor(POLLED);
  assert.equal(sqlOne(`SELECT userUnreadCount FROM conversations WHERE id = ${conv.id}`), '0');
  // The list's preview is the agent's answer.
  await row().locator('[data-testid=preview]', { hasText: `Send a photo of the bulbs ${TAG}` }).waitFor(POLLED);

  // A message sent elsewhere (another device of the user) shows up too.
  const other = await api('POST', '/api/v1/chat/messages', { token: conv.user.token,
    body: { conversationId: conv.id, messageType: 'text', content: `From my other phone ${TAG}`, clientMessageId: `np-${TAG}` } });
  assert.equal(other.status, 201, other.text);
  await msg(pa, 'theirs', `From my other phone ${TAG}`).waitFor(POLLED);
  await msg(pu, 'mine', `From my other phone ${TAG}`).waitFor(POLLED);
  assert.equal(await pa.locator('#offline').isVisible(), false);
  await shot(pa, 'agent-chat-polled');
  await shot(pu, 'user-chat-polled');
});

test('pushd down: the Unassigned count follows the queue by polling', async () => {
  await queuedConversation();
  const queued = sqlOne("SELECT COUNT(*) FROM conversations WHERE assignedSupportId IS NULL AND status <> 'resolved'");
  await pa.locator('[data-testid=tab-unassigned-count]', { hasText: new RegExp(`^${queued}$`) }).waitFor(POLLED);
});

test('pushd starts: both pages go live again, the note goes, and messages and typing come over the socket', async () => {
  ctl('pushd-start');
  await note(pa).waitFor({ state: 'hidden', ...LIVE_AGAIN });
  await note(pu).waitFor({ state: 'hidden', ...LIVE_AGAIN });
  // Typing exists only on the socket: it shows once both have joined.
  await pu.type('[data-testid=composer]', 'Here');
  await pa.locator('[data-testid=typing]', { hasText: 'is typing' }).waitFor(LIVE_AGAIN);
  await pu.fill('[data-testid=composer]', `Live again ${TAG}`);
  await pu.keyboard.press('Enter');
  await msg(pa, 'theirs', `Live again ${TAG}`).waitFor({ timeout: 5000 });
  await msg(pu, 'mine', `Live again ${TAG}`).locator('[data-testid=check][data-state=read]').waitFor({ timeout: 5000 });
  // And the other way, sent over REST: pushd delivers it.
  const r = await api('POST', '/api/v1/chat/messages', { token: agent.token,
    body: { conversationId: conv.id, messageType: 'text', content: `Pushed to you ${TAG}`, clientMessageId: `nl-${TAG}` } });
  assert.equal(r.status, 201, r.text);
  await msg(pu, 'theirs', `Pushed to you ${TAG}`).waitFor({ timeout: 5000 });
  for (const p of [pa, pu]) {
    assert.equal(await note(p).isVisible(), false, 'not polling');
    assert.equal(await p.locator('#offline').isVisible(), false, 'no offline banner');
  }
  await shot(pa, 'agent-live-again');
  await shot(pu, 'user-live-again');
});

test('pushd goes away again: the live pages fall back to polling at once, and keep chatting', async () => {
  ctl('pushd-stop');
  await note(pa).waitFor(POLLED);
  await note(pu).waitFor(POLLED);
  await pu.fill('[data-testid=composer]', `Still there? ${TAG}`);
  await pu.keyboard.press('Enter');
  await msg(pu, 'mine', `Still there? ${TAG}`).locator('[data-testid=check]').waitFor(POLLED);
  await msg(pa, 'theirs', `Still there? ${TAG}`).waitFor(POLLED);
  await msg(pu, 'mine', `Still there? ${TAG}`).locator('[data-testid=check][data-state=read]').waitFor(POLLED);
  for (const p of [pa, pu]) assert.equal(await p.locator('#offline').isVisible(), false, 'no offline banner');
  await shot(pa, 'agent-polling-again');
  // after() starts pushd again for the files that follow.
});
