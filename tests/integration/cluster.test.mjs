// Two pushd nodes sharing one Redis (pushd.cluster; run.sh starts the
// Redis): the two parties of each conversation on different nodes, each
// node's port spoken to directly; messages both ways (acks, message:new,
// message:sent, notification:new-message), typing, read receipts, a REST
// send through the web server, nothing delivered twice, a conversation's
// order under a burst, and a Redis that goes away and comes back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, conversationWith, ctl, newStaff, startPushd } from './lib.mjs';
import { ack, closeAll, connect, next, nextWhere, record, until } from './sock.mjs';

const REDIS = process.env.REDIS_PORT;
const skip = REDIS ? false : 'no Redis in this run (CLUSTER=0 or no redis-server)';
let A, B;

// Both nodes with room for a burst of 200 sends from one socket.
const nodeEnv = (id) => ({
  CHAT_PUSHD_CLUSTER: `redis://127.0.0.1:${REDIS}`,
  CHAT_PUSHD_NODE_ID: id,
  CHAT_PUSHD_EVENT_BURST: '1000',
  CHAT_PUSHD_USER_EVENT_BURST: '1000',
  CHAT_LIMITS_SEND_BURST: '1000',
});

async function metric(node, name) {
  const text = await (await fetch(`${node.base}/metrics`)).text();
  const m = text.match(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : undefined;
}

const connected = async (node) => (await metric(node, 'chat_pushd_cluster_connected')) === 1;

before(async () => {
  if (skip) return;
  A = await startPushd('node-a', nodeEnv('node-a'));
  B = await startPushd('node-b', nodeEnv('node-b'));
  await until(async () => (await connected(A)) && (await connected(B)), () => 'both nodes on Redis');
});

after(async () => {
  closeAll();
  await A?.stop();
  await B?.stop();
});

// A fresh agent on node `an`, its user on node `un`, one conversation.
async function split(an, un) {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const a = await connect(agent.token, { url: an.base, transports: ['websocket'] });
  const u = await connect(user.token, { url: un.base, transports: ['websocket'] });
  return { agent, user, id, a, u };
}

// Nothing more arrives: a marker sent after the rest is heard by s, and
// by then any duplicate of what went before would have come (one node's
// broadcasts reach the other in order).
async function settle(from, s, id, tag) {
  const m = nextWhere(s, 'message:new', (x) => x.content === `marker ${tag}`);
  assert.equal((await ack(from, 'message:send', { conversationId: id, content: `marker ${tag}`, clientMessageId: `mk-${tag}` })).ok, true);
  await m;
}

test('a user on node A and the agent on node B exchange messages both ways, each delivered once', { skip }, async () => {
  const { agent, user, id, a, u } = await split(B, A);
  const u2 = await connect(user.token, { url: B.base, transports: ['websocket'] });
  await ack(u, 'conversation:join', { conversationId: id });
  const note = next(a, 'notification:new-message');
  const sentB = next(u2, 'message:sent');
  const uNew = record(u, 'message:new');
  const r = await ack(u, 'message:send', { conversationId: id, content: 'hello from A', clientMessageId: 'x-1' });
  assert.equal(r.ok, true);
  const n = await note;
  assert.equal(n.message._id, r.message._id, 'the agent on B is notified');
  assert.deepEqual(n.sender, { _id: user.user.id, name: 'Conv User' });
  assert.equal((await sentB)._id, r.message._id, 'the user\'s socket on B hears message:sent');
  // The agent opens the chat on B and answers; A's user hears it live.
  await ack(a, 'conversation:join', { conversationId: id });
  const aNew = record(a, 'message:new');
  const got = nextWhere(u, 'message:new', (m) => m.content === 'reply from B');
  const userNote = next(u, 'notification:new-message');
  const reply = await ack(a, 'message:send', { conversationId: id, content: 'reply from B', clientMessageId: 'x-2' });
  assert.equal(reply.ok, true);
  assert.equal((await got)._id, reply.message._id);
  assert.equal((await userNote).message._id, reply.message._id);
  assert.equal(reply.message.senderId, agent.user.id);
  await settle(a, u, id, 'both-ways');
  await until(() => aNew.some((m) => m.content === 'marker both-ways'));
  const ids = uNew.map((m) => m._id);
  assert.equal(new Set(ids).size, ids.length, 'no message twice on A');
  assert.deepEqual(uNew.map((m) => m.content), ['hello from A', 'reply from B', 'marker both-ways']);
  assert.deepEqual(aNew.map((m) => m.content), ['reply from B', 'marker both-ways'], 'nothing twice on B');
});

test('typing and read receipts cross the nodes', { skip }, async () => {
  const { agent, user, id, a, u } = await split(A, B);
  await ack(u, 'conversation:join', { conversationId: id });
  await ack(a, 'conversation:join', { conversationId: id });
  const typing = next(u, 'typing:user-typing');
  assert.equal((await ack(a, 'typing:start', { conversationId: id })).ok, true);
  assert.deepEqual(await typing, { conversationId: id, userId: agent.user.id, userName: agent.user.name, isTyping: true });
  const stopped = next(u, 'typing:user-stopped');
  await ack(a, 'typing:stop', { conversationId: id });
  assert.deepEqual(await stopped, { conversationId: id, userId: agent.user.id, isTyping: false });
  // The user on B writes; the agent on A reads it; B hears the receipt.
  const r = await ack(u, 'message:send', { conversationId: id, content: 'read me', clientMessageId: 'rd-1' });
  const receipt = next(u, 'message:read');
  assert.equal((await ack(a, 'message:read', { conversationId: id, messageIds: [r.message._id] })).ok, true);
  const ev = await receipt;
  assert.equal(ev.conversationId, id);
  assert.deepEqual(ev.messageIds, [r.message._id]);
  assert.equal(ev.readBy, agent.user.id);
  void user;
});

test('a message sent over REST through the web server reaches the sockets on both nodes once', { skip }, async () => {
  const { user, id, a, u } = await split(B, A);
  await ack(u, 'conversation:join', { conversationId: id });
  await ack(a, 'conversation:join', { conversationId: id });
  const onA = record(u, 'message:new');
  const onB = record(a, 'message:new');
  const note = next(a, 'notification:new-message');
  const r = await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: id, content: 'sent over REST', clientMessageId: 'rest-c1' } });
  assert.equal(r.status, 201, r.text);
  assert.equal((await note).message._id, r.body.data._id, 'the agent on B is notified');
  await settle(a, u, id, 'rest');
  await until(() => onB.some((m) => m.content === 'marker rest'));
  assert.deepEqual(onA.map((m) => m.content), ['sent over REST', 'marker rest']);
  assert.deepEqual(onB.map((m) => m.content), ['sent over REST', 'marker rest']);
  assert.ok((await metric(A, 'chat_pushd_cluster_notifications_total')) >= 1);
});

