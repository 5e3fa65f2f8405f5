// The agents' inbox (issue 12) in a real headless Chromium: two agents and
// a user in their own browser contexts walk a conversation from the queue
// through take, transfer, resolve and a reopening by the user, on the
// three-pane layout (1280 px) and the one-pane one (800 px); routes, the
// availability switch, the transfer picker, activity lines and the admin
// screen.  Assertions are on what a person sees; screenshots go to
// $SCREENSHOT_DIR as inbox-NN-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, logIn, pageFor as pageIn } from './browser.mjs';
import { BASE, api, clearQueue, freshPhone, newStaff, newUser, sql, sqlOne } from '../integration/lib.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
let step = 0;
const shot = (page, name) => page.screenshot({ path: `${SHOTS}/inbox-${String(++step).padStart(2, '0')}-${name}.png` });

// Names of this run only: earlier test files leave conversations behind.
const TAG = `Q${[...String(process.pid)].map((d) => 'abcdefghij'[d]).join('')}`;
const NAMES = { a: `Anita ${TAG}`, b: `Bala ${TAG}`, admin: `Meera ${TAG}`, user: `Gopal ${TAG}`, added: `Chitra ${TAG}` };

let browser, a, b, admin, user;          // the accounts
let pa, pb, pu;                          // their pages
let convId;

const pageFor = (width, opts) => pageIn(browser, width, opts);

const row = (page) => page.locator(`[data-testid=conversation][data-id="${convId}"]`);
const box = async (page, testid) => page.locator(`[data-testid=${testid}]`).boundingBox();
const text = (page, testid) => page.locator(`[data-testid=${testid}]`).first().innerText();

before(async () => {
  browser = await launch();
  [a, b, admin] = await Promise.all([newStaff('Support', NAMES.a), newStaff('Support', NAMES.b), newStaff('Admin', NAMES.admin)]);
  user = await newUser(NAMES.user);
  // The user's earlier conversation, resolved by Bala last season.
  const earlier = await api('POST', '/api/v1/chat/conversations', { token: user.token });
  await api('POST', '/api/v1/chat/messages', { token: user.token,
    body: { conversationId: earlier.body.data._id, messageType: 'text', content: 'Last season: rust on the wheat', clientMessageId: `e-${TAG}` } });
  sql(`UPDATE conversations SET status = 'resolved', resolvedAt = CURRENT_TIMESTAMP(3), assignedSupportId = ${b.user.id} WHERE id = ${earlier.body.data._id}`);
  // Nobody may take a new conversation: it waits in the queue, alone.
  sql("UPDATE users SET availability = 'busy' WHERE role IN ('Support', 'Admin')");
  clearQueue();
  pa = await pageFor(1280);
  pb = await pageFor(800);
  pu = await pageFor(390, { isMobile: true, hasTouch: true });
});

after(async () => { await browser?.close(); });

