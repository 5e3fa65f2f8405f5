// Image uploads are stored as a display version (at most 1600 px on the long
// side) and a thumbnail (at most 320 px), made anew by libvips: no EXIF (no
// GPS), orientation applied, the media object saying thumbUrl, width and
// height.  Damaged images, image bombs and too many pixels are refused and
// leave nothing.  The test images are made with libvips's command line
// (libvips-tools), the EXIF block by hand below.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as zlib from 'node:zlib';
import { api, conversationWith, FILES, makePng, newStaff, newUser, pngChunk, sqlOne, upload, uploadsState } from './lib.mjs';

const work = mkdtempSync(`${tmpdir()}/chat-images-`);
after(() => rmSync(work, { recursive: true, force: true }));

const vips = (...args) => execFileSync('vips', args, { cwd: work, encoding: 'utf8' });
const fileOf = (name) => readFileSync(`${work}/${name}`);

// w x h, black with a white w/4 x h/4 block in its top left corner, saved
// as name (the extension and [options] choose the format).
function blockImage(name, w, h, bands = 3) {
  vips('black', 'blk.v', String(Math.round(w / 4)), String(Math.round(h / 4)), '--bands', String(bands));
  vips('linear', 'blk.v', 'white.v', '1', '255', '--uchar');
  vips('embed', 'white.v', 'img.v', '0', '0', String(w), String(h));
  vips('copy', 'img.v', name);
  return fileOf(name.replace(/\[.*$/, ''));
}

// --- EXIF by hand: a TIFF structure (big-endian) in an APP1 segment ---------
const u16 = (n) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
// An IFD entry: tag, type (2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL), count,
// and the value (4 bytes, left-justified) or the offset of it.
const entry = (tag, type, count, value) => Buffer.concat([u16(tag), u16(type), u32(count), value]);
const short = (n) => Buffer.concat([u16(n), u16(0)]);
const rationals = (...xs) => Buffer.concat(xs.flatMap((x) => [u32(x), u32(1)]));

// Orientation and a GPS position (28.6 N, 77.2 E) as a phone writes them.
function exifSegment(orientation) {
  const ifd0At = 8;
  const ifd0Len = 2 + 2 * 12 + 4;
  const gpsAt = ifd0At + ifd0Len;
  const gpsLen = 2 + 4 * 12 + 4;
  const latAt = gpsAt + gpsLen;
  const lonAt = latAt + 24;
  const tiff = Buffer.concat([
    Buffer.from('MM'), u16(42), u32(ifd0At),
    u16(2), entry(0x0112, 3, 1, short(orientation)), entry(0x8825, 4, 1, u32(gpsAt)), u32(0),
    u16(4), entry(0x0001, 2, 2, Buffer.from('N\0\0\0', 'latin1')), entry(0x0002, 5, 3, u32(latAt)),
    entry(0x0003, 2, 2, Buffer.from('E\0\0\0', 'latin1')), entry(0x0004, 5, 3, u32(lonAt)), u32(0),
    rationals(28, 36, 50), rationals(77, 12, 30),
  ]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  return Buffer.concat([Buffer.from([0xff, 0xe1]), u16(body.length + 2), body]);
}
const withExif = (jpeg, orientation) => Buffer.concat([jpeg.subarray(0, 2), exifSegment(orientation), jpeg.subarray(2)]);

// --- what a stored file is ---------------------------------------------------
// A JPEG's segments up to the scan, and its size from the frame header.
function jpegInfo(buf) {
  assert.equal(buf.readUInt16BE(0), 0xffd8, 'a JPEG');
  const markers = [];
  let w = 0, h = 0;
  for (let i = 2; i + 4 <= buf.length;) {
    assert.equal(buf[i], 0xff, `a marker at ${i}`);
    const m = buf[i + 1];
    const len = buf.readUInt16BE(i + 2);
    markers.push(m);
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      h = buf.readUInt16BE(i + 5);
      w = buf.readUInt16BE(i + 7);
    }
    if (m === 0xda) break;
    i += 2 + len;
  }
  return { w, h, markers };
}

function pngInfo(buf) {
  assert.ok(buf.subarray(0, 8).equals(FILES.png.subarray(0, 8)), 'a PNG');
  const chunks = [];
  for (let i = 8; i + 8 <= buf.length; i += 12 + buf.readUInt32BE(i)) chunks.push(buf.toString('latin1', i + 4, i + 8));
  return { w: buf.readUInt32BE(16), h: buf.readUInt32BE(20), colorType: buf[25], chunks };
}

// No metadata at all: no APP1 (EXIF, XMP), APP2 (ICC), APP13 (IPTC), COM.
function assertBareJpeg(buf, label) {
  const { markers } = jpegInfo(buf);
  for (const m of [0xe1, 0xe2, 0xed, 0xfe]) assert.ok(!markers.includes(m), `${label}: marker ${m.toString(16)} in ${markers}`);
  assert.equal(buf.indexOf('Exif'), -1, `${label}: EXIF bytes`);
}

const point = (name, x, y) => vips('getpoint', name, String(x), String(y)).trim().split(/\s+/).map(Number);

async function served(url, label) {
  const res = await fetch(url);
  assert.equal(res.status, 200, label);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', label);
  assert.match(res.headers.get('content-security-policy') || '', /^default-src 'none'; sandbox; frame-ancestors 'none'$/, label);
  assert.equal(res.headers.get('content-disposition'), null, `${label} is shown inline`);
  return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

const KEYS = ['_id', 'format', 'height', 'name', 'size', 'thumbUrl', 'type', 'url', 'width'];

test('a 4000x3000 JPEG with GPS and orientation 6: an upright 1200x1600 display version and a 240x320 thumbnail, no EXIF in either', async () => {
  const jpeg = withExif(blockImage('photo.jpg[Q=85]', 4000, 3000), 6);
  writeFileSync(`${work}/in.jpg`, jpeg);
  // The fixture is what it claims: libvips reads the tags back.
  const head = execFileSync('vipsheader', ['-a', `${work}/in.jpg`], { encoding: 'utf8' });
  assert.match(head, /^width: 4000$/m);
  assert.match(head, /exif-ifd0-Orientation: 6/);
  assert.match(head, /exif-ifd3-GPSLatitude: 28\/1 36\/1 50\/1/);

  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const r = await upload(user.token, { file: jpeg, name: 'field.jpg', type: 'image', mime: 'image/jpeg' });
  assert.equal(r.status, 201, r.text);
  const m = r.body.data[0];
  assert.deepEqual(Object.keys(m).sort(), KEYS);
  assert.equal(m.format, 'image/jpeg');
  assert.deepEqual([m.width, m.height], [1200, 1600], 'portrait, 1600 on the long side');
  assert.match(m.url, /\/uploads\/chat\/[0-9a-f]{32}\.jpg$/);
  assert.equal(m.thumbUrl, m.url.replace(/\.jpg$/, '-thumb.jpg'));

  const display = await served(m.url, 'display');
  assert.equal(display.type, 'image/jpeg');
  assert.equal(m.size, display.bytes.length, 'size is the stored display file\'s');
  assert.ok(m.size < jpeg.length, `${m.size} < ${jpeg.length}`);
  assert.deepEqual([jpegInfo(display.bytes).w, jpegInfo(display.bytes).h], [1200, 1600]);
  assertBareJpeg(display.bytes, 'display');
  const thumb = await served(m.thumbUrl, 'thumbnail');
  assert.equal(thumb.type, 'image/jpeg');
  assert.deepEqual([jpegInfo(thumb.bytes).w, jpegInfo(thumb.bytes).h], [240, 320]);
  assertBareJpeg(thumb.bytes, 'thumbnail');
  // Turned, not just relabelled: the white top-left corner of the stored
  // pixels is the top right of the upright picture.
  writeFileSync(`${work}/display.jpg`, display.bytes);
  assert.ok(point('display.jpg', 1150, 50)[0] > 200, 'top right is white');
  assert.ok(point('display.jpg', 50, 50)[0] < 50, 'top left is black');
  assert.ok(point('display.jpg', 1150, 1550)[0] < 50, 'bottom right is black');
  assert.doesNotMatch(execFileSync('vipsheader', ['-a', `${work}/display.jpg`], { encoding: 'utf8' }), /exif|gps|orientation/i);

  // The same object in the message and from GET /media/:id.
  const sent = await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: id, messageType: 'image', mediaId: m._id } });
  assert.equal(sent.status, 201, sent.text);
  assert.deepEqual(sent.body.data.mediaId, m);
  const page = await api('GET', `/api/v1/chat/messages/${id}`, { token: agent.token });
  assert.deepEqual(page.body.data.find((x) => x._id === sent.body.data._id).mediaId, m);
  assert.deepEqual((await api('GET', `/api/v1/chat/media/${m._id}`, { token: agent.token })).body.data, m);
});

