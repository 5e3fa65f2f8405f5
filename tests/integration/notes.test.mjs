// notes.test.mjs - private notes: the support team writes them in a
// conversation (`private: true` on message:send or POST
// /api/v1/chat/messages); they are stored in place (`isPrivate: true`),
// reach only agents' and admins' sockets, and never reach the user on any
// path: live events, notifications, history, `?after=`, the catch-up of
// conversation:join, unread counts, the last message, read receipts.
// "Never" is checked against a marker: a plain message sent after the
// note reached the team, which the user does receive, in order.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { api, conversationWith, isError, newStaff, sqlOne } from './lib.mjs';
import { ack, closeAll, connect, nextWhere, record } from './sock.mjs';

after(closeAll);
const WS = { transports: ['websocket'] };
const send = (token, body) => api('POST', '/api/v1/chat/messages', { token, body });
const history = (token, id, q = '') => api('GET', `/api/v1/chat/messages/${id}${q}`, { token });
const counts = (id) => sqlOne(`SELECT CONCAT(userUnreadCount, '|', supportUnreadCount, '|', lastMessageId) FROM conversations WHERE id = ${id}`);
const join = async (s, id, extra = {}) => assert.equal((await ack(s, 'conversation:join', { conversationId: id, ...extra })).ok, true);

// A conversation with its agent, an admin and its user, each with a socket
// in the room, and the user's second socket outside it.
async function scene(label) {
  const agent = await newStaff('Support', `${label} Agent`);
  const admin = await newStaff('Admin', `${label} Admin`);
  const { user, id } = await conversationWith(agent);
  const first = await send(user.token, { conversationId: id, content: 'my goat will not eat' });
  assert.equal(first.status, 201, first.text);
  const sa = await connect(agent.token, WS);
  const sb = await connect(admin.token, WS);
  const su = await connect(user.token, WS);
  const su2 = await connect(user.token, WS);
  for (const s of [sa, sb, su]) await join(s, id);
  return { agent, admin, user, id, sa, sb, su, su2, first: first.body.data };
}

// The user's sockets hear the marker (a plain message sent after the note
// reached the team) and nothing of the note before it.
async function userHeardNothing(sc, note, heard) {
  const marker = nextWhere(sc.su, 'message:new', (m) => m.content === `after ${note._id}`);
  const notified = nextWhere(sc.su2, 'notification:new-message', (n) => n.message.content === `after ${note._id}`);
  const m = await send(sc.agent.token, { conversationId: sc.id, content: `after ${note._id}` });
  assert.equal(m.status, 201, m.text);
  await marker;
  await notified;
  for (const [what, list] of Object.entries(heard)) {
    const leaked = list.filter((x) => JSON.stringify(x).includes(note._id) && !JSON.stringify(x).includes(`after ${note._id}`));
    assert.deepEqual(leaked, [], `the user's ${what} carry nothing of the note`);
  }
}

const userRecords = (sc) => ({
  'room events': record(sc.su, 'message:new'),
  'sent events': record(sc.su, 'message:sent'),
  notifications: record(sc.su2, 'notification:new-message'),
  'other socket events': record(sc.su2, 'message:new'),
});

test('a note over the socket reaches the agent and admin in the room, never the user', async () => {
  const sc = await scene('Socket Note');
  const heard = userRecords(sc);
  const before = counts(sc.id);
  const adminHears = nextWhere(sc.sb, 'message:new', (m) => m.isPrivate === true);
  const r = await ack(sc.sa, 'message:send', { conversationId: sc.id, content: 'check the fodder first', private: true, clientMessageId: 'note-s1' });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.message.isPrivate, true);
  assert.equal(r.message.content, 'check the fodder first');
  const heardNote = await adminHears;
  assert.equal(heardNote._id, r.message._id);
  assert.equal(counts(sc.id), before, 'no unread count and no last message for a note');
  await userHeardNothing(sc, r.message, heard);
  // A retry with the same clientMessageId is the same note.
  const again = await ack(sc.sa, 'message:send', { conversationId: sc.id, content: 'check the fodder first', private: true, clientMessageId: 'note-s1' });
  assert.equal(again.duplicate, true);
  assert.equal(again.message._id, r.message._id);
});

