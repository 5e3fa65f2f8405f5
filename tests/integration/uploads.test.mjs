// Upload abuse: bytes that lie about their type, hostile file names, broken
// and oversized multipart bodies.  Every refusal is a 4xx JSON error and
// leaves no file (finished or temp) and no media row.  Then what the served
// files and the pages carry.  (media.test.mjs has the ordinary cases.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  api, BASE, FILES, isError, multipartBody, newUser, rawHttp, sqlOne, upload, uploadRaw, uploadsState,
} from './lib.mjs';

const MiB = 1024 * 1024;
const le32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const bytes = (...xs) => Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from(x))));
const junk = () => randomBytes(200);

// More files, by their magic bytes (see lib/magic.c).
const F = {
  ...FILES,
  webm: bytes([0x1a, 0x45, 0xdf, 0xa3, 0x87, 0x42, 0x82, 0x84], 'webm', junk()),
  matroska: bytes([0x1a, 0x45, 0xdf, 0xa3, 0x8b, 0x42, 0x82, 0x88], 'matroska', junk()),
  m4a: bytes([0, 0, 0, 0x18], 'ftypM4A ', [0, 0, 0, 0], 'M4A isom', junk()),
  avif: bytes([0, 0, 0, 0x18], 'ftypavif', [0, 0, 0, 0], 'avifmif1', junk()),
  ogg: bytes('OggS\0', junk()),
  wav: bytes('RIFF', le32(1000), 'WAVEfmt ', junk()),
  aac: bytes([0xff, 0xf1, 0x50, 0x80, 0x20, 0x1f, 0xfc], junk()),
  pdf: bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n'),
  zip: bytes('PK\x03\x04', junk()),
  elf: bytes('\x7fELF\x02\x01\x01', junk()),
  utf16: bytes([0xff, 0xfe], Buffer.from('<html><script>alert(1)</script></html>', 'utf16le')),
  svgBom: bytes('\xef\xbb\xbf \n', FILES.svg),
  pngCut: bytes([0x89, 0x50, 0x4e, 0x47], '<html><script>alert(1)</script></html>'),
  polyglot: bytes(FILES.png.subarray(0, 8), '<html><body><script>alert(document.domain)</script></body></html>'),
};

// The request must not change the upload directory or the media table.
async function leavesNothing(label, fn) {
  const before = uploadsState();
  const r = await fn();
  const after = uploadsState();
  assert.deepEqual(after.tmp, [], `${label}: a temp file was left behind`);
  assert.deepEqual(after.chat, before.chat, `${label}: a file was stored`);
  assert.equal(after.rows, before.rows, `${label}: a media row was added`);
  return r;
}

