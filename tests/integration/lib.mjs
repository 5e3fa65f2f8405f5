// lib.mjs - helpers for the integration tests: HTTP against the stack that
// run.sh started (BASE_URL), the private database (MARIADB_SOCK) for set-up
// and checks, and chatadm for accounts.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as connectTcp, createServer } from 'node:net';
import { userInfo } from 'node:os';
import * as zlib from 'node:zlib';

export const BASE = process.env.BASE_URL;
if (!BASE) throw new Error('BASE_URL is not set: run through tests/integration/run.sh');

export const DEMO = {
  asha: { phone: '+919000000001', password: 'support-demo-1', name: 'Asha Verma' },
  rajesh: { phone: '+919000000101', password: 'user-demo-1', name: 'Rajesh Kumar' },
  priya: { phone: '+919000000102', password: 'user-demo-2', name: 'Priya Singh' },
};

// The headers and body of a request from { token, body, headers, raw }.
function requestParts(opts) {
  const headers = { ...(opts.headers || {}) };
  let body = opts.raw;
  if (opts.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  return { headers, body };
}

const parsed = (status, headers, text) => {
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status, headers, body: json, text };
};

// api('GET', '/api/v1/...', { token, body, headers, raw }) -> { status, headers, body, text }
export async function api(method, path, opts = {}) {
  const { headers, body } = requestParts(opts);
  const res = await fetch(BASE + path, { method, headers, body });
  return parsed(res.status, res.headers, await res.text());
}

// One request from a chosen local address (127.0.0.x), for the limits kept
// per client address: the same answer as api().
export function apiFrom(from, method, path, opts = {}) {
  const u = new URL(BASE + path);
  const { headers, body } = requestParts(opts);
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers,
      localAddress: from, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve(parsed(res.statusCode, new Headers(res.headers), text)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function login(who) {
  const r = await api('POST', '/api/v1/users/login', { body: { phone: who.phone, password: who.password } });
  if (r.status !== 200) throw new Error(`login ${who.phone}: ${r.status} ${r.text}`);
  return { token: r.body.token, user: r.body.user };
}

let seq = 0;
// A phone number no other test uses: +9198<pid-ish><seq>.
export function freshPhone() {
  seq += 1;
  const n = String((process.pid * 1000 + seq) % 100000000).padStart(8, '0');
  return `+9197${n}`;
}

// A new end user, logged in; returns { token, user, phone, password }.
// Made with chatadm, as staff are: registration over REST is throttled per
// address (auth.register_per_hour), and users.test.mjs tests it on its own.
export async function newUser(name = 'Test User') {
  return newStaff('User', name);
}

// Create an account (agent, admin or user) with chatadm and log in.
export async function newStaff(role, name = `Test ${role}`) {
  const phone = freshPhone();
  const password = (role === 'User' ? 'pw-' : 'staff-') + randomBytes(6).toString('hex');
  execFileSync(process.env.CHATADM, ['user', 'add', phone, name, role], {
    env: { ...process.env, CHATADM_PASSWORD: password },
  });
  return { ...(await login({ phone, password })), phone, password };
}

// Stop or start a service of the stack (tests/integration/ctl.sh); its
// log in the error when it fails.
export function ctl(what) {
  try {
    execFileSync(process.env.STACK_CTL, [what], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    let log = '';
    try { log = readFileSync(`${process.env.STATE_DIR}/log/ctl.log`, 'utf8').slice(-2000); } catch { /* none */ }
    throw new Error(`ctl ${what} failed: ${e.stderr}\n${log}`);
  }
}

// Run SQL as the database's administrator over the private socket (the OS
// user running the suite, by unix_socket: root or not); rows as arrays of
// strings.
export function sql(query) {
  const out = execFileSync('mariadb', ['--no-defaults', `-u${userInfo().username}`,
    `--socket=${process.env.MARIADB_SOCK}`, '-N', '-B', 'chat', '-e', query], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}
export const sqlOne = (q) => (sql(q)[0] || [])[0];

const b64url = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

// A JWT signed with the stack's own secret (or another key / alg).
export function forgeToken(claims, { key, alg = 'HS256' } = {}) {
  const secret = key ?? readFileSync(`${process.env.STATE_DIR}/jwt.secret`, 'utf8').trim();
  const head = b64url({ alg, typ: 'JWT' });
  const body = b64url(claims);
  if (alg === 'none') return `${head}.${body}.`;
  const h = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  const sig = createHmac(h, secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export const jti = () => randomBytes(16).toString('hex');
export const now = () => Math.floor(Date.now() / 1000);

// A new conversation for a fresh user, assigned to the given agent.
export async function conversationWith(agent) {
  const u = await newUser('Conv User');
  const r = await api('POST', '/api/v1/chat/conversations', { token: u.token });
  if (r.status !== 201) throw new Error(`start conversation: ${r.status} ${r.text}`);
  const id = r.body.data._id;
  if (agent) sql(`UPDATE conversations SET assignedSupportId = ${agent.user.id}, status = 'open', queuedAt = NULL WHERE id = ${id}`);
  return { user: u, id };
}

// Routing's candidates for a test: these agents available ('online'),
// every other agent 'busy', so that no agent of an earlier test (whose
// socket may still be closing) takes what this test routes.
export function onlyEligible(...agents) {
  const ids = agents.map((a) => a.user.id).join(',') || '0';
  sql(`UPDATE users SET availability = IF(id IN (${ids}), 'online', 'busy') WHERE role = 'Support'`);
}

// Empty the queue of what earlier tests left waiting, so that a routing
// test's agents take only its own conversations.
export function clearQueue() {
  sql("UPDATE conversations SET status = 'resolved', queuedAt = NULL WHERE assignedSupportId IS NULL AND status = 'pending'");
}

// A conversation waiting in the queue: unassigned and pending.
export async function queuedConversation() {
  const { user, id } = await conversationWith(null);
  sql(`UPDATE conversations SET assignedSupportId = NULL, status = 'pending', queuedAt = COALESCE(queuedAt, NOW(3)) WHERE id = ${id}`);
  return { user, id };
}

// Minimal files that pass (or fail) the magic-byte checks.
// Images are decoded and stored anew (lib/image.h), so these are real ones,
// 16 x 12 pixels each, stored in their own format: the PNG has alpha (one
// without is stored as JPEG), the GIF is kept as uploaded.
export const FILES = {
  png: makePng(16, 12, { alpha: true }),
  jpeg: Buffer.from('/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAMABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDx/wCG3/LL8K+q/ht/yy/CvlT4bf8ALL8K+q/ht/yy/CgD/9k=', 'base64'),
  gif: Buffer.from('R0lGODlhEAAMAIQAAEdwTODg4KCgoGBgYCAgIPDw8LCwsHBwcDAwMMDAwICAgEBAQAAAANDQ0JCQkFBQUBAQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQFAAAAACwAAAAAEAAMAAAFPCADEcjyDIfiCEbSBIVImqjKurBcnunavrHRrubDBWc82y8npPVuQJ1TaZQmi9HmFcpEErnH4XMZnmJhIQA7', 'base64'),
  mp4: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), randomBytes(200)]),
  mp3: Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 0]), randomBytes(200)]),
  svg: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  html: Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'),
};

