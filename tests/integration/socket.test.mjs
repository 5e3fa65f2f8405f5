// pushd through lighttpd with a stock socket.io-client v4: connecting,
// presence, rooms, typing, sending, read receipts, REST -> socket events,
// catch-up, and bad input.  Flows 2-7 of the seed.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { api, conversationWith, FILES, forgeToken, jti, login, newStaff, newUser, now, sql, sqlOne, startPushd, upload, DEMO } from './lib.mjs';
import { ack, closeAll, connect, connectError, next, nextWhere, record, sleep, until } from './sock.mjs';

after(closeAll);

// An agent and a user sharing a fresh conversation, both connected.
async function pair(opts = {}) {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const a = await connect(agent.token, opts);
  const u = await connect(user.token, opts);
  return { agent, user, id, a, u };
}

test('default options start with polling and upgrade to WebSocket; websocket-only connects directly', async () => {
  const u = await newUser('Poller');
  const s = await connect(u.token);
  assert.equal(typeof s.id, 'string');
  for (let i = 0; i < 50 && s.io.engine.transport.name !== 'websocket'; i++) await sleep(50);
  assert.equal(s.io.engine.transport.name, 'websocket');
  const w = await connect(u.token, { transports: ['websocket'] });
  assert.equal(w.io.engine.transport.name, 'websocket');
  const p = await connect(u.token, { transports: ['polling'] });
  assert.equal(p.io.engine.transport.name, 'polling');
  // Events work over plain polling too.
  const { id } = await conversationWith(null).then(async (c) => {
    const r = await api('POST', '/api/v1/chat/conversations', { token: u.token });
    return { id: r.body.data._id, c };
  });
  const joined = await ack(p, 'conversation:join', { conversationId: id });
  assert.equal(joined.ok, true);
  s.disconnect(); w.disconnect(); p.disconnect();
});

test('a bad, expired, revoked or missing token gets connect_error', async () => {
  const u = await newUser('Token Holder');
  const base = { sub: u.user.id, role: 'User', jti: jti(), iat: now() };
  const cases = {
    missing: undefined,
    garbage: 'not-a-token',
    expired: forgeToken({ ...base, exp: now() - 5 }),
    otherKey: forgeToken({ ...base, exp: now() + 600 }, { key: 'x'.repeat(40) }),
    algNone: forgeToken({ ...base, exp: now() + 600 }, { alg: 'none' }),
  };
  for (const [name, token] of Object.entries(cases)) {
    const e = await connectError(token, { transports: ['websocket'] });
    assert.ok(e.message.length > 0, name);
    assert.equal(e.data?.code, 'E_AUTH', name);
  }
  const l = await login({ phone: u.phone, password: u.password });
  await api('POST', '/api/v1/users/logout', { token: l.token });
  const e = await connectError(l.token);
  assert.match(e.message, /revoked/);
  // The token may also come in the query, for clients that cannot send auth.
  const q = await connect(undefined, { transports: ['websocket'], query: { token: u.token } });
  assert.ok(q.connected);
  q.disconnect();
});

test('flow 6: presence goes to the people who share a conversation, with every socket counted', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const stranger = await newStaff('Support');
  const a = await connect(agent.token);
  const x = await connect(stranger.token);
  const strangerHeard = record(x, 'user:online');
  const online = nextWhere(a, 'user:online', (d) => d.userId === user.user.id);
  const phone = await connect(user.token);
  assert.deepEqual(await online, { userId: user.user.id });
  assert.equal(sqlOne(`SELECT isOnline FROM users WHERE id = ${user.user.id}`), '1');
  const conv = await api('GET', `/api/v1/chat/conversations/${id}`, { token: agent.token });
  assert.equal(conv.body.data.user.isOnline, true);
  // A second socket (tablet) and closing the first: still online.  The
  // phone (default options) closes once its upgrade is done: a client
  // that goes in the middle of one cannot send its close, and the server
  // keeps the session until the heartbeat gives up on it.
  const tablet = await connect(user.token, { transports: ['websocket'] });
  const offlines = record(a, 'user:offline');
  await until(() => phone.io.engine.transport.name === 'websocket' && !phone.io.engine.upgrading, () => 'the phone upgraded');
  phone.disconnect();
  await sleep(400);
  assert.equal(offlines.length, 0);
  assert.equal(sqlOne(`SELECT isOnline FROM users WHERE id = ${user.user.id}`), '1');
  const offline = next(a, 'user:offline');
  tablet.disconnect();
  const o = await offline;
  assert.equal(o.userId, user.user.id);
  assert.ok(Math.abs(Date.parse(o.lastSeen) - Date.now()) < 60000);
  assert.equal(sqlOne(`SELECT isOnline FROM users WHERE id = ${user.user.id}`), '0');
  assert.notEqual(sqlOne(`SELECT lastSeen FROM users WHERE id = ${user.user.id}`), 'NULL');
  assert.equal(strangerHeard.filter((d) => d.userId === user.user.id).length, 0, 'no presence to strangers');
  a.disconnect(); x.disconnect();
});

