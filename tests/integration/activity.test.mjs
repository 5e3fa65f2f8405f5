// activity.test.mjs - every status or assignment change is an activity
// entry in the conversation's timeline: the support team sees it in the
// history and live in the room; it never counts as unread and is never the
// last message; a user's history, catch-up and events hold it only when
// their client asks (?include=activity, CONNECT {include: 'activity'}).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { api, conversationWith, newStaff, onlyEligible, queuedConversation, sqlOne } from './lib.mjs';
import { ack, closeAll, connect, nextWhere, record, until } from './sock.mjs';

after(closeAll);
const WS = { transports: ['websocket'] };
const history = (token, id, q = '') => api('GET', `/api/v1/chat/messages/${id}${q}`, { token });
const activities = (r) => r.body.data.filter((m) => m.messageType === 'activity');
const patch = (token, id, body) => api('PATCH', `/api/v1/chat/conversations/${id}`, { token, body });

test('a status change is an entry the team sees and a user sees only when asking', async () => {
  const agent = await newStaff('Support', 'Asha Activity');
  const { user, id } = await conversationWith(agent);
  const sent = await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: id, content: 'My wheat has rust' } });
  assert.equal(sent.status, 201, sent.text);
  const sa = await connect(agent.token, WS);
  const plain = await connect(user.token, WS);
  const asking = await connect(user.token, { ...WS, auth: { token: user.token, include: 'activity' } });
  for (const s of [sa, plain, asking]) assert.equal((await ack(s, 'conversation:join', { conversationId: id })).ok, true);
  const heardPlain = record(plain, 'message:new');
  const live = nextWhere(sa, 'message:new', (m) => m.messageType === 'activity');
  const liveUser = nextWhere(asking, 'message:new', (m) => m.messageType === 'activity');
  const unreadBefore = sqlOne(`SELECT CONCAT(userUnreadCount, '|', supportUnreadCount, '|', lastMessageId) FROM conversations WHERE id = ${id}`);
  const r = await patch(agent.token, id, { status: 'resolved' });
  assert.equal(r.status, 200, r.text);
  const entry = await live;
  assert.equal(entry.content, 'Asha Activity resolved the conversation');
  assert.equal(entry.senderId, agent.user.id);
  assert.deepEqual(entry.activity, { action: 'resolved', actorId: agent.user.id, actorName: 'Asha Activity', agentId: null, agentName: null, until: null });
  assert.equal(entry.isRead, true, 'never unread');
  assert.equal((await liveUser)._id, entry._id, 'a client that asked hears it');
  // The history: the team's has it after the message; the user's only if asked.
  const staff = await history(agent.token, id);
  assert.deepEqual(staff.body.data.map((m) => m.messageType), ['text', 'activity']);
  assert.equal(activities(await history(user.token, id)).length, 0);
  assert.deepEqual(activities(await history(user.token, id, '?include=activity')).map((m) => m._id), [entry._id]);
  assert.equal((await history(user.token, id, '?include=everything')).status, 400);
  // Nothing counts it: unread counts and the last message are as they were.
  assert.equal(sqlOne(`SELECT CONCAT(userUnreadCount, '|', supportUnreadCount, '|', lastMessageId) FROM conversations WHERE id = ${id}`), unreadBefore);
  const list = await api('GET', `/api/v1/chat/conversations/${id}`, { token: user.token });
  assert.equal(list.body.data.lastMessage._id, sent.body.data._id);
  // The plain client never heard it; a marker after it proves the order.
  const marker = nextWhere(plain, 'message:new', (m) => m.content === 'marker');
  await api('POST', '/api/v1/chat/messages', { token: agent.token, body: { conversationId: id, content: 'marker' } });
  await marker;
  assert.deepEqual(heardPlain.map((m) => m.messageType), ['text']);
  // Catch-up with lastMessageId: without the entry, unless asked.
  const late = await connect(user.token, WS);
  const missed = record(late, 'message:new');
  assert.equal((await ack(late, 'conversation:join', { conversationId: id, lastMessageId: sent.body.data._id })).missed, 1);
  assert.deepEqual(missed.map((m) => m.content), ['marker']);
  const lateAsking = await connect(user.token, { ...WS, auth: { token: user.token, include: 'activity' } });
  assert.equal((await ack(lateAsking, 'conversation:join', { conversationId: id, lastMessageId: sent.body.data._id })).missed, 2);
  for (const s of [sa, plain, asking, late, lateAsking]) s.disconnect();
});

test('entries name who did what: snooze, take, transfer, back to the queue, routing, a user who reopens', async () => {
  const admin = await newStaff('Admin', 'Ravi Admin');
  const a = await newStaff('Support', 'Meena Agent');
  const b = await newStaff('Support', 'Kiran Agent');
  onlyEligible();
  const { user, id } = await queuedConversation();
  const assign = (token, supportId) => api('POST', `/api/v1/chat/conversations/${id}/assign`, { token, body: { supportId } });
  assert.equal((await assign(a.token, a.user.id)).status, 200);
  const wake = new Date(Date.now() + 3600e3).toISOString();
  assert.equal((await patch(a.token, id, { status: 'snoozed', snoozedUntil: wake })).status, 200);
  assert.equal((await assign(a.token, b.user.id)).status, 200);
  assert.equal((await assign(admin.token, a.user.id)).status, 200);
  assert.equal((await assign(a.token, null)).status, 200);
  // Routing: b connects and takes it from the queue.
  onlyEligible(b);
  const sb = await connect(b.token, WS);
  await until(() => sqlOne(`SELECT IFNULL(assignedSupportId, 0) FROM conversations WHERE id = ${id}`) === b.user.id, () => 'routed to b');
  assert.equal((await patch(b.token, id, { status: 'resolved' })).status, 200);
  const reopen = await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: id, content: 'It is back' } });
  assert.equal(reopen.status, 201, reopen.text);
  const h = await history(admin.token, id, '?limit=100');
  const said = h.body.data.map((m) => (m.messageType === 'activity' ? m.content : `[${m.content}]`));
  assert.deepEqual(said, [
    'Meena Agent took the conversation',
    `Meena Agent snoozed the conversation until ${wake}`,
    'Meena Agent transferred the conversation to Kiran Agent',
    'Ravi Admin assigned the conversation to Meena Agent',
    'Meena Agent put the conversation back in the queue',
    'The conversation was assigned to Kiran Agent',
    'Kiran Agent resolved the conversation',
    `${user.user.name} reopened the conversation`,
    '[It is back]',
  ]);
  const routed = h.body.data.find((m) => m.activity?.action === 'routed');
  assert.equal(routed.senderId, null, 'routing is nobody');
  assert.deepEqual([routed.activity.agentId, routed.activity.agentName], [b.user.id, 'Kiran Agent']);
  assert.equal(sqlOne(`SELECT userUnreadCount FROM conversations WHERE id = ${id}`), '0', 'no entry is unread for the user');
  sb.disconnect();
});
