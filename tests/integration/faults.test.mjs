// faults.test.mjs - nothing lost, nothing twice, while pushd is killed and
// restarted, while MariaDB is killed and restarted, and while pushd is down
// and users send over REST.
//
// Each test runs a steady load: conversations between users and agents,
// each side sending over its socket, plus a REST sender per conversation;
// every client retries a send that got no ok (error ack, no ack in time,
// HTTP error) with the same clientMessageId, as the mobile app does.  The
// receiving sockets are stock socket.io-clients that reconnect on their own
// and, on every connect, join their conversations with lastMessageId (the
// catch-up).  Each test prints sent / acked / stored / delivered /
// duplicates and asserts acked == stored == delivered, duplicates == 0, and
// that unread counts, lastMessageId and read marks agree with the messages.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { io } from 'socket.io-client';

import { BASE, api, conversationWith, ctl, newStaff, sql, sqlOne, startPushd } from './lib.mjs';
import { connect, sleep, until } from './sock.mjs';
// The chat's own messages: activity entries (routing's "assigned to") are not sends.
const CHAT = "messageType <> 'activity'";

const clients = new Set();
after(() => { for (const s of clients) s.disconnect(); });


const pushdPids = () => execFileSync('pgrep', ['-f', `/pushd/pushd -c ${process.env.STATE_DIR}/chat.conf`],
  { encoding: 'utf8' }).split('\n').filter(Boolean);

// A participant: a socket that reconnects by itself (quickly, for the test)
// and catches up on every connect.
function participant(name, token, convIds) {
  const p = { name, seen: new Map(), redelivered: 0, connects: 0, convIds };
  for (const c of convIds) p.seen.set(String(c), new Set());
  const s = io(BASE, { auth: { token }, forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 400 });
  clients.add(s);
  p.s = s;
  const take = (m) => {
    const set = p.seen.get(String(m.conversationId));
    if (!set) return;
    if (set.has(m._id)) p.redelivered++;
    set.add(m._id);
  };
  s.on('message:new', take);
  s.on('connect', async () => {
    p.connects++;
    for (const c of convIds) {
      const ids = [...p.seen.get(String(c))].map(Number);
      const last = ids.length ? Math.max(...ids) : undefined;
      try {
        if (!last) {
          // Nothing seen yet: the app opens the conversation with a history page.
          const r = await api('GET', `/api/v1/chat/messages/${c}?limit=100`, { token });
          for (const m of r.body?.data ?? []) take(m);
        }
        const a = await s.timeout(3000).emitWithAck('conversation:join',
          last ? { conversationId: String(c), lastMessageId: String(last) } : { conversationId: String(c) });
        if (a.ok && a.hasMore) {
          // More than one catch-up page: the rest over REST, as documented.
          const r = await api('GET', `/api/v1/chat/messages/${c}?after=${last}&limit=100`, { token });
          for (const m of r.body?.data ?? []) take(m);
        }
      } catch { /* the connection went again; the next connect rejoins */ }
    }
    joined();
  });
  // A refusal while the database is away: a real app tries again later.
  s.on('connect_error', (e) => { if (e.data?.code === 'E_UNAVAILABLE') setTimeout(() => s.connect(), 200); });
  // Ready once the first connect has joined every conversation.
  let joined;
  p.ready = new Promise((resolve) => { joined = resolve; });
  return p;
}

// Send count messages one after another, each until it is acked ok.
async function socketSender(p, conv, tag, count, stats, gapMs) {
  for (let i = 0; i < count; i++) {
    const cmid = `${tag}-${i}`;
    stats.sent++;
    for (;;) {
      if (!p.s.connected) { await sleep(50); continue; }
      let a;
      try {
        a = await p.s.timeout(1500).emitWithAck('message:send',
          { conversationId: String(conv), messageType: 'text', content: `${tag} #${i}`, clientMessageId: cmid });
      } catch { stats.timeouts++; continue; }
      if (a.ok) { stats.acked.set(cmid, a.message._id); break; }
      stats.errorAcks++;
      await sleep(100);
    }
    await sleep(gapMs);
  }
}

async function restSender(token, conv, tag, count, stats, gapMs) {
  for (let i = 0; i < count; i++) {
    const cmid = `${tag}-${i}`;
    stats.sent++;
    for (;;) {
      let r;
      try {
        r = await api('POST', '/api/v1/chat/messages', { token,
          body: { conversationId: String(conv), messageType: 'text', content: `${tag} #${i}`, clientMessageId: cmid } });
      } catch { stats.timeouts++; await sleep(100); continue; }
      if (r.status === 200 || r.status === 201) { stats.acked.set(cmid, r.body.data._id); break; }
      assert.ok(r.status >= 500 || r.status === 429, `a send may fail only for a while: ${r.status} ${r.text}`);
      stats.errorAcks++;
      await sleep(100);
    }
    await sleep(gapMs);
  }
}