test('flow 2: conversation:join checks access; strangers get an error ack or an error event', async () => {
  const { id, a, u } = await pair();
  const joined = next(a, 'conversation:joined');
  const r = await ack(a, 'conversation:join', { conversationId: id });
  assert.equal(r.ok, true);
  assert.deepEqual(await joined, { conversationId: id });
  assert.equal((await ack(u, 'conversation:join', { conversationId: id })).ok, true);
  const stranger = await connect((await newUser('Nosy')).token);
  const otherAgent = await connect((await newStaff('Support')).token);
  for (const s of [stranger, otherAgent]) {
    const no = await ack(s, 'conversation:join', { conversationId: id });
    assert.equal(no.ok, false);
    assert.equal(no.error.code, 'not_found');
  }
  const err = next(stranger, 'error');
  stranger.emit('conversation:join', { conversationId: id });
  const e = await err;
  assert.equal(e.code, 'not_found');
  assert.equal(e.event, 'conversation:join');
  const bad = await ack(a, 'conversation:join', { conversationId: 'abc' });
  assert.equal(bad.error.code, 'validation_failed');
  const notObj = await ack(a, 'conversation:join', 'x');
  assert.equal(notObj.ok, false);
  const unknown = await ack(a, 'no:such-event', {});
  assert.equal(unknown.ok, false);
  // A stranger in no room hears nothing of the conversation.
  const heard = record(stranger, 'message:new');
  await ack(u, 'message:send', { conversationId: id, content: 'private', clientMessageId: 'p-1' });
  await sleep(200);
  assert.equal(heard.length, 0);
  a.disconnect(); u.disconnect(); stranger.disconnect(); otherAgent.disconnect();
});

test('flows 3 and 5: a send is acked after commit, reaches the room, the sender\'s sockets and the recipient\'s notification', async () => {
  const { agent, user, id, a, u } = await pair();
  const u2 = await connect(user.token, { transports: ['websocket'] });
  await ack(u, 'conversation:join', { conversationId: id });
  // The agent is on the list screen: not in the room.
  const notes = next(a, 'notification:new-message');
  const aNew = record(a, 'message:new');
  const uNew = next(u, 'message:new');
  const u2Sent = next(u2, 'message:sent');
  const r = await ack(u, 'message:send', { conversationId: id, messageType: 'text', content: 'Can you help me with fertilizer?', clientMessageId: 'f-1' });
  assert.equal(r.ok, true);
  assert.equal(r.message.content, 'Can you help me with fertilizer?');
  assert.equal(r.message.senderId, user.user.id);
  assert.equal(sqlOne(`SELECT COUNT(*) FROM messages WHERE id = ${r.message._id}`), '1');
  assert.equal((await uNew)._id, r.message._id);
  assert.equal((await u2Sent)._id, r.message._id, 'every socket of the sender hears message:sent');
  const n = await notes;
  assert.equal(n.conversationId, id);
  assert.equal(n.message._id, r.message._id);
  assert.deepEqual(n.sender, { _id: user.user.id, name: 'Conv User' });
  assert.equal(n.unreadCount, 1);
  await sleep(100);
  assert.equal(aNew.length, 0, 'not in the room: notification only');
  // Now the agent opens the chat and answers; the user gets it live.
  await ack(a, 'conversation:join', { conversationId: id });
  const got = next(u, 'message:new');
  const userNote = next(u, 'notification:new-message');
  const reply = await ack(a, 'message:send', { conversationId: id, content: 'How can I help you?', clientMessageId: 'f-2' });
  assert.equal(reply.ok, true);
  assert.equal((await got).content, 'How can I help you?');
  assert.equal((await userNote).sender.name, agent.user.name);
  const conv = await api('GET', `/api/v1/chat/conversations/${id}`, { token: agent.token });
  assert.equal(conv.body.data.lastMessage._id, reply.message._id);
  a.disconnect(); u.disconnect(); u2.disconnect();
});

