// labels.test.mjs - labels (GET/POST/PATCH/DELETE /api/v1/chat/labels) and
// a conversation's (POST/DELETE /conversations/:id/labels): who may do
// what, validation, idempotence, the cap, `labels` on the support side's
// conversation objects, the ?label= filter, and conversation:updated after
// every change.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { api, conversationWith, isError, newStaff, queuedConversation, sqlOne } from './lib.mjs';
import { closeAll, connect, nextWhere } from './sock.mjs';

after(closeAll);
const WS = { transports: ['websocket'] };
const uniq = (name) => `${name} ${randomBytes(3).toString('hex')}`;
const create = (token, body) => api('POST', '/api/v1/chat/labels', { token, body });
const add = (token, id, labelId) => api('POST', `/api/v1/chat/conversations/${id}/labels`, { token, body: { labelId } });
const remove = (token, id, labelId) => api('DELETE', `/api/v1/chat/conversations/${id}/labels/${labelId}`, { token });
const names = (c) => c.labels.map((l) => l.name);
const onConv = (id) => Number(sqlOne(`SELECT COUNT(*) FROM conversation_labels WHERE conversationId = ${id}`));

async function newLabel(admin, name, color = '#3366cc') {
  const r = await create(admin.token, { name: uniq(name), color });
  assert.equal(r.status, 201, r.text);
  return r.body.data;
}

test('admins create labels, agents read them, users may do neither', async () => {
  const admin = await newStaff('Admin', 'Label Admin');
  const agent = await newStaff('Support', 'Label Agent');
  const { user } = await conversationWith(agent);
  const name = uniq('Billing');
  const r = await create(admin.token, { name: `  ${name} `, color: '#1A2B3c' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.body.data).sort(), ['_id', 'color', 'name']);
  assert.equal(r.body.data.name, name, 'trimmed');
  assert.equal(r.body.data.color, '#1a2b3c', 'lower case');
  const list = await api('GET', '/api/v1/chat/labels', { token: agent.token });
  assert.equal(list.status, 200, list.text);
  assert.ok(list.body.data.some((l) => l._id === r.body.data._id && l.name === name));
  isError(assert, await create(agent.token, { name: uniq('Agent made'), color: '#000000' }), 403, 'forbidden');
  isError(assert, await create(user.token, { name: uniq('User made'), color: '#000000' }), 403, 'forbidden');
  isError(assert, await api('GET', '/api/v1/chat/labels', { token: user.token }), 403, 'forbidden');
  isError(assert, await api('GET', '/api/v1/chat/labels'), 401);
});

test('a name is 1-40 visible characters and unique in any case; a colour is #rrggbb', async () => {
  const admin = await newStaff('Admin', 'Label Rules Admin');
  const before = sqlOne('SELECT COUNT(*) FROM labels');
  for (const body of [{ name: '', color: '#000000' }, { name: '   ', color: '#000000' }, { name: 'x'.repeat(41), color: '#000000' },
    { name: 'a\u0001b', color: '#000000' }, { name: 'a\u202eb', color: '#000000' }, { color: '#000000' }, { name: 5, color: '#000000' },
    { name: uniq('Colour'), color: 'red' }, { name: uniq('Colour'), color: '#12345' }, { name: uniq('Colour'), color: '#1234567' },
    { name: uniq('Colour'), color: '#12345g' }, { name: uniq('Colour'), color: '123456' }, { name: uniq('Colour') }]) {
    isError(assert, await create(admin.token, body), 400, 'validation_failed');
  }
  assert.equal(sqlOne('SELECT COUNT(*) FROM labels'), before, 'nothing stored');
  const forty = `${randomBytes(3).toString('hex')}${'\u0915'.repeat(34)}`;
  assert.equal((await create(admin.token, { name: forty, color: '#00ff00' })).status, 201, '40 characters (Hindi) fit');
  const name = uniq('Urgent');
  assert.equal((await create(admin.token, { name, color: '#ff0000' })).status, 201);
  isError(assert, await create(admin.token, { name: name.toUpperCase(), color: '#ff0000' }), 409, 'conflict');
  isError(assert, await create(admin.token, { name: ` ${name.toLowerCase()}`, color: '#00ff00' }), 409, 'conflict');
});

