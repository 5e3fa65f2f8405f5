// inbox.test.mjs - the lists of a help desk: an agent's own conversations
// and the queue (oldest first), everything for admins, and the status
// filter (resolved ones hidden unless asked for).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { api, conversationWith, isError, newStaff, queuedConversation, sql } from './lib.mjs';

const list = (token, q = '') => api('GET', `/api/v1/chat/conversations?limit=100${q}`, { token });
const ids = (r) => r.body.data.map((c) => c._id);


test('an agent lists their own by default, the queue oldest first on asking; all and other agents are for admins', async () => {
  const a = await newStaff('Support', 'Inbox Agent');
  const b = await newStaff('Support', 'Other Inbox Agent');
  const admin = await newStaff('Admin', 'Inbox Admin');
  const mine = await conversationWith(a);
  const theirs = await conversationWith(b);
  const q1 = await queuedConversation();
  const q2 = await queuedConversation();
  // The older one first: make q1 clearly older than q2.
  sql(`UPDATE conversations SET createdAt = createdAt - INTERVAL 1 HOUR WHERE id = ${q1.id}`);
  const def = await list(a.token);
  assert.equal(def.status, 200);
  assert.ok(ids(def).includes(mine.id));
  assert.ok(!ids(def).includes(theirs.id) && !ids(def).includes(q1.id));
  assert.deepEqual(ids(await list(a.token, '&assignee=me')), ids(def));
  const queue = await list(a.token, '&assignee=unassigned');
  assert.equal(queue.status, 200);
  const qi = ids(queue);
  assert.ok(qi.includes(q1.id) && qi.includes(q2.id) && !qi.includes(mine.id));
  assert.ok(qi.indexOf(q1.id) < qi.indexOf(q2.id), 'oldest first');
  assert.equal(queue.body.pagination.total, qi.length);
  // An agent may read a queued conversation before taking it.
  assert.equal((await api('GET', `/api/v1/chat/conversations/${q1.id}`, { token: a.token })).status, 200);
  assert.equal((await api('GET', `/api/v1/chat/messages/${q1.id}`, { token: a.token })).status, 200);
  // ...but not write to it, nor mark it read, until it is theirs.
  isError(assert, await api('POST', '/api/v1/chat/messages', { token: a.token, body: { conversationId: q1.id, content: 'hi' } }), 404);
  isError(assert, await api('POST', `/api/v1/chat/conversations/${q1.id}/read`, { token: a.token }), 404);
  isError(assert, await list(a.token, '&assignee=all'), 403, 'forbidden');
  isError(assert, await list(a.token, `&assignee=${b.user.id}`), 403, 'forbidden');
  isError(assert, await list(a.token, '&assignee=someone'), 400, 'validation_failed');
  // Admins: everything, or one agent's.
  const all = ids(await list(admin.token, '&assignee=all'));
  assert.ok([mine.id, theirs.id].every((id) => all.includes(id)));
  const ofB = ids(await list(admin.token, `&assignee=${b.user.id}`));
  assert.ok(ofB.includes(theirs.id) && !ofB.includes(mine.id));
});

test('the status filter: an agent\'s lists hide resolved ones unless asked for', async () => {
  const a = await newStaff('Support', 'Status Filter Agent');
  const open = await conversationWith(a);
  const done = await conversationWith(a);
  const snoozed = await conversationWith(a);
  assert.equal((await api('PATCH', `/api/v1/chat/conversations/${done.id}`, { token: a.token, body: { status: 'resolved' } })).status, 200);
  assert.equal((await api('PATCH', `/api/v1/chat/conversations/${snoozed.id}`, { token: a.token,
    body: { status: 'snoozed', snoozedUntil: new Date(Date.now() + 3600e3).toISOString() } })).status, 200);
  const def = ids(await list(a.token));
  assert.ok(def.includes(open.id) && def.includes(snoozed.id) && !def.includes(done.id));
  assert.deepEqual(ids(await list(a.token, '&status=resolved')), [done.id]);
  assert.deepEqual(ids(await list(a.token, '&status=snoozed')), [snoozed.id]);
  assert.equal(ids(await list(a.token, '&status=all')).length, 3);
  isError(assert, await list(a.token, '&status=closed'), 400, 'validation_failed');
  // A user's own list shows every status by default (the seed's app lists
  // all of a user's conversations); the filter works when asked for.
  assert.deepEqual(ids(await list(done.user.token)), [done.id]);
  assert.deepEqual(ids(await list(done.user.token, '&status=open')), []);
});

test('?userId= narrows a list to one user, within what the caller may see', async () => {
  const a = await newStaff('Support', 'Earlier Agent');
  const b = await newStaff('Support', 'Elsewhere Agent');
  const admin = await newStaff('Admin', 'Earlier Admin');
  const first = await conversationWith(a);
  sql(`UPDATE conversations SET status = 'resolved' WHERE id = ${first.id}`);
  // The same user again, later, with another agent.
  const second = (await api('POST', '/api/v1/chat/conversations', { token: first.user.token })).body.data._id;
  sql(`UPDATE conversations SET assignedSupportId = ${b.user.id}, status = 'open' WHERE id = ${second}`);
  const other = await conversationWith(a);
  assert.deepEqual(ids(await list(a.token, `&status=all&userId=${first.user.user.id}`)), [first.id]);
  assert.deepEqual(ids(await list(admin.token, `&assignee=all&status=all&userId=${first.user.user.id}`)), [second, first.id]);
  assert.ok(!ids(await list(a.token, `&status=all&userId=${first.user.user.id}`)).includes(other.id));
  isError(assert, await list(a.token, '&userId=abc'), 400, 'validation_failed');
});

test('?updatedAfter= gives what changed since a time: the cheap poll of a client without a socket', async () => {
  const a = await newStaff('Support', 'Polling Agent');
  const quiet = await conversationWith(a);
  const busy = await conversationWith(a);
  sql(`UPDATE conversations SET updatedAt = NOW(3) - INTERVAL 1 MINUTE WHERE id IN (${quiet.id}, ${busy.id})`);
  const since = new Date(Date.now() - 5000).toISOString();
  assert.deepEqual(ids(await list(a.token, `&updatedAfter=${since}`)), []);
  const sent = await api('POST', '/api/v1/chat/messages', { token: busy.user.token, body: { conversationId: busy.id, content: 'Anyone there?' } });
  assert.equal(sent.status, 201, sent.text);
  const changed = await list(a.token, `&updatedAfter=${since}`);
  assert.deepEqual(ids(changed), [busy.id]);
  assert.equal(changed.body.data[0].unreadCount, 1);
  for (const bad of ['yesterday', '0', '']) isError(assert, await list(a.token, `&updatedAfter=${bad}`), 400, 'validation_failed');
});