// Conversations between fresh users and one fresh agent, with sockets.
async function scene(n) {
  const agent = await newStaff('Support', 'Fault Agent');
  const convs = [];
  for (let i = 0; i < n; i++) convs.push(await conversationWith(agent));
  const agentP = participant('agent', agent.token, convs.map((c) => c.id));
  const users = convs.map((c, i) => participant(`user${i}`, c.user.token, [c.id]));
  await Promise.all([agentP.ready, ...users.map((u) => u.ready)]);
  return { agent, agentP, convs, users };
}

const newStats = () => ({ sent: 0, acked: new Map(), timeouts: 0, errorAcks: 0 });

// Every stored message of the scene must have reached the other party.
function undelivered(sc) {
  const missing = [];
  sc.convs.forEach((c, i) => {
    const rows = sql(`SELECT id, senderId FROM messages WHERE conversationId = ${c.id} AND ${CHAT}`);
    for (const [id, sender] of rows) {
      const to = sender === String(c.user.user.id) ? sc.agentP : sc.users[i];
      if (!to.seen.get(String(c.id)).has(id)) missing.push(id);
    }
  });
  return missing;
}

async function settle(sc, ms = 20000) {
  const end = Date.now() + ms;
  while (undelivered(sc).length > 0 && Date.now() < end) await sleep(100);
}

// Figures, then the assertions every fault test shares.
function verify(name, sc, stats) {
  const ids = sc.convs.map((c) => c.id).join(',');
  const stored = Number(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId IN (${ids}) AND ${CHAT}`));
  const duplicates = Number(sqlOne(`SELECT COUNT(*) FROM (SELECT senderId, clientMessageId FROM messages
    WHERE conversationId IN (${ids}) AND ${CHAT} GROUP BY senderId, clientMessageId HAVING COUNT(*) > 1) d`));
  const missing = undelivered(sc);
  const delivered = stored - missing.length;
  const redelivered = [sc.agentP, ...sc.users].reduce((n, p) => n + p.redelivered, 0);
  const reconnects = [sc.agentP, ...sc.users].reduce((n, p) => n + p.connects - 1, 0);
  const read = Number(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId IN (${ids}) AND isRead = 1`));
  console.log(`# ${name}: sent ${stats.sent}, acked ${stats.acked.size}, stored ${stored}, delivered ${delivered},` +
    ` duplicates ${duplicates} (retries after no ack ${stats.timeouts}, error acks ${stats.errorAcks},` +
    ` reconnects ${reconnects}, delivered again ${redelivered}, read ${read})`);
  assert.equal(stats.acked.size, stats.sent, 'every send was eventually acked');
  assert.equal(stored, stats.acked.size, 'acked == stored');
  assert.equal(duplicates, 0, 'no message stored twice');
  assert.deepEqual(missing, [], 'stored == delivered');
  // Every acked id is a stored row with that clientMessageId.
  const rows = new Map(sql(`SELECT clientMessageId, id FROM messages WHERE conversationId IN (${ids}) AND ${CHAT}`));
  for (const [cmid, id] of stats.acked) assert.equal(rows.get(cmid), id, `the ack of ${cmid} names its row`);
  consistent(ids);
}

// Unread counts, lastMessageId and read marks agree with the messages.
function consistent(ids) {
  const bad = sql(`SELECT c.id FROM conversations c WHERE c.id IN (${ids}) AND (
      NOT (c.lastMessageId <=> (SELECT MAX(m.id) FROM messages m WHERE m.conversationId = c.id AND m.${CHAT}))
      OR c.userUnreadCount <> (SELECT COUNT(*) FROM messages m WHERE m.conversationId = c.id
           AND m.senderId <> c.userId AND m.isRead = 0)
      OR c.supportUnreadCount <> (SELECT COUNT(*) FROM messages m WHERE m.conversationId = c.id
           AND m.senderId = c.userId AND m.isRead = 0)
      OR EXISTS (SELECT 1 FROM messages m WHERE m.conversationId = c.id AND (m.isRead = 1) <> (m.readAt IS NOT NULL)))`);
  assert.deepEqual(bad, [], 'conversation counters agree with the messages table');
}

// A load of socket and REST sends over three conversations; fault() runs
// in the middle of it.
async function underLoad(name, fault, { count = 30, gapMs = 40 } = {}) {
  const sc = await scene(3);
  const stats = newStats();
  const senders = [];
  sc.convs.forEach((c, i) => {
    senders.push(socketSender(sc.users[i], c.id, `${name}-u${c.id}`, count, stats, gapMs));
    senders.push(socketSender(sc.agentP, c.id, `${name}-a${c.id}`, count, stats, gapMs));
    senders.push(restSender(c.user.token, c.id, `${name}-r${c.id}`, count / 2, stats, gapMs * 2));
  });
  const faulted = (async () => { await sleep(400); await fault(sc, stats); })();
  // Reads under the same faults: the agent marks conversations read, the
  // users mark single messages read over REST.
  let sending = true;
  const reader = (async () => {
    for (let k = 0; sending; k++) {
      const c = sc.convs[k % sc.convs.length];
      await sc.agentP.s.timeout(1000).emitWithAck('conversation:mark-all-read', { conversationId: String(c.id) }).catch(() => {});
      const ids = [...sc.users[k % sc.convs.length].seen.get(String(c.id))].slice(-3);
      if (ids.length) await api('POST', `/api/v1/chat/conversations/${c.id}/read`, { token: c.user.token, body: { messageIds: ids } }).catch(() => {});
      await sleep(150);
    }
  })();
  await Promise.all([...senders, faulted]);
  sending = false;
  await reader;
  // Read what arrived, as the apps do, then check the counters once more.
  await settle(sc);
  return { sc, stats };
}

