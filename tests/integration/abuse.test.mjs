// abuse.test.mjs - what one socket or one account may ask of pushd: event
// floods get error acks and then a disconnect, sockets per account are
// capped (logout closing a token's sockets is in access.test.mjs).
// Limits as configured by run.sh (the defaults): 20 events/s with a burst of
// 100 per socket, 40/s with a burst of 200 per account, 20 refusals in a row
// disconnect, 16 sockets per account.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { conversationWith, login, newStaff, newUser, sqlOne } from './lib.mjs';
import { ack, closeAll, connect, connectError, next, record, sleep } from './sock.mjs';

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
  await sleep(300);
  assert.equal(got.length, r.ok, 'the agent got every stored message, once');
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
  for (const s of socks) await ack(s, 'conversation:join', { conversationId: conv.id });
  // 3 x 90 = 270 events: each socket stays under its own burst of 100,
  // together they pass the account's 200.
  const rs = await Promise.all(socks.map((s) => flood(s, 90, () => ['typing:start', { conversationId: conv.id }])));
  const ok = rs.reduce((n, r) => n + r.ok, 0);
  const limited = rs.reduce((n, r) => n + r.limited, 0);
  console.log(`# 3 sockets x 90 typing:start: ok ${ok}, limited ${limited}`);
  assert.ok(ok >= 200 - 3 && ok < 230, `about the account burst passes: ${ok}`);
  assert.ok(limited >= 20, `error acks for the rest: ${limited}`);
  assert.ok(270 - ok >= 40, 'the rest is refused, or dropped after a disconnect');
  // After a pause the account may talk again.
  await sleep(1000);
  const live = socks.find((s) => s.connected);
  assert.ok(live, 'a socket that was not flooding past its strikes is still connected');
  assert.equal((await ack(live, 'typing:stop', { conversationId: conv.id })).ok, true);
});

test('sockets per account are capped at 16; a closed one frees its place', async () => {
  const conv = await conversationWith(null);
  const socks = [];
  for (let i = 0; i < 16; i++) socks.push(await connect(conv.user.token));
  const e = await connectError(conv.user.token);
  assert.match(e.message, /too many connections/);
  assert.equal(e.data?.code, 'E_LIMIT');
  socks.pop().disconnect();
  await sleep(200);
  const again = await connect(conv.user.token);
  assert.equal(again.connected, true);
  for (const s of socks) s.disconnect();
  again.disconnect();
});