test('a retried message:send returns the first message and broadcasts nothing twice', async () => {
  const { id, a, u } = await pair({ transports: ['websocket'] });
  await ack(a, 'conversation:join', { conversationId: id });
  const news = record(a, 'message:new');
  const body = { conversationId: id, content: 'only once', clientMessageId: 'once-1' };
  const first = await ack(u, 'message:send', body);
  const again = await ack(u, 'message:send', body);
  assert.equal(first.ok, true);
  assert.equal(again.ok, true);
  assert.equal(again.message._id, first.message._id);
  assert.equal(again.duplicate, true);
  // A marker sent after the retry reaches the agent after anything the
  // retry could have broadcast (one room, one ordered queue).
  const marker = await ack(u, 'message:send', { conversationId: id, content: 'marker', clientMessageId: 'once-2' });
  await until(() => news.some((m) => m._id === marker.message._id), () => `the marker: ${news.length}`);
  assert.deepEqual(news.map((m) => m._id), [first.message._id, marker.message._id]);
  assert.equal(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${id} AND clientMessageId = 'once-1'`), '1');
  a.disconnect(); u.disconnect();
});

test('concurrent sends (stored under one commit) are each acked truthfully, once', async () => {
  const { agent, id, a, u } = await pair({ transports: ['websocket'] });
  await ack(a, 'conversation:join', { conversationId: id });
  const other = await conversationWith(agent);
  const news = record(a, 'message:new');
  // Fired together so that pushd's database thread sees them queued at once:
  // good ones, a retry of one of them, and one for a conversation that is
  // not the user's (refused alone, without harming the others).
  const sends = [];
  for (let i = 0; i < 40; i++) sends.push(ack(u, 'message:send', { conversationId: id, content: `burst ${i}`, clientMessageId: `burst-${i}` }));
  sends.push(ack(u, 'message:send', { conversationId: id, content: 'burst 7', clientMessageId: 'burst-7' }));
  sends.push(ack(u, 'message:send', { conversationId: other.id, content: 'not mine', clientMessageId: 'burst-x' }));
  const acks = await Promise.all(sends);
  for (let i = 0; i < 40; i++) assert.equal(acks[i].ok, true, JSON.stringify(acks[i]));
  assert.equal(acks[40].ok, true);
  assert.equal(acks[40].message._id, acks[7].message._id, 'the retry got the first message');
  assert.equal(acks[41].ok, false);
  assert.equal(acks[41].error.code, 'not_found');
  assert.equal(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${id}`), '40');
  assert.equal(sqlOne(`SELECT COUNT(*) FROM messages WHERE clientMessageId = 'burst-x'`), '0');
  assert.equal(sqlOne(`SELECT supportUnreadCount FROM conversations WHERE id = ${id}`), '40');
  assert.equal(sqlOne(`SELECT lastMessageId FROM conversations WHERE id = ${id}`), acks[39].message._id);
  await until(() => news.length >= 40, () => `40 message:new, got ${news.length}`);
  const marker = await ack(u, 'message:send', { conversationId: id, content: 'marker', clientMessageId: 'burst-m' });
  await until(() => news.some((m) => m._id === marker.message._id), () => 'the marker');
  news.pop();
  assert.equal(news.length, 40, 'each stored message broadcast once');
  assert.deepEqual(news.map((m) => m.content), Array.from({ length: 40 }, (_, i) => `burst ${i}`), 'in order');
  a.disconnect(); u.disconnect();
});

