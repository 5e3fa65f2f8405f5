// canned.test.mjs - canned responses: GET /api/v1/chat/canned-responses?q=
// for every agent and admin, POST / PATCH /:id / DELETE /:id for admins
// only.  Every refusal is a clear error that changes nothing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { api, isError, newStaff, newUser, sql, sqlOne } from './lib.mjs';

const PATH = '/api/v1/chat/canned-responses';
// Codes of this run only (lower-case letters: a shortCode's alphabet).
const TAG = `it${[...String(process.pid)].map((d) => 'abcdefghij'[d]).join('')}`;
const MAX_MESSAGE = 4000;     // limits.max_message_length of run.sh
const MAX_BODY = 65536;       // limits.max_json_body of run.sh

let admin, agent, user;
const count = () => sqlOne('SELECT COUNT(*) FROM canned_responses');
const add = (body, who = admin) => api('POST', PATH, { token: who.token, body });
const list = (q, who = agent) => api('GET', q === undefined ? PATH : `${PATH}?q=${encodeURIComponent(q)}`, { token: who.token });
const codes = (r) => r.body.data.map((c) => c.shortCode);

before(async () => {
  [admin, agent, user] = await Promise.all([newStaff('Admin', 'Canned Admin'), newStaff('Support', 'Canned Agent'), newUser('Canned Farmer')]);
});