test('a small image is not enlarged; a PNG without alpha becomes a JPEG, with alpha stays PNG; WebP stays WebP', async () => {
  const u = await newUser('Formats');
  const small = await upload(u.token, { file: makePng(16, 12), name: 'small.png', type: 'image' });
  assert.equal(small.status, 201, small.text);
  assert.deepEqual([small.body.data[0].format, small.body.data[0].width, small.body.data[0].height], ['image/jpeg', 16, 12]);

  const rgba = blockImage('alpha.png', 2000, 1000, 4);
  assert.equal(pngInfo(rgba).colorType, 6, 'the fixture has alpha');
  const a = await upload(u.token, { file: rgba, name: 'logo.png', type: 'image' });
  assert.equal(a.status, 201, a.text);
  const am = a.body.data[0];
  assert.deepEqual([am.format, am.width, am.height], ['image/png', 1600, 800]);
  assert.match(am.url, /[0-9a-f]{32}\.png$/);
  assert.match(am.thumbUrl, /[0-9a-f]{32}-thumb\.png$/);
  const d = pngInfo((await served(am.url, 'PNG display')).bytes);
  assert.deepEqual([d.w, d.h, d.colorType], [1600, 800, 6], 'alpha kept');
  const t = pngInfo((await served(am.thumbUrl, 'PNG thumbnail')).bytes);
  assert.deepEqual([t.w, t.h, t.colorType], [320, 160, 6]);
  // No text, time, EXIF or ICC chunk (pHYs is the pixel density).
  for (const c of [...d.chunks, ...t.chunks]) assert.ok(['IHDR', 'PLTE', 'tRNS', 'pHYs', 'IDAT', 'IEND'].includes(c), `chunk ${c}`);

  const w = await upload(u.token, { file: blockImage('pic.webp', 1000, 2000), name: 'pic.webp', type: 'image' });
  assert.equal(w.status, 201, w.text);
  assert.deepEqual([w.body.data[0].format, w.body.data[0].width, w.body.data[0].height], ['image/webp', 800, 1600]);
  assert.equal((await served(w.body.data[0].thumbUrl, 'WebP thumbnail')).type, 'image/webp');
});