test('a refused send gets ok:false and message:error, and stores nothing', async () => {
  const { id, a, u } = await pair({ transports: ['websocket'] });
  const errEv = next(u, 'message:error');
  const r = await ack(u, 'message:send', { conversationId: id, content: '   ', clientMessageId: 'e-1' });
  assert.equal(r.ok, false);
  assert.equal(r.error.code, 'validation_failed');
  const e = await errEv;
  assert.equal(e.clientMessageId, 'e-1');
  assert.equal(e.code, 'validation_failed');
  const stranger = await connect((await newUser('Intruder')).token);
  const s = await ack(stranger, 'message:send', { conversationId: id, content: 'hi', clientMessageId: 'e-2' });
  assert.equal(s.error.code, 'not_found');
  assert.equal(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${id}`), '0');
  a.disconnect(); u.disconnect(); stranger.disconnect();
});

test('flow 4: a media message arrives with mediaId populated', async () => {
  const { agent, id, a, u } = await pair();
  await ack(u, 'conversation:join', { conversationId: id });
  const up = await upload(agent.token, { file: FILES.jpeg, name: 'crop_issue.jpg', type: 'image', mime: 'image/jpeg' });
  const media = up.body.data[0];
  const got = next(u, 'message:new');
  const r = await ack(a, 'message:send', { conversationId: id, messageType: 'image', mediaId: media._id, clientMessageId: 'm-1' });
  assert.equal(r.ok, true, JSON.stringify(r));
  const m = await got;
  assert.equal(m.messageType, 'image');
  assert.deepEqual(m.mediaId, media);
  assert.match(m.mediaId.url, /\/uploads\/chat\/[0-9a-f]{32}\.jpg$/);
  a.disconnect(); u.disconnect();
});

test('typing: start and stop reach the other side; quiet for 5 s or gone stops it', async () => {
  const { agent, user, id, a, u } = await pair({ transports: ['websocket'] });
  await ack(a, 'conversation:join', { conversationId: id });
  await ack(u, 'conversation:join', { conversationId: id });
  const mine = record(a, 'typing:user-typing');
  let typing = next(u, 'typing:user-typing');
  assert.equal((await ack(a, 'typing:start', { conversationId: id })).ok, true);
  assert.deepEqual(await typing, { conversationId: id, userId: agent.user.id, userName: agent.user.name, isTyping: true });
  let stopped = next(u, 'typing:user-stopped');
  await ack(a, 'typing:stop', { conversationId: id });
  assert.deepEqual(await stopped, { conversationId: id, userId: agent.user.id, isTyping: false });
  assert.equal(mine.length, 0, 'the typer does not hear itself');
  // Quiet typer: the server stops it after 5 s.
  typing = next(a, 'typing:user-typing');
  await ack(u, 'typing:start', { conversationId: id });
  assert.equal((await typing).userName, 'Conv User');
  const t0 = Date.now();
  stopped = next(a, 'typing:user-stopped', 8000);
  assert.equal((await stopped).userId, user.user.id);
  assert.ok(Date.now() - t0 > 4000, 'stopped by the 5 s timer');
  // A typer who disconnects stops too.
  typing = next(a, 'typing:user-typing');
  await ack(u, 'typing:start', { conversationId: id });
  await typing;
  stopped = next(a, 'typing:user-stopped');
  u.disconnect();
  await stopped;
  // Typing in a conversation that is not the agent's is refused.
  const other = await conversationWith(await newStaff('Support', 'Someone Else'));
  const no = await ack(a, 'typing:start', { conversationId: other.id });
  assert.equal(no.ok, false);
  assert.equal(no.error.code, 'not_found');
  a.disconnect();
});

test('typing from a participant who never joined (the mobile flow) reaches the room; a stranger\'s does not', async () => {
  const { user, id, a, u } = await pair({ transports: ['websocket'] });
  await ack(a, 'conversation:join', { conversationId: id });
  const heard = [];
  a.on('typing:user-typing', (t) => heard.push(t));
  a.on('typing:user-stopped', (t) => heard.push(t));
  // The user never emits conversation:join.
  let typing = next(a, 'typing:user-typing');
  assert.deepEqual(await ack(u, 'typing:start', { conversationId: id }), { ok: true });
  assert.deepEqual(await typing, { conversationId: id, userId: user.user.id, userName: 'Conv User', isTyping: true });
  // The automatic stop still comes.
  const t0 = Date.now();
  assert.deepEqual(await next(a, 'typing:user-stopped', 8000), { conversationId: id, userId: user.user.id, isTyping: false });
  assert.ok(Date.now() - t0 > 4000, 'stopped by the 5 s timer');
  // A stranger, and another agent, get the error ack.
  const stranger = await connect((await newUser('Nosy Typist')).token, { transports: ['websocket'] });
  const otherAgent = await connect((await newStaff('Support', 'Other Typist')).token, { transports: ['websocket'] });
  for (const s of [stranger, otherAgent]) {
    const no = await ack(s, 'typing:start', { conversationId: id });
    assert.equal(no.ok, false);
    assert.equal(no.error.code, 'not_found');
  }
  // The user again (now known to this socket), then an explicit stop;
  // nothing of the strangers' came before it, in the agent's one ordered queue.
  typing = next(a, 'typing:user-typing');
  await ack(u, 'typing:start', { conversationId: id });
  await typing;
  const stopped = next(a, 'typing:user-stopped');
  await ack(u, 'typing:stop', { conversationId: id });
  await stopped;
  assert.deepEqual(heard.map((t) => [t.userId, t.isTyping]),
    [[user.user.id, true], [user.user.id, false], [user.user.id, true], [user.user.id, false]]);
  // A stop and a start fired together keep their order (the first check
  // is in flight on the database thread when the second arrives).
  const u2 = await connect(user.token, { transports: ['websocket'] });
  const seq = [];
  a.on('typing:user-typing', () => seq.push('typing'));
  a.on('typing:user-stopped', () => seq.push('stopped'));
  const acks = await Promise.all([ack(u2, 'typing:start', { conversationId: id }), ack(u2, 'typing:stop', { conversationId: id })]);
  assert.deepEqual(acks, [{ ok: true }, { ok: true }]);
  // The acks reach u2 before the broadcasts reach the agent: wait for
  // the events themselves (a third start, to see nothing came between).
  await ack(u2, 'typing:start', { conversationId: id });
  await until(() => seq.length >= 3, () => seq.join(' '));
  assert.deepEqual(seq, ['typing', 'stopped', 'typing']);
  for (const s of [a, u, u2, stranger, otherAgent]) s.disconnect();
});

test('one socket may join more than 64 conversations; the cap is pushd.max_rooms_per_socket', async () => {
  const agent = await newStaff('Support', 'Busy Desk');
  const u = await newUser('Many Chats');
  sql(`INSERT INTO conversations (userId, assignedSupportId) SELECT ${u.user.id}, ${agent.user.id} FROM seq_1_to_70`);
  const ids = sql(`SELECT id FROM conversations WHERE userId = ${u.user.id} ORDER BY id`).map((r) => r[0]);
  assert.equal(ids.length, 70);
  const a = await connect(agent.token, { transports: ['websocket'] });
  for (const cid of ids) assert.equal((await ack(a, 'conversation:join', { conversationId: cid })).ok, true, `join ${cid}`);
  const last = ids[ids.length - 1];
  const got = next(a, 'message:new');
  const us = await connect(u.token, { transports: ['websocket'] });
  await ack(us, 'message:send', { conversationId: last, content: 'in the 70th', clientMessageId: 'seventy' });
  assert.equal((await got).conversationId, last);
  a.disconnect(); us.disconnect();
  // A pushd with a cap of 3: the fourth join is refused in words; leaving
  // one makes room again.
  const small = await startPushd('rooms', { CHAT_PUSHD_MAX_ROOMS_PER_SOCKET: '3' });
  try {
    const s = await connect(agent.token, { transports: ['websocket'], url: small.base });
    for (const cid of ids.slice(0, 3)) assert.equal((await ack(s, 'conversation:join', { conversationId: cid })).ok, true);
    const no = await ack(s, 'conversation:join', { conversationId: ids[3] });
    assert.equal(no.ok, false);
    assert.equal(no.error.code, 'conflict');
    assert.match(no.error.message, /at most 3/);
    assert.equal((await ack(s, 'conversation:leave', { conversationId: ids[0] })).ok, true);
    assert.equal((await ack(s, 'conversation:join', { conversationId: ids[3] })).ok, true);
    s.disconnect();
  } finally {
    await small.stop();
  }
});

test('read receipts: message:read and mark-all-read give the sender the double check', async () => {
  const { agent, user, id, a, u } = await pair({ transports: ['websocket'] });
  const sent = [];
  for (let i = 0; i < 3; i++) sent.push((await ack(u, 'message:send', { conversationId: id, content: `q${i}`, clientMessageId: `r-${i}` })).message._id);
  assert.equal(sqlOne(`SELECT supportUnreadCount FROM conversations WHERE id = ${id}`), '3');
  // The user is not in the room: the receipt still reaches them.
  let receipt = next(u, 'message:read');
  const r = await ack(a, 'message:read', { conversationId: id, messageIds: [sent[0]] });
  assert.equal(r.ok, true);
  let got = await receipt;
  assert.deepEqual(got.messageIds, [sent[0]]);
  assert.equal(got.readBy, agent.user.id);
  assert.equal(got.conversationId, id);
  assert.ok(!Number.isNaN(Date.parse(got.readAt)));
  assert.equal(sqlOne(`SELECT supportUnreadCount FROM conversations WHERE id = ${id}`), '2');
  receipt = next(u, 'message:read');
  await ack(a, 'conversation:mark-all-read', { conversationId: id });
  got = await receipt;
  assert.deepEqual(got.messageIds, sent.slice(1));
  assert.equal(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${id} AND isRead = 0`), '0');
  assert.equal(sqlOne(`SELECT supportUnreadCount FROM conversations WHERE id = ${id}`), '0');
  const h = await api('GET', `/api/v1/chat/messages/${id}`, { token: user.token });
  assert.ok(h.body.data.every((m) => m.isRead === true && m.readAt !== null));
  // Reading one's own messages marks nothing; a stranger is refused.
  const own = await ack(u, 'conversation:mark-all-read', { conversationId: id });
  assert.deepEqual(own.messageIds, []);
  const stranger = await connect((await newUser('Reader')).token);
  assert.equal((await ack(stranger, 'message:read', { conversationId: id, messageIds: [sent[0]] })).ok, false);
  assert.equal((await ack(a, 'message:read', { conversationId: id, messageIds: 'x' })).ok, false);
  a.disconnect(); u.disconnect(); stranger.disconnect();
});

