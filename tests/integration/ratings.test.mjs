// ratings.test.mjs - satisfaction: the user of a resolved conversation
// rates that resolution once (1-5, an optional comment); the rating shows
// in the conversation object for both sides and reaches the team as
// conversation:updated; a reopened and again resolved conversation may be
// rated again.  Refused: the wrong user, an agent, an unresolved
// conversation, a second rating, bad scores and comments.  Also the
// conversation's firstResponseAt: the first answer of the team (never a
// note).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { api, conversationWith, isError, newStaff, newUser, sqlOne } from './lib.mjs';
import { ack, closeAll, connect, nextWhere } from './sock.mjs';

after(closeAll);
const WS = { transports: ['websocket'] };
const rate = (token, id, body) => api('POST', `/api/v1/chat/conversations/${id}/rating`, { token, body });
const send = (token, id, content, extra = {}) => api('POST', '/api/v1/chat/messages', { token, body: { conversationId: id, content, ...extra } });
const resolve = (token, id) => api('PATCH', `/api/v1/chat/conversations/${id}`, { token, body: { status: 'resolved' } });

async function resolved(label) {
  const agent = await newStaff('Support', `${label} Agent`);
  const { user, id } = await conversationWith(agent);
  assert.equal((await send(user.token, id, 'my cow has a fever')).status, 201);
  assert.equal((await send(agent.token, id, 'give her water and shade')).status, 201);
  assert.equal((await resolve(agent.token, id)).status, 200);
  return { agent, user, id };
}

test('the user rates a resolved conversation once; both sides see it; the team hears of it', async () => {
  const { agent, user, id } = await resolved('Rated');
  const sa = await connect(agent.token, WS);
  assert.equal((await ack(sa, 'conversation:join', { conversationId: id })).ok, true);
  const heard = nextWhere(sa, 'conversation:updated', (e) => e.conversation._id === id && e.conversation.rating);
  const r = await rate(user.token, id, { score: 4, comment: '  She is eating again, thank you  ' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual({ score: r.body.data.rating.score, comment: r.body.data.rating.comment }, { score: 4, comment: 'She is eating again, thank you' });
  assert.match(r.body.data.rating.createdAt, /^\d{4}-\d\d-\d\dT/);
  assert.equal((await heard).conversation.rating.score, 4);
  const seen = await api('GET', `/api/v1/chat/conversations/${id}`, { token: agent.token });
  assert.equal(seen.body.data.rating.score, 4, 'the agent sees it');
  assert.equal(sqlOne(`SELECT supportId FROM conversation_ratings WHERE conversationId = ${id}`), agent.user.id, 'kept with the agent of the resolution');
  isError(assert, await rate(user.token, id, { score: 5 }), 409, 'conflict');
  assert.equal(sqlOne(`SELECT COUNT(*) FROM conversation_ratings WHERE conversationId = ${id}`), '1');
});

test('a conversation reopened and resolved again is rated again; an open one is not', async () => {
  const { user, id } = await resolved('Again');
  // (Reopened, it may go back to the queue: an admin resolves it again.)
  const admin = await newStaff('Admin', 'Again Admin');
  assert.equal((await rate(user.token, id, { score: 2 })).status, 201);
  assert.equal((await send(user.token, id, 'the fever is back')).status, 201, 'reopens it');
  const open = await api('GET', `/api/v1/chat/conversations/${id}`, { token: user.token });
  assert.equal(open.body.data.status, 'open');
  assert.equal(open.body.data.rating, null, 'the new resolution is not rated yet');
  isError(assert, await rate(user.token, id, { score: 3 }), 409, 'conflict');
  assert.equal((await resolve(admin.token, id)).status, 200);
  const again = await rate(user.token, id, { score: 5, comment: 'better now' });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.body.data.rating.score, 5);
  assert.equal(sqlOne(`SELECT GROUP_CONCAT(score ORDER BY id) FROM conversation_ratings WHERE conversationId = ${id}`), '2,5');
});

test('only that conversation\'s user rates it, with a score of 1-5 and a comment of at most 1000 characters', async () => {
  const { agent, user, id } = await resolved('Refused');
  const other = await newUser('Other Rater');
  isError(assert, await rate(other.token, id, { score: 5 }), 404, 'not_found');
  isError(assert, await rate(agent.token, id, { score: 5 }), 403, 'forbidden');
  for (const body of [{}, { score: 0 }, { score: 6 }, { score: 4.5 }, { score: '5' }, { score: null },
    { score: 3, comment: 7 }, { score: 3, comment: 'x'.repeat(1001) }]) {
    isError(assert, await rate(user.token, id, body), 400, 'validation_failed');
  }
  isError(assert, await rate(user.token, '99999999', { score: 5 }), 404, 'not_found');
  // 1000 characters of Devanagari (3 bytes each) are fine; a blank comment is none.
  const r = await rate(user.token, id, { score: 1, comment: 'क'.repeat(1000) });
  assert.equal(r.status, 201, r.text);
  assert.equal([...r.body.data.rating.comment].length, 1000);
  const { user: u2, id: id2 } = await resolved('Blank');
  const blank = await rate(u2.token, id2, { score: 3, comment: '   ' });
  assert.equal(blank.body.data.rating.comment, null);
});

test('firstResponseAt is the team\'s first answer, never a note or an entry', async () => {
  const agent = await newStaff('Support', 'First Responder');
  const { user, id } = await conversationWith(agent);
  assert.equal((await send(user.token, id, 'hello?')).status, 201);
  assert.equal((await send(agent.token, id, 'looking into it', { private: true })).status, 201);
  let c = (await api('GET', `/api/v1/chat/conversations/${id}`, { token: agent.token })).body.data;
  assert.equal(c.firstResponseAt, null, 'a note is no answer');
  const answer = (await send(agent.token, id, 'hello, how can I help?')).body.data;
  assert.equal((await send(agent.token, id, 'are you there?')).status, 201);
  c = (await api('GET', `/api/v1/chat/conversations/${id}`, { token: user.token })).body.data;
  assert.equal(c.firstResponseAt, answer.createdAt);
});
