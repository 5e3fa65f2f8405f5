// assign.test.mjs - taking, transferring and queueing a conversation
// (POST /api/v1/chat/conversations/:id/assign): who may, what the old and
// the new agent see at once (access, room, events), and refusals that
// change nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { api, isError, newStaff, newUser, onlyEligible, queuedConversation, sqlOne } from './lib.mjs';
import { ack, closeAll, connect, next, nextWhere } from './sock.mjs';

after(closeAll);
const WS = { transports: ['websocket'] };
const assign = (token, id, supportId) => api('POST', `/api/v1/chat/conversations/${id}/assign`, { token, body: { supportId } });
const holder = (id) => sqlOne(`SELECT CONCAT_WS('|', IFNULL(assignedSupportId, '-'), status) FROM conversations WHERE id = ${id}`);


test('an agent takes from the queue, transfers to another, and the old agent loses it at once', async () => {
  const a = await newStaff('Support', 'Taking Agent');
  const b = await newStaff('Support', 'Receiving Agent');
  onlyEligible(a, b);
  const { user, id } = await queuedConversation();
  const sa = await connect(a.token, WS);
  const sb = await connect(b.token, WS);
  const su = await connect(user.token, WS);
  // Take.
  const r = await assign(a.token, id, a.user.id);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.assignedSupportId, a.user.id);
  assert.equal(r.body.data.status, 'open');
  assert.equal(holder(id), `${a.user.id}|open`);
  assert.equal((await ack(sa, 'conversation:join', { conversationId: id })).ok, true);
  // Transfer: b hears conversation:new, a hears the update once and is out.
  const toB = nextWhere(sb, 'conversation:new', (e) => e.conversation._id === id);
  // (The take's own updates may still be on their way: wait for b's.)
  const toA = nextWhere(sa, 'conversation:updated', (e) => e.conversation._id === id && e.conversation.assignedSupportId === b.user.id);
  const toUser = nextWhere(su, 'conversation:updated', (e) => e.conversation._id === id && e.conversation.support?._id === b.user.id);
  const t = await assign(a.token, id, b.user.id);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.body.data.assignedSupportId, b.user.id);
  assert.equal((await toB).conversation.assignedSupportId, b.user.id);
  assert.equal((await toA).conversation.assignedSupportId, b.user.id);
  assert.equal((await toUser).conversation.support._id, b.user.id);
  isError(assert, await api('GET', `/api/v1/chat/conversations/${id}`, { token: a.token }), 404);
  isError(assert, await api('GET', `/api/v1/chat/messages/${id}`, { token: a.token }), 404);
  // a's socket left the room: the user's next message reaches b, not a.
  assert.equal((await ack(sb, 'conversation:join', { conversationId: id })).ok, true);
  const heardByA = [];
  sa.on('message:new', (m) => heardByA.push(m));
  const atB = next(sb, 'message:new');
  assert.equal((await ack(su, 'message:send', { conversationId: id, content: 'Are you still there?', clientMessageId: 'as-1' })).ok, true);
  await atB;
  // b's message:new and anything for a left pushd together; a typing
  // event from a is refused, and a marker to a's own socket comes after.
  const typing = await ack(sa, 'typing:start', { conversationId: id });
  assert.equal(typing.ok, false);
  assert.equal(typing.error.code, 'not_found');
  assert.deepEqual(heardByA, [], 'the old agent hears nothing of it');
  // Back to the queue by its new agent: routing gives it to the agent who
  // can take it (a: connected, available, under capacity), never back to
  // the one who gave it up.
  const toAagain = nextWhere(sa, 'conversation:new', (e) => e.conversation._id === id);
  const q = await assign(b.token, id, null);
  assert.equal(q.status, 200, q.text);
  assert.equal((await toAagain).conversation.assignedSupportId, a.user.id);
  assert.equal(holder(id), `${a.user.id}|open`);
  // With nobody else available it waits in the queue.
  onlyEligible();
  assert.equal((await assign(a.token, id, null)).status, 200);
  assert.equal(holder(id), '-|pending');
  for (const s of [sa, sb, su]) s.disconnect();
});

test('an admin assigns anyone; refusals change nothing', async () => {
  const admin = await newStaff('Admin', 'Assigning Admin');
  const a = await newStaff('Support', 'Agent One');
  const b = await newStaff('Support', 'Agent Two');
  const c = await newStaff('Support', 'Agent Three');
  onlyEligible();
  const { user, id } = await queuedConversation();
  const someone = await newUser('Not An Agent');
  const before = holder(id);
  // A user, and bad targets.
  isError(assert, await assign(user.token, id, a.user.id), 404);
  isError(assert, await assign(admin.token, id, someone.user.id), 400, 'validation_failed');
  isError(assert, await assign(admin.token, id, '987654321'), 400, 'validation_failed');
  isError(assert, await assign(admin.token, id, 'abc'), 400, 'validation_failed');
  isError(assert, await api('POST', `/api/v1/chat/conversations/${id}/assign`, { token: admin.token, body: {} }), 400, 'validation_failed');
  // An agent may take only for themselves.
  isError(assert, await assign(a.token, id, b.user.id), 404);
  assert.equal(holder(id), before, 'nothing changed');
  // The admin assigns a; then neither b nor c may move it.
  assert.equal((await assign(admin.token, id, a.user.id)).status, 200);
  assert.equal(holder(id), `${a.user.id}|open`);
  isError(assert, await assign(b.token, id, b.user.id), 404);
  isError(assert, await assign(c.token, id, null), 404);
  assert.equal(holder(id), `${a.user.id}|open`);
  // The admin moves it on, and back to the queue.
  assert.equal((await assign(admin.token, id, b.user.id)).status, 200);
  assert.equal(holder(id), `${b.user.id}|open`);
  assert.equal((await assign(admin.token, id, null)).status, 200);
  assert.equal(holder(id), '-|pending');
  isError(assert, await assign(admin.token, '987654321', a.user.id), 404);
});