test('a message sent over REST reaches the sockets through pushd\'s UNIX socket', async () => {
  const { user, id, a, u } = await pair();
  await ack(a, 'conversation:join', { conversationId: id });
  const live = next(a, 'message:new');
  const note = next(a, 'notification:new-message');
  const sentToSender = next(u, 'message:sent');
  const r = await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: id, content: 'sent over REST', clientMessageId: 'rest-1' } });
  assert.equal(r.status, 201);
  assert.equal((await live)._id, r.body.data._id);
  assert.equal((await note).unreadCount, 1);
  assert.equal((await sentToSender)._id, r.body.data._id);
  a.disconnect(); u.disconnect();
});

test('messages marked read over REST give the sender the double check through pushd', async () => {
  const { agent, user, id, a, u } = await pair({ transports: ['websocket'] });
  const ids = [];
  for (let i = 0; i < 2; i++) ids.push((await ack(u, 'message:send', { conversationId: id, content: `r${i}`, clientMessageId: `rr-${i}` })).message._id);
  let receipt = next(u, 'message:read');
  const one = await api('POST', `/api/v1/chat/conversations/${id}/read`, { token: agent.token, body: { messageIds: [ids[0]] } });
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.body.data.messageIds, [ids[0]]);
  let got = await receipt;
  assert.deepEqual(got.messageIds, [ids[0]]);
  assert.equal(got.readBy, agent.user.id);
  assert.equal(got.readAt, one.body.data.readAt);
  receipt = next(u, 'message:read');
  const all = await api('POST', `/api/v1/chat/conversations/${id}/read`, { token: agent.token });
  assert.deepEqual(all.body.data.messageIds, [ids[1]]);
  got = await receipt;
  assert.deepEqual(got.messageIds, [ids[1]]);
  assert.equal(sqlOne(`SELECT supportUnreadCount FROM conversations WHERE id = ${id}`), '0');
  // Nothing left to mark: no event; strangers and bad ids are refused.
  const none = await api('POST', `/api/v1/chat/conversations/${id}/read`, { token: agent.token });
  assert.deepEqual(none.body.data.messageIds, []);
  const stranger = await newUser('Outsider');
  assert.equal((await api('POST', `/api/v1/chat/conversations/${id}/read`, { token: stranger.token })).status, 404);
  assert.equal((await api('POST', `/api/v1/chat/conversations/${id}/read`, { token: agent.token, body: { messageIds: ['x'] } })).status, 400);
  assert.equal((await api('POST', `/api/v1/chat/conversations/${id}/read`, { token: user.token, body: { messageIds: [] } })).status, 400);
  a.disconnect(); u.disconnect();
});

