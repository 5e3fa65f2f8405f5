// The access matrix: every REST endpoint and socket event that names a
// conversation, a message or a media, tried by every kind of caller.
//
// The rules (docs/api.md "Access", lib/chat.c chat_may_see): a User sees
// and touches only their own conversations, a Support agent those assigned
// to them, an Admin all; anything else is 404 (REST) or an error ack
// {ok:false, error:{code:'not_found'}} (socket), so ids cannot be probed.
// A media is visible to its owner, the parties of a conversation where it
// was sent, and admins (cgi/media.c media_get).  Bad tokens are 401 and,
// on the socket, a refused CONNECT (connect_error, data.code E_AUTH).
//
// Every refused attempt must change nothing: the database (messages, read
// marks, unread counts, the conversation row, media) is compared before and
// after, and the rightful participants' sockets, both in the conversation's
// room, must hear nothing within a short window.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, conversationWith, FILES, forgeToken, jti, login, newStaff, newUser, now, sql, upload,
} from './lib.mjs';
import { ack, closeAll, connect, connectError, nextWhere, sleep } from './sock.mjs';

after(closeAll);

const WINDOW = 200; // ms in which nothing may arrive after a refused attempt
const WS = { transports: ['websocket'] };

// Events that would leak something of the conversation to whoever gets them.
const LEAKS = new Set(['message:new', 'message:sent', 'message:read', 'notification:new-message',
  'conversation:joined', 'conversation:new', 'typing:user-typing', 'typing:user-stopped']);

// --- the world: one conversation and everyone around it -----------------------

async function world() {
  const agent = await newStaff('Support', 'Matrix Agent');
  const otherAgent = await newStaff('Support', 'Matrix Other Agent');
  const admin = await newStaff('Admin', 'Matrix Admin');
  const { user: owner, id } = await conversationWith(agent);
  // The other user has a conversation of their own, with the other agent.
  const other = await conversationWith(otherAgent);
  const otherUser = other.user;

  // Seed: a message each way, and an image the user sent; one more upload
  // of the user's that was never sent.
  const say = async (who, content) => {
    const r = await api('POST', '/api/v1/chat/messages', { token: who.token, body: { conversationId: id, content } });
    assert.equal(r.status, 201, r.text);
    return r.body.data._id;
  };
  const fromUser = await say(owner, 'seed from the user');
  const fromAgent = await say(agent, 'seed from the agent');
  const up = await upload(owner.token, { file: FILES.png, name: 'field.png', type: 'image', mime: 'image/png' });
  assert.equal(up.status, 201, up.text);
  const mediaSent = up.body.data[0]._id;
  const img = await api('POST', '/api/v1/chat/messages', {
    token: owner.token, body: { conversationId: id, messageType: 'image', mediaId: mediaSent },
  });
  assert.equal(img.status, 201, img.text);
  const up2 = await upload(owner.token, { file: FILES.jpeg, name: 'draft.jpg', type: 'image', mime: 'image/jpeg' });
  assert.equal(up2.status, 201, up2.text);
  const mediaUnsent = up2.body.data[0]._id;

  // Bad tokens.  Expired and logged out: the owner's, properly signed.
  // Another key and alg none: claiming to be the admin (the worst case).
  const ownerClaims = { sub: owner.user.id, role: 'User', jti: jti(), iat: now() - 60, exp: now() + 600 };
  const adminClaims = { sub: admin.user.id, role: 'Admin', jti: jti(), iat: now() - 60, exp: now() + 600 };
  const loggedOut = await login({ phone: owner.phone, password: owner.password });
  const lo = await api('POST', '/api/v1/users/logout', { token: loggedOut.token });
  assert.equal(lo.status, 200, lo.text);
  const tokens = {
    expired: forgeToken({ ...ownerClaims, iat: now() - 7200, exp: now() - 3600 }),
    otherKey: forgeToken(adminClaims, { key: 'not-the-stack-secret-not-the-stack-secret!' }),
    algNone: forgeToken(adminClaims, { alg: 'none' }),
  };
  // The same claims with the stack's own key work: the refusals below are
  // for the signature, the algorithm, the expiry and the revocation.
  for (const c of [ownerClaims, adminClaims]) {
    assert.equal((await api('GET', '/api/v1/users/me', { token: forgeToken(c) })).status, 200, 'the forge itself works');
  }
  assert.equal((await api('GET', '/api/v1/users/me', { token: owner.token })).status, 200, 'logout kept the other token');

  const actors = {
    owner: { kind: 'rightful', ...owner },
    agent: { kind: 'rightful', ...agent },
    otherUser: { kind: 'stranger', ...otherUser },
    otherAgent: { kind: 'stranger', ...otherAgent },
    admin: { kind: 'rightful', ...admin },
    noToken: { kind: 'invalid', token: undefined, refusal: 'unauthorized' },
    expired: { kind: 'invalid', token: tokens.expired, refusal: 'token expired' },
    loggedOut: { kind: 'invalid', token: loggedOut.token, refusal: 'token revoked' },
    otherKey: { kind: 'invalid', token: tokens.otherKey, refusal: 'invalid token' },
    algNone: { kind: 'invalid', token: tokens.algNone, refusal: 'invalid token' },
  };

  // The rightful participants listen in the room; everything they hear is
  // kept in `heard`.
  const heard = [];
  const ownerObs = await connect(owner.token, WS);
  const agentObs = await connect(agent.token, WS);
  for (const [who, s] of [['owner', ownerObs], ['agent', agentObs]]) {
    assert.equal((await ack(s, 'conversation:join', { conversationId: id })).ok, true);
    s.onAny((event, arg) => heard.push({ who, event, arg }));
  }
  await sleep(WINDOW); // the seed's own events, if any are still on the way
  return {
    id, otherConv: other.id, actors, heard, ownerObs, agentObs,
    seed: { fromUser, fromAgent, image: img.body.data._id }, mediaSent, mediaUnsent,
  };
}