export async function upload(token, { file, name = 'file.bin', type, mime = 'application/octet-stream' }) {
  const fd = new FormData();
  if (type !== undefined) fd.append('type', type);
  if (file !== undefined) fd.append('file', new Blob([file], { type: mime }), name);
  const res = await fetch(`${BASE}/api/v1/chat/media`, {
    method: 'POST', body: fd, headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body, text };
}

// Asserts the error envelope: status and code.
export function isError(assert, r, status, code) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  assert.equal(typeof r.body?.error?.message, 'string', r.text);
  if (code) assert.equal(r.body.error.code, code, r.text);
}

// A PNG chunk: length, type, data and CRC-32.
export function pngChunk(type, data) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
}

// A real w x h RGB PNG (a green field under a blue sky), for uploads that a
// browser must decode and show; with alpha, RGBA (the sky see-through).
export function makePng(w, h, { alpha = false } = {}) {
  const bpp = alpha ? 4 : 3;
  const { deflateSync } = zlib;
  const chunk = pngChunk;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = alpha ? 6 : 2; // 8-bit RGB(A)
  const raw = Buffer.alloc((w * bpp + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = y * (w * bpp + 1) + 1 + x * bpp;
      const sky = y < h * 0.45;
      raw[o] = sky ? 110 : 40 + (x % 20);
      raw[o + 1] = sky ? 170 : 140 + (y % 30);
      raw[o + 2] = sky ? 235 : 50;
      if (alpha) raw[o + 3] = sky ? 160 : 255;
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A multipart/form-data body built by hand, for what FormData will not send
// (a NUL byte in a file name, oversized part headers, a missing closing
// delimiter, two file parts).  parts: [{ name, filename, type, data,
// headers: ['X-Extra: 1'] }]; a part is written exactly as given (strings
// as UTF-8).
export function multipartBody(parts, { boundary = `b${randomBytes(12).toString('hex')}`, close = true } = {}) {
  const out = [];
  for (const p of parts) {
    let disp = `Content-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) disp += `; filename="${p.filename}"`;
    const head = [disp];
    if (p.type) head.push(`Content-Type: ${p.type}`);
    head.push(...(p.headers || []));
    out.push(Buffer.from(`--${boundary}\r\n${head.join('\r\n')}\r\n\r\n`));
    out.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data ?? ''));
    out.push(Buffer.from('\r\n'));
  }
  if (close) out.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(out), boundary, contentType: `multipart/form-data; boundary=${boundary}` };
}

// POST a raw body to /api/v1/chat/media (contentType undefined: none sent).
export function uploadRaw(token, body, contentType) {
  return api('POST', '/api/v1/chat/media', {
    token, raw: body, headers: contentType === undefined ? {} : { 'Content-Type': contentType },
  });
}

// One HTTP/1.1 exchange written byte for byte over TCP, for requests fetch
// will not make (a Content-Length that lies, a path with literal "..").
// With end, the client closes its side after writing.  Resolves with the
// first response ({status, headers, body, text}), or status 0 when the
// server closed (or ms passed) without answering.
// A chunked body's data (Apache sends what it did not know the length of
// so, even on a connection it closes).
function dechunk(raw) {
  let out = '';
  for (let at = 0; at < raw.length;) {
    const eol = raw.indexOf('\r\n', at);
    const n = eol < 0 ? 0 : parseInt(raw.slice(at, eol), 16);
    if (!n) break;
    out += raw.slice(eol + 2, eol + 2 + n);
    at = eol + 2 + n + 2;
  }
  return out;
}

export function rawHttp(bytes, { end = true, ms = 3000 } = {}) {
  const u = new URL(BASE);
  return new Promise((resolve) => {
    const chunks = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const all = Buffer.concat(chunks).toString('latin1');
      const cut = all.indexOf('\r\n\r\n');
      if (cut < 0) return resolve({ status: 0, headers: new Map(), body: null, text: all });
      const lines = all.slice(0, cut).split('\r\n');
      const headers = new Map(lines.slice(1).map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
      }));
      const len = Number(headers.get('content-length') ?? all.length - cut - 4);
      let text = all.slice(cut + 4, cut + 4 + len);
      if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) text = dechunk(all.slice(cut + 4));
      let body = null;
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      resolve({ status: Number(lines[0].split(' ')[1]) || 0, headers, body, text });
    };
    const sock = connectTcp(Number(u.port), u.hostname, () => {
      sock.write(bytes);
      if (end) sock.end();
    });
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', finish);
    sock.on('close', finish);
    const timer = setTimeout(finish, ms);
  });
}

// What the upload directory and the media table hold now: rows, the
// finished files, and the temp files (which must never outlive a request).
export function uploadsState() {
  const dir = `${process.env.STATE_DIR}/uploads`;
  return {
    rows: Number(sqlOne('SELECT COUNT(*) FROM media')),
    chat: readdirSync(`${dir}/chat`).sort(),
    tmp: readdirSync(`${dir}/tmp`).sort(),
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

// A second pushd of the running stack (same database and config) with
// settings of its own from env (CHAT_PUSHD_* overrides), on a free port,
// spoken to directly.  -> { base, stop(), kill() }
export async function startPushd(name, env) {
  const port = await freePort();
  const st = process.env.STATE_DIR;
  const child = spawn(`${process.env.abs_top_builddir}/pushd/pushd`,
    ['-c', process.env.CHAT_CONF, '-l', `${st}/log/pushd-${name}.log`], {
      stdio: 'ignore',
      // A node of no cluster unless env says so (cluster.test.mjs does).
      env: { ...process.env, CHAT_PUSHD_PORT: String(port), CHAT_PUSHD_SOCKET: `${st}/run/pushd-${name}.sock`, CHAT_PUSHD_CLUSTER: '', ...env },
    });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const r = await fetch(`${base}/socket.io/?EIO=4&transport=polling`).catch(() => null);
    if (r?.status === 200) {
      // Close the probe's session: it would count against 127.0.0.1.
      const { sid } = JSON.parse((await r.text()).slice(1));
      await fetch(`${base}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '1' });
      break;
    }
    if (i > 200 || child.exitCode !== null) throw new Error(`pushd ${name} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    base,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