test('a conversation started over REST reaches its agent as conversation:new', async () => {
  sqlOne("UPDATE users SET isOnline = 0 WHERE role = 'Support'");
  const agent = await newStaff('Support');
  const a = await connect(agent.token);
  // Online now (stored by pushd's database thread): the least busy
  // online agent gets it.
  await until(() => sqlOne(`SELECT isOnline FROM users WHERE id = ${agent.user.id}`) === '1', () => 'the agent online');
  const fresh = next(a, 'conversation:new');
  const u = await newUser('Newcomer');
  const r = await api('POST', '/api/v1/chat/conversations', { token: u.token });
  assert.equal(r.status, 201);
  const c = await fresh;
  assert.equal(c.conversation._id, r.body.data._id);
  assert.equal(c.conversation.user.name, 'Newcomer');
  a.disconnect();
});

test('flow 7 and catch-up: leave stops message:new; a join with lastMessageId catches up in order', async () => {
  const { user, id, a, u } = await pair({ transports: ['websocket'] });
  await ack(a, 'conversation:join', { conversationId: id });
  const first = await ack(u, 'message:send', { conversationId: id, content: 'before', clientMessageId: 'c-0' });
  assert.equal((await ack(a, 'conversation:leave', { conversationId: id })).ok, true);
  const after = record(a, 'message:new');
  const missed = [];
  for (let i = 1; i <= 3; i++) missed.push((await ack(u, 'message:send', { conversationId: id, content: `m${i}`, clientMessageId: `c-${i}` })).message._id);
  await sleep(200);
  assert.equal(after.length, 0, 'left: no message:new');
  // A second device of the user joins late and catches up from the last
  // message it saw, as a reconnecting client does.
  a.disconnect();
  const b = await connect(user.token, { transports: ['websocket'] });
  const order = [];
  b.on('conversation:joined', () => order.push('joined'));
  b.on('message:new', (m) => order.push(m._id));
  const r = await ack(b, 'conversation:join', { conversationId: id, lastMessageId: first.message._id });
  assert.equal(r.ok, true);
  assert.equal(r.missed, 3);
  assert.deepEqual(order, ['joined', ...missed]);
  const rest = await api('GET', `/api/v1/chat/messages/${id}?after=${first.message._id}`, { token: user.token });
  assert.deepEqual(rest.body.data.map((m) => m._id), missed);
  assert.equal(rest.body.pagination.hasMore, false);
  u.disconnect(); b.disconnect();
});