// Everything a refused attempt could have changed.
function snapshot(w) {
  const [row] = sql(`SELECT (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM messages WHERE isRead = 1),
      (SELECT GROUP_CONCAT(CONCAT_WS(':', id, isRead, IFNULL(readAt, '-')) ORDER BY id) FROM messages WHERE conversationId = ${w.id}),
      c.userUnreadCount, c.supportUnreadCount, IFNULL(c.lastMessageId, '-'), c.updatedAt, c.status, IFNULL(c.assignedSupportId, '-'),
      (SELECT SUM(userUnreadCount + supportUnreadCount) FROM conversations), (SELECT COUNT(*) FROM conversations),
      (SELECT COUNT(*) FROM media), (SELECT COUNT(*) FROM revoked_tokens)
    FROM conversations c WHERE c.id = ${w.id}`);
  const names = ['messages', 'readMessages', 'thisConversationsMessages', 'userUnreadCount', 'supportUnreadCount',
    'lastMessageId', 'updatedAt', 'status', 'assignedSupportId', 'allUnreadCounts', 'conversations', 'media', 'revokedTokens'];
  return Object.fromEntries(names.map((n, i) => [n, row[i]]));
}

// Run one attempt that must be refused; assert it changed nothing and
// that the rightful participants heard nothing.  note() sees the answer
// first (for the printed matrix).
async function mustChangeNothing(w, label, fn, note = () => {}) {
  const before = snapshot(w);
  w.heard.length = 0;
  const out = await fn();
  note(out);
  await sleep(WINDOW);
  assert.deepEqual(snapshot(w), before, `${label}: the refused attempt changed the database`);
  assert.deepEqual(w.heard, [], `${label}: the refused attempt reached the participants' sockets`);
  return out;
}

// The conversation's other side, who prepares unread messages for a reader.
const otherSide = (w, actor) => (actor === 'owner' ? w.actors.agent : w.actors.owner);
// Who hears the actor in the room (the typer never hears itself).
const listeners = (w, actor) => ({ owner: [w.agentObs], agent: [w.ownerObs], admin: [w.ownerObs, w.agentObs] })[actor];
const unreadColumn = (actor) => (actor === 'owner' ? 'userUnreadCount' : 'supportUnreadCount');
const one = (q) => sql(q)[0][0];

// message:new with this content on both participants' sockets.
const hearBoth = (w, content) => Promise.all([w.ownerObs, w.agentObs].map((s) => nextWhere(s, 'message:new', (m) => m.content === content)));

async function prepareUnread(w, actor, content) {
  const by = otherSide(w, actor);
  const r = await api('POST', '/api/v1/chat/messages', { token: by.token, body: { conversationId: w.id, content } });
  assert.equal(r.status, 201, r.text);
  return r.body.data._id;
}

// --- the columns -------------------------------------------------------------