async function refused(label, fn, status, code) {
  const r = await leavesNothing(label, fn);
  assert.equal(r.status, status, `${label}: expected ${status}, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, `${label}: not JSON`);
  assert.equal(typeof r.body?.error?.message, 'string', `${label}: ${r.text}`);
  assert.ok(r.body.error.message.length > 0, label);
  if (code) assert.equal(r.body.error.code, code, `${label}: ${r.text}`);
  return r;
}

// upload() answers without headers; this one keeps them.
async function post(token, { file, name, type, mime }) {
  const parts = [];
  if (type !== undefined) parts.push({ name: 'type', data: type });
  if (file !== undefined) parts.push({ name: 'file', filename: name, type: mime, data: file });
  const m = multipartBody(parts);
  return uploadRaw(token, m.body, m.contentType);
}

test('bytes that are not an allowed format of the claimed type are refused with 415, whatever the name and MIME say', async () => {
  const u = await newUser('Liar');
  const cases = [
    // Script-bearing documents dressed as images.
    ['SVG as image/png x.png', { file: F.svg, name: 'x.png', type: 'image', mime: 'image/png' }],
    ['SVG behind a BOM and white space as x.png', { file: F.svgBom, name: 'x.png', type: 'image', mime: 'image/png' }],
    ['HTML as image/png x.png', { file: F.html, name: 'x.png', type: 'image', mime: 'image/png' }],
    ['HTML as image/gif x.gif', { file: F.html, name: 'x.gif', type: 'image', mime: 'image/gif' }],
    ['UTF-16 HTML (FF FE) as audio/mpeg', { file: F.utf16, name: 'x.mp3', type: 'audio', mime: 'audio/mpeg' }],
    ['PNG signature cut short, then HTML', { file: F.pngCut, name: 'x.png', type: 'image', mime: 'image/png' }],
    // Other documents and programs.
    ['PDF as image/png', { file: F.pdf, name: 'x.png', type: 'image', mime: 'image/png' }],
    ['ZIP as image/jpeg', { file: F.zip, name: 'x.jpg', type: 'image', mime: 'image/jpeg' }],
    ['ELF as video/mp4', { file: F.elf, name: 'x.mp4', type: 'video', mime: 'video/mp4' }],
    // Real media of another type than the one claimed.
    ['MP4 as image', { file: F.mp4, name: 'x.png', type: 'image', mime: 'image/png' }],
    ['GIF as video', { file: F.gif, name: 'x.mp4', type: 'video', mime: 'video/mp4' }],
    ['JPEG as audio', { file: F.jpeg, name: 'x.mp3', type: 'audio', mime: 'audio/mpeg' }],
    ['MP3 as video', { file: F.mp3, name: 'x.mp4', type: 'video', mime: 'video/mp4' }],
    ['WAV as image', { file: F.wav, name: 'x.png', type: 'image', mime: 'image/png' }],
    ['AVIF (ISO BMFF image brand) as video', { file: F.avif, name: 'x.mp4', type: 'video', mime: 'video/mp4' }],
    ['Matroska (not WebM) as video', { file: F.matroska, name: 'x.webm', type: 'video', mime: 'video/webm' }],
  ];
  for (const [label, opts] of cases) {
    await refused(label, () => post(u.token, opts), 415, 'unsupported_media_type');
  }
  // The allowed neighbours of the refused ones pass (the files above are
  // refused for their bytes, not for being built wrong).
  for (const [file, type, format] of [[F.webm, 'video', 'video/webm'], [F.gif, 'image', 'image/gif'], [F.m4a, 'audio', 'audio/mp4']]) {
    const r = await upload(u.token, { file, name: 'ok.bin', type });
    assert.equal(r.status, 201, `${format}: ${r.text}`);
    assert.equal(r.body.data[0].format, format);
  }
});

test('the stored format, extension and served Content-Type come from the bytes, never from the claim', async () => {
  const u = await newUser('Claimer');
  const r = await upload(u.token, { file: F.jpeg, name: 'photo.png', type: 'image', mime: 'image/png' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.data[0].format, 'image/jpeg');
  assert.match(r.body.data[0].url, /\/uploads\/chat\/[0-9a-f]{32}\.jpg$/);
  assert.equal((await fetch(r.body.data[0].url)).headers.get('content-type'), 'image/jpeg');
  // A PNG signature followed by HTML is an "image" to a sniffer of magic
  // bytes, but does not decode: refused.  A real PNG with HTML after its
  // end is stored decoded and encoded anew: the HTML is gone, and what is
  // served is image/png in a sandbox.
  await refused('PNG signature, then HTML', () => post(u.token, { file: F.polyglot, name: 'page.html', type: 'image', mime: 'text/html' }),
    415, 'unsupported_media_type');
  const html = '<html><body><script>alert(document.domain)</script></body></html>';
  const p = await upload(u.token, { file: bytes(F.png, html), name: 'page.html', type: 'image', mime: 'text/html' });
  assert.equal(p.status, 201, p.text);
  assert.match(p.body.data[0].url, /\.png$/);
  const res = await fetch(p.body.data[0].url);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(Buffer.from(await res.clone().arrayBuffer()).indexOf('<script'), -1, 'the HTML is not stored');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('content-security-policy') || '', /sandbox/);
  assert.match(res.headers.get('content-security-policy') || '', /default-src 'none'/);
});

test('file names: a NUL byte, a control character or a line break in the header is refused; ../ is reduced to the last component', async () => {
  const u = await newUser('Pathfinder');
  const part = (filename) => multipartBody([
    { name: 'type', data: 'image' },
    { name: 'file', filename, type: 'image/png', data: F.png },
  ]);
  for (const [label, name] of [['NUL byte', 'evil\0.png'], ['NUL before ../', 'a.png\0../../x.png'], ['BEL', 'a\u0007.png'],
    ['CRLF and a header', 'a.png\r\nContent-Type: text/html'], ['unterminated quote', 'a.png; x="']]) {
    const m = part(name);
    await refused(`file name with ${label}`, () => uploadRaw(u.token, m.body, m.contentType), 400, 'bad_request');
  }
  // Traversal attempts are accepted as display names only: the server
  // stores the bytes under its own random name in uploads/chat/, and the
  // display name keeps nothing but the last path component.
  const root = `${process.env.STATE_DIR}/uploads`;
  const chatBefore = new Set(readdirSync(`${root}/chat`));
  const names = {
    '../../../../tmp/evil.png': 'evil.png',
    '..\\..\\windows\\evil2.png': 'evil2.png',
    '/etc/cron.d/evil3.png': 'evil3.png',
    '....//....//evil4.png': 'evil4.png',
    '../': 'file',
    '..': 'file',
    '.htaccess': 'htaccess',
    // Bidi overrides (\u202e shows "evil\u202egnp.exe" as "evilexe.png") and
    // other controls are dropped.
    'evil\u202egnp.exe': 'evilgnp.exe',
    'a\u200fb\u0085c\u2028.png': 'abc.png',
  };
  for (const [raw, shown] of Object.entries(names)) {
    const m = part(raw);
    const r = await uploadRaw(u.token, m.body, m.contentType);
    assert.equal(r.status, 201, `${raw}: ${r.text}`);
    assert.equal(r.body.data[0].name, shown, raw);
    const file = sqlOne(`SELECT fileName FROM media WHERE id = ${r.body.data[0]._id}`);
    assert.match(file, /^[0-9a-f]{32}\.png$/, raw);
    assert.ok(!chatBefore.has(file) && existsSync(`${root}/chat/${file}`), raw);
  }
  // A long name is cut to 255 bytes without breaking a UTF-8 sequence.
  const long = part(`${'\u{1f33e}'.repeat(100)}.png`);
  const lr = await uploadRaw(u.token, long.body, long.contentType);
  assert.equal(lr.status, 201, lr.text);
  const shown = lr.body.data[0].name;
  assert.ok(Buffer.byteLength(shown) <= 255 && Buffer.byteLength(shown) > 200, shown);
  assert.match(shown, /^(\u{1f33e})+$/u);
  for (const p of ['/tmp/evil.png', `${root}/evil.png`, `${root}/tmp/evil.png`, `${process.env.STATE_DIR}/evil.png`,
    `${root}/chat/evil.png`, `${root}/chat/.htaccess`, `${root}/.htaccess`]) {
    assert.ok(!existsSync(p), `${p} must not exist`);
  }
  assert.deepEqual(readdirSync(`${root}/tmp`), []);
});

// The answer to a body whose client stopped sending: none, or a 4xx; under
// Apache's mod_fcgid, which answers a body that never comes with a 500 of
// its own, that 500 as the site's JSON.
const refusedCut = (r) => r.status === 0 || (r.status >= 400 && r.status < 500)
  || (process.env.WEB === 'apache' && r.status === 500 && r.body?.error?.code === 'internal_error');

test('a body cut off midway, with an honest or a lying Content-Length, is refused and leaves nothing', async () => {
  const u = await newUser('Cutter');
  const m = multipartBody([{ name: 'type', data: 'image' }, { name: 'file', filename: 'a.png', type: 'image/png', data: F.png }]);
  const whole = m.body;
  const at = (s) => whole.indexOf(s);
  const cuts = {
    'inside the part headers': at('image/png') + 3,
    'inside the file data': at('image/png') + 20 + 100,
    'inside the closing delimiter': whole.length - 6,
    'before the first delimiter ends': 10,
    'empty body': 0,
  };
  for (const [label, n] of Object.entries(cuts)) {
    await refused(`cut ${label} (honest length)`, () => uploadRaw(u.token, whole.subarray(0, n), m.contentType), 400, 'bad_request');
  }
  // A body whose delimiters use another boundary than the header's.
  const other = multipartBody([{ name: 'type', data: 'image' }, { name: 'file', filename: 'a.png', data: F.png }]);
  await refused('delimiters of another boundary', () => uploadRaw(u.token, other.body, m.contentType), 400, 'bad_request');

  const request = (len, body) => Buffer.concat([Buffer.from(
    'POST /api/v1/chat/media HTTP/1.1\r\nHost: test\r\nConnection: close\r\n'
    + `Authorization: Bearer ${u.token}\r\nContent-Type: ${m.contentType}\r\nContent-Length: ${len}\r\n\r\n`), body]);
  // Content-Length larger than what is sent, then the client closes:
  // lighttpd drops the request before the API ever sees it.
  const short = await leavesNothing('Content-Length too large', () => rawHttp(request(whole.length + 500, whole.subarray(0, 300))));
  assert.ok(refusedCut(short), `got ${short.status}: ${short.text}`);
  // Content-Length smaller than the body: the API reads that many bytes,
  // finds no closing delimiter and says so; the rest is not a request.
  const long = await leavesNothing('Content-Length too small', () => rawHttp(request(whole.length - 40, whole)));
  assert.equal(long.status, 400, long.text);
  assert.equal(long.body?.error?.code, 'bad_request', long.text);
  assert.match(long.body.error.message, /cut off/);
  // The same with Transfer-Encoding: chunked: the client stops sending, or
  // ends the chunks early.
  const chunked = Buffer.from('POST /api/v1/chat/media HTTP/1.1\r\nHost: test\r\nConnection: close\r\n'
    + `Authorization: Bearer ${u.token}\r\nContent-Type: ${m.contentType}\r\nTransfer-Encoding: chunked\r\n\r\n`);
  const chunk = (b) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
  const dropped = await leavesNothing('chunked, client stops', () => rawHttp(Buffer.concat([chunked, chunk(whole.subarray(0, 150))])));
  assert.ok(refusedCut(dropped), `got ${dropped.status}: ${dropped.text}`);
  const ended = await leavesNothing('chunked, ended early', () => rawHttp(Buffer.concat([chunked, chunk(whole.subarray(0, 150)), Buffer.from('0\r\n\r\n')])));
  assert.equal(ended.status, 400, ended.text);
  assert.equal(ended.body?.error?.code, 'bad_request', ended.text);
  // (and a whole chunked upload is fine)
  const fine = await rawHttp(Buffer.concat([chunked, chunk(whole.subarray(0, 150)), chunk(whole.subarray(150)), Buffer.from('0\r\n\r\n')]));
  assert.equal(fine.status, 201, fine.text);
});

test('part headers over the 2 KiB cap are refused; just under it they pass', async () => {
  const u = await newUser('Header Stuffer');
  const withHeaders = (headers) => multipartBody([
    { name: 'type', data: 'image' },
    { name: 'file', filename: 'a.png', type: 'image/png', data: F.png, headers },
  ]);
  const one = withHeaders([`X-Pad: ${'a'.repeat(2100)}`]);
  const r = await refused('one 2 KiB header line', () => uploadRaw(u.token, one.body, one.contentType), 400, 'bad_request');
  assert.match(r.body.error.message, /too long/);
  const many = withHeaders(Array.from({ length: 60 }, (_, i) => `X-Pad-${i}: ${'b'.repeat(30)}`));
  await refused('many header lines over 2 KiB together', () => uploadRaw(u.token, many.body, many.contentType), 400, 'bad_request');
  const huge = withHeaders([`X-Pad: ${'c'.repeat(200000)}`]);
  await refused('a 200 KB header line', () => uploadRaw(u.token, huge.body, huge.contentType), 400, 'bad_request');
  const ok = withHeaders([`X-Pad: ${'d'.repeat(1800)}`]);
  assert.equal((await uploadRaw(u.token, ok.body, ok.contentType)).status, 201);
});

test('files over their type\'s cap are 413 (the cap itself is fine); a body over every cap is refused unread', async () => {
  const u = await newUser('Big Sender');
  const sized = (head, n) => Buffer.concat([head, Buffer.alloc(n - head.length, 0x41)]);
  // (What is stored of an image is its display version: size says that.)
  const atCap = await upload(u.token, { file: sized(F.png, MiB), name: 'cap.png', type: 'image' });
  assert.equal(atCap.status, 201, atCap.text);
  const audioAtCap = await upload(u.token, { file: sized(F.mp3, MiB), name: 'cap.mp3', type: 'audio' });
  assert.equal(audioAtCap.status, 201, audioAtCap.text);
  assert.equal(audioAtCap.body.data[0].size, MiB);
  await refused('image cap + 1 byte', () => post(u.token, { file: sized(F.png, MiB + 1), name: 'big.png', type: 'image' }), 413, 'payload_too_large');
  await refused('audio cap + 1 byte', () => post(u.token, { file: sized(F.mp3, MiB + 1), name: 'big.mp3', type: 'audio' }), 413, 'payload_too_large');
  // 2.5 MiB: more than the largest cap plus framing, refused on its
  // Content-Length alone.
  await refused('a 2.5 MiB body', () => post(u.token, { file: sized(F.mp4, 2.5 * MiB), name: 'big.mp4', type: 'video' }), 413, 'payload_too_large');
});

test('a missing or broken boundary is 415; two files, too many parts and broken parts are 400', async () => {
  const u = await newUser('Framer');
  const m = multipartBody([{ name: 'type', data: 'image' }, { name: 'file', filename: 'a.png', type: 'image/png', data: F.png }],
    { boundary: 'simple-boundary' });
  const types = {
    'no boundary': 'multipart/form-data',
    'empty boundary': 'multipart/form-data; boundary=',
    'empty quoted boundary': 'multipart/form-data; boundary=""',
    'boundary twice': 'multipart/form-data; boundary=simple-boundary; boundary=other',
    'boundary of 71 characters': `multipart/form-data; boundary=${'x'.repeat(71)}`,
    'boundary with a forbidden character': 'multipart/form-data; boundary=simple{boundary',
    'multipart/mixed': 'multipart/mixed; boundary=simple-boundary',
    'no Content-Type': undefined,
  };
  for (const [label, ct] of Object.entries(types)) {
    await refused(label, () => uploadRaw(u.token, m.body, ct), 415, 'unsupported_media_type');
  }
  // The quoted form of the same boundary is fine.
  assert.equal((await uploadRaw(u.token, m.body, 'multipart/form-data; boundary="simple-boundary"')).status, 201);

  const two = multipartBody([
    { name: 'type', data: 'image' },
    { name: 'file', filename: 'a.png', type: 'image/png', data: F.png },
    { name: 'file', filename: 'b.png', type: 'image/png', data: F.png },
  ]);
  const r = await refused('two file parts', () => uploadRaw(u.token, two.body, two.contentType), 400, 'validation_failed');
  assert.match(r.body.error.message, /one file/);
  const ten = multipartBody([
    ...Array.from({ length: 8 }, (_, i) => ({ name: `f${i}`, data: 'x' })),
    { name: 'type', data: 'image' },
    { name: 'file', filename: 'a.png', type: 'image/png', data: F.png },
  ]);
  await refused('ten parts', () => uploadRaw(u.token, ten.body, ten.contentType), 400, 'bad_request');
  // A good file part, then a part whose headers do not parse: the temp
  // file of the first is removed too.
  const broken = multipartBody([
    { name: 'type', data: 'image' },
    { name: 'file', filename: 'a.png', type: 'image/png', data: F.png },
    { name: 'x', data: 'y', headers: ['Bad Header: space before the colon'] },
  ]);
  await refused('a broken part after the file', () => uploadRaw(u.token, broken.body, broken.contentType), 400, 'bad_request');
  const noDisposition = Buffer.from(`--${m.boundary}\r\nContent-Type: image/png\r\n\r\nxx\r\n--${m.boundary}--\r\n`);
  await refused('a part without Content-Disposition', () => uploadRaw(u.token, noDisposition, m.contentType), 400, 'bad_request');
  const typeAsFile = multipartBody([{ name: 'type', filename: 'type.txt', data: 'image' }, { name: 'file', filename: 'a.png', data: F.png }]);
  await refused('type sent as a file part', () => uploadRaw(u.token, typeAsFile.body, typeAsFile.contentType), 400, 'validation_failed');
  await refused('no token', () => uploadRaw(undefined, m.body, m.contentType), 401, 'unauthorized');
});

test('served media: nosniff, no framing and a sandbox CSP on all; images inline, video and audio as plain attachments', async () => {
  const u = await newUser('Server Check');
  const kinds = [
    [F.png, 'image', 'image/png'], [F.jpeg, 'image', 'image/jpeg'], [F.gif, 'image', 'image/gif'],
    [F.mp4, 'video', 'video/mp4'], [F.webm, 'video', 'video/webm'],
    [F.mp3, 'audio', 'audio/mpeg'], [F.aac, 'audio', 'audio/aac'], [F.m4a, 'audio', 'audio/mp4'],
    [F.ogg, 'audio', 'audio/ogg'], [F.wav, 'audio', 'audio/wav'], [F.webm, 'audio', 'audio/webm'],
  ];
  for (const [file, type, format] of kinds) {
    // A hostile display name must not reach any header.
    const r = await upload(u.token, { file, name: 'x"; filename="evil.html', type });
    assert.equal(r.status, 201, `${format}: ${r.text}`);
    assert.equal(r.body.data[0].format, format);
    const res = await fetch(r.body.data[0].url);
    assert.equal(res.status, 200, format);
    // (audio/webm is stored as .weba: served as audio, not as a video)
    assert.equal(res.headers.get('content-type'), format, format);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', format);
    assert.match(res.headers.get('content-security-policy') || '', /^default-src 'none'; sandbox; frame-ancestors 'none'$/, format);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', format);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', format);
    const cd = res.headers.get('content-disposition');
    if (type === 'image') assert.equal(cd, null, `${format} is shown inline`);
    else assert.equal(cd, 'attachment', `${format} must be served as a bare attachment, got ${cd}`);
  }
  // Neither the temp directory nor a listing nor anything outside
  // uploads/chat/ is reachable.
  for (const path of ['/uploads/tmp/', '/uploads/tmp/up-000000', '/uploads/chat/', '/uploads/chat/../../chat.conf',
    '/uploads/chat/..%2f..%2fchat.conf', '/uploads/chat/%2e%2e/%2e%2e/jwt.secret', '/uploads/../jwt.secret']) {
    const r = await rawHttp(Buffer.from(`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`));
    assert.ok(r.status >= 400 && r.status < 500, `${path}: ${r.status}`);
    assert.doesNotMatch(r.text, /\[db\]|secret_file|password/, path);
  }
});

test('every page and API answer carries CSP with frame-ancestors, nosniff, Referrer-Policy and X-Frame-Options', async () => {
  const u = await newUser('Header Reader');
  // The source tree's pages (run.sh runs a staged copy of this file).
  const pages = readdirSync(`${process.env.abs_top_srcdir}/www`).filter((f) => f.endsWith('.html'));
  assert.ok(pages.includes('index.html') && pages.includes('user.html'), pages.join());
  const targets = [
    ['GET /', () => fetch(`${BASE}/`)],
    ...pages.map((f) => [`GET /${f}`, () => fetch(`${BASE}/${f}`)]),
    ['GET /api/v1/health', () => fetch(`${BASE}/api/v1/health`)],
    ['GET /api/v1/users/me', () => fetch(`${BASE}/api/v1/users/me`, { headers: { Authorization: `Bearer ${u.token}` } })],
    ['GET /api/v1/users/me without a token (401)', () => fetch(`${BASE}/api/v1/users/me`)],
    ['GET /api/v1/nope (404)', () => fetch(`${BASE}/api/v1/nope`)],
    ['POST /api/v1/chat/media refused (415)', () => fetch(`${BASE}/api/v1/chat/media`, {
      method: 'POST', headers: { Authorization: `Bearer ${u.token}`, 'Content-Type': 'text/plain' }, body: 'x' })],
  ];
  for (const [label, get] of targets) {
    const res = await get();
    await res.arrayBuffer();
    const csp = res.headers.get('content-security-policy') || '';
    assert.match(csp, /frame-ancestors 'none'/, label);
    assert.match(csp, /default-src 'self'/, label);
    assert.match(csp, /script-src 'self'/, label);
    assert.match(csp, /object-src 'none'/, label);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, label);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', label);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', label);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', label);
    if (label.includes('/api/')) {
      assert.match(res.headers.get('content-type') || '', /^application\/json/, label);
      assert.equal(res.headers.get('cache-control'), 'no-store', label);
    } else {
      assert.match(res.headers.get('content-type') || '', /^text\/html/, label);
    }
  }
  // And the API refusals themselves are JSON with the error envelope.
  isError(assert, await api('POST', '/api/v1/chat/media', { token: u.token, body: { file: 'x' } }), 415, 'unsupported_media_type');
});

// run.sh: upload.daily_bytes = 4 MiB, max_audio = 1 MiB.  Audio is stored
// as uploaded (an image is counted by its smaller display version:
// images.test.mjs).
test('each account has a daily upload quota; over it a JSON 429, other accounts unaffected', async () => {
  const u = await newUser('Quota User');
  const big = () => Buffer.concat([F.mp3, randomBytes(MiB - F.mp3.length)]);
  for (let i = 0; i < 3; i++) assert.equal((await upload(u.token, { file: big(), name: `p${i}.mp3`, type: 'audio' })).status, 201);
  // 3 MiB stored: another whole MiB would pass 4 MiB.
  const before = uploadsState();
  const over = await upload(u.token, { file: big(), name: 'p3.mp3', type: 'audio' });
  isError(assert, over, 429, 'too_many_requests');
  assert.match(over.body.error.message, /quota/);
  assert.ok(over.body.error.retryAfter > 0 && over.body.error.retryAfter <= 86400);
  assert.deepEqual(uploadsState(), before, 'nothing of it stored');
  // Bytes, not files: a small one still fits; another account is not affected.
  assert.equal((await upload(u.token, { file: F.png, name: 'small.png', type: 'image' })).status, 201);
  assert.equal((await upload((await newUser('Other Uploader')).token, { file: big(), name: 'o.mp3', type: 'audio' })).status, 201);
});

test('uploads never sent in a message are removed after upload.unused_ttl, file and row; sent ones stay', async () => {
  const u = await newUser('Sweeper User');
  const conv = await api('POST', '/api/v1/chat/conversations', { token: u.token });
  const up = async (name) => (await upload(u.token, { file: F.png, name, type: 'image' })).body.data[0];
  const unsent = await up('unsent.png');
  const sent = await up('sent.png');
  assert.equal((await api('POST', '/api/v1/chat/messages', { token: u.token,
    body: { conversationId: conv.body.data._id, messageType: 'image', mediaId: sent._id } })).status, 201);
  const file = (m) => `${process.env.STATE_DIR}/uploads/chat/${sqlOne(`SELECT fileName FROM media WHERE id = ${m._id}`)}`;
  const unsentFile = file(unsent);
  const sentFile = file(sent);
  // Two days old (run.sh keeps the default TTL of a day).
  sqlOne(`UPDATE media SET createdAt = createdAt - INTERVAL 2 DAY WHERE id IN (${unsent._id}, ${sent._id})`);
  // The next upload by anyone sweeps a few on its way.
  await up('trigger.png');
  assert.equal(sqlOne(`SELECT COUNT(*) FROM media WHERE id = ${unsent._id}`), '0', 'the unsent row is gone');
  assert.equal(existsSync(unsentFile), false, 'and its file');
  assert.equal(sqlOne(`SELECT COUNT(*) FROM media WHERE id = ${sent._id}`), '1', 'a sent one stays');
  assert.equal(existsSync(sentFile), true);
  isError(assert, await api('POST', '/api/v1/chat/messages', { token: u.token,
    body: { conversationId: conv.body.data._id, messageType: 'image', mediaId: unsent._id } }), 400, 'validation_failed');
  // chatadm sweep does the same for cron, all at once.
  const later = await up('later.png');
  const laterFile = file(later);
  sqlOne(`UPDATE media SET createdAt = createdAt - INTERVAL 2 DAY WHERE id = ${later._id}`);
  const out = execFileSync(process.env.CHATADM, ['-c', process.env.CHAT_CONF, 'sweep'], { encoding: 'utf8' });
  assert.match(out, /^\d+ unused uploads removed/);
  assert.equal(sqlOne(`SELECT COUNT(*) FROM media WHERE id = ${later._id}`), '0');
  assert.equal(existsSync(laterFile), false);
  assert.equal(existsSync(sentFile), true);
});
