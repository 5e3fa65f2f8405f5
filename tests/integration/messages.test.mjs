// /api/v1/chat/messages: history pages (keyset) and sending over REST.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, conversationWith, DEMO, FILES, isError, login, newStaff, newUser, sql, sqlOne, upload } from './lib.mjs';

const send = (token, body) => api('POST', '/api/v1/chat/messages', { token, body });

test('flow 2: history is the last 50, oldest first, with the message fields', async () => {
  const asha = await login(DEMO.asha);
  const id = sqlOne(`SELECT c.id FROM conversations c JOIN users u ON u.id = c.userId WHERE u.phone = '${DEMO.rajesh.phone}' ORDER BY c.id LIMIT 1`);
  const r = await api('GET', `/api/v1/chat/messages/${id}`, { token: asha.token });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.data.length >= 5);
  const m = r.body.data[0];
  assert.deepEqual(Object.keys(m).sort(), ['_id', 'clientMessageId', 'content', 'conversationId', 'createdAt',
    'isRead', 'mediaId', 'messageType', 'readAt', 'senderId'].sort());
  assert.equal(m.conversationId, id);
  assert.equal(m.mediaId, null);
  const ids = r.body.data.map((x) => BigInt(x._id));
  assert.deepEqual(ids, [...ids].sort((a, b) => (a < b ? -1 : 1)), 'oldest first');
  assert.equal(r.body.pagination.hasMore, false);
  assert.equal(r.body.data[0].content, 'Hello, I need help');
  assert.equal(r.body.data[0].isRead, true);
  assert.ok(r.body.data.some((x) => x.isRead === false && x.readAt === null));
});

test('keyset pages with before= walk the whole history without gaps or repeats', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const sent = [];
  for (let i = 0; i < 120; i++) {
    const r = await send(i % 2 ? agent.token : user.token, { conversationId: id, messageType: 'text', content: `m${i}` });
    assert.equal(r.status, 201, r.text);
    sent.push(r.body.data._id);
  }
  const first = await api('GET', `/api/v1/chat/messages/${id}`, { token: agent.token });
  assert.equal(first.body.data.length, 50, 'default page is 50');
  assert.equal(first.body.pagination.hasMore, true);
  assert.equal(first.body.pagination.before, first.body.data[0]._id);
  const got = [];
  let before = '';
  for (;;) {
    const r = await api('GET', `/api/v1/chat/messages/${id}?limit=35${before ? `&before=${before}` : ''}`, { token: user.token });
    assert.equal(r.status, 200);
    got.unshift(...r.body.data.map((m) => m._id));
    if (!r.body.pagination.hasMore) break;
    before = r.body.pagination.before;
  }
  assert.deepEqual(got, sent);
  const max = await api('GET', `/api/v1/chat/messages/${id}?limit=100`, { token: user.token });
  assert.equal(max.body.data.length, 100);
  for (const q of ['limit=101', 'limit=0', 'before=abc', 'before=-5']) {
    isError(assert, await api('GET', `/api/v1/chat/messages/${id}?${q}`, { token: user.token }), 400, 'validation_failed');
  }
});

test('history of someone else\'s conversation is 404', async () => {
  const agent = await newStaff('Support');
  const { id } = await conversationWith(agent);
  const stranger = await newUser('Stranger');
  const otherAgent = await newStaff('Support');
  isError(assert, await api('GET', `/api/v1/chat/messages/${id}`, { token: stranger.token }), 404, 'not_found');
  isError(assert, await api('GET', `/api/v1/chat/messages/${id}`, { token: otherAgent.token }), 404, 'not_found');
  isError(assert, await api('GET', '/api/v1/chat/messages/99999999', { token: agent.token }), 404, 'not_found');
  isError(assert, await api('GET', `/api/v1/chat/messages/${id}`), 401, 'unauthorized');
});

test('flow 3/5: a send stores the message, updates the conversation and the recipient\'s unread count', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  sql(`UPDATE conversations SET status = 'pending' WHERE id = ${id}`);
  const r = await send(user.token, { conversationId: id, messageType: 'text', content: 'Can you help me with fertilizer?', clientMessageId: 'c-1' });
  assert.equal(r.status, 201, r.text);
  const m = r.body.data;
  assert.equal(m.content, 'Can you help me with fertilizer?');
  assert.equal(m.senderId, user.user.id);
  assert.equal(m.conversationId, id);
  assert.equal(m.messageType, 'text');
  assert.equal(m.isRead, false);
  assert.equal(m.clientMessageId, 'c-1');
  const shown = await api('GET', `/api/v1/chat/messages/${id}`, { token: agent.token });
  assert.deepEqual(shown.body.data.at(-1), m, 'the ack is the row as history shows it');
  const a = await api('GET', `/api/v1/chat/conversations/${id}`, { token: agent.token });
  assert.equal(a.body.data.unreadCount, 1);
  assert.equal(a.body.data.status, 'open');
  assert.equal(a.body.data.lastMessage._id, m._id);
  assert.equal(a.body.data.lastMessage.content, 'Can you help me with fertilizer?');
  const reply = await send(agent.token, { conversationId: id, content: 'Yes: use 20 kg per acre.' });
  assert.equal(reply.status, 201);
  const u = await api('GET', `/api/v1/chat/conversations/${id}`, { token: user.token });
  assert.equal(u.body.data.unreadCount, 1);
  assert.equal(u.body.data.lastMessage._id, reply.body.data._id);
  const list = await api('GET', '/api/v1/chat/conversations', { token: agent.token });
  assert.equal(list.body.data[0]._id, id, 'the conversation moved to the top');
});