// REST: req() makes the request; ok() checks a rightful answer.
const REST = [
  {
    name: 'GET conversations/:id',
    req: (w, a) => api('GET', `/api/v1/chat/conversations/${w.id}`, { token: a.token }),
    ok: async (w, a, r) => {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.data._id, w.id);
    },
  },
  {
    name: 'GET messages/:id',
    req: (w, a) => api('GET', `/api/v1/chat/messages/${w.id}`, { token: a.token }),
    ok: async (w, a, r) => {
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.data.some((m) => m._id === w.seed.fromUser), 'the history holds the seed');
    },
  },
  {
    name: 'GET messages/:id?around=',
    req: (w, a) => api('GET', `/api/v1/chat/messages/${w.id}?around=${w.seed.fromAgent}`, { token: a.token }),
    ok: async (w, a, r) => {
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.data.some((m) => m._id === w.seed.fromAgent), 'the page holds the message');
    },
  },
  {
    name: 'POST messages',
    req: (w, a, tag) => api('POST', '/api/v1/chat/messages', {
      token: a.token, body: { conversationId: w.id, content: `matrix ${tag}`, clientMessageId: `mx-${tag}` },
    }),
    // Both participants in the room hear it.
    listen: (w, a, name, tag) => hearBoth(w, `matrix ${tag}`),
    ok: async (w, a, r, name, prepared, got) => {
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.data.senderId, a.user.id);
      assert.equal(one(`SELECT senderId FROM messages WHERE id = ${r.body.data._id}`), a.user.id);
      for (const m of await got) assert.equal(m._id, r.body.data._id);
    },
  },
  {
    name: 'POST conversations/:id/read',
    before: (w, name) => prepareUnread(w, name, 'to be read over REST'),
    req: (w, a) => api('POST', `/api/v1/chat/conversations/${w.id}/read`, { token: a.token }),
    ok: async (w, a, r, name, prepared) => {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.data.readBy, a.user.id);
      assert.ok(r.body.data.messageIds.includes(prepared), 'the other side\'s message is marked');
      assert.equal(one(`SELECT isRead FROM messages WHERE id = ${prepared}`), '1');
      assert.equal(one(`SELECT ${unreadColumn(name)} FROM conversations WHERE id = ${w.id}`), '0');
    },
  },
  {
    name: 'GET media/:id (sent)',
    req: (w, a) => api('GET', `/api/v1/chat/media/${w.mediaSent}`, { token: a.token }),
    ok: async (w, a, r) => {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.data._id, w.mediaSent);
    },
  },
  {
    name: 'GET media/:id (unsent)',
    // Not sent anywhere: only its owner and admins; the agent too is 404.
    rightful: ['owner', 'admin'],
    req: (w, a) => api('GET', `/api/v1/chat/media/${w.mediaUnsent}`, { token: a.token }),
    ok: async (w, a, r) => {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.data._id, w.mediaUnsent);
    },
  },
  {
    name: 'GET conversations (list)',
    req: (w, a) => api('GET', '/api/v1/chat/conversations?limit=100', { token: a.token }),
    ok: async (w, a, r) => {
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.data.some((c) => c._id === w.id), 'the conversation is listed');
    },
    // Strangers may list: they get their own, never this one.
    stranger: async (w, a, r) => {
      assert.equal(r.status, 200, r.text);
      assert.ok(!r.body.data.some((c) => c._id === w.id), 'a stranger\'s list shows the conversation');
      assert.ok(!r.text.includes('seed from the'), 'a stranger\'s list shows its messages');
      return '200, absent';
    },
  },
];

