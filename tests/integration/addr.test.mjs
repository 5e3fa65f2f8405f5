// addr.test.mjs - what one address may hold in pushd, and who an address
// is: sessions that never sent CONNECT (pushd.max_pending_per_address),
// sessions per address and in all (pushd.max_sockets_per_address,
// pushd.max_sockets), X-Forwarded-For believed only from a trusted proxy,
// a sid that is of no use from another address, and a binary packet over
// polling answered like over WebSocket.
//
// A second pushd with small caps is spoken to directly, from loopback
// addresses of our choosing (127.0.0.1 is the trusted proxy).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import WebSocket from 'ws';

import { newUser, startPushd } from './lib.mjs';

let pushd;
before(async () => {
  pushd = await startPushd('addr', {
    CHAT_PUSHD_MAX_PENDING_PER_ADDRESS: '4',
    CHAT_PUSHD_MAX_SOCKETS_PER_ADDRESS: '6',
    CHAT_PUSHD_MAX_SOCKETS: '14',
  });
});
after(() => pushd?.stop());

// One HTTP request from a chosen local address -> { status, text }.
function http(path, { from = '127.0.0.1', method = 'GET', body, headers = {} } = {}) {
  const u = new URL(pushd.base + path);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, localAddress: from,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) } : {}) },
      agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const EIO = '/socket.io/?EIO=4&transport=polling';
async function handshake(opts) {
  const r = await http(EIO, opts);
  return { ...r, sid: r.status === 200 ? JSON.parse(r.text.slice(1)).sid : null };
}
const post = (sid, body, opts = {}) => http(`${EIO}&sid=${sid}`, { ...opts, method: 'POST', body });
const poll = (sid, opts = {}) => http(`${EIO}&sid=${sid}`, opts);
const close = (sids, opts) => Promise.all(sids.map((sid) => post(sid, '1', opts)));

function wsFrom(query, from) {
  const ws = new WebSocket(`${pushd.base.replace('http', 'ws')}/socket.io/?${query}`, { localAddress: from });
  ws.on('error', () => {});
  return new Promise((resolve) => {
    ws.on('open', () => resolve({ open: true, ws }));
    ws.on('unexpected-response', (req, res) => { res.resume(); ws.terminate(); resolve({ open: false, status: res.statusCode }); });
  });
}