test('the queue: Unassigned shows the waiting conversation and its count; an agent reads it, then takes it', async () => {
  await logIn(pu, '/user.html', user);
  await pu.waitForSelector('[data-testid=composer]');
  await pu.fill('[data-testid=composer]', 'My wheat leaves are turning yellow');
  await pu.keyboard.press('Enter');
  await pu.locator('[data-testid=message].mine [data-testid=check]').waitFor();
  convId = sqlOne(`SELECT id FROM conversations WHERE userId = ${user.user.id} ORDER BY id DESC LIMIT 1`);
  assert.equal(sqlOne(`SELECT CONCAT_WS('|', IFNULL(assignedSupportId, '-'), status) FROM conversations WHERE id = ${convId}`), '-|pending',
    'a busy team leaves it in the queue');
  // The user is told their place in the queue.
  await pu.locator('[data-testid=chat-notice]', { hasText: 'You are number 1 in the queue' }).waitFor();
  await shot(pu, 'user-in-queue');
  const queued = Number(sqlOne("SELECT COUNT(*) FROM conversations WHERE assignedSupportId IS NULL AND status <> 'resolved'"));

  await logIn(pa, '/', a);
  await pa.waitForSelector('[data-testid=inbox]');
  assert.equal(await pa.locator('[data-testid=tab-all]').count(), 0, 'All is for admins');
  await pa.locator('[data-testid=tab-unassigned-count]', { hasText: new RegExp(`^${queued}$`) }).waitFor();
  await pa.click('[data-testid=tab-unassigned]');
  await row(pa).waitFor();
  assert.equal(await row(pa).locator('[data-testid=row-status]').innerText(), 'Pending');
  await row(pa).click();
  await pa.waitForURL(`**/#/c/${convId}`);
  assert.equal(await text(pa, 'chat-name'), NAMES.user);
  await pa.locator('[data-testid=message]', { hasText: 'My wheat leaves are turning yellow' }).waitFor();
  assert.equal(await text(pa, 'details-name'), NAMES.user);
  assert.equal(await text(pa, 'details-phone'), user.phone);
  assert.equal(await text(pa, 'details-assignee'), 'Unassigned');
  assert.equal(await text(pa, 'conv-status'), 'Pending');
  assert.equal(await pa.locator('[data-testid=composer]').isDisabled(), true, 'take it before replying');
  await shot(pa, 'queue-read-only');

  await pa.click('[data-testid=take]');
  await pa.locator('[data-testid=conv-status]', { hasText: 'Open' }).waitFor();
  assert.equal(await pa.locator('[data-testid=take]').count(), 0);
  assert.equal(await text(pa, 'details-assignee'), NAMES.a);
  await row(pa).waitFor({ state: 'detached' });       // out of Unassigned
  await pa.locator('[data-testid=tab-unassigned-count]', { hasText: new RegExp(`^${queued - 1}$`) })
    .or(pa.locator('[data-testid=tab-unassigned-count][hidden]')).waitFor({ state: 'attached' });
  await pa.click('[data-testid=tab-mine]');
  await row(pa).waitFor();
  assert.equal(await row(pa).locator('[data-testid=badge]').isVisible(), false, 'open and read: no badge');
  await pa.locator('[data-testid=composer]:not([disabled])').waitFor();
  await pa.fill('[data-testid=composer]', 'Namaste, Anita here. Which variety?');
  await pa.keyboard.press('Enter');
  await pu.locator('[data-testid=message].theirs', { hasText: 'Anita here' }).waitFor();
  await pu.locator('[data-testid=chat-notice]').waitFor({ state: 'hidden' });
  assert.equal(await text(pu, 'chat-name'), NAMES.a);
  await shot(pa, 'taken');
});

test('three panes side by side at 1280 px', async () => {
  const [l, c, d] = [await box(pa, 'pane-list'), await box(pa, 'pane-chat'), await box(pa, 'pane-details')];
  for (const p of [l, c, d]) assert.ok(p && p.width > 250 && p.height > 500, JSON.stringify(p));
  assert.ok(l.x + l.width <= c.x + 1 && c.x + c.width <= d.x + 1, `left to right: ${JSON.stringify([l, c, d])}`);
  assert.ok(Math.abs(l.y - c.y) < 1 && Math.abs(c.y - d.y) < 1, 'one row');
  assert.ok(c.width > l.width && c.width > d.width, 'the conversation is the widest');
  assert.ok(d.x + d.width <= 1281);
  assert.equal(await pa.locator('[data-testid=details-toggle]').isVisible(), false, 'the details are there already');
});