// Socket: emit() sends the event on the actor's socket; ok() checks a
// rightful answer (and its effect on the others).
const SOCK = [
  {
    name: 'conversation:join',
    emit: (w, s) => ack(s, 'conversation:join', { conversationId: w.id, lastMessageId: w.seed.fromUser }),
    ok: async (w, a, r) => {
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.equal(r.conversationId, w.id);
      assert.ok(r.missed >= 2, 'the catch-up after the seed');
    },
  },
  {
    name: 'typing:start',
    emit: (w, s) => ack(s, 'typing:start', { conversationId: w.id }),
    ok: async (w, a, r, name, got) => {
      assert.equal(r.ok, true, JSON.stringify(r));
      for (const g of await got) assert.equal(g.isTyping, true);
    },
    listen: (w, a, name) => Promise.all(listeners(w, name).map((s) => nextWhere(s, 'typing:user-typing', (e) => e.userId === a.user.id && e.conversationId === w.id))),
  },
  {
    name: 'typing:stop',
    emit: (w, s) => ack(s, 'typing:stop', { conversationId: w.id }),
    ok: async (w, a, r, name, got) => {
      assert.equal(r.ok, true, JSON.stringify(r));
      for (const g of await got) assert.equal(g.isTyping, false);
    },
    listen: (w, a, name) => Promise.all(listeners(w, name).map((s) => nextWhere(s, 'typing:user-stopped', (e) => e.userId === a.user.id && e.conversationId === w.id))),
  },
  {
    name: 'message:send',
    emit: (w, s, prepared, tag) => ack(s, 'message:send', { conversationId: w.id, content: `matrix ${tag}`, clientMessageId: `ms-${tag}` }),
    listen: (w, a, name, tag) => hearBoth(w, `matrix ${tag}`),
    ok: async (w, a, r, name, got) => {
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.equal(r.message.senderId, a.user.id);
      assert.equal(one(`SELECT COUNT(*) FROM messages WHERE id = ${r.message._id}`), '1');
      for (const m of await got) assert.equal(m._id, r.message._id);
    },
  },
  {
    name: 'message:read',
    before: (w, name) => prepareUnread(w, name, 'to be read on the socket'),
    // Strangers name real messages of both sides.
    emit: (w, s, prepared) => ack(s, 'message:read', { conversationId: w.id, messageIds: prepared ? [prepared] : [w.seed.fromUser, w.seed.fromAgent, w.seed.image] }),
    ok: async (w, a, r, name, got, prepared) => {
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.deepEqual(r.messageIds, [prepared]);
      assert.equal(r.readBy, a.user.id);
      assert.equal(one(`SELECT isRead FROM messages WHERE id = ${prepared}`), '1');
    },
  },
  {
    name: 'conversation:mark-all-read',
    before: (w, name) => prepareUnread(w, name, 'to be marked with all the rest'),
    emit: (w, s) => ack(s, 'conversation:mark-all-read', { conversationId: w.id }),
    ok: async (w, a, r, name, got, prepared) => {
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.ok(r.messageIds.includes(prepared), JSON.stringify(r));
      assert.equal(one(`SELECT ${unreadColumn(name)} FROM conversations WHERE id = ${w.id}`), '0');
    },
  },
  {
    name: 'conversation:leave',
    emit: (w, s) => ack(s, 'conversation:leave', { conversationId: w.id }),
    ok: async (w, a, r, name) => {
      assert.equal(r.ok, true, JSON.stringify(r));
      // Left: a new message reaches the participants, not this socket.
      const news = [];
      a.sock.on('message:new', (m) => news.push(m));
      const content = `after the leave ${jti().slice(0, 8)}`;
      const heardIt = hearBoth(w, content);
      await prepareUnread(w, name, content);
      await heardIt;
      await sleep(WINDOW);
      assert.deepEqual(news, [], 'message:new after leave');
    },
    // A stranger's leave is a no-op acked ok, the same for any id (nothing
    // to probe); it must not take anyone else out of the room.
    stranger: async (w, a, r) => {
      assert.equal(r.ok, true, JSON.stringify(r));
      const ghost = await ack(a.sock, 'conversation:leave', { conversationId: '987654321' });
      assert.deepEqual(ghost, r, 'the same answer for a conversation that does not exist');
      return 'ok (no-op)';
    },
  },
];

const COLUMNS = [...REST.map((c) => c.name), 'socket connect', ...SOCK.map((c) => c.name)];
const ACTOR_ORDER = ['owner', 'agent', 'otherUser', 'otherAgent', 'admin', 'noToken', 'expired', 'loggedOut', 'otherKey', 'algNone'];

function printMatrix(cells) {
  const short = (c) => c.replace('conversations', 'conv').replace('conversation:', 'conv:');
  const widths = [Math.max(...ACTOR_ORDER.map((a) => a.length)), ...COLUMNS.map((c) => Math.max(short(c).length,
    ...ACTOR_ORDER.map((a) => (cells.get(`${a}|${c}`) || '').length)))];
  const line = (xs) => xs.map((x, i) => x.padEnd(widths[i])).join(' | ');
  const out = [line(['actor', ...COLUMNS.map(short)]), widths.map((n) => '-'.repeat(n)).join('-|-')];
  for (const a of ACTOR_ORDER) out.push(line([a, ...COLUMNS.map((c) => cells.get(`${a}|${c}`) || '?')]));
  console.log(`access matrix (rows: who; columns: what; FAIL = assertion failed):\n${out.join('\n')}`);
}

