// admin.test.mjs - the admins' accounts API: GET/POST /api/v1/users and
// PATCH /api/v1/users/:id.  Only admins; every bad input a clear 400 that
// changes nothing; a disabled account's tokens and live sockets stop at
// once, and its conversations go to an agent who can take them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { api, conversationWith, freshPhone, isError, login, newStaff, newUser, onlyEligible, sqlOne } from './lib.mjs';
import { closeAll, connect, until } from './sock.mjs';

after(closeAll);
const WS = { transports: ['websocket'] };
const row = (id) => sqlOne(`SELECT CONCAT_WS('|', name, role, IFNULL(capacity, '-'), disabled) FROM users WHERE id = ${id}`);

test('only admins list, add and change accounts', async () => {
  const agent = await newStaff('Support', 'Not An Admin');
  const user = await newUser('Plain Farmer');
  for (const who of [agent, user]) {
    isError(assert, await api('GET', '/api/v1/users', { token: who.token }), 403, 'forbidden');
    isError(assert, await api('POST', '/api/v1/users', { token: who.token, body: { phone: freshPhone(), name: 'X', password: 'long-enough-1', role: 'Support' } }), 403, 'forbidden');
    isError(assert, await api('PATCH', `/api/v1/users/${user.user.id}`, { token: who.token, body: { disabled: true } }), 403, 'forbidden');
  }
  isError(assert, await api('GET', '/api/v1/users'), 401, 'unauthorized');
  assert.equal(sqlOne(`SELECT disabled FROM users WHERE id = ${user.user.id}`), '0');
});

test('an admin adds an agent who can log in at once; bad input is refused', async () => {
  const admin = await newStaff('Admin', 'Account Admin');
  const phone = freshPhone();
  const body = { phone, name: 'Sunita Support Agent', password: 'agent-pass-123', role: 'Support' };
  const r = await api('POST', '/api/v1/users', { token: admin.token, body });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.data.name, 'Sunita Support Agent');
  assert.equal(r.body.data.phone, phone);
  assert.equal(r.body.data.role, 'Support');
  assert.equal(r.body.data.disabled, false);
  assert.equal(r.body.data.capacity, 10, 'assign.capacity by default');
  assert.equal(r.body.data.openCount, 0);
  assert.equal(r.body.data.passwordHash, undefined);
  const a = await login({ phone, password: 'agent-pass-123' });
  assert.equal(a.user.role, 'Support');
  isError(assert, await api('POST', '/api/v1/users', { token: admin.token, body }), 409, 'phone_taken');
  const before = sqlOne('SELECT COUNT(*) FROM users');
  for (const bad of [{ ...body, phone: freshPhone(), role: 'Boss' }, { ...body, phone: freshPhone(), password: 'short' },
    { ...body, phone: 'not-a-phone' }, { ...body, phone: freshPhone(), name: '' }, { phone: freshPhone(), name: 'No Role', password: 'agent-pass-123' },
    { ...body, phone: freshPhone(), role: 'User', name: 'Official Support' }]) {
    isError(assert, await api('POST', '/api/v1/users', { token: admin.token, body: bad }), 400, 'validation_failed');
  }
  assert.equal(sqlOne('SELECT COUNT(*) FROM users'), before, 'nothing was added');
});

test('the list filters by role and by a part of the name or phone, with paging', async () => {
  const admin = await newStaff('Admin', 'Listing Admin');
  const tag = `Zq${Date.now() % 100000}`;
  const made = [];
  for (const [role, n] of [['Support', 1], ['Support', 2], ['User', 3]]) made.push(await newStaff(role, `${tag} Person ${n}`));
  const byName = await api('GET', `/api/v1/users?q=${tag}`, { token: admin.token });
  assert.equal(byName.status, 200, byName.text);
  assert.deepEqual(byName.body.data.map((u) => u.name), [`${tag} Person 1`, `${tag} Person 2`, `${tag} Person 3`]);
  const agents = await api('GET', `/api/v1/users?q=${tag}&role=Support&limit=1&page=2`, { token: admin.token });
  assert.deepEqual(agents.body.data.map((u) => u.name), [`${tag} Person 2`]);
  assert.deepEqual(agents.body.pagination, { page: 2, limit: 1, total: 2, hasMore: false });
  const byPhone = await api('GET', `/api/v1/users?q=${encodeURIComponent(made[2].phone.slice(3))}`, { token: admin.token });
  assert.deepEqual(byPhone.body.data.map((u) => u._id), [made[2].user.id]);
  // chatadm lists the same accounts (the same data layer).
  const listed = execFileSync(process.env.CHATADM, ['user', 'list'], { encoding: 'utf8' }).split('\n');
  assert.ok(listed.includes(`${made[0].user.id}\t${made[0].phone}\tSupport\t${tag} Person 1\toffline`), 'chatadm user list');
  isError(assert, await api('GET', '/api/v1/users?role=Chief', { token: admin.token }), 400, 'validation_failed');
  isError(assert, await api('GET', `/api/v1/users?q=${'x'.repeat(300)}`, { token: admin.token }), 400, 'validation_failed');
});

