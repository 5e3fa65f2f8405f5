// webhook.test.mjs - reaching a farmer who is away: `chatadm notify` hands
// an agent's message that the user has not read notify.offline_after
// seconds after it was sent, while they have no socket, to the gateway at
// notify.webhook_url: one POST per message, JSON {event, conversationId,
// message, user}, signed (X-Chat-Signature: sha256=HMAC-SHA256 of the raw
// body under the key file), retried with a growing pause after a failure,
// failed after notify.webhook_attempts, never sent twice; never for a
// note, an entry, a read message or a user who is online.  The receiver is
// this test's; messages are made due by moving their time back, and a
// retry by moving its nextAttemptAt, never by waiting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { api, conversationWith, newStaff, sql, sqlOne } from './lib.mjs';

const KEY = randomBytes(24).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'chat-webhook-'));
const keyFile = join(dir, 'webhook.key');
writeFileSync(keyFile, `${KEY}\n`);
const got = [];                 // every POST: { id, body, raw, signature }
const answers = new Map();      // message id -> statuses to answer, in turn
let server;
let url;

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const id = req.headers['x-chat-delivery'];
      got.push({ id, raw, body: JSON.parse(raw), signature: req.headers['x-chat-signature'], type: req.headers['content-type'] });
      const plan = answers.get(id);
      res.statusCode = plan?.length ? plan.shift() : 200;
      res.end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}/hooks/chat`;
});
after(() => { server?.close(); rmSync(dir, { recursive: true, force: true }); });

// One round of `chatadm notify --once`, with the keys from the environment.
function round(env = {}) {
  return new Promise((resolve, reject) => {
    execFile(process.env.CHATADM, ['notify', '--once'], {
      env: { ...process.env, CHAT_NOTIFY_WEBHOOK_URL: url, CHAT_NOTIFY_WEBHOOK_SECRET_FILE: keyFile,
        CHAT_NOTIFY_OFFLINE_AFTER: '60', ...env },
    }, (e, stdout, stderr) => (e ? reject(new Error(`chatadm notify: ${e.message} ${stderr}`)) : resolve(stderr)));
  });
}
const posts = (id) => got.filter((p) => p.id === id);
const state = (id) => sqlOne(`SELECT CONCAT_WS('|', state, attempts, IFNULL(lastStatus, '-')) FROM webhook_deliveries WHERE messageId = ${id}`);
const age = (id, s) => sql(`UPDATE messages SET createdAt = NOW(3) - INTERVAL ${s} SECOND WHERE id = ${id}`);
const due = (id) => sql(`UPDATE webhook_deliveries SET nextAttemptAt = NOW(3) - INTERVAL 1 SECOND WHERE messageId = ${id}`);

async function scene(label) {
  const agent = await newStaff('Support', `${label} Agent`);
  const { user, id } = await conversationWith(agent);
  sql(`UPDATE users SET isOnline = 0 WHERE id = ${user.user.id}`);
  const send = async (content, extra = {}) => (await api('POST', '/api/v1/chat/messages',
    { token: agent.token, body: { conversationId: id, content, ...extra } })).body.data;
  return { agent, user, id, send };
}

test('an unread message to a user who is away goes to the gateway once, signed', async () => {
  const s = await scene('Hook');
  const m = await s.send('Your soil test is ready, please call us');
  const fresh = await s.send('this one is recent');
  age(m._id, 120);
  await round();
  const p = posts(m._id);
  assert.equal(p.length, 1, 'one POST');
  const expected = `sha256=${createHmac('sha256', KEY).update(p[0].raw).digest('hex')}`;
  assert.equal(p[0].signature, expected, 'signed with the key file (its newline not part of the key)');
  assert.match(p[0].type, /^application\/json/);
  assert.equal(p[0].body.event, 'message.unread');
  assert.equal(p[0].body.conversationId, s.id);
  assert.equal(p[0].body.message._id, m._id);
  assert.equal(p[0].body.message.content, 'Your soil test is ready, please call us');
  assert.deepEqual(p[0].body.user, { _id: s.user.user.id, name: 'Conv User', phone: s.user.phone });
  assert.equal(state(m._id), 'sent|1|200');
  assert.equal(posts(fresh._id).length, 0, 'not before notify.offline_after');
  // Later rounds never send it again.
  await round();
  await round();
  assert.equal(posts(m._id).length, 1);
});

test('a backlog larger than one claim (50) all goes in one round, each once', async () => {
  const s = await scene('Backlog');
  const rows = Array.from({ length: 75 }, (_, i) => `(${s.id}, ${s.agent.user.id}, 'text', 'backlog ${i}', NOW(3) - INTERVAL 10 MINUTE)`);
  sql(`INSERT INTO messages (conversationId, senderId, messageType, content, createdAt) VALUES ${rows.join(', ')}`);
  const ids = sql(`SELECT id FROM messages WHERE conversationId = ${s.id} AND content LIKE 'backlog %'`).map((r) => r[0]);
  assert.equal(ids.length, 75);
  await round();
  assert.deepEqual(ids.filter((id) => posts(id).length !== 1), [], 'every one, once');
  await round();
  assert.deepEqual(ids.filter((id) => posts(id).length !== 1), [], 'and not again');
});

test('never for a note, an entry, a read message, the user\'s own or a user who is online', async () => {
  const s = await scene('NoHook');
  const note = await s.send('note for the team', { private: true });
  const read = await s.send('you will read this');
  const own = (await api('POST', '/api/v1/chat/messages', { token: s.user.token, body: { conversationId: s.id, content: 'hello?' } })).body.data;
  sql(`UPDATE messages SET isRead = 1, readAt = NOW(3) WHERE id = ${read._id}`);
  const online = await scene('Online');
  const toOnline = await online.send('you are here');
  sql(`UPDATE users SET isOnline = 1 WHERE id = ${online.user.user.id}`);
  for (const x of [note, read, own, toOnline]) age(x._id, 300);
  sql(`UPDATE messages SET createdAt = NOW(3) - INTERVAL 300 SECOND WHERE conversationId = ${s.id} AND messageType = 'activity'`);
  await round();
  for (const x of [note, read, own, toOnline]) assert.equal(posts(x._id).length, 0, x.content);
  assert.equal(sqlOne(`SELECT COUNT(*) FROM webhook_deliveries WHERE conversationId IN (${s.id}, ${online.id})`), '0');
  sql(`UPDATE users SET isOnline = 0 WHERE id = ${online.user.user.id}`);
});

test('a failure is retried after a pause; after notify.webhook_attempts it is given up', async () => {
  const s = await scene('Retry');
  const m = await s.send('retry me');
  const hopeless = await s.send('never answered');
  answers.set(m._id, [500]);
  answers.set(hopeless._id, [503, 503, 503]);
  age(m._id, 120);
  age(hopeless._id, 120);
  const env = { CHAT_NOTIFY_WEBHOOK_ATTEMPTS: '2' };
  await round(env);
  assert.equal(state(m._id), 'pending|1|500');
  const wait = Number(sqlOne(`SELECT TIMESTAMPDIFF(SECOND, NOW(3), nextAttemptAt) FROM webhook_deliveries WHERE messageId = ${m._id}`));
  assert.ok(wait >= 25 && wait <= 30, `the next try waits about 30 s: ${wait}`);
  await round(env);
  assert.equal(posts(m._id).length, 1, 'not before its time');
  due(m._id);
  due(hopeless._id);
  await round(env);
  assert.equal(state(m._id), 'sent|2|200');
  assert.equal(posts(m._id).length, 2, 'the failed try and the one that went');
  assert.equal(state(hopeless._id), 'failed|2|503');
  due(hopeless._id);
  await round(env);
  assert.equal(posts(hopeless._id).length, 2, 'given up');
});

test('a gateway that cannot be reached is a failure too; read in the meantime, it is dropped', async () => {
  const s = await scene('Down');
  const m = await s.send('the gateway is down');
  age(m._id, 120);
  await round({ CHAT_NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/nothing' });
  assert.equal(state(m._id), 'pending|1|-');
  sql(`UPDATE messages SET isRead = 1, readAt = NOW(3) WHERE id = ${m._id}`);
  due(m._id);
  await round();
  assert.equal(state(m._id), 'dropped|2|-');
  assert.equal(posts(m._id).length, 0);
});

test('notify refuses to run without its URL or key', async () => {
  await assert.rejects(round({ CHAT_NOTIFY_WEBHOOK_URL: '' }), /webhook_url/);
  await assert.rejects(round({ CHAT_NOTIFY_WEBHOOK_SECRET_FILE: join(dir, 'missing') }), /key/);
});
