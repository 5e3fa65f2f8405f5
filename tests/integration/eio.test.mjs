// eio.test.mjs - Engine.IO v4 conformance: the cases of the Engine.IO half
// of socket.io's protocol test suite (socketio/socket.io-protocol,
// test-suite/: handshake, heartbeat, close, upgrade), written here in our
// own code and made deterministic: where the reference suite sleeps, these
// wait for the packet or the answer that shows the server's state.
//
// A second pushd of the running stack, with the suite's heartbeat
// (pushd.ping_interval 300 ms, pushd.ping_timeout 200 ms), is spoken to
// directly; the handshake, close and upgrade cases also run through
// lighttpd against the stack's own pushd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

import { BASE, startPushd } from './lib.mjs';
import { sleep } from './sock.mjs';

const PING_INTERVAL = 300;
const PING_TIMEOUT = 200;
let pushd;
let DIRECT;

before(async () => {
  pushd = await startPushd('eio', {
    CHAT_PUSHD_PING_INTERVAL: String(PING_INTERVAL),
    CHAT_PUSHD_PING_TIMEOUT: String(PING_TIMEOUT),
    CHAT_PUSHD_CONNECT_TIMEOUT: '5000',
  });
  DIRECT = pushd.base;
});
after(() => pushd?.stop());

const poll = (base, sid, init) => fetch(`${base}/socket.io/?EIO=4&transport=polling${sid ? `&sid=${sid}` : ''}`, init);
const wsUrl = (base, query = 'EIO=4&transport=websocket') => `${base.replace(/^http/, 'ws')}/socket.io/?${query}`;

async function openPolling(base) {
  const r = await poll(base);
  assert.equal(r.status, 200);
  const text = await r.text();
  assert.equal(text[0], '0');
  return JSON.parse(text.slice(1)).sid;
}

// A WebSocket with its frames queued, so that none is missed between awaits.
function socket(url) {
  const ws = new WebSocket(url);
  const frames = [];
  const waiters = [];
  ws.on('message', (d) => { frames.push(d.toString()); for (const w of waiters.splice(0)) w(); });
  ws.closed = new Promise((resolve) => ws.on('close', resolve));
  // A refused handshake: its status, then the socket is given up (a
  // listener here stops ws from doing that by itself).
  ws.refused = new Promise((resolve) => ws.on('unexpected-response', (req, res) => {
    resolve(res.statusCode);
    res.resume();
    ws.terminate();
  }));
  ws.on('error', () => {});
  ws.opened = new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('close', () => reject(new Error('closed'))); });
  ws.opened.catch(() => {});
  // The next frame that is not a ping (unless pings are asked for).
  ws.nextFrame = async ({ pings = false } = {}) => {
    for (;;) {
      const i = frames.findIndex((f) => pings || f !== '2');
      if (i >= 0) return frames.splice(i, 1)[0];
      await new Promise((resolve) => waiters.push(resolve));
    }
  };
  return ws;
}

