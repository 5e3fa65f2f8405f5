// webserver.test.mjs - what the web server in front of the API adds, the
// same under each one the suite runs with (WEB: lighttpd, Apache with
// mod_fcgid or mod_proxy_fcgi, nginx): the security headers on pages, API
// answers and uploads, each header once; a body larger than the web server
// itself takes answered with the API's JSON 413, not an HTML page; the
// Socket.IO path proxied for both transports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

import { BASE, DEMO, FILES, api, login, upload } from './lib.mjs';
import { connect } from './sock.mjs';

const PAGE_HEADERS = {
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^no-referrer$/,
  'x-frame-options': /^DENY$/,
  'content-security-policy': /frame-ancestors 'none'/,
};

function hasHeaders(res, label) {
  for (const [name, want] of Object.entries(PAGE_HEADERS)) {
    assert.match(res.headers.get(name) ?? '', want, `${label}: ${name} once, as set`);
  }
}

test('pages, scripts and API answers carry every security header once', async () => {
  for (const path of ['/', '/user.html', '/js/api.js', '/css/app.css']) {
    const res = await fetch(BASE + path);
    assert.equal(res.status, 200, path);
    await res.arrayBuffer();
    hasHeaders(res, path);
  }
  const js = await fetch(`${BASE}/js/api.js`);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  const r = await api('GET', '/api/v1/health');
  assert.equal(r.status, 200);
  hasHeaders(r, 'GET /api/v1/health');
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const missing = await api('GET', '/api/v1/nothing-here');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'not_found');
  hasHeaders(missing, 'a 404 from the API');
});

// A POST announcing more than the web server takes: only the headers are
// sent, as a client does that waits for "100 Continue" or an early answer.
function oversized(path, token) {
  const u = new URL(BASE + path);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent: false,
      headers: { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(200 * 1024 * 1024),
        Authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => { req.destroy(); resolve({ status: res.statusCode, headers: new Headers(res.headers), text }); });
    });
    req.on('error', reject);
    req.flushHeaders();
    req.write(Buffer.alloc(64 * 1024));
  });
}

test('an upload larger than the web server takes gets a JSON 413', async () => {
  const { token } = await login(DEMO.priya);
  const r = await oversized('/api/v1/chat/media', token);
  assert.equal(r.status, 413);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(JSON.parse(r.text).error.code, 'payload_too_large');
  // (lighttpd answers this before mod_setenv runs: no page headers there;
  // Apache and nginx send them.)
  if ((process.env.WEB ?? 'lighttpd') !== 'lighttpd') assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
});

test('Socket.IO reaches pushd through the web server over polling and WebSocket', async () => {
  const { token } = await login(DEMO.rajesh);
  for (const transports of [['polling'], ['websocket']]) {
    const s = await connect(token, { transports });
    try {
      assert.equal(s.io.engine.transport.name, transports[0]);
    } finally {
      s.disconnect();
    }
  }
});

// One GET as a 2G phone's browser makes it: the raw answer, its encoding.
function raw(path, headers = {}) {
  const u = new URL(BASE + path);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: new Headers(res.headers), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
const decode = (r) => ({ br: brotliDecompressSync, gzip: gunzipSync, deflate: inflateSync }[r.headers.get('content-encoding')] ?? ((b) => b))(r.body);

test('pages, scripts and JSON go compressed to a client that takes it, and as they are otherwise', async () => {
  const file = readFileSync(join(process.env.abs_top_srcdir, 'www/js/chat.js'));
  const gz = await raw('/js/chat.js', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.status, 200);
  assert.match(gz.headers.get('content-encoding') ?? '', /^(br|gzip|deflate)$/, 'compressed');
  assert.ok(gz.body.length < file.length / 2, `${gz.body.length} of ${file.length} bytes`);
  assert.deepEqual(decode(gz), file);
  const plain = await raw('/js/chat.js');
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.deepEqual(plain.body, file);
  const { token } = await login(DEMO.asha);
  const list = await raw('/api/v1/chat/conversations?limit=20', { 'Accept-Encoding': 'gzip', Authorization: `Bearer ${token}` });
  assert.equal(list.status, 200);
  assert.equal(list.headers.get('content-encoding'), 'gzip', 'the API\'s JSON too');
  assert.ok(Array.isArray(JSON.parse(decode(list)).data));
});

test('pages are asked again each time; uploads are cached for good; the API is never stored', async () => {
  for (const path of ['/', '/user.html', '/js/chat.js', '/css/app.css']) {
    const r = await raw(path);
    assert.equal(r.headers.get('cache-control'), 'no-cache', path);
    const etag = r.headers.get('etag');
    const since = r.headers.get('last-modified');
    const again = await raw(path, etag ? { 'If-None-Match': etag } : { 'If-Modified-Since': since });
    assert.equal(again.status, 304, `${path}: unchanged is a 304`);
  }
  const { token } = await login(DEMO.priya);
  const up = await upload(token, { file: FILES.png, name: 'leaf.png', type: 'image', mime: 'image/png' });
  const media = await raw(new URL(up.body.data[0].url).pathname);
  assert.equal(media.status, 200);
  assert.equal(media.headers.get('cache-control'), 'private, max-age=31536000, immutable');
  assert.equal((await raw('/api/v1/health')).headers.get('cache-control'), 'no-store');
});