test('a retry with the same clientMessageId returns the first message and changes nothing', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const body = { conversationId: id, messageType: 'text', content: 'only once', clientMessageId: 'retry-42' };
  const first = await send(user.token, body);
  const again = await send(user.token, body);
  const parallel = await Promise.all([1, 2, 3].map(() => send(user.token, body)));
  assert.equal(first.status, 201);
  assert.equal(again.status, 200);
  for (const r of [again, ...parallel]) assert.equal(r.body.data._id, first.body.data._id);
  assert.equal(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${id}`), '1');
  assert.equal(sqlOne(`SELECT supportUnreadCount FROM conversations WHERE id = ${id}`), '1');
  // The same id in another conversation is a conflict, not a silent alias.
  const other = await conversationWith(agent);
  sql(`UPDATE conversations SET userId = ${user.user.id} WHERE id = ${other.id}`);
  isError(assert, await send(user.token, { ...body, conversationId: other.id }), 409, 'conflict');
  // Another sender may use the same client id.
  assert.equal((await send(agent.token, body)).status, 201);
});

test('bad sends get 400/404 and store nothing', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const stranger = await newUser('Stranger');
  const cases = [
    [{ conversationId: id, content: '' }, 400],
    [{ conversationId: id, content: '   \n ' }, 400],
    // Blank to a reader although not to strspn: no-break and zero-width
    // spaces, an ideographic space, a BOM, direction marks.
    [{ conversationId: id, content: '\u00a0\u200b \u3000\ufeff\u200e\u2060' }, 400],
    [{ conversationId: id, content: '\u200b' }, 400],
    [{ conversationId: id, content: 'x'.repeat(4001) }, 400],
    [{ conversationId: id, content: 42 }, 400],
    [{ conversationId: id, messageType: 'sticker', content: 'x' }, 400],
    [{ conversationId: id, messageType: 'image' }, 400],
    [{ conversationId: id, messageType: 'text', content: 'x', mediaId: '1' }, 400],
    [{ conversationId: id, content: 'x', clientMessageId: 'bad id!' }, 400],
    [{ conversationId: id, content: 'x', clientMessageId: 'y'.repeat(65) }, 400],
    [{ content: 'no conversation' }, 400],
    [{ conversationId: 'abc', content: 'x' }, 400],
    // Not the id 1 followed by junk: the whole string is the id.
    [{ conversationId: `${id}\u0000abc`, content: 'x' }, 400],
    [{ conversationId: '987654321', content: 'x' }, 404],
  ];
  for (const [body, status] of cases) {
    const r = await send(user.token, body);
    isError(assert, r, status);
  }
  isError(assert, await send(stranger.token, { conversationId: id, content: 'intruder' }), 404, 'not_found');
  isError(assert, await api('POST', '/api/v1/chat/messages', { token: user.token, body: '{"conversationId":' }), 400, 'invalid_json');
  // Only application/json (with parameters) is JSON.
  for (const type of ['application/jsonfoo', 'application/json-patch+json', 'text/plain']) {
    isError(assert, await api('POST', '/api/v1/chat/messages', { token: user.token, headers: { 'Content-Type': type },
      body: { conversationId: id, content: 'typed' } }), 415);
  }
  assert.equal(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${id}`), '0');
  assert.equal(sqlOne(`SELECT lastMessageId IS NULL FROM conversations WHERE id = ${id}`), '1');
  // 4000 bytes is the cap, inclusive.
  assert.equal((await send(user.token, { conversationId: id, content: 'x'.repeat(4000) })).status, 201);
  assert.equal((await api('POST', '/api/v1/chat/messages', { token: user.token, headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: { conversationId: id, content: 'with a charset' } })).status, 201);
  // Devanagari with a zero-width joiner is text, not blank.
  assert.equal((await send(user.token, { conversationId: id, content: '\u0915\u094d\u200d\u0937' })).status, 201);
});

test('flow 4: a media message names the sender\'s own upload of the same type and comes back populated', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const up = await upload(agent.token, { file: FILES.png, name: 'crop_issue.png', type: 'image', mime: 'image/png' });
  assert.equal(up.status, 201, up.text);
  const media = up.body.data[0];
  const r = await send(agent.token, { conversationId: id, messageType: 'image', mediaId: media._id, clientMessageId: 'img-1' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.data.mediaId, media);
  const h = await api('GET', `/api/v1/chat/messages/${id}`, { token: user.token });
  const got = h.body.data.at(-1);
  // The send renders the new row itself: exactly what history shows.
  assert.deepEqual(r.body.data, got);
  assert.equal(got.messageType, 'image');
  assert.equal(got.mediaId._id, media._id);
  assert.equal(got.mediaId.url, media.url);
  assert.equal(got.mediaId.name, 'crop_issue.png');
  assert.equal(got.mediaId.format, 'image/png');
  const list = await api('GET', `/api/v1/chat/conversations/${id}`, { token: user.token });
  assert.equal(list.body.data.lastMessage.messageType, 'image');
  // The user cannot send the agent's media, nor as another type.
  isError(assert, await send(user.token, { conversationId: id, messageType: 'image', mediaId: media._id }), 400);
  isError(assert, await send(agent.token, { conversationId: id, messageType: 'video', mediaId: media._id }), 400);
  isError(assert, await send(agent.token, { conversationId: id, messageType: 'image', mediaId: '987654321' }), 400);
});