test('a GIF is kept as uploaded (animation and all), with a PNG thumbnail of its first frame', async () => {
  const u = await newUser('Gif Sender');
  const r = await upload(u.token, { file: FILES.gif, name: 'wave.gif', type: 'image' });
  assert.equal(r.status, 201, r.text);
  const m = r.body.data[0];
  assert.deepEqual([m.format, m.width, m.height, m.size], ['image/gif', 16, 12, FILES.gif.length]);
  assert.deepEqual((await served(m.url, 'GIF')).bytes, FILES.gif);
  const t = await served(m.thumbUrl, 'GIF thumbnail');
  assert.equal(t.type, 'image/png');
  assert.deepEqual([pngInfo(t.bytes).w, pngInfo(t.bytes).h], [16, 12]);
});

// Refused with status and code, leaving no file, temp file or row.
async function refused(label, token, file, status, code, message) {
  const before = uploadsState();
  const r = await upload(token, { file, name: 'x.img', type: 'image' });
  assert.equal(r.status, status, `${label}: ${r.text}`);
  assert.equal(r.body?.error?.code, code, `${label}: ${r.text}`);
  if (message) assert.match(r.body.error.message, message, label);
  assert.deepEqual(uploadsState(), before, `${label}: something was left behind`);
}

// A PNG of w x h whose one IDAT holds little: the header is what counts.
function pngClaiming(w, h) {
  const chunk = pngChunk;
  const ihdr = Buffer.concat([u32(w), u32(h), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([FILES.png.subarray(0, 8), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(1 << 20))), chunk('IEND', Buffer.alloc(0))]);
}

