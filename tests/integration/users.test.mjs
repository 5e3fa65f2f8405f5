// /api/v1/users: login, register, logout, me; tokens and throttling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, apiFrom, DEMO, forgeToken, freshPhone, isError, jti, login, newStaff, newUser, now, sqlOne } from './lib.mjs';

test('an agent logs in with E.164 and gets a token and role Support', async () => {
  const r = await api('POST', '/api/v1/users/login', { body: { phone: DEMO.asha.phone, password: DEMO.asha.password } });
  assert.equal(r.status, 200);
  assert.match(r.body.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.equal(r.body.user.role, 'Support');
  assert.equal(r.body.user.name, 'Asha Verma');
  assert.equal(r.body.user.phone, '+919000000001');
  assert.equal(typeof r.body.user.id, 'string');
  const me = await api('GET', '/api/v1/users/me', { token: r.body.token });
  assert.equal(me.status, 200);
  assert.equal(me.body.user.id, r.body.user.id);
});

test('a national 10-digit number is completed with +91', async () => {
  for (const phone of ['9000000101', '09000000101', '90000 00101', '919000000101']) {
    const r = await api('POST', '/api/v1/users/login', { body: { phone, password: DEMO.rajesh.password } });
    assert.equal(r.status, 200, phone);
    assert.equal(r.body.user.role, 'User');
    assert.equal(r.body.user.phone, '+919000000101');
  }
});

test('wrong password and unknown phone give the same 401', async () => {
  const a = await api('POST', '/api/v1/users/login', { body: { phone: DEMO.priya.phone, password: 'wrong-pass-1' } });
  const b = await api('POST', '/api/v1/users/login', { body: { phone: freshPhone(), password: 'wrong-pass-1' } });
  isError(assert, a, 401, 'invalid_credentials');
  isError(assert, b, 401, 'invalid_credentials');
  assert.deepEqual(a.body, b.body);
  await login(DEMO.priya); // and the right one still works (clears the count)
});

test('login rejects bad bodies with 400', async () => {
  isError(assert, await api('POST', '/api/v1/users/login', { body: '{"phone":' }), 400, 'invalid_json');
  isError(assert, await api('POST', '/api/v1/users/login', { body: '[1,2]' }), 400, 'invalid_json');
  isError(assert, await api('POST', '/api/v1/users/login', { body: { phone: DEMO.asha.phone } }), 400, 'validation_failed');
  isError(assert, await api('POST', '/api/v1/users/login', { body: { phone: 42, password: 'x' } }), 400, 'validation_failed');
  isError(assert, await api('POST', '/api/v1/users/login', { body: { phone: 'not-a-phone', password: 'abc12345' } }), 400, 'validation_failed');
  isError(assert, await api('POST', '/api/v1/users/login', {
    body: 'phone=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  }), 415, 'unsupported_media_type');
  isError(assert, await api('POST', '/api/v1/users/login', { body: { phone: 'x'.repeat(70000), password: 'p' } }), 413, 'payload_too_large');
});

// run.sh: auth.login_max_failures = 5, login_backoff = 60,
// login_max_failures_ip = 100 (window 900 s), register_per_hour = 30.
const loginFrom = (from, phone, password) => apiFrom(from, 'POST', '/api/v1/users/login', { body: { phone, password } });
// The bucket of a limit as if its time had passed.
const ageBuckets = (prefix) => sqlOne(`DELETE FROM rate_buckets WHERE k LIKE '${prefix}%'`);

test('failures for one phone from one address slow that pair down; the owner elsewhere is not locked out', async () => {
  const u = await newUser('Throttle Me');
  for (let i = 0; i < 5; i++) isError(assert, await loginFrom('127.0.0.40', u.phone, `bad-pass-${i}`), 401);
  // The attacker's address now waits (backoff), even with the right password...
  const r = await loginFrom('127.0.0.40', u.phone, u.password);
  isError(assert, r, 429, 'too_many_requests');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 60, `a backoff, not a 900 s block: ${wait}`);
  assert.equal(r.body.error.retryAfter, wait);
  // ...while the owner, from their own address, logs in at once.
  assert.equal((await loginFrom('127.0.0.41', u.phone, u.password)).status, 200);
  // Once the backoff has passed, the pair may try again.
  ageBuckets(`login:${u.phone}|127.0.0.40`);
  assert.equal((await loginFrom('127.0.0.40', u.phone, u.password)).status, 200);
});

test('parallel guesses are counted atomically: exactly the burst is evaluated', async () => {
  const u = await newUser('Parallel Target');
  const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => loginFrom('127.0.0.42', u.phone, `guess-${i}-pass`)));
  const by = (s) => rs.filter((r) => r.status === s).length;
  console.log(`# 40 parallel guesses: 401 x ${by(401)}, 429 x ${by(429)}`);
  assert.equal(by(401), 5, 'five passwords were checked');
  assert.equal(by(429), 35);
  ageBuckets(`login:${u.phone}|127.0.0.42`);
});

test('failed logins from one address are throttled across phones; successes do not count', async () => {
  const from = '127.0.0.43';
  // An honest user behind the same address logs in many times: free.
  for (let i = 0; i < 10; i++) assert.equal((await loginFrom(from, DEMO.rajesh.phone, DEMO.rajesh.password)).status, 200);
  for (let i = 0; i < 100; i++) isError(assert, await loginFrom(from, freshPhone(), `guess-${i}-pass`), 401);
  const r = await loginFrom(from, DEMO.rajesh.phone, DEMO.rajesh.password);
  isError(assert, r, 429, 'too_many_requests');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  // Other addresses are not affected; the window passes and it works again.
  assert.equal((await loginFrom('127.0.0.44', DEMO.rajesh.phone, DEMO.rajesh.password)).status, 200);
  ageBuckets(`login-addr:${from}`);
  assert.equal((await loginFrom(from, DEMO.rajesh.phone, DEMO.rajesh.password)).status, 200);
});

test('registration is throttled per address, "phone taken" answers included', async () => {
  const from = '127.0.0.45';
  const reg = (phone) => apiFrom(from, 'POST', '/api/v1/users/register', { body: { phone, name: 'Many Accounts', password: 'farm-pass-9' } });
  let ok = 0;
  for (let i = 0; i < 30; i++) if ((await reg(freshPhone())).status === 201) ok++;
  assert.equal(ok, 30, 'auth.register_per_hour registrations pass');
  const r = await reg(freshPhone());
  isError(assert, r, 429, 'too_many_requests');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  // A known phone gets the same 429, not 409: the answer says nothing.
  const known = await reg(DEMO.priya.phone);
  isError(assert, known, 429, 'too_many_requests');
  // Another address registers as usual.
  assert.equal((await apiFrom('127.0.0.46', 'POST', '/api/v1/users/register',
    { body: { phone: freshPhone(), name: 'Elsewhere', password: 'farm-pass-9' } })).status, 201);
  ageBuckets(`register:${from}`);
});

test('a wrong phone takes about as long as a wrong password (no probing by timing)', async () => {
  const time = async (phone) => {
    const t = process.hrtime.bigint();
    isError(assert, await api('POST', '/api/v1/users/login', { body: { phone, password: 'not-the-password' } }), 401);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const known = [], unknown = [];
  for (let i = 0; i < 4; i++) {
    const u = await newUser('Timing');
    known.push(await time(u.phone));
    unknown.push(await time(freshPhone()));
  }
  const ratio = median(unknown) / median(known);
  console.log(`# login refusal: known phone ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`);
  // Both run one Argon2id verification; without the dummy one an unknown
  // phone answers several times faster.  Wide bounds: the machine is shared.
  assert.ok(ratio > 0.4 && ratio < 2.5, `median ratio ${ratio.toFixed(2)}`);
  ageBuckets('login');
});

test('register creates a User and answers 201 with a working token', async () => {
  const phone = freshPhone();
  const r = await api('POST', '/api/v1/users/register', { body: { phone, name: '  Ramesh Patil ', password: 'farm-pass-9' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.user.role, 'User');
  assert.equal(r.body.user.name, 'Ramesh Patil');
  assert.equal(r.body.user.phone, phone);
  assert.equal((await api('GET', '/api/v1/users/me', { token: r.body.token })).status, 200);
  const hash = sqlOne(`SELECT passwordHash FROM users WHERE phone = '${phone}'`);
  assert.match(hash, /^\$argon2id\$/);
  isError(assert, await api('POST', '/api/v1/users/register', { body: { phone, name: 'Again', password: 'farm-pass-9' } }), 409, 'phone_taken');
});

test('passwords are stored as Argon2id with the configured parameters, never in clear', async () => {
  const u = await newUser('Hash Check');
  const hash = sqlOne(`SELECT passwordHash FROM users WHERE phone = '${u.phone}'`);
  // run.sh: argon2_ops = 1, argon2_mem_kib = 8192.
  assert.match(hash, /^\$argon2id\$v=19\$m=8192,t=1,p=1\$/);
  assert.ok(!hash.includes(u.password));
});

test('register enforces the password and name rules', async () => {
  const reg = (body) => api('POST', '/api/v1/users/register', { body: { phone: freshPhone(), name: 'N', password: 'good-pass-1', ...body } });
  for (const password of ['short1', 'lettersonly', '123456789', 'x'.repeat(129) + '1']) {
    isError(assert, await reg({ password }), 400, 'validation_failed');
  }
  for (const name of ['', '   ', 'a\u0001b', 'x'.repeat(101),
    // Invisible, or reordering what is shown (right-to-left override).
    '\u200b', '\u00a0\u3000', '\u200d', 'Ravi\u202eamuK', 'a\u2066b\u2069', 'x\u0085y', '\ufeffRavi',
    // Reading as the help desk's own.
    'Support', 'Asha (support team)', 'ADMIN Ravi', 'Official Helpdesk', 'सहायता केंद्र', 'एडमिन']) {
    isError(assert, await reg({ name }), 400, 'validation_failed');
  }
  // A member of the support team's exact name (any case).
  await newStaff('Support', 'Meera Iyer');
  isError(assert, await reg({ name: 'meera iyer' }), 400, 'validation_failed');
  assert.equal((await reg({ name: 'राजेश कुमार' })).status, 201);
  // ZWJ inside Devanagari is part of writing, and "Supporter" is not "Support".
  assert.equal((await reg({ name: 'क्\u200dष Supporter' })).status, 201);
  isError(assert, await reg({ phone: '12' }), 400, 'validation_failed');
});

test('logout revokes the token; other tokens of the user keep working', async () => {
  const a = await login(DEMO.priya);
  const b = await login(DEMO.priya);
  const r = await api('POST', '/api/v1/users/logout', { token: a.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.ok, true);
  isError(assert, await api('GET', '/api/v1/users/me', { token: a.token }), 401, 'unauthorized');
  isError(assert, await api('GET', '/api/v1/chat/conversations', { token: a.token }), 401, 'unauthorized');
  assert.equal((await api('GET', '/api/v1/users/me', { token: b.token })).status, 200);
});

test('bad tokens get 401: none, malformed, expired, other key, alg none, HS512, unknown user', async () => {
  const uid = sqlOne(`SELECT id FROM users WHERE phone = '${DEMO.rajesh.phone}'`);
  const base = { sub: uid, role: 'User', jti: jti(), iat: now() };
  const good = forgeToken({ ...base, exp: now() + 600 });
  assert.equal((await api('GET', '/api/v1/users/me', { token: good })).status, 200, 'the forge itself works');
  const bad = {
    none: undefined,
    garbage: 'abc.def.ghi',
    expired: forgeToken({ ...base, exp: now() - 1 }),
    otherKey: forgeToken({ ...base, exp: now() + 600 }, { key: 'another-secret-another-secret-another' }),
    algNone: forgeToken({ ...base, exp: now() + 600 }, { alg: 'none' }),
    hs512: forgeToken({ ...base, exp: now() + 600 }, { alg: 'HS512' }),
    noExp: forgeToken(base),
    unknownUser: forgeToken({ ...base, sub: '999999999', exp: now() + 600 }),
    long: 'a'.repeat(5000),
  };
  for (const [name, token] of Object.entries(bad)) {
    const r = await api('GET', '/api/v1/chat/conversations', { token });
    isError(assert, r, 401, 'unauthorized');
    assert.ok(r.body.error.message.length > 0, name);
  }
  isError(assert, await api('GET', '/api/v1/users/me', { headers: { Authorization: 'Basic abc' } }), 401);
});
