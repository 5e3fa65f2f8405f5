// reports.test.mjs - GET /api/v1/reports/summary against a fixture whose
// answers were computed by hand (reports-fixture.mjs): every figure per
// day, per agent and in total; an agent's own report (and 403 for
// another's), users 403, bad dates and ranges 400, and the CSV.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { api, isError, newStaff, newUser } from './lib.mjs';
import { EXPECTED, reportFixture } from './reports-fixture.mjs';

const TAG = randomBytes(3).toString('hex');
let fx, admin;
const summary = (token, query) => api('GET', `/api/v1/reports/summary?${new URLSearchParams(query)}`, { token });
const range = () => ({ from: fx.from, to: fx.to });
const strip = ({ date, supportId, name, ...figs }) => figs;

before(async () => {
  fx = await reportFixture(2001, TAG);
  admin = await newStaff('Admin', `Report Admin ${TAG}`);
});

test('an admin reads every figure of every day, agent and the totals', async () => {
  const r = await summary(admin.token, range());
  assert.equal(r.status, 200, r.text);
  const d = r.body.data;
  assert.equal(d.from, '2001-03-01');
  assert.equal(d.to, '2001-03-03');
  assert.equal(d.supportId, null);
  assert.deepEqual(d.days.map((x) => x.date), ['2001-03-01', '2001-03-02', '2001-03-03']);
  d.days.forEach((day, i) => assert.deepEqual(strip(day), EXPECTED.days[i], day.date));
  assert.deepEqual(d.totals, EXPECTED.totals);
  assert.deepEqual(d.agents.map((a) => [a.supportId, a.name]),
    [[fx.A.user.id, `Ana ${TAG}`], [fx.B.user.id, `Bala ${TAG}`]], 'by name; the queue is no agent');
  assert.deepEqual(strip(d.agents[0]), EXPECTED.agents.A);
  assert.deepEqual(strip(d.agents[1]), EXPECTED.agents.B);
});

test('an admin reads one agent: their days, their row, their totals', async () => {
  const r = await summary(admin.token, { ...range(), supportId: fx.A.user.id });
  assert.equal(r.status, 200, r.text);
  const d = r.body.data;
  assert.equal(d.supportId, fx.A.user.id);
  d.days.forEach((day, i) => assert.deepEqual(strip(day), EXPECTED.ownDays.A[i], day.date));
  assert.deepEqual(d.agents.map((a) => a.supportId), [fx.A.user.id]);
  assert.deepEqual(strip(d.agents[0]), EXPECTED.agents.A);
  assert.deepEqual(d.totals, EXPECTED.agents.A);
});

test('an agent reads only their own report', async () => {
  const own = await summary(fx.B.token, range());
  assert.equal(own.status, 200, own.text);
  assert.equal(own.body.data.supportId, fx.B.user.id, 'none given: their own');
  assert.deepEqual(own.body.data.agents.map((a) => a.supportId), [fx.B.user.id]);
  assert.deepEqual(own.body.data.totals, EXPECTED.agents.B);
  const same = await summary(fx.B.token, { ...range(), supportId: fx.B.user.id });
  assert.deepEqual(same.body.data, own.body.data);
  isError(assert, await summary(fx.B.token, { ...range(), supportId: fx.A.user.id }), 403, 'forbidden');
  isError(assert, await summary(fx.B.token, { ...range(), supportId: admin.user.id }), 403, 'forbidden');
});

test('an agent with nothing in the range gets every day, with zeros and nulls', async () => {
  const idle = await newStaff('Support', `Idle ${TAG}`);
  const r = await summary(idle.token, range());
  assert.equal(r.status, 200, r.text);
  const zero = EXPECTED.days[2].firstResponse;
  assert.equal(r.body.data.days.length, 3);
  for (const day of r.body.data.days) {
    assert.deepEqual(strip(day), { started: 0, resolved: 0, firstResponse: zero, resolution: zero,
      messagesIn: 0, messagesOut: 0, rating: { average: null, count: 0 } });
  }
  assert.deepEqual(r.body.data.agents.map((a) => [a.supportId, a.name]), [[idle.user.id, `Idle ${TAG}`]]);
});

test('users may not read reports; the route needs a token', async () => {
  const u = await newUser('Report Reader');
  isError(assert, await summary(u.token, range()), 403, 'forbidden');
  isError(assert, await summary(u.token, {}), 403, 'forbidden');
  isError(assert, await summary(null, range()), 401, 'unauthorized');
  isError(assert, await api('POST', '/api/v1/reports/summary', { token: admin.token }), 405, 'method_not_allowed');
});

test('an unknown agent or a user as supportId is 404', async () => {
  const u = await newUser('Not An Agent');
  isError(assert, await summary(admin.token, { ...range(), supportId: u.user.id }), 404, 'not_found');
  isError(assert, await summary(admin.token, { ...range(), supportId: '999999999' }), 404, 'not_found');
});