test('a note over REST: the team\'s history shows it in place; the user\'s history, ?after= and catch-up never do', async () => {
  const sc = await scene('Rest Note');
  const heard = userRecords(sc);
  const adminHears = nextWhere(sc.sb, 'message:new', (m) => m.isPrivate === true);
  const agentHears = nextWhere(sc.sa, 'message:new', (m) => m.isPrivate === true);
  const r = await send(sc.agent.token, { conversationId: sc.id, content: 'farmer called twice', private: true });
  assert.equal(r.status, 201, r.text);
  const note = r.body.data;
  assert.equal(note.isPrivate, true);
  assert.equal((await adminHears)._id, note._id);
  assert.equal((await agentHears)._id, note._id);
  await userHeardNothing(sc, note, heard);

  const staff = await history(sc.agent.token, sc.id);
  const ids = staff.body.data.map((m) => m._id);
  assert.ok(ids.indexOf(sc.first._id) < ids.indexOf(note._id), 'after the message before it');
  assert.equal(staff.body.data.find((m) => m._id === note._id).isPrivate, true);
  assert.ok((await history(sc.admin.token, sc.id)).body.data.some((m) => m._id === note._id), 'the admin\'s too');
  for (const q of ['', `?after=${sc.first._id}`, '?include=activity', `?after=${sc.first._id}&include=activity`]) {
    const u = await history(sc.user.token, sc.id, q);
    assert.equal(u.status, 200, u.text);
    assert.ok(u.body.data.length > 0, q);
    assert.ok(!u.body.data.some((m) => m._id === note._id || m.isPrivate), `the user's history${q}`);
  }
  // The catch-up of a join with lastMessageId.
  const late = await connect(sc.user.token, WS);
  const caught = record(late, 'message:new');
  const j = await ack(late, 'conversation:join', { conversationId: sc.id, lastMessageId: sc.first._id });
  assert.equal(j.ok, true);
  assert.ok(j.missed >= 1, 'the marker is missed');
  assert.ok(caught.length === j.missed && !caught.some((m) => m._id === note._id), 'the user\'s catch-up');
  const lateAgent = await connect(sc.agent.token, WS);
  const agentCaught = record(lateAgent, 'message:new');
  const ja = await ack(lateAgent, 'conversation:join', { conversationId: sc.id, lastMessageId: sc.first._id });
  assert.equal(agentCaught.length, ja.missed);
  assert.ok(agentCaught.some((m) => m._id === note._id), 'the agent\'s catch-up has it');
  // The user's list: the note is neither the last message nor unread.
  const list = await api('GET', '/api/v1/chat/conversations', { token: sc.user.token });
  const conv = list.body.data.find((c) => c._id === sc.id);
  assert.notEqual(conv.lastMessage?._id, note._id);
  assert.ok(!JSON.stringify(conv).includes('farmer called twice'));
});

test('the user\'s read receipts never mark or name a note', async () => {
  const sc = await scene('Read Note');
  const note = (await send(sc.agent.token, { conversationId: sc.id, content: 'note to self', private: true })).body.data;
  const plain = (await send(sc.agent.token, { conversationId: sc.id, content: 'please send a photo' })).body.data;
  const all = await api('POST', `/api/v1/chat/conversations/${sc.id}/read`, { token: sc.user.token, body: {} });
  assert.equal(all.status, 200, all.text);
  const marked = JSON.stringify(all.body);
  assert.ok(marked.includes(plain._id), marked);
  assert.ok(!marked.includes(note._id), 'a note is never marked read by the user');
  const some = await api('POST', `/api/v1/chat/conversations/${sc.id}/read`, { token: sc.user.token, body: { messageIds: [note._id] } });
  assert.ok(!JSON.stringify(some.body).includes(`"${note._id}"`), JSON.stringify(some.body));
  assert.equal(sqlOne(`SELECT isRead FROM messages WHERE id = ${note._id}`), '0');
  assert.equal(sqlOne(`SELECT userUnreadCount FROM conversations WHERE id = ${sc.id}`), '0');
});

test('an admin\'s note reaches the conversation\'s agent outside the room too', async () => {
  const agent = await newStaff('Support', 'Roomless Agent');
  const admin = await newStaff('Admin', 'Noting Admin');
  const { user, id } = await conversationWith(agent);
  const sa = await connect(agent.token, WS);
  const su = await connect(user.token, WS);
  const userHeard = record(su, 'notification:new-message');
  const agentHears = nextWhere(sa, 'message:new', (m) => m.isPrivate === true);
  const r = await send(admin.token, { conversationId: id, content: 'escalate to the vet', private: true });
  assert.equal(r.status, 201, r.text);
  assert.equal((await agentHears).content, 'escalate to the vet');
  const marker = nextWhere(su, 'notification:new-message', (n) => n.message.content === 'vet is coming');
  assert.equal((await send(agent.token, { conversationId: id, content: 'vet is coming' })).status, 201);
  await marker;
  assert.deepEqual(userHeard.filter((n) => n.message.isPrivate), []);
});

test('a user cannot write a note; a note is text; private must be a boolean', async () => {
  const agent = await newStaff('Support', 'Refusing Agent');
  const { user, id } = await conversationWith(agent);
  const before = sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${id}`);
  isError(assert, await send(user.token, { conversationId: id, content: 'secret?', private: true }), 400, 'validation_failed');
  const su = await connect(user.token, WS);
  const r = await ack(su, 'message:send', { conversationId: id, content: 'secret?', private: true });
  assert.equal(r.ok, false);
  assert.equal(r.error.code, 'validation_failed');
  isError(assert, await send(agent.token, { conversationId: id, content: 'x', private: 'yes' }), 400, 'validation_failed');
  isError(assert, await send(agent.token, { conversationId: id, messageType: 'image', mediaId: '1', private: true }), 400, 'validation_failed');
  assert.equal(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${id}`), before, 'nothing stored');
  // private: false is an ordinary message.
  const plain = await send(user.token, { conversationId: id, content: 'hello', private: false });
  assert.equal(plain.status, 201);
  assert.equal(plain.body.data.isPrivate, undefined);
});