test('access matrix: only the owner, the assigned agent and admins get in; every refusal changes nothing', async (t) => {
  const w = await world();
  const cells = new Map();
  const cell = async (actor, column, fn) => {
    await t.test(`${actor} × ${column}`, async () => {
      try {
        cells.set(`${actor}|${column}`, await fn());
      } catch (e) {
        cells.set(`${actor}|${column}`, `${cells.get(`${actor}|${column}`) || ''} FAIL`.trim());
        if (e instanceof Error && !e.message.startsWith(`${actor} × `)) e.message = `${actor} × ${column}: ${e.message}`;
        throw e;
      }
    });
  };
  // The refused first, while the seed is still unread, so that a wrongly
  // accepted read or send would show; then the rightful ones.
  const order = [...ACTOR_ORDER.filter((a) => w.actors[a].kind !== 'rightful'), ...ACTOR_ORDER.filter((a) => w.actors[a].kind === 'rightful')];
  try {
    for (const name of order) {
      const a = w.actors[name];
      for (const col of REST) {
        await cell(name, col.name, async () => {
          const rightful = col.rightful ? col.rightful.includes(name) : a.kind === 'rightful';
          if (rightful) {
            const prepared = col.before ? await col.before(w, name) : undefined;
            const tag = jti().slice(0, 12);
            const got = col.listen ? col.listen(w, a, name, tag) : undefined;
            const r = await col.req(w, a, tag);
            cells.set(`${name}|${col.name}`, String(r.status));
            await col.ok(w, a, r, name, prepared, got);
            return String(r.status);
          }
          const r = await mustChangeNothing(w, `${name} × ${col.name}`, () => col.req(w, a, jti().slice(0, 12)),
            (x) => cells.set(`${name}|${col.name}`, String(x.status)));
          if (a.kind === 'stranger' && col.stranger) return col.stranger(w, a, r);
          const [status, code] = a.kind === 'invalid' ? [401, 'unauthorized'] : [404, 'not_found'];
          assert.equal(r.status, status, `${name} × ${col.name}: ${r.text}`);
          assert.equal(r.body?.error?.code, code, r.text);
          assert.equal(typeof r.body.error.message, 'string');
          assert.ok(!r.text.includes('seed from the'), 'the refusal shows no content');
          return String(r.status);
        });
      }

      await cell(name, 'socket connect', async () => {
        if (a.kind !== 'invalid') {
          a.sock = await connect(a.token, WS);
          a.leaked = [];
          a.sock.onAny((event, arg) => { if (LEAKS.has(event)) a.leaked.push({ event, arg }); });
          return 'ok';
        }
        // Every way a token can come: auth, the query, the header.
        const ways = { auth: [a.token, WS] };
        if (a.token !== undefined) {
          ways.query = [undefined, { ...WS, query: { token: a.token } }];
          ways.header = [undefined, { ...WS, extraHeaders: { Authorization: `Bearer ${a.token}` } }];
        }
        for (const [way, [tok, opts]] of Object.entries(ways)) {
          const e = await mustChangeNothing(w, `${name} × connect by ${way}`, () => connectError(tok, opts));
          assert.equal(e.data?.code, 'E_AUTH', `${way}: ${e.message}`);
          assert.equal(e.message, a.refusal, way);
        }
        return `E_AUTH`;
      });

      for (const col of SOCK) {
        await cell(name, col.name, async () => {
          if (a.kind === 'invalid') return '-';
          assert.ok(a.sock?.connected, 'the actor\'s socket is connected');
          if (a.kind === 'rightful') {
            const prepared = col.before ? await col.before(w, name) : undefined;
            const tag = jti().slice(0, 12);
            const got = col.listen ? col.listen(w, a, name, tag) : undefined;
            const r = await col.emit(w, a.sock, prepared, tag);
            cells.set(`${name}|${col.name}`, r.ok ? 'ok' : r.error?.code);
            await col.ok(w, a, r, name, got, prepared);
            return 'ok';
          }
          const r = await mustChangeNothing(w, `${name} × ${col.name}`, () => col.emit(w, a.sock, undefined, jti().slice(0, 12)),
            (x) => cells.set(`${name}|${col.name}`, x.ok ? 'ok' : String(x.error?.code)));
          assert.deepEqual(a.leaked, [], `${name} × ${col.name}: the stranger's socket heard the conversation`);
          if (col.stranger) return col.stranger(w, a, r);
          assert.equal(r.ok, false, JSON.stringify(r));
          assert.equal(r.error?.code, 'not_found', JSON.stringify(r));
          assert.equal(typeof r.error.message, 'string');
          return r.error.code;
        });
      }
    }
  } finally {
    printMatrix(cells);
  }
});

