// reports-fixture.mjs - the data of the report tests and its answers,
// computed by hand: two fresh agents (A and B), seven conversations,
// their messages and ratings, at fixed times in March of a distant year
// (days 1-3 are the range; day 0 is 28 February, day 4 is 4 March) that no
// other test writes in.  reports.test.mjs (2001) and the browser test
// (2002) each load it once in their own year.
import { freshPhone, newStaff, sql } from './lib.mjs';

const insertId = (q) => sql(`${q}; SELECT LAST_INSERT_ID()`)[0][0];

// Seven conversations: [name, agent, user, created, firstResponse,
// resolved] (days and times; null: none).
//   c0  A  created day 0 23:00, resolved day 1 01:00 (7200 s): resolved
//          in the range, not started in it
//   c1  A  day 1 09:00, first response 60 s, resolved after 3600 s
//   c2  A  day 1 11:00, first response 120 s, resolved day 2 (86400 s)
//   c3  A  day 2 08:00, first response 300 s, open
//   c4  B  day 1 12:00, first response 30 s, resolved after 1800 s
//   c5  B  day 3 23:59:59.500, no answer (the last moment of the range)
//   c6  -  day 3 15:00, in the queue: counts in the days, in no agent's row
//   c7  A  day 4 00:00:00.000, the first moment after the range: nowhere
const CONVERSATIONS = [
  ['c0', 'A', [0, '23:00:00'], [0, '23:10:00'], [1, '01:00:00']],
  ['c1', 'A', [1, '09:00:00'], [1, '09:01:00'], [1, '10:00:00']],
  ['c2', 'A', [1, '11:00:00'], [1, '11:02:00'], [2, '11:00:00']],
  ['c3', 'A', [2, '08:00:00'], [2, '08:05:00'], null],
  ['c4', 'B', [1, '12:00:00'], [1, '12:00:30'], [1, '12:30:00']],
  ['c5', 'B', [3, '23:59:59.500'], null, null],
  ['c6', null, [3, '15:00:00'], null, null],
  ['c7', 'A', [4, '00:00:00.000'], null, null],
];

// Messages: [conversation, from (user, A, B), day, time, kind]; kind
// 'note' (private) and 'activity' count nowhere.
const MESSAGES = [
  ['c0', 'user', 0, '23:00:05'], ['c0', 'A', 0, '23:10:00'], ['c0', 'user', 1, '00:59:00'],
  ['c1', 'user', 1, '09:00:10'], ['c1', 'A', 1, '09:01:00'], ['c1', 'A', 1, '09:02:00', 'note'],
  ['c1', 'user', 1, '09:03:00'], ['c1', 'A', 1, '10:00:00', 'activity'],
  ['c2', 'user', 1, '11:00:05'], ['c2', 'A', 1, '11:02:00'], ['c2', 'user', 2, '10:00:00'],
  ['c2', 'B', 2, '10:30:00'],  // B covering for A: B's message out
  ['c3', 'user', 2, '08:00:01'], ['c3', 'A', 2, '08:05:00'], ['c3', 'A', 2, '08:06:00'],
  ['c4', 'user', 1, '12:00:01', 'image'], ['c4', 'B', 1, '12:00:30'], ['c4', 'B', 1, '12:20:00', 'note'],
  ['c5', 'user', 3, '23:59:59.700'],
  ['c6', 'user', 3, '15:00:01'],
  ['c7', 'user', 4, '00:00:00.000'],
];

// Ratings: [conversation, score, day, time], for the conversation's agent.
const RATINGS = [['c0', 3, 1, '02:00:00'], ['c1', 5, 1, '10:05:00'], ['c2', 4, 2, '12:00:00'], ['c4', 2, 1, '13:00:00']];

const pct = (median, p90) => ({ median, p90 });
const NONE = pct(null, null);
const figs = (started, resolved, firstResponse, resolution, messagesIn, messagesOut, average, count) =>
  ({ started, resolved, firstResponse, resolution, messagesIn, messagesOut, rating: { average, count } });

