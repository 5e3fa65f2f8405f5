// authority.test.mjs - a token's authority is re-checked: a socket goes
// when its token expires; a password change (REST or chatadm), a role
// change and disabling an account revoke the tokens issued before it, on
// REST and on open sockets at once; sends over REST and sockets share one
// budget per account.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { api, conversationWith, forgeToken, isError, jti, login, newStaff, newUser, now, sqlOne } from './lib.mjs';
import { ack, closeAll, connect, connectError, next } from './sock.mjs';

after(closeAll);
const WS = { transports: ['websocket'] };

function chatadm(args, password) {
  execFileSync(process.env.CHATADM, ['-c', process.env.CHAT_CONF, ...args], {
    env: { ...process.env, ...(password ? { CHATADM_PASSWORD: password } : {}) }, stdio: ['ignore', 'ignore', 'pipe'],
  });
}

// The socket is disconnected by the server, as a logout does.
const kicked = (s, ms = 5000) => next(s, 'disconnect', ms);

test('a socket is disconnected when its token expires', async () => {
  const u = await newUser('Short Token');
  const token = forgeToken({ sub: u.user.id, role: 'User', jti: jti(), iat: now(), exp: now() + 3 });
  const s = await connect(token, WS);
  assert.equal((await ack(s, 'typing:stop', { conversationId: '1' })).ok, false, 'the socket works meanwhile');
  assert.equal(await kicked(s, 10000), 'io server disconnect');
  isError(assert, await api('GET', '/api/v1/users/me', { token }), 401, 'unauthorized');
  assert.match((await connectError(token, WS)).message, /expired/);
});