test('an admin renames, sets capacity and role; bad changes change nothing', async () => {
  const admin = await newStaff('Admin', 'Changing Admin');
  const agent = await newStaff('Support', 'Old Name Agent');
  const patch = (id, body) => api('PATCH', `/api/v1/users/${id}`, { token: admin.token, body });
  const r = await patch(agent.user.id, { name: 'New Name Agent', capacity: 3 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.name, 'New Name Agent');
  assert.equal(r.body.data.capacity, 3);
  assert.equal(row(agent.user.id), 'New Name Agent|Support|3|0');
  assert.equal((await patch(agent.user.id, { capacity: null })).body.data.capacity, 10, 'null: back to the default');
  const before = row(agent.user.id);
  for (const bad of [{}, { capacity: -1 }, { capacity: 1.5 }, { capacity: '4' }, { capacity: 100000 }, { role: 'Chief' }, { disabled: 'yes' }, { name: '' }]) {
    isError(assert, await patch(agent.user.id, bad), 400, 'validation_failed');
  }
  assert.equal(row(agent.user.id), before, 'nothing changed');
  isError(assert, await patch('987654321', { capacity: 2 }), 404, 'not_found');
  isError(assert, await patch(admin.user.id, { disabled: true }), 400, 'validation_failed');
  isError(assert, await patch(admin.user.id, { role: 'Support' }), 400, 'validation_failed');
  // A role change takes effect at once: the old token no longer works.
  assert.equal((await patch(agent.user.id, { role: 'Admin' })).body.data.role, 'Admin');
  isError(assert, await api('GET', '/api/v1/users/me', { token: agent.token }), 401, 'unauthorized');
  assert.equal((await login({ phone: agent.phone, password: agent.password })).user.role, 'Admin');
});

test('a disabled agent is out at once: socket dropped, token refused, no login, conversations routed on', async () => {
  const admin = await newStaff('Admin', 'Disabling Admin');
  const leaving = await newStaff('Support', 'Leaving Agent');
  const staying = await newStaff('Support', 'Staying Agent');
  onlyEligible(leaving, staying);
  const { id } = await conversationWith(leaving);
  const s = await connect(leaving.token, WS);
  const stay = await connect(staying.token, WS);
  await until(() => sqlOne(`SELECT isOnline FROM users WHERE id = ${staying.user.id}`) === '1', () => 'the staying agent online');
  const dropped = new Promise((resolve) => s.on('disconnect', resolve));
  const r = await api('PATCH', `/api/v1/users/${leaving.user.id}`, { token: admin.token, body: { disabled: true } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.disabled, true);
  assert.equal(await dropped, 'io server disconnect');
  isError(assert, await api('GET', '/api/v1/chat/conversations', { token: leaving.token }), 401, 'unauthorized');
  isError(assert, await api('POST', '/api/v1/users/login', { body: { phone: leaving.phone, password: leaving.password } }), 403, 'forbidden');
  assert.equal(sqlOne(`SELECT IFNULL(assignedSupportId, '-') FROM conversations WHERE id = ${id}`), staying.user.id, 'routed to the agent who can take it');
  // Enabled again: they log in.
  assert.equal((await api('PATCH', `/api/v1/users/${leaving.user.id}`, { token: admin.token, body: { disabled: false } })).status, 200);
  assert.equal((await login({ phone: leaving.phone, password: leaving.password })).user.id, leaving.user.id);
  stay.disconnect();
});