// The answers.  Percentiles interpolate (PERCENTILE_CONT): p90 of n
// sorted values is at position 0.9 (n - 1).
export const EXPECTED = {
  days: [
    // c1 c2 c4 started; c0 c1 c4 resolved; first responses 30 60 120:
    // median 60, p90 60 + 0.8 * 60 = 108; resolutions 1800 3600 7200:
    // 3600, 3600 + 0.8 * 3600 = 6480; in c0 c1 c1 c2 c4, out c1 c2 c4
    // (A A B); ratings 3 5 2.
    figs(3, 3, pct(60, 108), pct(3600, 6480), 5, 3, 3.33, 3),
    // c3 started, c2 resolved (86400 s); in c2 c3, out B in c2, A twice
    // in c3 = 3; the rating 4.
    figs(1, 1, pct(300, 300), pct(86400, 86400), 2, 3, 4, 1),
    // c5 and c6, neither answered; in c5 c6.
    figs(2, 0, NONE, NONE, 2, 0, null, 0),
  ],
  // First responses 30 60 120 300: median 90, p90 120 + 0.7 * 180 = 246;
  // resolutions 1800 3600 7200 86400: 5400, 7200 + 0.7 * 79200 = 62640;
  // ratings 14 / 4.
  totals: figs(6, 4, pct(90, 246), pct(5400, 62640), 9, 6, 3.5, 4),
  agents: {
    // c1 c2 c3; c0 c1 c2; 60 120 300: 120, 120 + 0.8 * 180 = 264;
    // 3600 7200 86400: 7200, 7200 + 0.8 * 79200 = 70560; in c0 c1 c1 c2 c2
    // c3, out c1 c2 c3 c3; ratings 3 5 4.
    A: figs(3, 3, pct(120, 264), pct(7200, 70560), 6, 4, 4, 3),
    // c4 c5; c4; in c4 c5; out c4 and c2 (covering).
    B: figs(2, 1, pct(30, 30), pct(1800, 1800), 2, 2, 2, 1),
  },
  // A's own report (A's days; B's message in c2 is not A's).
  ownDays: {
    // c1 c2; c0 c1; 60 120: 90, 60 + 0.9 * 60 = 114; 3600 7200: 5400,
    // 3600 + 0.9 * 3600 = 6840; in c0 c1 c1 c2; out c1 c2; ratings 3 5.
    A: [figs(2, 2, pct(90, 114), pct(5400, 6840), 4, 2, 4, 2),
      figs(1, 1, pct(300, 300), pct(86400, 86400), 2, 2, 4, 1),
      figs(0, 0, NONE, NONE, 0, 0, null, 0)],
  },
};

// Loads the fixture in March of year; returns { year, from, to, A, B }
// (A and B: logged-in agents from newStaff, named after tag).
export async function reportFixture(year, tag) {
  const [A, B] = await Promise.all([newStaff('Support', `Ana ${tag}`), newStaff('Support', `Bala ${tag}`)]);
  // Never a candidate for another test's routing.
  sql(`UPDATE users SET availability = 'offline' WHERE id IN (${A.user.id}, ${B.user.id})`);
  const agent = { A: A.user.id, B: B.user.id };
  const at = ([day, time]) => `'${year}-${day === 0 ? '02-28' : `03-0${day}`} ${time}'`;
  const conv = {};
  for (const [name, who, created, first, resolved] of CONVERSATIONS) {
    const user = insertId(`INSERT INTO users (phone, name, role, passwordHash) VALUES ('${freshPhone()}', 'Report user ${name}', 'User', 'x')`);
    const status = resolved ? 'resolved' : who ? 'open' : 'pending';
    const id = insertId(`INSERT INTO conversations (userId, assignedSupportId, status, createdAt, updatedAt, firstResponseAt, resolvedAt)
      VALUES (${user}, ${who ? agent[who] : 'NULL'}, '${status}', ${at(created)}, ${at(created)}, ${first ? at(first) : 'NULL'}, ${resolved ? at(resolved) : 'NULL'})`);
    conv[name] = { id, user, resolved };
  }
  const rows = MESSAGES.map(([c, from, day, time, kind = 'text']) => {
    const sender = from === 'user' ? conv[c].user : agent[from];
    const type = kind === 'note' ? 'text' : kind;
    return `(${conv[c].id}, ${sender}, '${type}', '${kind} ${c}', ${kind === 'note' ? 1 : 0}, ${at([day, time])})`;
  });
  sql(`INSERT INTO messages (conversationId, senderId, messageType, content, isPrivate, createdAt) VALUES ${rows.join(', ')}`);
  const ratings = RATINGS.map(([c, score, day, time]) => {
    const { id, user, resolved } = conv[c];
    return `(${id}, ${user}, (SELECT assignedSupportId FROM conversations WHERE id = ${id}), ${at(resolved)}, ${score}, ${at([day, time])})`;
  });
  sql(`INSERT INTO conversation_ratings (conversationId, userId, supportId, resolvedAt, score, createdAt) VALUES ${ratings.join(', ')}`);
  return { year, from: `${year}-03-01`, to: `${year}-03-03`, A, B };
}