test('kill -9 pushd under load: every acked message is stored once and reaches its recipient', async () => {
  const { sc, stats } = await underLoad('kill', async () => {
    ctl('pushd-kill');
    await sleep(500);
    ctl('pushd-start');
  });
  verify('kill -9 pushd', sc, stats);
  assert.ok([sc.agentP, ...sc.users].every((p) => p.s.connected && p.connects >= 2), 'every client reconnected on its own');
});

test('MariaDB killed and restarted under load: error acks meanwhile, never a false ok, nothing lost', async () => {
  const before = pushdPids();
  const { sc, stats } = await underLoad('mariadb', async () => {
    ctl('mariadb-kill');
    await sleep(1000);
    ctl('mariadb-start');
  });
  verify('MariaDB restart', sc, stats);
  assert.ok(stats.errorAcks + stats.timeouts > 0, 'the outage was seen by the clients');
  assert.deepEqual(pushdPids(), before, 'pushd kept running');
  // And the REST side answers again.
  assert.equal((await api('GET', '/api/v1/health')).status, 200);
});

test('pushd down while users and agents send over REST: all stored; clients catch up when it is back', async () => {
  const sc = await scene(2);
  const stats = newStats();
  // One message each way first, so that the clients catch up from a
  // lastMessageId rather than from a fresh history page.
  await Promise.all(sc.convs.flatMap((c, i) => [
    socketSender(sc.users[i], c.id, `down-first-u${c.id}`, 1, stats, 0),
    socketSender(sc.agentP, c.id, `down-first-a${c.id}`, 1, stats, 0)]));
  await settle(sc);
  ctl('pushd-stop');
  const health = await api('GET', '/api/v1/health');
  assert.deepEqual([health.status, health.body.db.reachable, health.body.pushd.reachable], [200, true, false],
    'the API works on and says pushd is not there');
  await Promise.all(sc.convs.flatMap((c) => [
    restSender(c.user.token, c.id, `down-r${c.id}`, 10, stats, 10),
    restSender(sc.agent.token, c.id, `down-a${c.id}`, 10, stats, 10),
  ]));
  assert.equal(undelivered(sc).length, stats.acked.size - 4, 'nothing could be delivered while pushd was down');
  ctl('pushd-start');
  await settle(sc);
  verify('pushd down, REST sends', sc, stats);
});

test('a hung MariaDB: health is a 503 within seconds, sockets keep their heartbeat, CONNECTs are refused; all recovers', async () => {
  // A pushd that pings every 300 ms: a loop that waited on the database
  // would send none for seconds, and the client would give up after
  // 1.3 s (pingInterval + pingTimeout; the timeout leaves room for this
  // test's own blocking calls to ctl.sh).
  const quick = await startPushd('hang', { CHAT_PUSHD_PING_INTERVAL: '300', CHAT_PUSHD_PING_TIMEOUT: '1000' });
  const agent = await newStaff('Support', 'Hang Agent');
  let s;
  try {
    s = await connect(agent.token, { url: quick.base, transports: ['websocket'] });
    const dropped = [];
    s.on('disconnect', (why) => dropped.push(why));
    let pings = 0;
    s.io.engine.on('ping', () => pings++);
    ctl('mariadb-pause');
    try {
      const t0 = Date.now();
      const h = await fetch(`${BASE}/api/v1/health`, { signal: AbortSignal.timeout(20000) });
      const secs = (Date.now() - t0) / 1000;
      console.log(`# health with MariaDB stopped: ${h.status} after ${secs} s (db.read_timeout 2 s)`);
      assert.equal(h.status, 503);
      assert.equal((await h.json()).db.reachable, false);
      assert.ok(secs < 10, `health answered within a few seconds: ${secs}`);
      // A new socket's CONNECT waits on the database too: refused, not hung.
      const e = await connect(agent.token, { url: quick.base, transports: ['websocket'], waitMs: 20000 }).then(
        () => null, (err) => err);
      assert.equal(e?.data?.code, 'E_UNAVAILABLE', `CONNECT while the database hangs: ${e?.message}`);
      assert.deepEqual(dropped, [], 'the connected socket kept its heartbeat');
      assert.equal(s.connected, true);
      assert.ok(pings >= 5, `pings while the database hung: ${pings}`);
    } finally {
      ctl('mariadb-resume');
    }
    await until(async () => (await api('GET', '/api/v1/health')).status === 200, () => 'health back', 20000);
    const again = await connect(agent.token, { url: quick.base, transports: ['websocket'] });
    assert.equal(again.connected, true);
    again.disconnect();
  } finally {
    s?.disconnect();
    await quick.stop();
  }
});