test('admins rename, recolour and delete labels', async () => {
  const admin = await newStaff('Admin', 'Label Patch Admin');
  const agent = await newStaff('Support', 'Label Patch Agent');
  const { id } = await conversationWith(agent);
  const a = await newLabel(admin, 'Old name');
  const b = await newLabel(admin, 'Other');
  const renamed = uniq('New name');
  const r = await api('PATCH', `/api/v1/chat/labels/${a._id}`, { token: admin.token, body: { name: renamed } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.data, { _id: a._id, name: renamed, color: a.color });
  const c = await api('PATCH', `/api/v1/chat/labels/${a._id}`, { token: admin.token, body: { color: '#ABCDEF' } });
  assert.deepEqual(c.body.data, { _id: a._id, name: renamed, color: '#abcdef' });
  isError(assert, await api('PATCH', `/api/v1/chat/labels/${a._id}`, { token: admin.token, body: {} }), 400, 'validation_failed');
  isError(assert, await api('PATCH', `/api/v1/chat/labels/${a._id}`, { token: admin.token, body: { name: b.name } }), 409, 'conflict');
  isError(assert, await api('PATCH', `/api/v1/chat/labels/${a._id}`, { token: agent.token, body: { color: '#000000' } }), 403);
  isError(assert, await api('PATCH', '/api/v1/chat/labels/999999999', { token: admin.token, body: { color: '#000000' } }), 404);
  assert.equal((await add(agent.token, id, a._id)).status, 200);
  isError(assert, await api('DELETE', `/api/v1/chat/labels/${a._id}`, { token: agent.token }), 403);
  assert.equal((await api('DELETE', `/api/v1/chat/labels/${a._id}`, { token: admin.token })).status, 200);
  isError(assert, await api('DELETE', `/api/v1/chat/labels/${a._id}`, { token: admin.token }), 404);
  assert.equal(onConv(id), 0, 'off the conversation too');
  const got = await api('GET', `/api/v1/chat/conversations/${id}`, { token: agent.token });
  assert.deepEqual(got.body.data.labels, []);
});

test('the assigned agent and admins add and remove labels; adding twice changes nothing', async () => {
  const admin = await newStaff('Admin', 'Label Conv Admin');
  const agent = await newStaff('Support', 'Label Conv Agent');
  const { id } = await conversationWith(agent);
  const vip = await newLabel(admin, 'VIP', '#aa00aa');
  const bug = await newLabel(admin, 'Bug', '#00aa00');
  const r = await add(agent.token, id, vip._id);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data._id, id);
  assert.deepEqual(r.body.data.labels, [vip]);
  const again = await add(agent.token, id, vip._id);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.body.data.labels, [vip], 'no duplicate');
  assert.equal(onConv(id), 1);
  const both = await add(admin.token, id, bug._id);
  assert.deepEqual(names(both.body.data), [bug.name, vip.name], 'by name');
  const off = await remove(agent.token, id, vip._id);
  assert.equal(off.status, 200, off.text);
  assert.deepEqual(off.body.data.labels, [bug]);
  const twice = await remove(agent.token, id, vip._id);
  assert.equal(twice.status, 200, 'removing what is not there changes nothing');
  assert.deepEqual(twice.body.data.labels, [bug]);
  isError(assert, await add(agent.token, id, '999999999'), 404, 'not_found');
  isError(assert, await remove(agent.token, id, 999999999), 404, 'not_found');
  for (const labelId of [undefined, null, 'x', 0, -1]) {
    isError(assert, await add(agent.token, id, labelId), 400, 'validation_failed');
  }
  assert.equal(onConv(id), 1);
});

test('users, agents outside the conversation and the queue get no say', async () => {
  const admin = await newStaff('Admin', 'Label Scope Admin');
  const agent = await newStaff('Support', 'Label Scope Agent');
  const other = await newStaff('Support', 'Label Scope Other');
  const { user, id } = await conversationWith(agent);
  const l = await newLabel(admin, 'Scoped');
  isError(assert, await add(user.token, id, l._id), 403, 'forbidden');
  isError(assert, await remove(user.token, id, l._id), 403, 'forbidden');
  isError(assert, await add(other.token, id, l._id), 404, 'not_found');
  assert.equal(onConv(id), 0);
  // An agent sees a queued conversation but does not act in it (as PATCH).
  const q = await queuedConversation();
  isError(assert, await add(other.token, q.id, l._id), 404, 'not_found');
  assert.equal((await add(agent.token, id, l._id)).status, 200);
  isError(assert, await remove(other.token, id, l._id), 404, 'not_found');
  assert.equal(onConv(id), 1);
  // Labels are the support side's: the user's own objects carry none.
  const mine = await api('GET', `/api/v1/chat/conversations/${id}`, { token: user.token });
  assert.equal(mine.body.data.labels, undefined);
  isError(assert, await api('GET', `/api/v1/chat/conversations?label=${l._id}`, { token: user.token }), 403, 'forbidden');
});