test('an admin adds one; every agent and admin reads it, in its wire shape', async () => {
  const r = await add({ shortCode: `${TAG}-hello`, content: 'Namaste! How can we help you today?' });
  assert.equal(r.status, 201, r.text);
  const c = r.body.data;
  assert.deepEqual(Object.keys(c).sort(), ['_id', 'content', 'createdAt', 'createdBy', 'shortCode', 'updatedAt']);
  assert.match(c._id, /^\d+$/);
  assert.equal(c.shortCode, `${TAG}-hello`);
  assert.equal(c.content, 'Namaste! How can we help you today?');
  assert.equal(c.createdBy, admin.user.id);
  assert.match(c.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(c.updatedAt, c.createdAt);
  for (const who of [agent, admin]) {
    const l = await list(`${TAG}-hello`, who);
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(l.body.data, [c]);
  }
});

test('users may not read them; agents may not add, change or delete; no token is 401', async () => {
  const { body } = await add({ shortCode: `${TAG}-guard`, content: 'Guarded' });
  const id = body.data._id;
  const before = count();
  isError(assert, await list('', user), 403, 'forbidden');
  isError(assert, await api('GET', PATH), 401, 'unauthorized');
  for (const who of [agent, user]) {
    isError(assert, await add({ shortCode: `${TAG}-agent`, content: 'Mine' }, who), 403, 'forbidden');
    isError(assert, await api('PATCH', `${PATH}/${id}`, { token: who.token, body: { content: 'Changed' } }), 403, 'forbidden');
    isError(assert, await api('DELETE', `${PATH}/${id}`, { token: who.token }), 403, 'forbidden');
  }
  assert.equal(count(), before, 'nothing added or deleted');
  assert.equal(sqlOne(`SELECT content FROM canned_responses WHERE id = ${id}`), 'Guarded', 'nothing changed');
});

test('a shortCode is 1-32 of a-z0-9_- and content is not blank: anything else is a 400', async () => {
  const before = count();
  const content = 'Some reply';
  for (const shortCode of ['', 'Greet', 'GREET', 'has space', ' lead', 'trail ', 'tab\tcode', 'dot.code', 'slash/code',
    'नमस्ते', 'a'.repeat(33), 'ß', 42, null, true, ['a']]) {
    isError(assert, await add({ shortCode, content }), 400, 'validation_failed');
  }
  for (const bad of [{ content }, { shortCode: `${TAG}-x` }, { shortCode: `${TAG}-x`, content: '' },
    { shortCode: `${TAG}-x`, content: ' \t\n\u200b' }, { shortCode: `${TAG}-x`, content: 7 }, {}]) {
    isError(assert, await add(bad), 400, 'validation_failed');
  }
  isError(assert, await api('POST', PATH, { token: admin.token, body: '[1]' }), 400, 'invalid_json');
  assert.equal(count(), before, 'nothing was added');
  // The edges are fine: one character, 32, and all of the alphabet.
  for (const shortCode of ['q', `${TAG}-${'z'.repeat(32 - TAG.length - 1)}`, `${TAG}_0-9`]) {
    assert.equal((await add({ shortCode, content })).status, 201, shortCode);
  }
});

test('a shortCode taken already is a 409 conflict, on POST and on PATCH', async () => {
  const first = await add({ shortCode: `${TAG}-dup`, content: 'First' });
  assert.equal(first.status, 201, first.text);
  const before = count();
  isError(assert, await add({ shortCode: `${TAG}-dup`, content: 'Second' }), 409, 'conflict');
  assert.equal(count(), before);
  const other = await add({ shortCode: `${TAG}-dup2`, content: 'Other' });
  isError(assert, await api('PATCH', `${PATH}/${other.body.data._id}`, { token: admin.token, body: { shortCode: `${TAG}-dup` } }), 409, 'conflict');
  assert.equal(sqlOne(`SELECT shortCode FROM canned_responses WHERE id = ${other.body.data._id}`), `${TAG}-dup2`);
});

test('q filters by a prefix of the shortCode or a part of the content, in any case, by shortCode', async () => {
  const q = `${TAG}q`;
  for (const [code, content] of [[`${q}-thanks`, 'Thank you for waiting'], [`${q}-fert`, 'Use urea FERTILISER sparingly'],
    [`${q}-bye`, 'Goodbye and good harvest'], [`${q}_under`, 'Underscore'], [`${q}xunder`, 'Not a wildcard']]) {
    assert.equal((await add({ shortCode: code, content })).status, 201);
  }
  assert.deepEqual(codes(await list(q)), [`${q}-bye`, `${q}-fert`, `${q}-thanks`, `${q}_under`, `${q}xunder`], 'by shortCode');
  assert.deepEqual(codes(await list(`${q}-t`)), [`${q}-thanks`]);
  assert.deepEqual(codes(await list(`${q}-T`.toUpperCase())), [`${q}-thanks`], 'a prefix in any case');
  assert.deepEqual(codes(await list(`${q}_`)), [`${q}_under`], '_ is a character, not a wildcard');
  assert.deepEqual(codes(await list('fertiliser')).filter((c) => c.startsWith(q)), [`${q}-fert`], 'content, in any case');
  assert.deepEqual(codes(await list('HARVEST')).filter((c) => c.startsWith(q)), [`${q}-bye`]);
  assert.deepEqual(codes(await list(`${q}-thanks-more`)), [], 'longer than the code: no prefix');
  assert.deepEqual(codes(await list('no such words anywhere 9')), []);
  assert.ok(codes(await list('')).includes(`${q}-bye`), 'q empty: all');
  isError(assert, await list('x'.repeat(200)), 400, 'validation_failed');
});

test('a list holds at most 100, by shortCode', async (t) => {
  const p = `${TAG}cap`;
  // The 105 go again: other tests' (and the admin screen's) lists are
  // their first 100 too.
  t.after(() => sql(`DELETE FROM canned_responses WHERE shortCode LIKE '${p}%'`));
  const rows = Array.from({ length: 105 }, (_, i) => `('${p}${String(i).padStart(3, '0')}', 'Capped ${i}', ${admin.user.id})`);
  sql(`INSERT INTO canned_responses (shortCode, content, createdBy) VALUES ${rows.join(', ')}`);
  const r = await list(p);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.length, 100);
  assert.equal(r.body.data[0].shortCode, `${p}000`);
  assert.equal(r.body.data[99].shortCode, `${p}099`);
});