// Raw WebSocket to pushd through lighttpd, for frames a real client never sends.
function raw() {
  const url = `${BASE_WS()}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url);
  const frames = [];
  ws.on('message', (d) => frames.push(d.toString()));
  const closed = new Promise((r) => ws.on('close', (code) => r(code)));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, frames, closed }));
    ws.on('error', reject);
  });
}
const BASE_WS = () => process.env.BASE_URL.replace(/^http/, 'ws');

test('malformed, binary and oversized packets close only that socket', async () => {
  const { id, a, u } = await pair({ transports: ['websocket'] });
  await ack(a, 'conversation:join', { conversationId: id });
  for (const bad of ['42{}', '4abc', '9', '', '42["connect"]']) {
    const r = await raw();
    r.ws.send('40');
    await sleep(50);
    r.ws.send(bad);
    const code = await Promise.race([r.closed, sleep(3000).then(() => 'open')]);
    assert.notEqual(code, 'open', `${JSON.stringify(bad)} must close the socket`);
  }
  // A refused CONNECT may not be retried on the same session.
  const retry = await raw();
  retry.ws.send('40{"token":"not-a-token"}');
  await until(() => retry.frames.some((f) => f.startsWith('44')), () => retry.frames.join(' | '));
  retry.ws.send('40{"token":"still-not-a-token"}');
  const rc = await Promise.race([retry.closed, sleep(3000).then(() => 'open')]);
  assert.notEqual(rc, 'open', 'a second CONNECT after a refusal closes the socket');
  // Oversized: more than maxPayload (1 MB).
  const big = await raw();
  big.ws.send('42["message:send",{"content":"' + 'x'.repeat(1100000) + '"}]');
  const code = await Promise.race([big.closed, sleep(5000).then(() => 'open')]);
  assert.notEqual(code, 'open');
  // Binary events are refused with an ack, the socket stays.
  const tok = (await newUser('Binary')).token;
  const b = await raw();
  b.ws.send(`40${JSON.stringify({ token: tok })}`);
  await until(() => b.frames.some((f) => f.startsWith('40{')), () => b.frames.join(' | '));
  b.ws.send('451-5["x",{"_placeholder":true,"num":0}]');
  b.ws.send(Buffer.from([1, 2, 3]));
  await until(() => b.frames.some((f) => f.startsWith('435[')), () => b.frames.join(' | '));
  assert.ok(b.frames.some((f) => f.startsWith('435[') && f.includes('binary_unsupported')), b.frames.join(' | '));
  // The attachment was dropped, not taken as a bad packet: an event sent
  // after it is still answered.
  b.ws.send('426["typing:stop",{"conversationId":"1"}]');
  await until(() => b.frames.some((f) => f.startsWith('436[')), () => b.frames.join(' | '));
  assert.equal(b.ws.readyState, WebSocket.OPEN);
  b.ws.close();
  // The others were never disturbed.
  const got = next(a, 'message:new');
  assert.equal((await ack(u, 'message:send', { conversationId: id, content: 'still here', clientMessageId: 'ok-1' })).ok, true);
  assert.equal((await got).content, 'still here');
  a.disconnect(); u.disconnect();
});

test('the demo agent and user go through flows 1-7 with default options', async () => {
  const asha = await login(DEMO.asha);
  const rajesh = await login(DEMO.rajesh);
  const list = await api('GET', '/api/v1/chat/conversations', { token: asha.token });
  const conv = list.body.data.find((c) => c.user.name === 'Rajesh Kumar');
  const a = await connect(asha.token);
  const online = nextWhere(a, 'user:online', (d) => d.userId === rajesh.user.id);
  const r = await connect(rajesh.token);
  await online;
  await ack(a, 'conversation:join', { conversationId: conv._id });
  await ack(r, 'conversation:join', { conversationId: conv._id });
  const asked = await ack(r, 'message:send', { conversationId: conv._id, content: 'Hello, I need help', clientMessageId: `demo-q-${Date.now()}` });
  const receipt = next(r, 'message:read');
  await ack(a, 'conversation:mark-all-read', { conversationId: conv._id });
  assert.ok((await receipt).messageIds.includes(asked.message._id));
  const typing = next(r, 'typing:user-typing');
  await ack(a, 'typing:start', { conversationId: conv._id });
  assert.equal((await typing).userName, 'Asha Verma');
  const msg = next(r, 'message:new');
  await ack(a, 'message:send', { conversationId: conv._id, messageType: 'text', content: 'How can I help you?', clientMessageId: `demo-${Date.now()}` });
  assert.equal((await msg).content, 'How can I help you?');
  await ack(a, 'conversation:leave', { conversationId: conv._id });
  const offline = nextWhere(a, 'user:offline', (d) => d.userId === rajesh.user.id);
  r.disconnect();
  await offline;
  a.disconnect();
});