test('message ids of another conversation cannot be marked read through one\'s own', async () => {
  const agent = await newStaff('Support');
  const victim = await conversationWith(agent);
  const secret = await api('POST', '/api/v1/chat/messages', { token: victim.user.token, body: { conversationId: victim.id, content: 'not yours' } });
  assert.equal(secret.status, 201);
  const mid = secret.body.data._id;
  // Another user of the same agent, and the agent of a third conversation.
  const mine = await conversationWith(agent);
  const otherAgent = await newStaff('Support');
  const theirs = await conversationWith(otherAgent);
  const rest = await api('POST', `/api/v1/chat/conversations/${mine.id}/read`, { token: mine.user.token, body: { messageIds: [mid] } });
  assert.equal(rest.status, 200, rest.text);
  assert.deepEqual(rest.body.data.messageIds, []);
  const s = await connect(otherAgent.token, WS);
  const r = await ack(s, 'message:read', { conversationId: theirs.id, messageIds: [mid] });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.deepEqual(r.messageIds, []);
  assert.equal(sql(`SELECT isRead, IFNULL(readAt, '-') FROM messages WHERE id = ${mid}`)[0].join(), '0,-');
  assert.equal(sql(`SELECT supportUnreadCount FROM conversations WHERE id = ${victim.id}`)[0][0], '1');
  s.disconnect();
});

test('nobody can send someone else\'s upload, so nobody gains access to it that way', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const up = await upload(user.token, { file: FILES.png, name: 'private.png', type: 'image', mime: 'image/png' });
  const mid = up.body.data[0]._id;
  const thief = await conversationWith(await newStaff('Support'));
  const admin = await newStaff('Admin');
  const before = sql('SELECT COUNT(*) FROM messages')[0][0];
  for (const [who, conv] of [[thief.user, thief.id], [agent, id], [admin, id]]) {
    const r = await api('POST', '/api/v1/chat/messages', { token: who.token, body: { conversationId: conv, messageType: 'image', mediaId: mid } });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.code, 'validation_failed');
    const s = await connect(who.token, WS);
    const a = await ack(s, 'message:send', { conversationId: conv, messageType: 'image', mediaId: mid, clientMessageId: `steal-${jti().slice(0, 8)}` });
    assert.equal(a.ok, false, JSON.stringify(a));
    s.disconnect();
  }
  assert.equal(sql('SELECT COUNT(*) FROM messages')[0][0], before);
  assert.equal((await api('GET', `/api/v1/chat/media/${mid}`, { token: thief.user.token })).status, 404);
});

// Logout revokes the token and pushd closes the sockets opened with it (the
// API tells pushd over its UNIX socket); the user's other logins stay.
test('logout closes the sockets of that token at once; other tokens\' sockets stay', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const session = await login({ phone: user.phone, password: user.password });
  const s = await connect(session.token, WS);
  const other = await connect(user.token, WS);
  assert.equal((await ack(s, 'conversation:join', { conversationId: id })).ok, true);
  const closed = new Promise((resolve) => s.once('disconnect', resolve));
  assert.equal((await api('POST', '/api/v1/users/logout', { token: session.token })).status, 200);
  const outcome = await Promise.race([closed, sleep(1500).then(() => 'still open')]);
  if (outcome !== 'io server disconnect') {
    // Record what the stale socket can still do.
    const r = await ack(s, 'message:send', { conversationId: id, content: 'sent after logout', clientMessageId: 'after-logout' });
    assert.fail(`the logged-out token's socket is ${outcome} 1.5 s after logout; its message:send was ${r.ok ? 'stored' : `refused (${r.error?.code})`}`);
  }
  assert.equal(other.connected, true, 'another token of the same user keeps its socket');
  assert.equal(sql(`SELECT COUNT(*) FROM messages WHERE clientMessageId = 'after-logout'`)[0][0], '0');
  // The client does not reconnect by itself, and could not.
  assert.equal(s.connected, false);
  assert.match((await connectError(session.token, WS)).message, /revoked/);
});