test('PATCH changes what it is given, and only that; bad input changes nothing', async () => {
  const made = (await add({ shortCode: `${TAG}-edit`, content: 'Old words' })).body.data;
  const patch = (body, id = made._id) => api('PATCH', `${PATH}/${id}`, { token: admin.token, body });
  await new Promise((resolve) => { setTimeout(resolve, 5); });
  const r = await patch({ content: 'New words' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.content, 'New words');
  assert.equal(r.body.data.shortCode, `${TAG}-edit`);
  assert.equal(r.body.data.createdAt, made.createdAt);
  assert.ok(r.body.data.updatedAt > made.updatedAt, 'updatedAt moves');
  const moved = await patch({ shortCode: `${TAG}-edited` });
  assert.equal(moved.body.data.shortCode, `${TAG}-edited`);
  assert.equal(moved.body.data.content, 'New words');
  const both = await patch({ shortCode: `${TAG}-edit2`, content: 'Both changed' });
  assert.deepEqual([both.body.data.shortCode, both.body.data.content], [`${TAG}-edit2`, 'Both changed']);
  assert.deepEqual((await list(`${TAG}-edit2`)).body.data, [both.body.data], 'the list says the same');
  const row = () => sqlOne(`SELECT CONCAT_WS('|', shortCode, content) FROM canned_responses WHERE id = ${made._id}`);
  const was = row();
  for (const bad of [{}, { other: 1 }, { shortCode: 'Upper' }, { shortCode: '' }, { shortCode: 'a b' }, { content: '' },
    { content: '   ' }, { content: null, shortCode: 'BAD' }, { content: 'x'.repeat(MAX_MESSAGE + 1) }]) {
    isError(assert, await patch(bad), 400, 'validation_failed');
  }
  assert.equal(row(), was, 'nothing changed');
  isError(assert, await patch({ content: 'Nobody' }, '987654321'), 404, 'not_found');
  isError(assert, await api('PUT', `${PATH}/${made._id}`, { token: admin.token, body: {} }), 405, 'method_not_allowed');
});

test('DELETE removes it: then it is not listed, and PATCH and DELETE are 404', async () => {
  const made = (await add({ shortCode: `${TAG}-gone`, content: 'Soon gone' })).body.data;
  const r = await api('DELETE', `${PATH}/${made._id}`, { token: admin.token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.data, { _id: made._id, deleted: true });
  assert.equal(sqlOne(`SELECT COUNT(*) FROM canned_responses WHERE id = ${made._id}`), '0');
  assert.deepEqual(codes(await list(`${TAG}-gone`)), []);
  isError(assert, await api('DELETE', `${PATH}/${made._id}`, { token: admin.token }), 404, 'not_found');
  isError(assert, await api('PATCH', `${PATH}/${made._id}`, { token: admin.token, body: { content: 'Back?' } }), 404, 'not_found');
  isError(assert, await api('DELETE', `${PATH}/abc`, { token: admin.token }), 404, 'not_found');
  // Its shortCode is free again.
  assert.equal((await add({ shortCode: `${TAG}-gone`, content: 'Back again' })).status, 201);
});

test('content is capped like a message: limits.max_message_length is a 400, a body over max_json_body a 413', async () => {
  const at = await add({ shortCode: `${TAG}-long`, content: 'x'.repeat(MAX_MESSAGE) });
  assert.equal(at.status, 201, 'the cap itself is fine');
  assert.equal(at.body.data.content.length, MAX_MESSAGE);
  // Hindi: the cap is in bytes, as for messages (3 bytes a letter).
  isError(assert, await add({ shortCode: `${TAG}-hindi`, content: 'न'.repeat(Math.floor(MAX_MESSAGE / 3) + 1) }), 400, 'validation_failed');
  const before = count();
  isError(assert, await add({ shortCode: `${TAG}-over`, content: 'x'.repeat(MAX_MESSAGE + 1) }), 400, 'validation_failed');
  isError(assert, await add({ shortCode: `${TAG}-huge`, content: 'x'.repeat(MAX_BODY + 1) }), 413, 'payload_too_large');
  assert.equal(count(), before, 'nothing was added');
});