test('a burst of 200 sends on node A reaches node B in order, each once', { skip }, async () => {
  const { id, a, u } = await split(B, A);
  await ack(a, 'conversation:join', { conversationId: id });
  const got = record(a, 'message:new');
  const acks = [];
  for (let i = 0; i < 200; i++) acks.push(ack(u, 'message:send', { conversationId: id, content: `burst ${i}`, clientMessageId: `cb-${i}` }, 15000));
  const res = await Promise.all(acks);
  assert.ok(res.every((x) => x.ok), JSON.stringify(res.find((x) => !x.ok)));
  await settle(u, a, id, 'burst');
  got.pop();
  assert.deepEqual(got.map((m) => m.content), Array.from({ length: 200 }, (_, i) => `burst ${i}`));
  assert.deepEqual(got.map((m) => m._id), res.map((x) => x.message._id));
});

test('Redis away: each node serves its own sockets and says so; back: the nodes resubscribe by themselves', { skip }, async () => {
  const before = await metric(A, 'chat_pushd_cluster_reconnects_total');
  ctl('redis-stop');
  await until(async () => !(await connected(A)) && !(await connected(B)), () => 'both nodes see Redis gone');
  // Alone, node A still delivers between its own sockets.
  const { id, a, u } = await split(A, A);
  await ack(a, 'conversation:join', { conversationId: id });
  const local = next(a, 'message:new');
  const r = await ack(u, 'message:send', { conversationId: id, content: 'while Redis is away', clientMessageId: 'away-1' });
  assert.equal(r.ok, true);
  assert.equal((await local)._id, r.message._id);
  assert.ok((await metric(A, 'chat_pushd_cluster_broadcasts_total{what="dropped"}')) >= 1);
  ctl('redis-start');
  await until(async () => (await connected(A)) && (await connected(B)), () => 'both nodes back on Redis', 10000);
  assert.equal(await metric(A, 'chat_pushd_cluster_reconnects_total'), before + 1);
  // Across the nodes again, both ways.
  const x = await split(B, A);
  await ack(x.a, 'conversation:join', { conversationId: x.id });
  await ack(x.u, 'conversation:join', { conversationId: x.id });
  const onB = next(x.a, 'message:new');
  const s1 = await ack(x.u, 'message:send', { conversationId: x.id, content: 'after the restart', clientMessageId: 'back-1' });
  assert.equal((await onB)._id, s1.message._id);
  const onA = nextWhere(x.u, 'message:new', (m) => m.content === 'and back');
  const s2 = await ack(x.a, 'message:send', { conversationId: x.id, content: 'and back', clientMessageId: 'back-2' });
  assert.equal((await onA)._id, s2.message._id);
});