test('damaged images are 415; image bombs and more than 50 megapixels (16 progressive) are 413; nothing is left', async () => {
  const u = await newUser('Bomber');
  const photo = blockImage('cut.jpg', 1200, 900);
  await refused('JPEG signature then junk', u.token, Buffer.concat([FILES.jpeg.subarray(0, 4), randomBytes(3000)]), 415, 'unsupported_media_type', /cannot be read/);
  await refused('a JPEG cut in half', u.token, photo.subarray(0, photo.length >> 1), 415, 'unsupported_media_type', /damaged or cut off/);
  await refused('a PNG cut in half', u.token, FILES.png.subarray(0, FILES.png.length >> 1), 415, 'unsupported_media_type');
  await refused('PNG signature then HTML', u.token, Buffer.concat([FILES.png.subarray(0, 8), Buffer.from('<html><script>alert(1)</script></html>')]), 415, 'unsupported_media_type');
  // 10^10 pixels claimed by a 1 KiB file: refused from its header.
  await refused('a PNG claiming 100000x100000', u.token, pngClaiming(100000, 100000), 413, 'payload_too_large', /50 megapixels/);
  // A JPEG's frame header patched to claim 60000x60000.
  const big = Buffer.from(FILES.jpeg);
  const sof = big.indexOf(Buffer.from([0xff, 0xc0]));
  big.writeUInt16BE(60000, sof + 5);
  big.writeUInt16BE(60000, sof + 7);
  await refused('a JPEG claiming 60000x60000', u.token, big, 413, 'payload_too_large');
  // Decoded whole before shrinking: a lower cap.
  await refused('a 20 MP progressive JPEG', u.token, blockImage('prog.jpg[interlace]', 5000, 4000), 413, 'payload_too_large', /16 megapixels/);
  // The service is still there, and takes a good one.
  assert.equal((await upload(u.token, { file: photo, name: 'ok.jpg', type: 'image' })).status, 201);
});

test('the daily quota counts what is stored: uploads of 5.4 MB that store less than 4 MiB all pass', async () => {
  const u = await newUser('Quota Photographer');
  // Noise: a 900 KB PNG each, stored as a far smaller JPEG.
  writeFileSync(`${work}/noise.raw`, randomBytes(550 * 550 * 3));
  vips('rawload', 'noise.raw', 'noise.v', '550', '550', '3');
  vips('copy', 'noise.v', 'noise.png');
  const png = fileOf('noise.png');
  assert.ok(png.length > 880000, `${png.length}`);
  const ids = [];
  for (let i = 0; i < 6; i++) {
    const r = await upload(u.token, { file: png, name: `n${i}.png`, type: 'image' });
    assert.equal(r.status, 201, `upload ${i}: ${r.text}`);
    ids.push(r.body.data[0]._id);
  }
  const stored = Number(sqlOne(`SELECT SUM(size) FROM media WHERE ownerId = ${u.user.id}`));
  assert.ok(stored < 4 * 1024 * 1024 && stored < 6 * png.length, `${stored}`);
  // And the rows' sizes are the files'.
  for (const id of ids) {
    const [file, size, thumb] = [sqlOne(`SELECT fileName FROM media WHERE id = ${id}`), sqlOne(`SELECT size FROM media WHERE id = ${id}`),
      sqlOne(`SELECT thumbFileName FROM media WHERE id = ${id}`)];
    assert.equal(readFileSync(`${process.env.STATE_DIR}/uploads/chat/${file}`).length, Number(size));
    assert.ok(existsSync(`${process.env.STATE_DIR}/uploads/chat/${thumb}`));
  }
});

test('the sweeper removes an unsent image\'s thumbnail with it', async () => {
  const u = await newUser('Unsent Photo');
  const r = await upload(u.token, { file: FILES.jpeg, name: 'gone.jpg', type: 'image' });
  assert.equal(r.status, 201, r.text);
  const id = r.body.data[0]._id;
  const dir = `${process.env.STATE_DIR}/uploads/chat`;
  const files = [sqlOne(`SELECT fileName FROM media WHERE id = ${id}`), sqlOne(`SELECT thumbFileName FROM media WHERE id = ${id}`)];
  assert.ok(files.every((f) => existsSync(`${dir}/${f}`)), files.join());
  sqlOne(`UPDATE media SET createdAt = createdAt - INTERVAL 2 DAY WHERE id = ${id}`);
  execFileSync(process.env.CHATADM, ['-c', process.env.CHAT_CONF, 'sweep'], { encoding: 'utf8' });
  assert.equal(sqlOne(`SELECT COUNT(*) FROM media WHERE id = ${id}`), '0');
  for (const f of files) assert.equal(existsSync(`${dir}/${f}`), false, f);
});

test('video and audio: thumbUrl, width and height are null', async () => {
  const u = await newUser('Clip Sender');
  const r = await upload(u.token, { file: FILES.mp4, name: 'clip.mp4', type: 'video' });
  assert.equal(r.status, 201, r.text);
  const m = r.body.data[0];
  assert.deepEqual(Object.keys(m).sort(), KEYS);
  assert.deepEqual([m.thumbUrl, m.width, m.height], [null, null, null]);
  assert.equal(m.size, FILES.mp4.length);
});
