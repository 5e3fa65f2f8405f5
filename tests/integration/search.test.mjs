// search.test.mjs - GET /api/v1/chat/search within the caller's reach:
// message text (Hindi and English, words as prefixes, all required), user
// names and phone numbers (with or without the country code, or a
// national 0); an agent finds their own conversations and the queue, never
// another agent's; an admin all; users 403; q under 2 or over 200
// characters 400.  A result opens in context with ?around=.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { api, conversationWith, isError, newStaff, queuedConversation, sql } from './lib.mjs';

const search = (token, q, extra = '') => api('GET', `/api/v1/chat/search?q=${encodeURIComponent(q)}${extra}`, { token });
const send = (token, id, content, extra = {}) => api('POST', '/api/v1/chat/messages', { token, body: { conversationId: id, content, ...extra } });
// A word of this run only: earlier runs and tests leave messages behind.
const W = `zq${randomBytes(4).toString('hex')}`;
let a, b, admin, mine, theirs, queued, hits = {};

before(async () => {
  a = await newStaff('Support', 'Search Agent A');
  b = await newStaff('Support', 'Search Agent B');
  admin = await newStaff('Admin', 'Search Admin');
  mine = await conversationWith(a);
  theirs = await conversationWith(b);
  queued = await queuedConversation();
  sql(`UPDATE users SET name = 'Ramesh ${W}' WHERE id = ${mine.user.user.id}`);
  hits.hindi = (await send(mine.user.token, mine.id, `मेरे गेहूं${W} के पत्ते पीले हो रहे हैं`)).body.data;
  hits.english = (await send(a.token, mine.id, `Spray ${W}neem oil on the wheat leaves`)).body.data;
  hits.note = (await send(a.token, mine.id, `note ${W}neem for the team`, { private: true })).body.data;
  hits.theirs = (await send(theirs.user.token, theirs.id, `my ${W}neem tree is dying`)).body.data;
  hits.queued = (await send(queued.user.token, queued.id, `queued ${W}neem question`)).body.data;
});

const ids = (r, kind) => r.body.data[kind].map((x) => (kind === 'messages' ? x.message._id : x._id));

test('message text is found by its words, English and Hindi, within an agent\'s reach', async () => {
  const r = await search(a.token, `${W}neem`);
  assert.equal(r.status, 200, r.text);
  const found = ids(r, 'messages');
  assert.ok(found.includes(hits.english._id), 'the agent\'s own conversation');
  assert.ok(found.includes(hits.note._id), 'a note: the team searches');
  assert.ok(found.includes(hits.queued._id), 'the queue');
  assert.ok(!found.includes(hits.theirs._id), 'never another agent\'s conversation');
  const hit = r.body.data.messages.find((x) => x.message._id === hits.english._id);
  assert.equal(hit.conversation._id, mine.id);
  assert.equal(hit.conversation.user.name, `Ramesh ${W}`);
  // Hindi: the word as written, and as a prefix.
  const hi = await search(a.token, `गेहूं${W}`);
  assert.deepEqual(ids(hi, 'messages'), [hits.hindi._id]);
  // Every word must be there.
  assert.deepEqual(ids(await search(a.token, `${W}neem wheat`), 'messages'), [hits.english._id]);
  assert.deepEqual(ids(await search(a.token, `${W}neem nothinglikethis`), 'messages'), []);
  // An admin reaches all.
  const all = ids(await search(admin.token, `${W}neem`), 'messages');
  for (const h of ['english', 'note', 'queued', 'theirs']) assert.ok(all.includes(hits[h]._id), h);
});

test('conversations are found by the user\'s name and phone number', async () => {
  const byName = await search(a.token, `ramesh ${W}`.toUpperCase());
  assert.deepEqual(ids(byName, 'conversations'), [mine.id]);
  const phone = mine.user.phone;              // +91xxxxxxxxxx
  const national = phone.slice(3);
  for (const q of [phone, phone.slice(1), national, `0${national}`, `${national.slice(0, 5)} ${national.slice(5)}`]) {
    const r = await search(a.token, q);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(ids(r, 'conversations'), [mine.id], `by ${q}`);
  }
  assert.deepEqual(ids(await search(a.token, theirs.user.phone), 'conversations'), [], 'not another agent\'s');
  assert.deepEqual(ids(await search(admin.token, theirs.user.phone), 'conversations'), [theirs.id]);
});

test('a result opens in context: ?around= gives the page that holds it', async () => {
  for (let i = 0; i < 12; i++) assert.equal((await send(mine.user.token, mine.id, `filler ${i}`)).status, 201);
  const r = await api('GET', `/api/v1/chat/messages/${mine.id}?around=${hits.english._id}&limit=6`, { token: a.token });
  assert.equal(r.status, 200, r.text);
  const got = r.body.data.map((m) => m._id);
  // Half the page up to it (only the Hindi message is older), half after.
  assert.deepEqual(got.slice(0, 2), [hits.hindi._id, hits.english._id]);
  assert.equal(got.length, 2 + 3);
  assert.equal(got[2], hits.note._id, 'the team sees the note after it');
  assert.equal(r.body.pagination.hasMoreBefore, false);
  assert.deepEqual(got, [...got].sort((x, y) => Number(x) - Number(y)), 'oldest first');
  assert.equal(r.body.pagination.around, hits.english._id);
  assert.equal(r.body.pagination.hasMoreAfter, true);
  assert.equal(r.body.pagination.before, got[0]);
  assert.equal(r.body.pagination.after, got[got.length - 1]);
  // A user's own message in context hides the team's note beside it.
  const u = await api('GET', `/api/v1/chat/messages/${mine.id}?around=${hits.english._id}&limit=6`, { token: mine.user.token });
  assert.ok(!u.body.data.some((m) => m._id === hits.note._id));
  isError(assert, await api('GET', `/api/v1/chat/messages/${mine.id}?around=${hits.note._id}`, { token: mine.user.token }), 404, 'not_found');
  isError(assert, await api('GET', `/api/v1/chat/messages/${mine.id}?around=${hits.theirs._id}`, { token: a.token }), 404, 'not_found');
  isError(assert, await api('GET', `/api/v1/chat/messages/${mine.id}?around=${hits.english._id}&after=1`, { token: a.token }), 400, 'validation_failed');
  isError(assert, await api('GET', `/api/v1/chat/messages/${mine.id}?around=9223372036854775807`, { token: a.token }), 404, 'not_found');
});

test('users may not search; q must be 2 to 200 characters', async () => {
  isError(assert, await search(mine.user.token, 'wheat'), 403, 'forbidden');
  for (const q of ['', 'x', ' y ', 'a'.repeat(201), 'क'.repeat(201)]) isError(assert, await search(a.token, q), 400, 'validation_failed');
  isError(assert, await api('GET', '/api/v1/chat/search', { token: a.token }), 400, 'validation_failed');
  assert.equal((await search(a.token, 'क'.repeat(200))).status, 200, '200 Devanagari characters are fine');
  assert.equal((await search(a.token, 'ab')).status, 200, 'two characters: names only');
  assert.equal((await search(a.token, '+"()*~<>@')).status, 200, 'operators are no query syntax');
  isError(assert, await search(a.token, 'wheat', '&limit=51'), 400, 'validation_failed');
});