test('sessions that never send CONNECT are capped per address; a CONNECT frees the place', async () => {
  const user = await newUser('Pending Cap');
  const sids = [];
  for (let i = 0; i < 4; i++) sids.push((await handshake()).sid);
  assert.ok(sids.every(Boolean));
  const over = await handshake();
  assert.equal(over.status, 429);
  assert.match(JSON.parse(over.text).message, /waiting to connect/);
  const ws = await wsFrom('EIO=4&transport=websocket', '127.0.0.1');
  assert.deepEqual(ws, { open: false, status: 429 }, 'a WebSocket handshake is refused the same way');
  // Another address is not affected.
  const other = await handshake({ from: '127.0.0.2' });
  assert.equal(other.status, 200);
  // One of them connects (Socket.IO CONNECT with a token): one place more.
  assert.equal((await post(sids[0], `40${JSON.stringify({ token: user.token })}`)).status, 200);
  assert.match((await poll(sids[0])).text, /^40\{"sid"/);
  const again = await handshake();
  assert.equal(again.status, 200);
  await close([...sids, again.sid]);
  await close([other.sid], { from: '127.0.0.2' });
});

test('X-Forwarded-For counts only from a trusted proxy', async () => {
  // Through the trusted proxy (127.0.0.1) each forwarded client has its
  // own budget...
  const a = [];
  for (let i = 0; i < 4; i++) a.push((await handshake({ headers: { 'x-forwarded-for': '198.51.100.7' } })).sid);
  assert.ok(a.every(Boolean));
  assert.equal((await handshake({ headers: { 'x-forwarded-for': '198.51.100.7' } })).status, 429);
  const appended = await handshake({ headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.8' } });
  assert.equal(appended.status, 200, 'the address the proxy appended is the client');
  await close([appended.sid], { headers: { 'x-forwarded-for': '198.51.100.8' } });
  // ...while anyone else's header is what the client wrote: ignored.
  const b = [];
  for (let i = 0; i < 4; i++) b.push((await handshake({ from: '127.0.0.3', headers: { 'x-forwarded-for': '198.51.100.7' } })).sid);
  assert.ok(b.every(Boolean), 'not counted as 198.51.100.7');
  assert.equal((await handshake({ from: '127.0.0.3', headers: { 'x-forwarded-for': '198.51.100.99' } })).status, 429,
    'counted as 127.0.0.3, whatever the header says');
  await close(a, { headers: { 'x-forwarded-for': '198.51.100.7' } });
  await close(b, { from: '127.0.0.3' });
});

test('a sid is of no use from another address', async () => {
  const user = await newUser('Sid Owner');
  const { sid } = await handshake({ from: '127.0.0.4' });
  for (const from of ['127.0.0.5', '127.0.0.1']) {
    const g = await poll(sid, { from });
    assert.equal(g.status, 400);
    assert.deepEqual(JSON.parse(g.text), { code: 1, message: 'Session ID unknown' });
    assert.equal((await post(sid, '40', { from })).status, 400);
    assert.deepEqual(await wsFrom(`EIO=4&transport=websocket&sid=${sid}`, from), { open: false, status: 400 },
      'no upgrade from elsewhere');
  }
  // The owner's session was not disturbed by any of it.
  assert.equal((await post(sid, `40${JSON.stringify({ token: user.token })}`, { from: '127.0.0.4' })).status, 200);
  assert.match((await poll(sid, { from: '127.0.0.4' })).text, /^40\{"sid"/);
  await close([sid], { from: '127.0.0.4' });
});

test('a binary event over polling gets the binary_unsupported ack; the session stays', async () => {
  const user = await newUser('Binary Poller');
  const from = '127.0.0.6';
  const { sid } = await handshake({ from });
  await post(sid, `40${JSON.stringify({ token: user.token })}`, { from });
  assert.match((await poll(sid, { from })).text, /^40/);
  // A binary event with one attachment ("b" + base64 over polling), then
  // a plain event: both answered, in order.
  const r = await post(sid, '451-7["typing:start",{"_placeholder":true,"num":0}]\x1ebAQID\x1e428["typing:stop",{"conversationId":"x"}]', { from });
  assert.equal(r.status, 200);
  const got = (await poll(sid, { from })).text.split('\x1e');
  assert.match(got[0], /^437\[\{"ok":false,"error":\{.*"code":"binary_unsupported"/);
  assert.match(got[1], /^438\[\{"ok":false,"error":\{"code":"validation_failed"/);
  // A stray attachment with no binary event before it still ends the session.
  await post(sid, 'bAQID', { from });
  assert.equal((await poll(sid, { from })).status, 400);
});

test('sessions per address and in all are capped; closing frees them', async () => {
  // 6 per address (pushd.max_sockets_per_address here); CONNECTed ones count too.
  const users = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => newUser(`Per Address ${i}`)));
  const from = '127.0.0.7';
  const sids = [];
  for (const u of users) {
    const { sid } = await handshake({ from });
    await post(sid, `40${JSON.stringify({ token: u.token })}`, { from });
    assert.match((await poll(sid, { from })).text, /^40/);
    sids.push(sid);
  }
  const over = await handshake({ from });
  assert.equal(over.status, 429);
  assert.match(JSON.parse(over.text).message, /too many connections from this address/);
  // 14 in all (pushd.max_sockets): 6 + 4 + 4 more from other addresses,
  // then the server is full for everybody.
  const more = [];
  for (const f of ['127.0.0.8', '127.0.0.9']) for (let i = 0; i < 4; i++) more.push([f, (await handshake({ from: f })).sid]);
  assert.ok(more.every(([, s]) => s));
  const full = await handshake({ from: '127.0.0.10' });
  assert.equal(full.status, 503);
  assert.match(JSON.parse(full.text).message, /full/);
  await close(sids, { from });
  for (const [f, s] of more) await post(s, '1', { from: f });
  assert.equal((await handshake({ from: '127.0.0.10' })).status, 200);
});
