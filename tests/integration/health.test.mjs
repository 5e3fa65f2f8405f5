// The health endpoint and the router's answers for unknown paths/methods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, isError } from './lib.mjs';

test('GET /api/v1/health reports the database and its version', async () => {
  const r = await api('GET', '/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
  assert.equal(r.body.db.reachable, true);
  assert.match(r.body.db.version, /MariaDB/);
  assert.equal(r.body.pushd.reachable, true, 'pushd listens on pushd.socket');
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
});

test('an unknown endpoint is a JSON 404', async () => {
  isError(assert, await api('GET', '/api/v1/nope'), 404, 'not_found');
  isError(assert, await api('GET', '/api/v1/chat/conversations/abc'), 404, 'not_found');
  isError(assert, await api('GET', '/api/v1/chat/conversations/0'), 404, 'not_found');
});

test('a known path with the wrong method is a 405 with Allow', async () => {
  const r = await api('DELETE', '/api/v1/users/login');
  isError(assert, r, 405, 'method_not_allowed');
  assert.equal(r.headers.get('allow'), 'POST');
});

test('the static site is served with security headers', async () => {
  const res = await fetch(`${process.env.BASE_URL}/`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Support chat/);
  assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
});

test('the npm manifests and node_modules are not served', async () => {
  for (const path of ['/package.json', '/package-lock.json', '/node_modules/', '/node_modules/socket.io-client/package.json',
    '/vendor/package.json']) {
    const res = await fetch(`${process.env.BASE_URL}${path}`);
    assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status}`);
  }
  // What the pages need still is.
  assert.equal((await fetch(`${process.env.BASE_URL}/vendor/socket.io.esm.min.js`)).status, 200);
});
