// /api/v1/chat/conversations: the agent's list, starting one, showing one,
// and who may see what.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, conversationWith, DEMO, isError, login, newStaff, newUser, sql, sqlOne } from './lib.mjs';

test('flow 1: the agent sees the demo conversations, newest first, populated', async () => {
  const asha = await login(DEMO.asha);
  const r = await api('GET', '/api/v1/chat/conversations', { token: asha.token });
  assert.equal(r.status, 200);
  const rows = r.body.data;
  assert.ok(rows.length >= 2);
  const times = rows.map((c) => Date.parse(c.updatedAt));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest updatedAt first');
  const rajesh = rows.find((c) => c.user.name === 'Rajesh Kumar');
  const priya = rows.find((c) => c.user.name === 'Priya Singh');
  assert.ok(rajesh && priya);
  assert.equal(typeof rajesh._id, 'string');
  assert.deepEqual(Object.keys(rajesh.user).sort(), ['_id', 'isOnline', 'lastSeen', 'name', 'phone', 'role']);
  assert.equal(rajesh.user.phone, DEMO.rajesh.phone);
  assert.equal(rajesh.support.name, 'Asha Verma');
  assert.equal(rajesh.status, 'open');
  assert.ok(rajesh.unreadCount >= 1, 'Rajesh has unread messages for the agent');
  assert.equal(rajesh.lastMessage.messageType, 'text');
  assert.equal(typeof rajesh.lastMessage.content, 'string');
  assert.equal(typeof rajesh.lastMessage.senderId, 'string');
  assert.ok(!Number.isNaN(Date.parse(rajesh.lastMessage.createdAt)));
  assert.deepEqual(Object.keys(r.body.pagination).sort(), ['hasMore', 'limit', 'page', 'total']);
  assert.equal(r.body.pagination.total, Number(sqlOne(`SELECT COUNT(*) FROM conversations WHERE assignedSupportId = ${asha.user.id}`)));
});

test('the list pages with page and limit, and refuses bad values', async () => {
  const agent = await newStaff('Support');
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await conversationWith(agent)).id);
  const p1 = await api('GET', '/api/v1/chat/conversations?page=1&limit=2', { token: agent.token });
  const p2 = await api('GET', '/api/v1/chat/conversations?page=2&limit=2', { token: agent.token });
  assert.equal(p1.body.data.length, 2);
  assert.equal(p2.body.data.length, 1);
  assert.deepEqual(p1.body.pagination, { page: 1, limit: 2, total: 3, hasMore: true });
  assert.deepEqual(p2.body.pagination, { page: 2, limit: 2, total: 3, hasMore: false });
  // Past the end: no rows, and still the true total.
  const p9 = await api('GET', '/api/v1/chat/conversations?page=9&limit=2', { token: agent.token });
  assert.deepEqual(p9.body, { data: [], pagination: { page: 9, limit: 2, total: 3, hasMore: false } });
  // An agent with nothing assigned.
  const idle = await newStaff('Support');
  const e = await api('GET', '/api/v1/chat/conversations', { token: idle.token });
  assert.deepEqual(e.body, { data: [], pagination: { page: 1, limit: 20, total: 0, hasMore: false } });
  const seen = [...p1.body.data, ...p2.body.data].map((c) => c._id).sort();
  assert.deepEqual(seen, [...ids].sort());
  for (const q of ['page=0', 'limit=0', 'limit=101', 'page=abc', 'limit=-1', 'limit=1e3']) {
    isError(assert, await api('GET', `/api/v1/chat/conversations?${q}`, { token: agent.token }), 400, 'validation_failed');
  }
});

test('a user sees only their own conversations; an admin sees all', async () => {
  const rajesh = await login(DEMO.rajesh);
  const mine = await api('GET', '/api/v1/chat/conversations', { token: rajesh.token });
  assert.ok(mine.body.data.length >= 1);
  for (const c of mine.body.data) assert.equal(c.user._id, rajesh.user.id);
  const admin = await newStaff('Admin');
  const all = await api('GET', '/api/v1/chat/conversations?limit=100&status=all', { token: admin.token });
  assert.equal(all.body.pagination.total, Number(sqlOne('SELECT COUNT(*) FROM conversations')));
  // Without ?status the list hides resolved ones, for admins as for agents.
  const open = await api('GET', '/api/v1/chat/conversations?limit=100', { token: admin.token });
  assert.equal(open.body.pagination.total, Number(sqlOne("SELECT COUNT(*) FROM conversations WHERE status <> 'resolved'")));
});

