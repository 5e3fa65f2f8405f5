// workflow.test.mjs - a conversation's status: resolve, reopen, snooze
// (PATCH /api/v1/chat/conversations/:id), who may change it, a user's
// message that reopens it, a snooze that ends by itself, and
// conversation:updated to every party with its own view.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { api, conversationWith, isError, newStaff, sqlOne } from './lib.mjs';
import { ack, closeAll, connect, nextWhere } from './sock.mjs';

after(closeAll);
const WS = { transports: ['websocket'] };
const patch = (token, id, body) => api('PATCH', `/api/v1/chat/conversations/${id}`, { token, body });
const row = (id) => sqlOne(`SELECT CONCAT_WS('|', status, IFNULL(snoozedUntil, '-'), IFNULL(resolvedAt, '-')) FROM conversations WHERE id = ${id}`);
const inAnHour = () => new Date(Date.now() + 3600 * 1000).toISOString();

test('the assigned agent and admins change the status; users, other agents and bad input change nothing', async () => {
  const agent = await newStaff('Support', 'Workflow Agent');
  const other = await newStaff('Support', 'Other Workflow Agent');
  const admin = await newStaff('Admin', 'Workflow Admin');
  const { user, id } = await conversationWith(agent);
  const before = row(id);
  for (const [who, token, status] of [['the user', user.token, 404], ['another agent', other.token, 404]]) {
    isError(assert, await patch(token, id, { status: 'resolved' }), status);
    assert.equal(row(id), before, `${who} changed nothing`);
  }
  for (const body of [{ status: 'closed' }, { status: 'snoozed' }, { status: 'snoozed', snoozedUntil: '2020-01-01T00:00:00Z' },
    { status: 'snoozed', snoozedUntil: 'tomorrow' }, { status: 'open', snoozedUntil: inAnHour() }, {}, { status: 3 }]) {
    isError(assert, await patch(agent.token, id, body), 400, 'validation_failed');
    assert.equal(row(id), before, `${JSON.stringify(body)} changed nothing`);
  }
  const r = await patch(agent.token, id, { status: 'resolved' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.status, 'resolved');
  assert.ok(Date.parse(r.body.data.resolvedAt) > Date.now() - 60000);
  assert.equal(r.body.data.snoozedUntil, null);
  const until = inAnHour();
  const s = await patch(admin.token, id, { status: 'snoozed', snoozedUntil: until });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.data.status, 'snoozed');
  assert.equal(Date.parse(s.body.data.snoozedUntil), Date.parse(until));
  assert.equal(s.body.data.resolvedAt, null);
  const o = await patch(agent.token, id, { status: 'open' });
  assert.equal(o.body.data.status, 'open');
  assert.equal(o.body.data.snoozedUntil, null);
  // What the user reads is the same conversation.
  assert.equal((await api('GET', `/api/v1/chat/conversations/${id}`, { token: user.token })).body.data.status, 'open');
});

test('conversation:updated reaches the user and the agent, each with its own view', async () => {
  const agent = await newStaff('Support', 'Updated Agent');
  const { user, id } = await conversationWith(agent);
  await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: id, content: 'one unread for the agent' } });
  const a = await connect(agent.token, WS);
  const u = await connect(user.token, WS);
  const toAgent = nextWhere(a, 'conversation:updated', (e) => e.conversation._id === id);
  const toUser = nextWhere(u, 'conversation:updated', (e) => e.conversation._id === id);
  assert.equal((await patch(agent.token, id, { status: 'resolved' })).status, 200);
  const ea = await toAgent;
  const eu = await toUser;
  assert.equal(ea.conversation.status, 'resolved');
  assert.equal(eu.conversation.status, 'resolved');
  assert.equal(ea.conversation.unreadCount, 1, 'the agent side\'s unread count');
  assert.equal(eu.conversation.unreadCount, 0, 'the user\'s own');
  a.disconnect(); u.disconnect();
});

test('a message from the user reopens a resolved or snoozed conversation; the agent\'s own does not', async () => {
  const agent = await newStaff('Support', 'Reopen Agent');
  const { user, id } = await conversationWith(agent);
  const a = await connect(agent.token, WS);
  const u = await connect(user.token, WS);
  await patch(agent.token, id, { status: 'resolved' });
  // The agent's last word keeps it resolved.
  assert.equal((await ack(a, 'message:send', { conversationId: id, content: 'Glad to help!', clientMessageId: 'wf-1' })).ok, true);
  assert.equal(row(id).split('|')[0], 'resolved');
  // The user writes again over the socket: open, and the agent hears it.
  let reopened = nextWhere(a, 'conversation:updated', (e) => e.conversation._id === id && e.conversation.status === 'open');
  assert.equal((await ack(u, 'message:send', { conversationId: id, content: 'One more question', clientMessageId: 'wf-2' })).ok, true);
  assert.equal((await reopened).conversation.resolvedAt, null);
  assert.equal(row(id), 'open|-|-');
  // Snoozed, then a user message over REST: open again, snooze cleared.
  await patch(agent.token, id, { status: 'snoozed', snoozedUntil: inAnHour() });
  reopened = nextWhere(a, 'conversation:updated', (e) => e.conversation._id === id && e.conversation.status === 'open');
  assert.equal((await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: id, content: 'Still there?' } })).status, 201);
  assert.equal((await reopened).conversation.snoozedUntil, null);
  assert.equal(row(id), 'open|-|-');
  a.disconnect(); u.disconnect();
});

test('a snooze ends by itself at its time (pushd.wake_interval 200 ms here)', async () => {
  const agent = await newStaff('Support', 'Snooze Agent');
  const { user, id } = await conversationWith(agent);
  const a = await connect(agent.token, WS);
  const u = await connect(user.token, WS);
  const until = new Date(Date.now() + 1500).toISOString();
  assert.equal((await patch(agent.token, id, { status: 'snoozed', snoozedUntil: until })).status, 200);
  const opened = (e) => e.conversation._id === id && e.conversation.status === 'open';
  const [woke, mine] = await Promise.all([nextWhere(a, 'conversation:updated', opened, 15000),
    nextWhere(u, 'conversation:updated', opened, 15000)]);
  assert.ok(Date.now() >= Date.parse(until), 'not before its time');
  assert.equal(woke.conversation.snoozedUntil, null);
  assert.equal(mine.conversation.status, 'open');
  assert.equal(row(id), 'open|-|-');
  a.disconnect(); u.disconnect();
});