test('defaults: the last 7 UTC days up to today, or 7 days from the one given', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const week = new Date(Date.now() - 6 * 86400e3).toISOString().slice(0, 10);
  const r = await summary(admin.token, {});
  assert.equal(r.status, 200, r.text);
  // (Unless the day changed between the two clocks.)
  assert.ok(r.body.data.to === today || r.body.data.from === week, r.text.slice(0, 200));
  assert.equal(r.body.data.days.length, 7);
  const from = await summary(admin.token, { from: '2001-03-01' });
  assert.equal(from.body.data.to, '2001-03-07');
  const to = await summary(admin.token, { to: '2001-03-03' });
  assert.equal(to.body.data.from, '2001-02-25');
  assert.equal(to.body.data.days.length, 7);
  const year = await summary(admin.token, { from: '2004-01-01', to: '2004-12-31' });
  assert.equal(year.body.data.days.length, 366, 'a leap year is the longest range');
});

test('bad dates, a reversed range, too long a range, a bad supportId or format: 400', async () => {
  for (const q of [{ from: '2001-3-1' }, { from: '2001-02-29' }, { to: '2001-13-01' }, { from: 'yesterday' },
    { from: '2001-03-01T00:00:00Z' }, { to: '1969-12-31' }, { from: '2001-03-01'.repeat(3) },
    { from: '2001-03-03', to: '2001-03-01' }, { from: '2004-01-01', to: '2005-01-01' },
    { supportId: 'me' }, { supportId: '-1' }, { supportId: '1'.repeat(40) }, { format: 'xml' }]) {
    const r = await summary(admin.token, q);
    isError(assert, r, 400, 'validation_failed');
  }
  const msg = async (q) => (await summary(admin.token, q)).body.error.message;
  assert.match(await msg({ from: '2001-03-03', to: '2001-03-01' }), /from must not be after to/);
  assert.match(await msg({ from: '2004-01-01', to: '2005-01-01' }), /at most 366 days/);
  assert.match(await msg({ from: 'x' }), /YYYY-MM-DD/);
});

// The CSV's fields, split by hand (quotes doubled inside quoted fields).
function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; i++;
    } else field += c;
  }
  assert.equal(field, '', 'ends with CRLF');
  return rows;
}

const n = (v) => (v === null ? '' : String(v));
const csvFigs = (f) => [f.started, f.resolved, f.firstResponse.median, f.firstResponse.p90, f.resolution.median,
  f.resolution.p90, f.messagesIn, f.messagesOut, f.rating.average, f.rating.count].map(n);
const CSV_HEAD = ['row', 'date', 'supportId', 'name', 'started', 'resolved', 'firstResponseMedian',
  'firstResponseP90', 'resolutionMedian', 'resolutionP90', 'messagesIn', 'messagesOut', 'ratingAverage', 'ratingCount'];

test('format=csv: the same figures as CSV, a row per day, per agent and the total', async () => {
  const r = await summary(admin.token, { ...range(), format: 'csv' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(r.headers.get('content-disposition'), 'attachment; filename="report-2001-03-01-2001-03-03.csv"');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.deepEqual(csvRows(r.text), [CSV_HEAD,
    ['day', '2001-03-01', '', '', ...csvFigs(EXPECTED.days[0])],
    ['day', '2001-03-02', '', '', ...csvFigs(EXPECTED.days[1])],
    ['day', '2001-03-03', '', '', ...csvFigs(EXPECTED.days[2])],
    ['agent', '', fx.A.user.id, `Ana ${TAG}`, ...csvFigs(EXPECTED.agents.A)],
    ['agent', '', fx.B.user.id, `Bala ${TAG}`, ...csvFigs(EXPECTED.agents.B)],
    ['total', '', '', '', ...csvFigs(EXPECTED.totals)]]);
  assert.match(r.text, /^row,date,supportId,name,started,/);
  assert.match(r.text, /\r\nday,2001-03-01,,,3,3,60,108,3600,6480,5,3,3\.33,3\r\n/, 'plain numbers, unquoted');
});

test('format=csv quotes names with commas and quotes, and defuses formulas', async () => {
  const odd = await newStaff('Support', `=HYPERLINK("x"), ${TAG}`);
  const r = await summary(odd.token, { ...range(), format: 'csv' });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.text.includes(`agent,,${odd.user.id},"'=HYPERLINK(""x""), ${TAG}",0,0,,,,,0,0,,0\r\n`), r.text);
  assert.deepEqual(csvRows(r.text)[4].slice(0, 4), ['agent', '', odd.user.id, `'=HYPERLINK("x"), ${TAG}`]);
  // Errors stay JSON.
  const bad = await summary(odd.token, { from: 'x', format: 'csv' });
  isError(assert, bad, 400, 'validation_failed');
  assert.match(bad.headers.get('content-type'), /^application\/json/);
});
