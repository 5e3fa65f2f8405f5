// capacity.test.mjs - strangers cannot take the site down with free
// accounts.  Ten attacking addresses (127.0.0.60-69) register what they may
// and hold every socket they are allowed; each is capped (registrations
// per hour, sockets per address and per account in pushd), and together
// they stay below what the server holds (pushd.max_sockets below
// lighttpd's server.max-connections), so a newcomer from another address
// still logs in, loads the dashboard and connects.
//
// Limits as run.sh sets them: auth.register_per_hour 30,
// pushd.max_sockets_per_address 100, pushd.max_sockets_per_user 16,
// pushd.max_pending_per_address 32; lighttpd as tools/lighttpd.conf.in
// ships it (10000 connections).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

import { apiFrom, BASE, DEMO, freshPhone } from './lib.mjs';
import { connect } from './sock.mjs';

const ATTACKERS = Array.from({ length: 10 }, (_, i) => `127.0.0.${60 + i}`);
const PER_ADDRESS_SOCKETS = 100;
const held = [];
after(() => { for (const ws of held) ws.terminate(); });

// Register until the address is refused; the tokens it got.
async function registerAll(from) {
  const tokens = [];
  for (let i = 0; i < 40; i++) {
    const r = await apiFrom(from, 'POST', '/api/v1/users/register',
      { body: { phone: freshPhone(), name: `Flood ${from} ${i}`, password: 'flood-pass-1' } });
    if (r.status === 429) return { tokens, refused: true };
    assert.equal(r.status, 201, r.text);
    tokens.push(r.body.token);
  }
  return { tokens, refused: false };
}

// A Socket.IO socket over a raw WebSocket from `from`: 'ok', or why not.
function socketFrom(from, token) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${BASE.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { localAddress: from });
    ws.on('error', () => {});
    ws.on('unexpected-response', (req, res) => { res.resume(); ws.terminate(); resolve(`http ${res.statusCode}`); });
    ws.on('close', () => resolve('closed'));
    ws.on('message', (d) => {
      const f = d.toString();
      if (f[0] === '0') ws.send(`40${JSON.stringify({ token })}`);
      else if (f === '2') ws.send('3');
      else if (f.startsWith('40{')) { held.push(ws); resolve('ok'); }
      else if (f.startsWith('44')) { ws.terminate(); resolve(`connect_error ${f}`); }
    });
  });
}

test('ten attacking addresses hold all they may; a newcomer still logs in, loads the dashboard and connects', async () => {
  const figures = [];
  for (const from of ATTACKERS) {
    const { tokens, refused } = await registerAll(from);
    assert.ok(refused, `${from}: registration is throttled (got ${tokens.length})`);
    assert.equal(tokens.length, 30);
    // 16 sockets for each of 8 accounts: more than the address may hold
    // (an account at a time: at most 32 may wait for CONNECT at once).
    const out = [];
    for (const t of tokens.slice(0, 8)) out.push(...await Promise.all(Array.from({ length: 16 }, () => socketFrom(from, t))));
    const ok = out.filter((o) => o === 'ok').length;
    assert.equal(ok, PER_ADDRESS_SOCKETS, `${from}: sockets held ${ok}; ${[...new Set(out)].join(', ')}`);
    assert.ok(out.filter((o) => o === 'http 429').length > 0, 'the rest refused with 429');
    figures.push(`${from}: ${tokens.length} accounts, ${ok} sockets (${out.length - ok} refused)`);
  }
  console.log(`# ${figures.join('; ')}`);
  // The newcomer, from an address of its own.
  const t0 = Date.now();
  const me = await apiFrom('127.0.0.90', 'POST', '/api/v1/users/login', { body: { phone: DEMO.priya.phone, password: DEMO.priya.password } });
  assert.equal(me.status, 200);
  for (const path of ['/', '/js/dashboard.js', '/vendor/socket.io.esm.min.js']) {
    const r = await apiFrom('127.0.0.90', 'GET', path);
    assert.equal(r.status, 200, path);
  }
  const s = await connect(me.body.token, { localAddress: '127.0.0.90', transports: ['websocket'] });
  const secs = (Date.now() - t0) / 1000;
  console.log(`# newcomer: login, dashboard and socket in ${secs} s while ${ATTACKERS.length * PER_ADDRESS_SOCKETS} attacker sockets are held`);
  assert.equal(s.connected, true);
  assert.ok(secs < 5, `the newcomer was served in ${secs} s`);
  s.disconnect();
});
