// routing.test.mjs - where a conversation goes: to the connected,
// available agent under capacity with the fewest open ones, else into a
// first-come queue whose users hear queue:position; agents who come
// online, become available or free a place take the oldest waiting at
// once, two at the same moment never the same one; a reopened one goes
// back to its agent if they are available, else onwards.
import { test, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { api, clearQueue, conversationWith, newStaff, newUser, onlyEligible, sql, sqlOne } from './lib.mjs';
import { ack, closeAll, connect, nextWhere, until } from './sock.mjs';

after(closeAll);
beforeEach(clearQueue);
const WS = { transports: ['websocket'] };
const holder = (id) => sqlOne(`SELECT CONCAT_WS('|', IFNULL(assignedSupportId, '-'), status) FROM conversations WHERE id = ${id}`);
const start = (u) => api('POST', '/api/v1/chat/conversations', { token: u.token });
const setCapacity = (a, n) => sql(`UPDATE users SET capacity = ${n} WHERE id = ${a.user.id}`);
const availability = (a, value) => api('PATCH', '/api/v1/users/me', { token: a.token, body: { availability: value } });
const online = (a) => until(() => sqlOne(`SELECT isOnline FROM users WHERE id = ${a.user.id}`) === '1', () => `${a.user.name} online`);
const offline = (a) => until(() => sqlOne(`SELECT isOnline FROM users WHERE id = ${a.user.id}`) === '0', () => `${a.user.name} offline`);

// A socket that records, from before it connects, every event named.
async function listening(who, events) {
  const heard = Object.fromEntries(events.map((e) => [e, []]));
  const on = Object.fromEntries(events.map((e) => [e, (arg) => heard[e].push(arg)]));
  const s = await connect(who.token, { ...WS, on });
  return { s, heard };
}

// An agent with a socket, known to be connected; it records what it gets.
async function connected(a) {
  const l = await listening(a, ['conversation:new']);
  await online(a);
  return l;
}
const gets = (l, id) => until(() => l.heard['conversation:new'].some((e) => e.conversation._id === id), () => `conversation:new for ${id}`);

// A user who starts a conversation with a socket open to hear their place.
async function starter(name) {
  const u = await newUser(name);
  const l = await listening(u, ['queue:position', 'conversation:updated']);
  const r = await start(u);
  assert.equal(r.status, 201, r.text);
  return { ...u, ...l, id: r.body.data._id, conversation: r.body.data };
}
const place = (u) => u.heard['queue:position'].filter((e) => e.conversationId === u.id).at(-1)?.position;
const atPlace = (u, n) => until(() => place(u) === n, () => `${u.user.name} at place ${n} (heard ${place(u)})`);

test('a new conversation goes to the connected, available agent under capacity with the fewest open', async () => {
  const loaded = await newStaff('Support', 'Loaded Agent');
  const idle = await newStaff('Support', 'Idle Agent');
  const away = await newStaff('Support', 'Unavailable Agent');
  const absent = await newStaff('Support', 'Absent Agent');
  onlyEligible(loaded, idle, absent);
  await conversationWith(loaded);
  const l1 = await connected(loaded);
  const l2 = await connected(idle);
  const l3 = await connected(away);
  assert.equal((await availability(away, 'busy')).status, 200);
  const u = await starter('Routed Farmer');
  assert.equal(u.conversation.support._id, idle.user.id, 'the idle agent: not the absent one (no socket), the busy one or the loaded one');
  assert.equal(u.conversation.status, 'open');
  await gets(l2, u.id);
  // Both have one open now; the loaded agent's capacity is 1, so the next
  // is the idle one's too; then both are full and it waits.
  setCapacity(loaded, 1);
  const v = await starter('Second Farmer');
  assert.equal(v.conversation.support._id, idle.user.id, 'the loaded agent is at capacity');
  setCapacity(idle, 2);
  const w = await starter('Third Farmer');
  assert.equal(w.conversation.support, null, 'everyone is full: it waits');
  assert.equal(w.conversation.status, 'pending');
  await atPlace(w, 1);
  await gets(l2, v.id);
  for (const l of [l1, l3]) assert.equal(l.heard['conversation:new'].filter((e) => [u.id, v.id, w.id].includes(e.conversation._id)).length, 0);
  assert.equal(u.heard['queue:position'].length, 0, 'a routed conversation never waited');
  for (const x of [l1, l2, l3, u, v, w]) x.s.disconnect();
});

test('the queue is first come, first served; its users hear their place; an agent who connects takes the oldest', async () => {
  onlyEligible();
  const users = [];
  for (const name of ['First In Line', 'Second In Line', 'Third In Line']) users.push(await starter(name));
  for (const [i, u] of users.entries()) {
    assert.equal(holder(u.id), '-|pending');
    await atPlace(u, i + 1);
  }
  // The queue as an agent lists it: oldest first.
  const agent = await newStaff('Support', 'Arriving Agent');
  const list = await api('GET', '/api/v1/chat/conversations?assignee=unassigned&status=pending&limit=100', { token: agent.token });
  assert.deepEqual(list.body.data.map((c) => c._id).filter((id) => users.some((u) => u.id === id)), users.map((u) => u.id));
  // A user's new socket hears where they are at once.
  const again = await listening(users[2], ['queue:position']);
  await until(() => again.heard['queue:position'].some((e) => e.conversationId === users[2].id && e.position === 3), () => 'place 3 on connect');
  // The agent connects with room for one: the oldest is theirs, the rest move up.
  setCapacity(agent, 1);
  onlyEligible(agent);
  const la = await connected(agent);
  await gets(la, users[0].id);
  await until(() => users[0].heard['conversation:updated'].some((e) => e.conversation.support?._id === agent.user.id), () => 'the first user told');
  await atPlace(users[1], 1);
  await atPlace(users[2], 2);
  assert.equal(holder(users[0].id), `${agent.user.id}|open`);
  assert.equal(holder(users[1].id), '-|pending', 'capacity 1: the agent takes one');
  // Resolving it frees the place: the next in line is theirs at once.
  assert.equal((await api('PATCH', `/api/v1/chat/conversations/${users[0].id}`, { token: agent.token, body: { status: 'resolved' } })).status, 200);
  assert.equal(holder(users[1].id), `${agent.user.id}|open`);
  await gets(la, users[1].id);
  await atPlace(users[2], 1);
  // Busy, then available again with room: the last one comes too.
  setCapacity(agent, 2);
  assert.equal((await availability(agent, 'busy')).status, 200);
  assert.equal(holder(users[2].id), '-|pending');
  assert.equal((await availability(agent, 'online')).status, 200);
  assert.equal(holder(users[2].id), `${agent.user.id}|open`);
  await gets(la, users[2].id);
  for (const x of [la, again, ...users]) x.s.disconnect();
});

test('two agents freeing up at the same moment never get the same conversation', async () => {
  onlyEligible();
  const a = await newStaff('Support', 'Racing Agent A');
  const b = await newStaff('Support', 'Racing Agent B');
  setCapacity(a, 4);
  setCapacity(b, 4);
  const la = await connected(a);
  const lb = await connected(b);
  for (let round = 0; round < 5; round++) {
    for (const x of [a, b]) assert.equal((await availability(x, 'busy')).status, 200);
    sql(`UPDATE conversations SET status = 'resolved' WHERE assignedSupportId IN (${a.user.id}, ${b.user.id})`);
    const waiting = [];
    for (let i = 0; i < 6; i++) waiting.push((await conversationWith(null)).id);
    // Both become available at once; each drain takes from the queue.
    const rs = await Promise.all([availability(a, 'online'), availability(b, 'online')]);
    assert.deepEqual(rs.map((r) => r.status), [200, 200]);
    const rows = sql(`SELECT id, IFNULL(assignedSupportId, 0) FROM conversations WHERE id IN (${waiting.join(',')})`);
    const of = (x) => rows.filter((r) => r[1] === x.user.id).map((r) => r[0]);
    assert.equal(of(a).length + of(b).length, 6, `round ${round}: every waiting one assigned`);
    assert.ok(of(a).length <= 4 && of(b).length <= 4, `round ${round}: nobody over capacity (${of(a).length}, ${of(b).length})`);
    // Each agent was told of exactly their own.
    for (const [x, l] of [[a, la], [b, lb]]) {
      await until(() => of(x).every((id) => l.heard['conversation:new'].some((e) => e.conversation._id === id)), () => `${x.user.name} told`);
      const told = l.heard['conversation:new'].map((e) => e.conversation._id).filter((id) => waiting.includes(id));
      assert.deepEqual([...new Set(told)].sort(), [...of(x)].sort(), `round ${round}: ${x.user.name} told of their own only`);
    }
  }
  la.s.disconnect(); lb.s.disconnect();
});

test('a reopened conversation goes back to its agent if available, else to another or the queue', async () => {
  const agent = await newStaff('Support', 'Returning Agent');
  const other = await newStaff('Support', 'Standby Agent');
  onlyEligible(agent, other);
  const la = await connected(agent);
  const { user, id } = await conversationWith(agent);
  const lu = await listening(user, ['queue:position']);
  const resolve = () => api('PATCH', `/api/v1/chat/conversations/${id}`, { token: agent.token, body: { status: 'resolved' } });
  assert.equal((await resolve()).status, 200);
  // Available: the user's message brings it back to the same agent.
  assert.equal((await ack(lu.s, 'message:send', { conversationId: id, content: 'One more question', clientMessageId: 'ro-1' })).ok, true);
  await until(() => holder(id) === `${agent.user.id}|open`, () => `back with its agent (${holder(id)})`);
  // Away (no socket now): a message over REST puts it in the queue, nobody else being connected.
  assert.equal((await resolve()).status, 200);
  la.s.disconnect();
  await offline(agent);
  const r = await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: id, content: 'Hello again', clientMessageId: 'ro-2' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(holder(id), '-|pending', 'its agent is away and nobody else is connected');
  await until(() => lu.heard['queue:position'].some((e) => e.conversationId === id && e.position === 1), () => 'place 1');
  // The standby agent connects: it is theirs.
  const lo = await connected(other);
  await gets(lo, id);
  assert.equal(holder(id), `${other.user.id}|open`);
  lo.s.disconnect(); lu.s.disconnect();
});

test('a snooze that ends while its agent is away puts the conversation in the queue', async () => {
  onlyEligible();
  const agent = await newStaff('Support', 'Snoozing Agent');
  const { user, id } = await conversationWith(agent);
  const su = await connect(user.token, WS);
  const wake = new Date(Date.now() + 600).toISOString();
  const s = await api('PATCH', `/api/v1/chat/conversations/${id}`, { token: agent.token, body: { status: 'snoozed', snoozedUntil: wake } });
  assert.equal(s.status, 200, s.text);
  const woke = await nextWhere(su, 'conversation:updated', (e) => e.conversation._id === id && e.conversation.status === 'pending', 5000);
  assert.equal(woke.conversation.support, null);
  assert.equal(holder(id), '-|pending');
  su.disconnect();
});

test('the support team hears the queue\'s length as it changes', async () => {
  const agent = await newStaff('Support', 'Counting Agent');
  onlyEligible();
  const l = await listening(agent, ['queue:updated']);
  const count = () => l.heard['queue:updated'].at(-1)?.count;
  await until(() => count() === 0, () => `an empty queue (heard ${count()})`);
  const farmer = await newUser('Counted Farmer');
  const u = await listening(farmer, ['queue:position', 'queue:updated']);
  u.id = (await start(farmer)).body.data._id;
  await until(() => count() === 1, () => `one waiting (heard ${count()})`);
  await until(() => u.heard['queue:position'].length === 1, () => 'the farmer hears their place');
  assert.equal((await api('POST', `/api/v1/chat/conversations/${u.id}/assign`, { token: agent.token, body: { supportId: agent.user.id } })).status, 200);
  await until(() => count() === 0, () => `taken (heard ${count()})`);
  // The farmer heard their place, never the team's count.
  assert.deepEqual(u.heard['queue:updated'], []);
  l.s.disconnect(); u.s.disconnect();
});