test('a password change over REST revokes the older tokens at once; the answer holds a new one', async () => {
  const u = await newUser('Changes Password');
  const other = await login({ phone: u.phone, password: u.password });
  const s1 = await connect(u.token, WS);
  const s2 = await connect(other.token, WS);
  const gone = [kicked(s1), kicked(s2)];
  const r = await api('POST', '/api/v1/users/me/password', { token: u.token,
    body: { currentPassword: u.password, newPassword: 'new-pass-42' } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.token);
  assert.deepEqual(await Promise.all(gone), ['io server disconnect', 'io server disconnect'], 'every socket of the account');
  for (const t of [u.token, other.token]) {
    const me = await api('GET', '/api/v1/users/me', { token: t });
    isError(assert, me, 401, 'unauthorized');
    assert.match(me.body.error.message, /revoked/);
    assert.match((await connectError(t, WS)).message, /revoked/);
  }
  // The fresh token works everywhere; so does the new password, not the old.
  assert.equal((await api('GET', '/api/v1/users/me', { token: r.body.token })).status, 200);
  (await connect(r.body.token, WS)).disconnect();
  assert.equal((await api('POST', '/api/v1/users/login', { body: { phone: u.phone, password: 'new-pass-42' } })).status, 200);
  isError(assert, await api('POST', '/api/v1/users/login', { body: { phone: u.phone, password: u.password } }), 401);
  // A wrong current password changes nothing (and is not a 401).
  const bad = await api('POST', '/api/v1/users/me/password', { token: r.body.token,
    body: { currentPassword: 'not-it-1', newPassword: 'other-pass-7' } });
  isError(assert, bad, 400, 'validation_failed');
  assert.equal((await api('GET', '/api/v1/users/me', { token: r.body.token })).status, 200);
  isError(assert, await api('POST', '/api/v1/users/me/password', { token: r.body.token,
    body: { currentPassword: 'new-pass-42', newPassword: 'short' } }), 400, 'validation_failed');
});

test('chatadm user passwd revokes the account\'s tokens and closes its sockets', async () => {
  const u = await newUser('Admin Resets');
  const s = await connect(u.token, WS);
  const gone = kicked(s);
  chatadm(['user', 'passwd', u.phone], 'reset-pass-5');
  assert.equal(await gone, 'io server disconnect');
  isError(assert, await api('GET', '/api/v1/users/me', { token: u.token }), 401);
  assert.equal((await api('POST', '/api/v1/users/login', { body: { phone: u.phone, password: 'reset-pass-5' } })).status, 200);
});

test('a lowered role takes effect at once: the admin\'s socket and token stop', async () => {
  const admin = await newStaff('Admin', 'Soon Demoted');
  const { id } = await conversationWith(null);
  const s = await connect(admin.token, WS);
  assert.equal((await ack(s, 'conversation:join', { conversationId: id })).ok, true, 'an admin sees every conversation');
  const gone = kicked(s);
  chatadm(['user', 'role', admin.phone, 'User']);
  assert.equal(await gone, 'io server disconnect');
  isError(assert, await api('GET', `/api/v1/chat/conversations/${id}`, { token: admin.token }), 401);
  assert.match((await connectError(admin.token, WS)).message, /revoked/);
  // Logged in again, the account is what it is now: a user.
  const again = await login({ phone: admin.phone, password: admin.password });
  assert.equal(again.user.role, 'User');
  isError(assert, await api('GET', `/api/v1/chat/conversations/${id}`, { token: again.token }), 404);
  const s2 = await connect(again.token, WS);
  assert.equal((await ack(s2, 'conversation:join', { conversationId: id })).ok, false);
  s2.disconnect();
});

test('a disabled account cannot log in; its tokens and sockets stop; enabling it lets it log in again', async () => {
  const u = await newUser('Disabled One');
  const s = await connect(u.token, WS);
  const gone = kicked(s);
  chatadm(['user', 'disable', u.phone]);
  assert.equal(await gone, 'io server disconnect');
  const me = await api('GET', '/api/v1/users/me', { token: u.token });
  isError(assert, me, 401, 'unauthorized');
  const l = await api('POST', '/api/v1/users/login', { body: { phone: u.phone, password: u.password } });
  isError(assert, l, 403, 'forbidden');
  assert.match(l.body.error.message, /disabled/);
  chatadm(['user', 'enable', u.phone]);
  const back = await login({ phone: u.phone, password: u.password });
  assert.equal((await api('GET', '/api/v1/users/me', { token: back.token })).status, 200);
  // The token from before the disable stays revoked.
  isError(assert, await api('GET', '/api/v1/users/me', { token: u.token }), 401);
});

test('REST sends and socket sends share one budget per account (limits.send_rate / send_burst)', async () => {
  const agent = await newStaff('Support', 'Budget Agent');
  const { user, id } = await conversationWith(agent);
  const s = await connect(user.token, WS);
  // 260 REST sends at once, then 100 over the socket: over both, no more
  // than the burst (200) and what the rate (40/s) refills meanwhile pass.
  const t0 = Date.now();
  const rs = await Promise.all(Array.from({ length: 260 }, (_, i) => api('POST', '/api/v1/chat/messages', {
    token: user.token, body: { conversationId: id, content: `rest ${i}`, clientMessageId: `budget-${i}` } })));
  const as = await Promise.all(Array.from({ length: 100 }, (_, i) => ack(s, 'message:send',
    { conversationId: id, content: `socket ${i}`, clientMessageId: `budget-s${i}` }, 10000)));
  const secs = (Date.now() - t0) / 1000;
  const ok = rs.filter((r) => r.status === 201).length;
  const limited = rs.filter((r) => r.status === 429);
  const sockOk = as.filter((a) => a.ok).length;
  const sockLimited = as.filter((a) => !a.ok && a.error.code === 'too_many_requests').length;
  console.log(`# 260 REST sends, then 100 socket sends, in ${secs} s: REST 201 x ${ok}, 429 x ${limited.length}; socket ok ${sockOk}, limited ${sockLimited}`);
  const budget = 200 + Math.ceil(40 * secs) + 1;
  assert.ok(ok >= 200, `the REST burst passes: ${ok}`);
  assert.ok(ok + sockOk <= budget, `REST and socket together within one budget: ${ok} + ${sockOk} <= ${budget}`);
  assert.equal(ok + limited.length, 260);
  assert.equal(sockOk + sockLimited, 100);
  assert.ok(limited.every((r) => Number(r.headers.get('retry-after')) >= 1 && r.body.error.code === 'too_many_requests'));
  assert.equal(Number(sqlOne(`SELECT COUNT(*) FROM messages WHERE conversationId = ${id}`)), ok + sockOk, 'nothing refused is stored');
  // Another account's budget is its own.
  const sa = await connect(agent.token, WS);
  assert.equal((await ack(sa, 'message:send', { conversationId: id, content: 'agent', clientMessageId: 'budget-agent' })).ok, true);
  s.disconnect(); sa.disconnect();
});