function checkOpen(text, upgrades, interval, timeout) {
  assert.equal(text[0], '0');
  const v = JSON.parse(text.slice(1));
  assert.deepEqual(Object.keys(v).sort(), ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades']);
  assert.equal(typeof v.sid, 'string');
  assert.deepEqual(v.upgrades, upgrades);
  if (interval !== undefined) {
    assert.equal(v.pingInterval, interval);
    assert.equal(v.pingTimeout, timeout);
  }
  assert.equal(v.maxPayload, 1000000);
  return v;
}

// Direct to the second pushd (the suite's heartbeat), and through
// lighttpd to the stack's pushd (the default heartbeat).
const TARGETS = [['pushd', () => DIRECT, [PING_INTERVAL, PING_TIMEOUT]], ['lighttpd', () => BASE, [25000, 20000]]];

for (const [name, base, hb] of TARGETS) {

  test(`${name}: handshake over polling opens a session`, async () => {
    const r = await poll(base());
    assert.equal(r.status, 200);
    checkOpen(await r.text(), ['websocket'], ...hb);
  });

  test(`${name}: a polling handshake with a bad EIO, transport or method is a 400`, async () => {
    for (const q of ['transport=polling', 'EIO=abc&transport=polling', 'EIO=3&transport=polling', 'EIO=4', 'EIO=4&transport=abc']) {
      const r = await fetch(`${base()}/socket.io/?${q}`);
      assert.equal(r.status, 400, q);
      const e = await r.json();
      assert.equal(typeof e.code, 'number');
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await poll(base(), null, { method, body: method === 'DELETE' ? undefined : '' });
      assert.equal(r.status, 400, method);
      assert.deepEqual(await r.json(), { code: 2, message: 'Bad handshake method' });
    }
  });

  test(`${name}: handshake over WebSocket opens a session; bad EIO or transport is refused`, async () => {
    const ws = socket(wsUrl(base()));
    checkOpen(await ws.nextFrame(), [], ...hb);
    ws.close();
    for (const q of ['transport=websocket', 'EIO=abc&transport=websocket', 'EIO=4', 'EIO=4&transport=abc']) {
      const bad = socket(wsUrl(base(), q));
      await bad.closed;
      await assert.rejects(bad.opened, q);
    }
  });

  test(`${name}: a close packet over polling answers the held GET with a noop; the sid is then unknown`, async () => {
    // The GET must be held before the close arrives.  Two connections give
    // no order, so each round checks which one came first and the test
    // goes on until the held-GET case has been seen (a round where the POST
    // won must still end with the session closed).
    let seen = false;
    for (let round = 0; round < 20 && !seen; round++) {
      const sid = await openPolling(base());
      const get = poll(base(), sid);
      await sleep(20 * (round + 1));
      const post = await poll(base(), sid, { method: 'POST', body: '1' });
      const g = await get;
      const text = await g.text();
      if (post.status === 200) {
        assert.equal(await post.text(), 'ok');
        assert.ok(g.status === 200 || g.status === 400, `${g.status} ${text}`);
        if (g.status === 200) {
          assert.equal(text, '6', 'the held GET is released with a noop');
          seen = true;
        }
      } else {
        assert.equal(post.status, 400);
      }
      assert.equal((await poll(base(), sid)).status, 400, 'the session is gone');
    }
    assert.ok(seen, 'a held GET was released by the close');
  });

  test(`${name}: a close packet over WebSocket closes it`, async () => {
    const ws = socket(wsUrl(base()));
    await ws.nextFrame();
    ws.send('1');
    await ws.closed;
  });

  test(`${name}: upgrade from polling to WebSocket; then the sid refuses polling and a second WebSocket`, async () => {
    const sid = await openPolling(base());
    const ws = socket(wsUrl(base(), `EIO=4&transport=websocket&sid=${sid}`));
    await ws.opened;
    ws.send('2probe');
    assert.equal(await ws.nextFrame(), '3probe');
    ws.send('5');
    // The upgrade is done once the server writes to the WebSocket: a
    // Socket.IO CONNECT without a token is refused there, after the "5".
    ws.send('40');
    assert.match(await ws.nextFrame(), /^44/);
    const r = await poll(base(), sid);
    assert.equal(r.status, 400, 'polling after the upgrade');
    assert.equal((await r.json()).code, 3);
    const second = socket(wsUrl(base(), `EIO=4&transport=websocket&sid=${sid}`));
    assert.equal(await second.refused, 400, 'a second WebSocket for the session');
    await second.closed;
    // The upgraded session itself is untouched.
    assert.equal(ws.readyState, WebSocket.OPEN);
    ws.close();
  });
}

test('heartbeat over polling: ping, pong, three times', async () => {
  const sid = await openPolling(DIRECT);
  for (let i = 0; i < 3; i++) {
    const r = await poll(DIRECT, sid);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), '2');
    const p = await poll(DIRECT, sid, { method: 'POST', body: '3' });
    assert.equal(p.status, 200);
  }
  await poll(DIRECT, sid, { method: 'POST', body: '1' });
});

test('heartbeat over polling: no pong closes the session', async () => {
  const sid = await openPolling(DIRECT);
  const r = await poll(DIRECT, sid);
  assert.equal(await r.text(), '2', 'the ping');
  // No pong: the next poll is held until the server gives up on the
  // session (a close packet), or finds it gone already.
  const held = await poll(DIRECT, sid);
  const text = await held.text();
  assert.ok((held.status === 200 && text === '1') || held.status === 400, `${held.status} ${text}`);
  assert.equal((await poll(DIRECT, sid)).status, 400);
});

test('heartbeat over WebSocket: ping, pong, three times; no pong closes it', async () => {
  const ws = socket(wsUrl(DIRECT));
  checkOpen(await ws.nextFrame(), [], PING_INTERVAL, PING_TIMEOUT);
  for (let i = 0; i < 3; i++) {
    assert.equal(await ws.nextFrame({ pings: true }), '2');
    ws.send('3');
  }
  assert.equal(ws.readyState, WebSocket.OPEN);
  ws.close();
  const quiet = socket(wsUrl(DIRECT));
  await quiet.nextFrame();
  await quiet.closed;
});

test('heartbeat starts at the open, before CONNECT; CONNECT has its own deadline', async () => {
  // A pushd whose pongs may be late (5 s) but whose CONNECT deadline is
  // 2 s: pings from the open on, answered, do not keep a session that
  // never sends CONNECT past its deadline.
  const p = await startPushd('eio-connect', {
    CHAT_PUSHD_PING_INTERVAL: '300', CHAT_PUSHD_PING_TIMEOUT: '5000', CHAT_PUSHD_CONNECT_TIMEOUT: '2000',
  });
  try {
    const ws = socket(wsUrl(p.base));
    const t0 = Date.now();
    await ws.nextFrame();
    let pings = 0;
    ws.on('message', (d) => { if (d.toString() === '2') { pings++; ws.send('3'); } });
    await ws.closed;
    const ms = Date.now() - t0;
    console.log(`# no CONNECT: closed after ${ms} ms and ${pings} pings`);
    assert.ok(pings >= 1, `pings before the CONNECT deadline: ${pings}`);
    assert.ok(ms >= 1900, `closed at the CONNECT deadline, not before: ${ms} ms`);
  } finally {
    await p.stop();
  }
});
