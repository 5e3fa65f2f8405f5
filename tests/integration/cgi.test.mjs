// cgi.test.mjs - api.fcgi as a plain CGI program, the way a server with
// only mod_cgi runs it (and the way cgit's tests run cgit): the request in
// the environment and on stdin, the answer's headers and JSON on stdout.
// Also: with no CHAT_CONF, the program finds chat.conf next to itself.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEMO, FILES, freshPhone, jti, multipartBody, newUser } from './lib.mjs';

const PROGRAM = join(process.env.abs_top_builddir, 'cgi', 'api.fcgi');
const dirs = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

// Run one request; { status, headers, body (parsed JSON) }.
function cgi(method, uri, { body, type, token, program = PROGRAM, env = {}, stderr } = {}) {
  const input = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const vars = {
    PATH: process.env.PATH, ASAN_OPTIONS: process.env.ASAN_OPTIONS, UBSAN_OPTIONS: process.env.UBSAN_OPTIONS,
    CHAT_CONF: process.env.CHAT_CONF, GATEWAY_INTERFACE: 'CGI/1.1', SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: method, REQUEST_URI: uri, SCRIPT_NAME: '/api', REMOTE_ADDR: '203.0.113.7',
    ...(input.length || method !== 'GET' ? { CONTENT_LENGTH: String(input.length) } : {}),
    ...(type || body !== undefined ? { CONTENT_TYPE: type ?? 'application/json' } : {}),
    ...(token ? { HTTP_AUTHORIZATION: `Bearer ${token}` } : {}),
    ...env,
  };
  for (const k of Object.keys(vars)) if (vars[k] === undefined) delete vars[k];
  const r = spawnSync(program, [], { input, env: vars, timeout: 20000, stdio: ['pipe', 'pipe', stderr ?? 'pipe'] });
  assert.equal(r.status, 0, `exit status (stderr: ${r.stderr})`);
  const out = r.stdout.toString('utf8');
  const split = out.indexOf('\r\n\r\n');
  assert.ok(split > 0, `a header block: ${JSON.stringify(out.slice(0, 200))}`);
  const lines = out.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(headers.status.split(' ')[0]), headers, body: JSON.parse(out.slice(split + 4)) };
}

test('health, login, a list and an upload over plain CGI answer as over FastCGI', async () => {
  const h = cgi('GET', '/api/v1/health');
  assert.equal(h.status, 200);
  assert.equal(h.body.db.reachable, true);
  assert.match(h.headers['content-type'], /^application\/json/);
  assert.equal(h.headers['x-content-type-options'], 'nosniff');
  assert.equal(h.headers['cache-control'], 'no-store');

  const bad = cgi('POST', '/api/v1/users/login', { body: { phone: DEMO.rajesh.phone, password: 'wrong password' } });
  assert.equal(bad.status, 401);
  assert.equal(bad.body.error.code, 'invalid_credentials');
  const ok = cgi('POST', '/api/v1/users/login', { body: { phone: DEMO.rajesh.phone, password: DEMO.rajesh.password } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.user.name, 'Rajesh Kumar');

  const list = cgi('GET', '/api/v1/chat/conversations?limit=5', { token: ok.body.token });
  assert.equal(list.status, 200);
  assert.ok(Array.isArray(list.body.data) && list.body.data.length >= 1);
  assert.equal(list.body.pagination.limit, 5);
  assert.equal(cgi('GET', '/api/v1/chat/conversations').status, 401);

  const u = await newUser('CGI Uploader');
  const { body, contentType } = multipartBody([{ name: 'type', data: 'image' }, { name: 'file', filename: 'leaf.png', type: 'image/png', data: FILES.png }]);
  const up = cgi('POST', '/api/v1/chat/media', { body, type: contentType, token: u.token });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(up.body.data[0].type, 'image');
  assert.match(up.body.data[0].url, /\/uploads\/chat\/.+\.png$/);
  // A bad request is the same JSON error as ever.
  const junk = cgi('POST', '/api/v1/users/login', { body: Buffer.from('{"phone":'), type: 'application/json' });
  assert.equal(junk.status, 400);
  assert.equal(junk.body.error.code, 'invalid_json');
});

test('with no CHAT_CONF the program reads chat.conf next to itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chat-cgi-'));
  dirs.push(dir);
  copyFileSync(PROGRAM, join(dir, 'api.fcgi'));
  writeFileSync(join(dir, 'chat.conf'), readFileSync(process.env.CHAT_CONF));
  const h = cgi('GET', '/api/v1/health', { program: join(dir, 'api.fcgi'), env: { CHAT_CONF: undefined } });
  assert.equal(h.status, 200);
  assert.equal(h.body.db.reachable, true, 'it found the database named in that file');
});

test('a failed login is logged with a time and the client address, never the phone or password', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chat-cgi-'));
  dirs.push(dir);
  const phone = freshPhone();
  const password = `guess-${jti()}`;
  const fd = openSync(join(dir, 'error.log'), 'w');
  try {
    assert.equal(cgi('POST', '/api/v1/users/login', { body: { phone, password }, stderr: fd }).status, 401);
  } finally {
    closeSync(fd);
  }
  const log = readFileSync(join(dir, 'error.log'), 'utf8');
  // A file gets a time on each line; fail2ban matches the address.
  assert.match(log, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z api\.fcgi\[\d+\]: info: users_failed: failed login from 203\.0\.113\.7$/m);
  assert.ok(!log.includes(phone.slice(3)) && !log.includes(password), 'no phone, no password');
});
