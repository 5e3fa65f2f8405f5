// metrics.test.mjs - pushd's own GET /health and GET /metrics (Prometheus
// text) on its loopback port: the figures move with what clients do, and
// the web server does not forward them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { BASE, conversationWith, newStaff } from './lib.mjs';
import { ack, closeAll, connect } from './sock.mjs';

after(closeAll);
const PUSHD = `http://127.0.0.1:${process.env.PUSHD_PORT}`;

// The samples of a metrics page: "name{labels}" -> value.
async function metrics() {
  const r = await fetch(`${PUSHD}/metrics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = await r.text();
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
    assert.match(line, /^[a-z_]+(\{[a-z]+="[^"]*"\})? [0-9.e+-]+$/, `a sample line: ${line}`);
  }
  return new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const i = l.lastIndexOf(' ');
    return [l.slice(0, i), Number(l.slice(i + 1))];
  }));
}

test('pushd answers /health, and /metrics follows connections, events, errors and the database queue', async () => {
  const h = await fetch(`${PUSHD}/health`);
  assert.equal(h.status, 200);
  assert.deepEqual(await h.json(), { status: 'ok' });
  const agent = await newStaff('Support', 'Metrics Agent');
  const { user, id } = await conversationWith(agent);
  const before = await metrics();
  const ws = await connect(user.token, { transports: ['websocket'] });
  const poll = await connect(agent.token, { transports: ['polling'] });
  assert.equal((await ack(ws, 'message:send', { conversationId: id, content: 'counted', clientMessageId: 'm-1' })).ok, true);
  assert.equal((await ack(ws, 'conversation:join', { conversationId: '987654321' })).ok, false);
  const m = await metrics();
  const d = (k) => (m.get(k) ?? 0) - (before.get(k) ?? 0);
  assert.ok(d('chat_pushd_connections{transport="websocket"}') >= 1, 'a WebSocket more');
  assert.ok(d('chat_pushd_connections{transport="polling"}') >= 1, 'a polling socket more');
  assert.equal(d('chat_pushd_events_in_total{event="message:send"}'), 1);
  assert.equal(d('chat_pushd_events_in_total{event="conversation:join"}'), 1);
  assert.ok(d('chat_pushd_events_out_total{event="message:sent"}') >= 1);
  assert.ok(d('chat_pushd_errors_total{code="not_found"}') >= 1);
  assert.ok(d('chat_pushd_dbq_job_seconds_count') >= 2, 'the send and the join were database jobs');
  assert.ok(m.get('chat_pushd_dbq_job_seconds_bucket{le="+Inf"}') === m.get('chat_pushd_dbq_job_seconds_count'));
  assert.ok(m.get('chat_pushd_users_online') >= 2);
  assert.ok(m.has('chat_pushd_dbq_depth{queue="jobs"}') && m.has('chat_pushd_rooms'));
  // Through the web server, only /socket.io/ reaches pushd.
  assert.equal((await fetch(`${BASE}/metrics`)).status, 404);
  ws.disconnect(); poll.disconnect();
});