test('a conversation carries at most 20 labels', async () => {
  const admin = await newStaff('Admin', 'Label Cap Admin');
  const { id } = await conversationWith(admin);
  const made = [];
  for (let i = 0; i < 21; i += 1) made.push(await newLabel(admin, `Cap ${String(i).padStart(2, '0')}`));
  for (const l of made.slice(0, 20)) assert.equal((await add(admin.token, id, l._id)).status, 200);
  const r = await add(admin.token, id, made[20]._id);
  isError(assert, r, 400, 'validation_failed');
  assert.match(r.body.error.message, /20/);
  assert.equal((await add(admin.token, id, made[0]._id)).status, 200, 'one it has: still fine');
  assert.equal(onConv(id), 20);
});

test('labels in the list and in get, and the ?label= filter', async () => {
  const admin = await newStaff('Admin', 'Label List Admin');
  const agent = await newStaff('Support', 'Label List Agent');
  const one = await conversationWith(agent);
  const two = await conversationWith(agent);
  const three = await conversationWith(agent);
  const red = await newLabel(admin, 'Red', '#ff0000');
  const blue = await newLabel(admin, 'Blue', '#0000ff');
  await add(agent.token, one.id, red._id);
  await add(agent.token, one.id, blue._id);
  await add(agent.token, two.id, red._id);
  const list = await api('GET', '/api/v1/chat/conversations?limit=100', { token: agent.token });
  assert.equal(list.status, 200, list.text);
  const by = Object.fromEntries(list.body.data.map((c) => [c._id, c]));
  assert.deepEqual(names(by[one.id]).sort(), [red.name, blue.name].sort());
  assert.deepEqual(by[two.id].labels, [red]);
  assert.deepEqual(by[three.id].labels, []);
  assert.ok(list.body.data.every((c) => Array.isArray(c.labels)), 'every object has labels');
  const get = await api('GET', `/api/v1/chat/conversations/${two.id}`, { token: agent.token });
  assert.deepEqual(get.body.data.labels, [red]);
  const f = await api('GET', `/api/v1/chat/conversations?label=${red._id}`, { token: agent.token });
  assert.deepEqual(f.body.data.map((c) => c._id).sort(), [one.id, two.id].sort());
  assert.equal(f.body.pagination.total, 2);
  const fb = await api('GET', `/api/v1/chat/conversations?assignee=all&label=${blue._id}`, { token: admin.token });
  assert.deepEqual(fb.body.data.map((c) => c._id), [one.id]);
  const none = await api('GET', '/api/v1/chat/conversations?label=999999999', { token: agent.token });
  assert.deepEqual(none.body.data, []);
  isError(assert, await api('GET', '/api/v1/chat/conversations?label=abc', { token: agent.token }), 400, 'validation_failed');
});

test('conversation:updated follows an add and a remove, with the new labels', async () => {
  const admin = await newStaff('Admin', 'Label Sock Admin');
  const agent = await newStaff('Support', 'Label Sock Agent');
  const { user, id } = await conversationWith(agent);
  const l = await newLabel(admin, 'Live', '#123456');
  const a = await connect(agent.token, WS);
  const u = await connect(user.token, WS);
  let toAgent = nextWhere(a, 'conversation:updated', (e) => e.conversation._id === id);
  const toUser = nextWhere(u, 'conversation:updated', (e) => e.conversation._id === id);
  assert.equal((await add(admin.token, id, l._id)).status, 200);
  assert.deepEqual((await toAgent).conversation.labels, [l]);
  assert.equal((await toUser).conversation.labels, undefined, 'the user hears no labels');
  toAgent = nextWhere(a, 'conversation:updated', (e) => e.conversation._id === id);
  assert.equal((await remove(agent.token, id, l._id)).status, 200);
  assert.deepEqual((await toAgent).conversation.labels, []);
  a.disconnect(); u.disconnect();
});