test('reload on a conversation URL reopens it; Back returns to the list', async () => {
  await pa.reload();
  await pa.locator('[data-testid=chat-name]', { hasText: NAMES.user }).waitFor();
  await pa.locator('[data-testid=message]', { hasText: 'Anita here' }).waitFor();
  await pa.goBack();
  await pa.locator('[data-testid=chat-placeholder]').waitFor();
  assert.match(pa.url(), /#\/$|\/$/);
  assert.equal(await row(pa).isVisible(), true);
  await pa.goForward();
  await pa.locator('[data-testid=chat-name]', { hasText: NAMES.user }).waitFor();
});

test('transfer: the picker shows availability and load, live; the other agent gets it, the first loses it', async () => {
  await logIn(pb, '/', b);
  await pb.waitForSelector('[data-testid=inbox]');
  await pb.locator('[data-testid=availability]:not([disabled])').waitFor();
  assert.equal(await pb.locator('[data-testid=availability]').inputValue(), 'busy');
  const team = await api('GET', '/api/v1/users/agents', { token: a.token });
  const mine = team.body.data.find((x) => x._id === b.user.id);
  await pa.click('[data-testid=transfer]');
  const option = pa.locator('[data-testid=agent-option]', { hasText: NAMES.b });
  await option.waitFor();
  assert.equal(await option.locator('[data-testid=agent-availability]').innerText(), 'Busy');
  assert.equal(await option.locator('[data-testid=agent-load]').innerText(), `${mine.openCount}/${mine.capacity}`);
  assert.equal(await pa.locator('[data-testid=agent-option]', { hasText: NAMES.a }).count(), 0, 'not to oneself');
  // Bala says they are online: Anita's open picker shows it at once.
  await pb.selectOption('[data-testid=availability]', 'online');
  await option.locator('[data-testid=agent-availability]', { hasText: 'Online' }).waitFor();
  await shot(pa, 'transfer-picker');
  await option.click();
  await pa.locator('[data-testid=toast]', { hasText: `Transferred to ${NAMES.b}` }).waitFor();
  await pa.locator('[data-testid=chat-placeholder]').waitFor();
  await row(pa).waitFor({ state: 'detached' });
  await row(pb).waitFor();
  assert.equal(sqlOne(`SELECT assignedSupportId FROM conversations WHERE id = ${convId}`), b.user.id);
  // Anita may not come back to it by its URL.
  await pa.goto(`${BASE}/#/c/${convId}`);
  await pa.locator('[data-testid=chat-placeholder]', { hasText: 'does not exist or is not yours' }).waitFor();
  await shot(pb, 'received-narrow');
});

test('one pane at a time at 800 px: list, conversation with Back, details by a button', async () => {
  assert.equal(await pb.locator('[data-testid=pane-list]').isVisible(), true);
  assert.equal(await pb.locator('[data-testid=pane-chat]').isVisible(), false);
  assert.equal(await pb.locator('[data-testid=pane-details]').isVisible(), false);
  await row(pb).click();
  await pb.waitForURL(`**/#/c/${convId}`);
  await pb.locator('[data-testid=chat-name]', { hasText: NAMES.user }).waitFor();
  assert.equal(await pb.locator('[data-testid=pane-list]').isVisible(), false);
  const c = await box(pb, 'pane-chat');
  assert.ok(c.x < 1 && c.width > 790, JSON.stringify(c));
  await pb.click('[data-testid=details-toggle]');
  await pb.locator('[data-testid=details-name]', { hasText: NAMES.user }).waitFor();
  assert.equal(await pb.locator('[data-testid=pane-chat]').isVisible(), false);
  assert.equal(await text(pb, 'details-assignee'), NAMES.b);
  const earlier = pb.locator('[data-testid=details-history-item]');
  await earlier.first().waitFor();
  assert.equal(await earlier.count(), 1);
  assert.match(await earlier.innerText(), /Resolved[\s\S]*Last season: rust on the wheat/);
  await shot(pb, 'details-narrow');
  await pb.click('[data-testid=details-back]');
  await pb.locator('[data-testid=pane-chat]').waitFor();
  await pb.click('[data-testid=back]');
  await pb.locator('[data-testid=pane-list]').waitFor();
  assert.equal(await pb.locator('[data-testid=pane-chat]').isVisible(), false);
  // The browser's Back does the same.
  await row(pb).click();
  await pb.locator('[data-testid=pane-chat]').waitFor();
  await pb.goBack();
  await pb.locator('[data-testid=pane-list]').waitFor();
  assert.equal(await pb.locator('[data-testid=pane-chat]').isVisible(), false);
});

test('snooze and reopen; a time in the past is refused in words', async () => {
  await row(pb).click();
  await pb.locator('[data-testid=conv-status]', { hasText: 'Open' }).waitFor();
  await pb.click('[data-testid=snooze]');
  await pb.fill('[data-testid=snooze-at]', '2020-01-01T09:00');
  await pb.click('[data-testid=snooze-apply]');
  await pb.locator('[data-testid=chat-error]', { hasText: 'Choose a time in the future.' }).waitFor();
  await pb.click('[data-testid=snooze-hour]');
  await pb.locator('[data-testid=conv-status]', { hasText: 'Snoozed' }).waitFor();
  const until = Date.parse((await api('GET', `/api/v1/chat/conversations/${convId}`, { token: b.token })).body.data.snoozedUntil);
  assert.ok(Math.abs(until - Date.now() - 3600e3) < 120e3, `snoozed for an hour: ${new Date(until).toISOString()}`);
  assert.equal(await row(pb).locator('[data-testid=row-status]').count(), 1);
  await shot(pb, 'snoozed');
  await pb.click('[data-testid=reopen]');
  await pb.locator('[data-testid=conv-status]', { hasText: 'Open' }).waitFor();
});

test('resolve; a new message from the user reopens it, live', async () => {
  await pb.click('[data-testid=resolve]');
  await pb.locator('[data-testid=conv-status]', { hasText: 'Resolved' }).waitFor();
  await pb.locator('[data-testid=reopen]').waitFor();
  await row(pb).waitFor({ state: 'detached' });      // Mine hides resolved ones
  assert.equal(sqlOne(`SELECT status FROM conversations WHERE id = ${convId}`), 'resolved');
  await shot(pb, 'resolved');
  await pu.fill('[data-testid=composer]', 'The spots came back');
  await pu.keyboard.press('Enter');
  await pb.locator('[data-testid=message]', { hasText: 'The spots came back' }).waitFor();
  await pb.locator('[data-testid=conv-status]', { hasText: 'Open' }).waitFor();
  await pb.locator('[data-testid=resolve]').waitFor();
  await pb.click('[data-testid=back]');
  await row(pb).waitFor();
  // The status filter: resolved ones on asking.
  await pb.selectOption('[data-testid=status-filter]', 'resolved');
  await pb.locator('[data-testid=conversation]', { hasText: NAMES.user }).waitFor();   // the earlier one
  await row(pb).waitFor({ state: 'detached' });
  await pb.selectOption('[data-testid=status-filter]', 'active');
  await row(pb).waitFor();
});

test('activity entries render as localised system lines', async () => {
  const en = await pb.evaluate(async () => {
    const { activityText } = await import('/js/format.js');
    const m = (activity, content = 'server words') => ({ messageType: 'activity', content, activity });
    return [
      activityText(m({ action: 'resolved', actorId: '1', actorName: 'Asha Verma' })),
      activityText(m({ action: 'transferred', actorName: 'Asha Verma', agentId: '2', agentName: 'Ravi Rao' })),
      activityText(m({ action: 'taken', actorName: 'Ravi Rao', agentName: 'Ravi Rao' })),
      activityText(m({ action: 'reopened' })),
      activityText(m({ action: 'something-new' })),
      activityText(m(null)),
    ];
  });
  assert.deepEqual(en, ['Asha Verma resolved the conversation', 'Asha Verma transferred the conversation to Ravi Rao',
    'Ravi Rao took the conversation', 'The conversation was reopened', 'server words', 'server words']);
  // In the timeline: the server's own entries, or (until it writes them)
  // one stored by hand in the same shape.
  const stored = Number(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${convId} AND messageType = 'activity'`));
  if (stored === 0) {
    const activity = JSON.stringify({ action: 'resolved', actorId: b.user.id, actorName: NAMES.b, agentId: null, agentName: null, until: null });
    sql(`INSERT INTO messages (conversationId, senderId, messageType, content, activity) VALUES (${convId}, ${b.user.id}, 'activity', '${NAMES.b} resolved the conversation', '${activity}')`);
  }
  const history = await api('GET', `/api/v1/chat/messages/${convId}?limit=100`, { token: b.token });
  const entry = history.body.data.find((m) => m.messageType === 'activity' && (m.activity?.action ?? 'resolved') === 'resolved');
  assert.ok(entry, 'an activity entry in the history');
  await row(pb).click();
  const line = pb.locator('[data-testid=activity]', { hasText: `${NAMES.b} resolved the conversation` }).first();
  await line.waitFor();
  assert.equal(await pb.locator('[data-testid=message]', { hasText: 'resolved the conversation' }).count(), 0, 'not a bubble');
  const lb = await line.boundingBox();
  const mb = await box(pb, 'messages');
  assert.ok(Math.abs(lb.x + lb.width / 2 - (mb.x + mb.width / 2)) < 20, 'centred');
  await shot(pb, 'activity');
  await pb.click('[data-testid=lang]');
  // Localised from `activity` when the server gives it, else its words.
  const hindi = entry.activity ? `${NAMES.b} ने बातचीत हल की` : `${NAMES.b} resolved the conversation`;
  await pb.locator('[data-testid=activity]', { hasText: hindi }).first().waitFor();
  await pb.click('[data-testid=lang]');
  await pb.click('[data-testid=back]');
});

test('the admin screen adds an agent, sets capacity and role, and disables an account', async (t) => {
  const probe = await api('GET', '/api/v1/users?limit=1', { token: admin.token });
  if (probe.status !== 200) { t.skip(`GET /api/v1/users answers ${probe.status}: the admin endpoints have not landed`); return; }
  const pm = await pageFor(1280);
  await logIn(pm, '/', admin);
  await pm.waitForSelector('[data-testid=inbox]');
  await pm.locator('[data-testid=tab-all]').waitFor();
  await pm.click('[data-testid=nav-admin]');
  await pm.waitForURL('**/#/admin');
  await pm.locator('[data-testid=user-row]').first().waitFor();
  const phone = freshPhone();
  await pm.fill('[data-testid=new-name]', NAMES.added);
  await pm.fill('[data-testid=new-phone]', phone);
  await pm.fill('[data-testid=new-password]', 'chitra-pass-1');
  await pm.selectOption('[data-testid=new-role]', 'Support');
  await pm.click('[data-testid=add-submit]');
  await pm.locator('[data-testid=admin-note]', { hasText: `${NAMES.added} was added.` }).waitFor();
  const added = pm.locator('[data-testid=user-row]', { hasText: NAMES.added });
  await added.waitFor();
  const login = await api('POST', '/api/v1/users/login', { body: { phone, password: 'chitra-pass-1' } });
  assert.equal(login.status, 200, login.text);
  assert.equal(login.body.user.role, 'Support');
  // A phone that is taken: said in words.
  await pm.fill('[data-testid=new-name]', 'Another Person');
  await pm.fill('[data-testid=new-phone]', phone);
  await pm.fill('[data-testid=new-password]', 'another-pass-1');
  await pm.click('[data-testid=add-submit]');
  await pm.locator('[data-testid=add-error]', { hasText: 'already exists' }).waitFor();
  // Capacity, then disable, found by search.
  await pm.fill('[data-testid=admin-search]', NAMES.added);
  await pm.locator('[data-testid=user-row]', { hasText: NAMES.added }).waitFor();
  await pm.waitForFunction((n) => [...document.querySelectorAll('[data-testid=user-row]')].every((r) => r.textContent.includes(n)), NAMES.added);
  await added.locator('[data-testid=user-capacity]').fill('4');
  await added.locator('[data-testid=user-capacity]').press('Tab');
  await pm.locator('[data-testid=admin-note]', { hasText: 'Saved.' }).waitFor();
  const team = await api('GET', '/api/v1/users/agents', { token: admin.token });
  assert.equal(team.body.data.find((x) => x.name === NAMES.added)?.capacity, 4);
  await added.locator('[data-testid=user-role]').selectOption('Admin');
  // The row is drawn again from the server's answer.
  await pm.locator('[data-testid=user-row][data-role=Admin]', { hasText: NAMES.added }).waitFor();
  assert.equal(sqlOne(`SELECT role FROM users WHERE phone = '${phone}'`), 'Admin');
  await added.locator('[data-testid=user-toggle]').click();
  await added.locator('[data-testid=user-state]', { hasText: 'Disabled' }).waitFor();
  assert.equal(await added.locator('[data-testid=user-toggle]').innerText(), 'Enable');
  const refused = await api('POST', '/api/v1/users/login', { body: { phone, password: 'chitra-pass-1' } });
  assert.equal(refused.status, 403, refused.text);
  await shot(pm, 'admin');
  // Agents have no admin screen.
  assert.equal(await pa.locator('[data-testid=nav-admin]').count(), 0);
  await pm.click('[data-testid=admin-back]');
  await pm.locator('[data-testid=inbox]').waitFor();
  await pm.context().close();
});

test('Hindi for the inbox\'s words', async () => {
  await pa.goto(`${BASE}/#/`);
  await pa.locator('[data-testid=tab-mine]').waitFor();
  await pa.click('[data-testid=lang]');
  assert.equal(await text(pa, 'tab-mine'), 'मेरी');
  assert.match(await text(pa, 'tab-unassigned'), /^बिना सौंपी/);
  assert.equal(await pa.locator('[data-testid=status-filter] option:checked').innerText(), 'हल की गई के अलावा सभी');
  await shot(pa, 'hindi');
  await pa.click('[data-testid=lang]');
  assert.equal(await text(pa, 'tab-mine'), 'Mine');
});
