// abuse.test.mjs - what one socket or one account may ask of pushd: event
// floods get error acks and then a disconnect, sockets per account are
// capped (logout closing a token's sockets is in access.test.mjs).
// Limits as configured by run.sh (the defaults): 20 events/s with a burst of
// 100 per socket, 40/s with a burst of 200 per account, 20 refusals in a row
// disconnect, 16 sockets per account.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { conversationWith, login, newStaff, newUser, sqlOne } from './lib.mjs';
import { ack, closeAll, connect, connectError, next, record, sleep, until } from './sock.mjs';

after(closeAll);

// Fire n events without waiting; settle every ack (a socket that is
// disconnected midway leaves the rest unanswered).
async function flood(s, n, make, ms = 3000) {
  const sent = [];
  for (let i = 0; i < n; i++) sent.push(ack(s, ...make(i), ms));
  const out = await Promise.allSettled(sent);
  const acks = out.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  return {
    ok: acks.filter((a) => a.ok === true).length,
    limited: acks.filter((a) => a.ok === false && a.error?.code === 'too_many_requests').length,
    other: acks.filter((a) => a.ok === false && a.error?.code !== 'too_many_requests').length,
    unanswered: out.length - acks.length,
  };
}

test('a message:send flood gets error acks, then that socket is disconnected; nothing refused is stored', async () => {
  // A fresh agent: the demo accounts' unread counts belong to the browser tests.
  const staff = await newStaff('Support', 'Flood Agent');
  const conv = await conversationWith(staff);
  const user = await connect(conv.user.token);
  const agent = await connect(staff.token);
  await ack(user, 'conversation:join', { conversationId: conv.id });
  await ack(agent, 'conversation:join', { conversationId: conv.id });
  const bystander = await connect((await newUser('Bystander')).token);
  const reason = next(user, 'disconnect', 8000);
  const got = record(agent, 'message:new');

  const r = await flood(user, 160, (i) => ['message:send',
    { conversationId: conv.id, content: `flood ${i}`, clientMessageId: `flood-${conv.id}-${i}` }]);
  console.log(`# flood of 160 sends: ${JSON.stringify(r)}`);
  assert.equal(await reason, 'io server disconnect', 'the server closed the socket');
  // The burst (100, one spent on the join) passes, and the refill (20/s)
  // while the flood lasts; an event that passes resets the strikes, so
  // the disconnect comes after at least 20 refusals.
  assert.ok(r.ok >= 95, `the burst passes: ${r.ok}`);
  assert.ok(r.limited >= 20, `error acks before the disconnect: ${r.limited}`);
  assert.equal(r.other, 0);
  assert.equal(r.ok + r.limited + r.unanswered, 160);
  // Exactly the acked sends are stored and delivered.
  assert.equal(Number(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${conv.id}`)), r.ok);
  await until(() => got.length >= r.ok, () => `${got.length} of ${r.ok} delivered`);
  // A marker from the agent, behind anything else on the way to the room.
  const marker = next(agent, 'message:sent');
  await ack(agent, 'message:send', { conversationId: conv.id, content: 'marker', clientMessageId: `flood-m-${conv.id}` });
  await marker;
  assert.equal(got.filter((m) => m.content !== 'marker').length, r.ok, 'the agent got every stored message, once');
  assert.equal(new Set(got.map((m) => m._id)).size, got.length);
  // The flooder cannot simply carry on: the socket is gone for good.
  assert.equal(user.connected, false);
  // Everybody else is unaffected.
  assert.equal(bystander.connected, true);
  assert.equal((await ack(bystander, 'typing:stop', { conversationId: conv.id })).error?.code, 'not_found',
    'another account is answered as usual');
  assert.equal((await ack(agent, 'typing:start', { conversationId: conv.id })).ok, true);
});

test('the per-account limit spans all of that account\'s sockets', async () => {
  const conv = await conversationWith(await newStaff('Support', 'Busy Agent'));
  const me = await login({ phone: conv.user.phone, password: conv.user.password });
  const socks = await Promise.all([connect(conv.user.token), connect(me.token), connect(conv.user.token)]);
  const t0 = Date.now();
  for (const s of socks) await ack(s, 'conversation:join', { conversationId: conv.id });
  // 3 x 90 = 270 events, one socket after the other (each flood answered
  // before the next starts, so the order is known): each socket stays
  // under its own burst of 100, together they pass the account's 200.
  // The first two fit in the account's burst; the third is refused
  // although it alone sent fewer events than its own socket may.
  const rs = [];
  for (const s of socks) rs.push(await flood(s, 90, () => ['typing:start', { conversationId: conv.id }]));
  const secs = (Date.now() - t0) / 1000;
  const ok = rs.reduce((n, r) => n + r.ok, 0);
  const limited = rs.reduce((n, r) => n + r.limited, 0);
  console.log(`# 3 sockets x 90 typing:start, one after the other: ${rs.map((r) => JSON.stringify(r)).join(' ')} in ${secs} s`);
  assert.deepEqual(rs.slice(0, 2).map((r) => r.ok), [90, 90], 'the first two sockets fit in the account burst');
  // 3 joins + 180 events spent; what is left of the burst, and what the
  // refill (40/s) adds while the test runs, passes on the third socket.
  const refill = Math.ceil(secs * 40) + 1;
  assert.ok(rs[2].ok >= 200 - 183 && rs[2].ok <= 200 - 183 + refill, `the rest of the account burst: ${rs[2].ok} (refill <= ${refill})`);
  assert.ok(rs[2].limited >= 20, `the third socket gets error acks: ${rs[2].limited}`);
  assert.equal(rs[2].ok + rs[2].limited + rs[2].unanswered, 90);
  assert.equal(rs.reduce((n, r) => n + r.other, 0), 0);
  // The sockets that were never refused stay connected and, after a
  // pause, the account may talk again.
  assert.equal(socks[0].connected && socks[1].connected, true, 'the sockets that were not refused are still connected');
  await sleep(1000);
  assert.equal((await ack(socks[0], 'typing:stop', { conversationId: conv.id })).ok, true);
  assert.equal((await ack(socks[1], 'typing:stop', { conversationId: conv.id })).ok, true);
  assert.ok(ok + limited <= 270);
});

test('sockets per account are capped at 16; a closed one frees its place', async () => {
  const conv = await conversationWith(null);
  const socks = [];
  for (let i = 0; i < 16; i++) socks.push(await connect(conv.user.token));
  const e = await connectError(conv.user.token);
  assert.match(e.message, /too many connections/);
  assert.equal(e.data?.code, 'E_LIMIT');
  socks.pop().disconnect();
  // The place is free once pushd has seen the close: retry until then.
  let again = null;
  await until(async () => {
    again = await connect(conv.user.token).catch((err) => {
      if (err.data?.code !== 'E_LIMIT') throw err;
      return null;
    });
    return again !== null;
  }, () => 'a place after the close');
  assert.equal(again.connected, true);
  for (const s of socks) s.disconnect();
  again.disconnect();
});
