// agents.test.mjs - the team: who the agents are, how busy and how
// available (GET /api/v1/users/agents), an agent saying they are busy
// (PATCH /api/v1/users/me {availability}), heard by every agent at once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { api, conversationWith, isError, newStaff, newUser, sql } from './lib.mjs';
import { closeAll, connect, nextWhere, record, sleep } from './sock.mjs';

after(closeAll);
const WS = { transports: ['websocket'] };

test('agents and admins list the team with availability, load and capacity; users may not', async () => {
  const a = await newStaff('Support', 'Team Agent');
  const admin = await newStaff('Admin', 'Team Admin');
  await conversationWith(a);
  await conversationWith(a);
  const done = await conversationWith(a);
  await api('PATCH', `/api/v1/chat/conversations/${done.id}`, { token: a.token, body: { status: 'resolved' } });
  sql(`UPDATE users SET capacity = 3 WHERE id = ${a.user.id}`);
  for (const who of [a, admin]) {
    const r = await api('GET', '/api/v1/users/agents', { token: who.token });
    assert.equal(r.status, 200, r.text);
    const me = r.body.data.find((x) => x._id === a.user.id);
    assert.deepEqual(me, { _id: a.user.id, name: 'Team Agent', role: 'Support', isOnline: false,
      availability: 'online', openCount: 2, capacity: 3 });
    const ad = r.body.data.find((x) => x._id === admin.user.id);
    assert.equal(ad.role, 'Admin');
    assert.equal(ad.capacity, 10, 'assign.capacity by default');
    assert.ok(r.body.data.every((x) => x.role !== 'User'));
  }
  const u = await newUser('Curious User');
  isError(assert, await api('GET', '/api/v1/users/agents', { token: u.token }), 403, 'forbidden');
});

test('an agent sets their availability; every agent hears agent:availability; users cannot', async () => {
  const a = await newStaff('Support', 'Busy Bee');
  const b = await newStaff('Support', 'Listening Agent');
  const u = await newUser('Plain User');
  const sb = await connect(b.token, WS);
  const su = await connect(u.token, WS);
  const userHeard = record(su, 'agent:availability');
  const heard = nextWhere(sb, 'agent:availability', (e) => e.userId === a.user.id);
  const r = await api('PATCH', '/api/v1/users/me', { token: a.token, body: { availability: 'busy' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.user.availability, 'busy');
  assert.deepEqual(await heard, { userId: a.user.id, availability: 'busy' });
  const team = await api('GET', '/api/v1/users/agents', { token: b.token });
  assert.equal(team.body.data.find((x) => x._id === a.user.id).availability, 'busy');
  for (const body of [{ availability: 'away' }, { availability: 1 }, {}]) {
    isError(assert, await api('PATCH', '/api/v1/users/me', { token: a.token, body }), 400, 'validation_failed');
  }
  isError(assert, await api('PATCH', '/api/v1/users/me', { token: u.token, body: { availability: 'busy' } }), 403, 'forbidden');
  // The event went out to the agents above; a user's socket got none (a
  // bounded window: absence cannot be waited for).
  await sleep(200);
  assert.deepEqual(userHeard, [], 'users do not hear the team\'s availability');
  sb.disconnect(); su.disconnect();
});
