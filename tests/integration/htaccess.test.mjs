// htaccess.test.mjs - the shared-hosting install of docs/deploy.md under a
// real Apache, with nothing but .htaccess files: the shipped
// tools/web/htaccess-* files, api.fcgi and chat.conf copied into a
// document root the way a hosting customer uploads them, no
// FcgidInitialEnv, no ScriptAlias, no CHAT_CONF.  run.sh gives Apache a
// second site (AllowOverride All, HTACCESS_URL) when WEB=apache (mod_fcgid
// runs the program) or WEB=apache-proxy-fcgi (no mod_fcgid there: the
// .htaccess falls back to mod_cgid and api.fcgi runs as a plain CGI
// program, one request per start).  Under other web servers: skipped.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEMO, FILES, multipartBody } from './lib.mjs';

const URL_ = process.env.HTACCESS_URL;
const SRC = process.env.abs_top_srcdir;
const BUILD = process.env.abs_top_builddir;
const STATE = process.env.STATE_DIR;
const skip = URL_ ? false : 'only under WEB=apache or WEB=apache-proxy-fcgi';
const root = STATE && join(STATE, 'htdocs');

// The web server's group (www-data when the suite runs as root) may read
// what the customer uploaded and write the uploads, as on a host.
function share(path, mode) {
  const { gid } = statSync(STATE);
  chownSync(path, process.getuid(), gid);
  chmodSync(path, mode);
}

before(() => {
  if (skip) return;
  cpSync(join(SRC, 'www'), root, { recursive: true });
  copyFileSync(join(SRC, 'tools/web/htaccess-site'), join(root, '.htaccess'));
  mkdirSync(join(root, 'api'), { recursive: true });
  copyFileSync(join(BUILD, 'cgi/api.fcgi'), join(root, 'api/api.fcgi'));
  chmodSync(join(root, 'api/api.fcgi'), 0o755);
  copyFileSync(join(SRC, 'tools/web/htaccess-api'), join(root, 'api/.htaccess'));
  for (const d of ['uploads', 'uploads/chat', 'uploads/tmp']) {
    mkdirSync(join(root, d), { recursive: true });
    share(join(root, d), 0o2770);
  }
  copyFileSync(join(SRC, 'tools/web/htaccess-uploads'), join(root, 'uploads/.htaccess'));
  // The stack's database and key; the uploads and their URLs of this site.
  const conf = readFileSync(join(STATE, 'chat.conf'), 'utf8')
    .replace(/^dir = .*$/m, `dir = ${join(root, 'uploads')}`)
    .replace(/^base_url = .*$/m, `base_url = ${URL_}`);
  writeFileSync(join(root, 'api/chat.conf'), conf);
  share(join(root, 'api/chat.conf'), 0o640);
});

async function call(method, path, { token, body, type } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (type) headers['Content-Type'] = type;
  const res = await fetch(URL_ + path, { method, headers, body });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: json, text };
}

test('an .htaccess-only install serves the pages, the API and the uploads with their headers', { skip }, async () => {
  const page = await call('GET', '/');
  assert.equal(page.status, 200);
  assert.match(page.text, /Support chat/);
  assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');

  const health = await call('GET', '/api/v1/health');
  assert.equal(health.status, 200, health.text);
  assert.equal(health.body.db.reachable, true, 'chat.conf found next to the program');
  assert.equal(health.headers.get('x-content-type-options'), 'nosniff', 'once');
  assert.equal(health.headers.get('cache-control'), 'no-store');

  const login = await call('POST', '/api/v1/users/login', { type: 'application/json',
    body: JSON.stringify({ phone: DEMO.priya.phone, password: DEMO.priya.password }) });
  assert.equal(login.status, 200, login.text);
  const { token } = login.body;
  const list = await call('GET', '/api/v1/chat/conversations?limit=3', { token });
  assert.equal(list.status, 200, 'the bearer token reaches the program');
  assert.ok(Array.isArray(list.body.data));
  assert.equal((await call('GET', '/api/v1/chat/conversations')).status, 401);

  for (const [file, type, name, attachment] of [[FILES.png, 'image', 'leaf.png', false], [FILES.mp4, 'video', 'field.mp4', true]]) {
    const { body, contentType } = multipartBody([{ name: 'type', data: type }, { name: 'file', filename: name, data: file }]);
    const up = await call('POST', '/api/v1/chat/media', { token, body, type: contentType });
    assert.equal(up.status, 201, up.text);
    const { url } = up.body.data[0];
    assert.ok(url.startsWith(`${URL_}/uploads/chat/`), url);
    const got = await fetch(url);
    assert.equal(got.status, 200, url);
    const served = Buffer.from(await got.arrayBuffer());
    // An image is served as its display version (made anew), the rest as is.
    if (type === 'image') assert.deepEqual([served.subarray(0, 8), served.length], [file.subarray(0, 8), up.body.data[0].size]);
    else assert.deepEqual(served, file);
    assert.match(got.headers.get('content-security-policy') ?? '', /^default-src 'none'; sandbox/);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(got.headers.get('content-disposition'), attachment ? 'attachment' : null, name);
  }
});

test('the config, unfinished uploads and directory listings are not served', { skip }, async () => {
  assert.equal((await call('GET', '/api/chat.conf')).status, 403);
  assert.equal((await call('GET', '/uploads/tmp/')).status, 404);
  // No listing: 403, or 404 where no module lists directories at all.
  const listing = await call('GET', '/uploads/chat/');
  assert.ok([403, 404].includes(listing.status), `a listing: ${listing.status}`);
});
