// /api/v1/chat/media: uploads checked by magic bytes and size, stored under a
// server-made name, served with nosniff; failures leave nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { api, BASE, conversationWith, FILES, isError, newStaff, newUser, sqlOne, upload } from './lib.mjs';

const tmpFiles = () => readdirSync(`${process.env.STATE_DIR}/uploads/tmp`);
const mediaRows = () => Number(sqlOne('SELECT COUNT(*) FROM media'));
const chatFiles = () => readdirSync(`${process.env.STATE_DIR}/uploads/chat`).length;

test('an image upload answers {data:[{_id,name,type,url,format,size,thumbUrl,width,height}]} and is served as its display version', async () => {
  const u = await newUser('Uploader');
  const r = await upload(u.token, { file: FILES.png, name: 'crop_disease.png', type: 'image', mime: 'image/png' });
  assert.equal(r.status, 201, r.text);
  const m = r.body.data[0];
  assert.deepEqual(Object.keys(m).sort(), ['_id', 'format', 'height', 'name', 'size', 'thumbUrl', 'type', 'url', 'width']);
  assert.equal(m.name, 'crop_disease.png');
  assert.equal(m.type, 'image');
  assert.equal(m.format, 'image/png');
  assert.deepEqual([m.width, m.height], [16, 12]);
  assert.match(m.url, new RegExp(`^${BASE}/uploads/chat/[0-9a-f]{32}\\.png$`));
  assert.match(m.thumbUrl, new RegExp(`^${BASE}/uploads/chat/[0-9a-f]{32}-thumb\\.png$`));
  // Decoded and encoded anew (images.test.mjs): not the uploaded bytes,
  // but the same picture, and size says what is served.
  const res = await fetch(m.url);
  assert.equal(res.status, 200);
  const got = Buffer.from(await res.arrayBuffer());
  assert.equal(got.length, m.size);
  assert.deepEqual(got.subarray(0, 8), FILES.png.subarray(0, 8));
  assert.deepEqual([got.readUInt32BE(16), got.readUInt32BE(20)], [16, 12]);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('content-type'), 'image/png');
});

test('video and audio uploads are accepted by their real format; non-images are served as attachments', async () => {
  const u = await newUser('Uploader');
  const v = await upload(u.token, { file: FILES.mp4, name: 'field.mp4', type: 'video', mime: 'video/mp4' });
  assert.equal(v.status, 201, v.text);
  assert.equal(v.body.data[0].format, 'video/mp4');
  const a = await upload(u.token, { file: FILES.mp3, name: 'note.mp3', type: 'audio', mime: 'audio/mpeg' });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.body.data[0].format, 'audio/mpeg');
  const res = await fetch(v.body.data[0].url);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('content-disposition') || '', /attachment/);
});

test('bad uploads get a clear 4xx and leave no file and no row', async () => {
  const u = await newUser('Bad Uploader');
  const rows = mediaRows();
  const files = chatFiles();
  const cases = [
    [{ file: FILES.svg, name: 'x.svg', type: 'image', mime: 'image/svg+xml' }, 415, 'unsupported_media_type'],
    [{ file: FILES.html, name: 'x.jpg', type: 'image', mime: 'image/jpeg' }, 415, 'unsupported_media_type'],
    [{ file: FILES.png, name: 'x.png', type: 'video', mime: 'video/mp4' }, 415, 'unsupported_media_type'],
    [{ file: FILES.mp3, name: 'x.mp3', type: 'image', mime: 'image/png' }, 415, 'unsupported_media_type'],
    [{ file: FILES.png, name: 'x.png', type: 'document' }, 400, 'validation_failed'],
    [{ file: FILES.png, name: 'x.png' }, 400, 'validation_failed'],
    [{ type: 'image' }, 400, 'validation_failed'],
    [{ file: Buffer.alloc(0), name: 'empty.png', type: 'image' }, 400, 'validation_failed'],
    // Test caps: image 1 MiB, video 2 MiB (tests/integration/run.sh).
    [{ file: Buffer.concat([FILES.png, randomBytes(1024 * 1024)]), name: 'big.png', type: 'image' }, 413, 'payload_too_large'],
    [{ file: Buffer.concat([FILES.mp4, randomBytes(2 * 1024 * 1024)]), name: 'big.mp4', type: 'video' }, 413, 'payload_too_large'],
  ];
  for (const [opts, status, code] of cases) {
    const r = await upload(u.token, opts);
    isError(assert, r, status, code);
  }
  assert.equal(mediaRows(), rows);
  assert.equal(chatFiles(), files);
  assert.deepEqual(tmpFiles(), []);
});

test('a multipart body cut off midway is a 400 and leaves nothing', async () => {
  const u = await newUser('Cut Off');
  const rows = mediaRows();
  const b = 'XyZboundary123';
  const body = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="type"\r\n\r\nimage\r\n`),
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
    FILES.png,
  ]);
  const r = await api('POST', '/api/v1/chat/media', {
    token: u.token, raw: body, headers: { 'Content-Type': `multipart/form-data; boundary=${b}` },
  });
  isError(assert, r, 400, 'bad_request');
  const noBoundary = await api('POST', '/api/v1/chat/media', {
    token: u.token, raw: body, headers: { 'Content-Type': 'multipart/form-data' },
  });
  isError(assert, noBoundary, 415);
  const notMultipart = await api('POST', '/api/v1/chat/media', { token: u.token, body: { file: 'x' } });
  isError(assert, notMultipart, 415);
  assert.equal(mediaRows(), rows);
  assert.deepEqual(tmpFiles(), []);
});

test('the display name is sanitised; the stored name is the server\'s own', async () => {
  const u = await newUser('Sneaky');
  const r = await upload(u.token, { file: FILES.jpeg, name: '../../etc/passwd.jpg', type: 'image', mime: 'image/jpeg' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.data[0].name, 'passwd.jpg');
  assert.match(r.body.data[0].url, /\/uploads\/chat\/[0-9a-f]{32}\.jpg$/);
  isError(assert, await upload(undefined, { file: FILES.png, name: 'a.png', type: 'image' }), 401, 'unauthorized');
});

test('GET /media/:id: the owner and the parties of a conversation that shows it; others 404', async () => {
  const agent = await newStaff('Support');
  const { user, id } = await conversationWith(agent);
  const stranger = await newUser('Stranger');
  const up = await upload(user.token, { file: FILES.png, name: 'leaf.png', type: 'image', mime: 'image/png' });
  const mid = up.body.data[0]._id;
  assert.equal((await api('GET', `/api/v1/chat/media/${mid}`, { token: user.token })).status, 200);
  isError(assert, await api('GET', `/api/v1/chat/media/${mid}`, { token: agent.token }), 404, 'not_found');
  const sent = await api('POST', '/api/v1/chat/messages', { token: user.token, body: { conversationId: id, messageType: 'image', mediaId: mid } });
  assert.equal(sent.status, 201, sent.text);
  const seen = await api('GET', `/api/v1/chat/media/${mid}`, { token: agent.token });
  assert.equal(seen.status, 200);
  assert.equal(seen.body.data.name, 'leaf.png');
  isError(assert, await api('GET', `/api/v1/chat/media/${mid}`, { token: stranger.token }), 404, 'not_found');
  const admin = await newStaff('Admin');
  assert.equal((await api('GET', `/api/v1/chat/media/${mid}`, { token: admin.token })).status, 200);
});