test('GET /conversations/:id: participants see it, anyone else gets 404', async () => {
  const asha = await login(DEMO.asha);
  const rajesh = await login(DEMO.rajesh);
  const priya = await login(DEMO.priya);
  const other = await newStaff('Support', 'Other Agent');
  const admin = await newStaff('Admin');
  const id = sqlOne(`SELECT id FROM conversations WHERE userId = ${rajesh.user.id} ORDER BY id LIMIT 1`);
  for (const who of [asha, rajesh, admin]) {
    const r = await api('GET', `/api/v1/chat/conversations/${id}`, { token: who.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data._id, id);
    assert.equal(r.body.data.user.name, 'Rajesh Kumar');
    assert.equal(r.body.data.support.name, 'Asha Verma');
    for (const k of ['status', 'unreadCount', 'lastMessage', 'updatedAt']) assert.ok(k in r.body.data, k);
  }
  for (const who of [priya, other]) {
    isError(assert, await api('GET', `/api/v1/chat/conversations/${id}`, { token: who.token }), 404, 'not_found');
  }
  isError(assert, await api('GET', '/api/v1/chat/conversations/987654321', { token: asha.token }), 404);
  isError(assert, await api('GET', `/api/v1/chat/conversations/${id}`), 401, 'unauthorized');
});

test('unreadCount is the viewer\'s own', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  sql(`UPDATE conversations SET userUnreadCount = 4, supportUnreadCount = 7 WHERE id = ${id}`);
  const a = await api('GET', `/api/v1/chat/conversations/${id}`, { token: agent.token });
  const u = await api('GET', `/api/v1/chat/conversations/${id}`, { token: user.token });
  assert.equal(a.body.data.unreadCount, 7);
  assert.equal(u.body.data.unreadCount, 4);
});

test('POST /conversations: a user gets their open one, or a new one for the least busy online agent', async () => {
  // Make the choice deterministic: every agent offline but two new ones.
  sql("UPDATE users SET isOnline = 0 WHERE role = 'Support'");
  const busy = await newStaff('Support', 'Busy Agent');
  const idle = await newStaff('Support', 'Idle Agent');
  sql(`UPDATE users SET isOnline = 1 WHERE id IN (${busy.user.id}, ${idle.user.id})`);
  await conversationWith(busy);
  const u = await newUser('Starter');
  const first = await api('POST', '/api/v1/chat/conversations', { token: u.token });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.data.support._id, idle.user.id);
  assert.equal(first.body.data.status, 'open');
  assert.equal(first.body.data.lastMessage, null);
  const again = await api('POST', '/api/v1/chat/conversations', { token: u.token });
  assert.equal(again.status, 200);
  assert.equal(again.body.data._id, first.body.data._id);
  // Once resolved, a new one is opened.
  sql(`UPDATE conversations SET status = 'resolved' WHERE id = ${first.body.data._id}`);
  const third = await api('POST', '/api/v1/chat/conversations', { token: u.token });
  assert.equal(third.status, 201);
  assert.notEqual(third.body.data._id, first.body.data._id);
  sql(`UPDATE users SET isOnline = 0 WHERE id IN (${busy.user.id}, ${idle.user.id})`);
});

test('two concurrent starts by one user open a single conversation', async () => {
  const u = await newUser('Racer');
  const rs = await Promise.all([1, 2, 3, 4].map(() => api('POST', '/api/v1/chat/conversations', { token: u.token })));
  const ids = new Set(rs.map((r) => r.body.data._id));
  assert.equal(ids.size, 1);
  assert.equal(rs.filter((r) => r.status === 201).length, 1);
});

test('agents and admins cannot start conversations', async () => {
  const asha = await login(DEMO.asha);
  isError(assert, await api('POST', '/api/v1/chat/conversations', { token: asha.token }), 403, 'forbidden');
});
