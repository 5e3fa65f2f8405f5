// poll-bench.mjs - what the pages' REST fallback (no pushd) costs the
// server: N simulated end users, each polling as www/js/user.js does
// without a socket - every INTERVAL (2 s) after its previous poll answered,
// GET /api/v1/chat/conversations?updatedAfter=<newest change seen - 5 s>
// and GET /api/v1/chat/messages/<its conversation>?after=<newest id> at
// once - for T seconds, while a few messages are sent (so that some polls
// find something).  Prints requests/s achieved against the rate asked,
// p50/p99 latency, errors, the CPU of MariaDB (and of lighttpd with its
// FastCGI programs, and of this load generator) over the run, and MariaDB's
// statements per request; first for a baseline N (100), then for N, and
// the ratios.
//
// It starts nothing: it runs against a stack that is up (tools/stack.sh up,
// or the integration harness's with KEEP_TMP=1), given by
//   BASE_URL    e.g. http://127.0.0.1:8080
//   STATE_DIR   the stack's state directory: run/mysqld.pid (MariaDB's pid,
//               for /proc/<pid>/stat), run/mysqld.sock (set-up over SQL),
//               jwt.secret (the clients' tokens are signed with it, no
//               logins), lighttpd.conf (to find lighttpd and api.fcgi)
// Options (or the environment variables in brackets):
//   --clients N (POLL_CLIENTS, 1000)   --baseline N (POLL_BASELINE, 100)
//   --seconds T (POLL_SECONDS, 20)     --interval MS (POLL_INTERVAL, 2000)
//   --send-rate R (POLL_SEND_RATE, 2: messages/s sent over REST meanwhile)
//   --json FILE (also write the figures as JSON)
// Set-up (once, kept): end users +9196xxxxxxxx "Poller n" with one open
// conversation and one message each, written over MariaDB's socket as root.
// Nothing is asserted: it measures.
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const argv = process.argv.slice(2);
const opt = (name, envName, dflt) => {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1];
  return process.env[envName] ?? dflt;
};
const BASE = process.env.BASE_URL;
const STATE = process.env.STATE_DIR;
if (!BASE || !STATE) {
  console.error('usage: BASE_URL=http://127.0.0.1:8080 STATE_DIR=/path/to/state node tests/bench/poll-bench.mjs [--clients 1000] [--baseline 100] [--seconds 20]');
  process.exit(2);
}
const CLIENTS = Number(opt('clients', 'POLL_CLIENTS', 1000));
const BASELINE = Number(opt('baseline', 'POLL_BASELINE', 100));
const SECONDS = Number(opt('seconds', 'POLL_SECONDS', 20));
const INTERVAL = Number(opt('interval', 'POLL_INTERVAL', 2000));
const SEND_RATE = Number(opt('send-rate', 'POLL_SEND_RATE', 2));
const JSON_OUT = opt('json', 'POLL_JSON', null);
const OVERLAP_MS = 5000;          // as www/js/user.js and conversations.js ask
const SOCK = process.env.MARIADB_SOCK ?? `${STATE}/run/mysqld.sock`;

const sql = (q) => execFileSync('mariadb', ['--no-defaults', '-uroot', `--socket=${SOCK}`, '-N', '-B', 'chat', '-e', q],
  { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').filter(Boolean).map((l) => l.split('\t'));

// --- the clients' accounts and tokens -------------------------------------
function setUp(n) {
  const have = Number(sql("SELECT COUNT(*) FROM users WHERE phone LIKE '+9196%'")[0][0]);
  if (have < n) {
    sql(`INSERT INTO users (phone, name, role, passwordHash)
      SELECT CONCAT('+9196', LPAD(seq, 8, '0')), CONCAT('Poller ', seq), 'User', '!'
      FROM seq_${have + 1}_to_${n}`);
  }
  const agent = sql("SELECT id FROM users WHERE role = 'Support' AND disabled = 0 ORDER BY id LIMIT 1")[0]?.[0] ?? 'NULL';
  // One open conversation each, with a first message from its user.
  sql(`INSERT INTO conversations (userId, assignedSupportId, status)
    SELECT u.id, ${agent}, 'open' FROM users u
    WHERE u.phone LIKE '+9196%' AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.userId = u.id)`);
  sql(`INSERT INTO messages (conversationId, senderId, messageType, content, isRead)
    SELECT c.id, c.userId, 'text', 'My maize has brown spots', 0 FROM conversations c JOIN users u ON u.id = c.userId
    WHERE u.phone LIKE '+9196%' AND c.lastMessageId IS NULL`);
  sql(`UPDATE conversations c JOIN users u ON u.id = c.userId
    SET c.lastMessageId = (SELECT MAX(m.id) FROM messages m WHERE m.conversationId = c.id), c.supportUnreadCount = 1
    WHERE u.phone LIKE '+9196%' AND c.lastMessageId IS NULL`);
  return sql(`SELECT u.id, c.id, c.lastMessageId, DATE_FORMAT(c.updatedAt, '%Y-%m-%dT%H:%i:%s.%fZ')
    FROM users u JOIN conversations c ON c.userId = u.id
    WHERE u.phone LIKE '+9196%' ORDER BY u.id, c.id LIMIT ${n}`)
    .map(([user, conv, last, updated]) => ({ user, conv, last, since: updated.replace(/(\.\d{3})\d*Z$/, '$1Z') }));
}

const secret = readFileSync(`${STATE}/jwt.secret`, 'utf8').trim();
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function token(sub) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({ sub: String(sub), role: 'User', jti: randomBytes(16).toString('hex'), iat: now, exp: now + 3600 });
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

// --- HTTP -------------------------------------------------------------------
const base = new URL(BASE);
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
function http(method, path, tok, body) {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers = { Authorization: `Bearer ${tok}` };
    if (data) { headers['Content-Type'] = 'application/json'; headers['Content-Length'] = Buffer.byteLength(data); }
    const t0 = process.hrtime.bigint();
    const req = request({ host: base.hostname, port: base.port, path, method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, json, us: Number(process.hrtime.bigint() - t0) / 1000 });
      });
    });
    req.on('error', () => resolve({ status: 0, json: null, us: Number(process.hrtime.bigint() - t0) / 1000 }));
    req.end(data);
  });
}

// --- CPU and MariaDB's counters ---------------------------------------------
const TCK = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100; } catch { return 100; } })();
function ticks(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);      // utime + stime
  } catch { return 0; }
}
const pgrep = (args) => { try { return execFileSync('pgrep', args, { encoding: 'utf8' }).split('\n').filter(Boolean); } catch { return []; } };
const mariadbPid = readFileSync(`${STATE}/run/mysqld.pid`, 'utf8').trim();
function webPids() {
  const lighttpd = pgrep(['-f', `lighttpd -D -f ${STATE}/lighttpd.conf`]);
  return [...lighttpd, ...lighttpd.flatMap((p) => pgrep(['-P', p]))];
}
const questions = () => Number(sql("SHOW GLOBAL STATUS LIKE 'Questions'")[0][1]);
function sample() {
  const web = webPids();
  return {
    t: process.hrtime.bigint(), db: ticks(mariadbPid), web: web.reduce((a, p) => a + ticks(p), 0), webProcs: web.length,
    self: process.cpuUsage(), q: questions(),
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN);

// --- one run of n clients ----------------------------------------------------
async function run(clients) {
  const lat = [];
  const statuses = {};
  let sends = 0;
  const record = (r) => { lat.push(r.us); statuses[r.status] = (statuses[r.status] ?? 0) + 1; };
  const s0 = sample();
  const end = Date.now() + SECONDS * 1000;
  const poller = async (c) => {
    await sleep(Math.random() * INTERVAL);        // the clients' polls spread over the interval
    while (Date.now() < end) {
      const after = new Date(Date.parse(c.since) - OVERLAP_MS).toISOString();
      const [list, msgs] = await Promise.all([
        http('GET', `/api/v1/chat/conversations?updatedAfter=${encodeURIComponent(after)}&limit=20`, c.token),
        http('GET', `/api/v1/chat/messages/${c.conv}?after=${c.last}&limit=100`, c.token),
      ]);
      record(list);
      record(msgs);
      for (const x of list.json?.data ?? []) if (x.updatedAt > c.since) c.since = x.updatedAt;
      const got = msgs.json?.data ?? [];
      if (got.length) c.last = got[got.length - 1]._id;
      if (Date.now() + INTERVAL >= end) break;
      await sleep(INTERVAL);
    }
  };
  // Messages meanwhile, from random clients' users.
  const sender = async () => {
    if (!SEND_RATE) return;
    while (Date.now() < end) {
      const c = clients[Math.floor(Math.random() * clients.length)];
      const r = await http('POST', '/api/v1/chat/messages', c.token,
        { conversationId: c.conv, messageType: 'text', content: 'Any news?', clientMessageId: `pb-${randomBytes(8).toString('hex')}` });
      if (r.status === 201) sends += 1;
      await sleep(1000 / SEND_RATE);
    }
  };
  await Promise.all([...clients.map(poller), sender()]);
  const s1 = sample();
  const wall = Number(s1.t - s0.t) / 1e9;
  lat.sort((a, b) => a - b);
  const cpu = (d) => (100 * d) / TCK / wall;
  const selfUs = s1.self.user + s1.self.system - s0.self.user - s0.self.system;
  const n = lat.length;
  return {
    clients: clients.length, seconds: Number(wall.toFixed(1)),
    asked_rps: Number(((clients.length * 2 * 1000) / INTERVAL).toFixed(1)),
    rps: Number((n / wall).toFixed(1)), requests: n, statuses, sends,
    p50_ms: Number((pct(lat, 0.5) / 1000).toFixed(2)), p99_ms: Number((pct(lat, 0.99) / 1000).toFixed(2)),
    max_ms: Number((lat[n - 1] / 1000).toFixed(2)),
    mariadb_cpu_pct: Number(cpu(s1.db - s0.db).toFixed(1)),
    web_cpu_pct: Number(cpu(s1.web - s0.web).toFixed(1)), web_procs: s1.webProcs,
    loadgen_cpu_pct: Number(((100 * selfUs) / 1e6 / wall).toFixed(1)),
    db_queries_per_request: Number(((s1.q - s0.q - 2) / Math.max(1, n + sends)).toFixed(2)),
    mariadb_cpu_ms_per_request: Number((((s1.db - s0.db) * 1000) / TCK / Math.max(1, n)).toFixed(3)),
  };
}

const rows = [
  ['clients', 'clients'], ['requests/s asked', 'asked_rps'], ['requests/s achieved', 'rps'], ['requests', 'requests'],
  ['p50 latency (ms)', 'p50_ms'], ['p99 latency (ms)', 'p99_ms'], ['max latency (ms)', 'max_ms'],
  ['MariaDB CPU (% of a core)', 'mariadb_cpu_pct'], ['MariaDB CPU per request (ms)', 'mariadb_cpu_ms_per_request'],
  ['MariaDB statements per request', 'db_queries_per_request'],
  ['lighttpd + api.fcgi CPU (% of a core)', 'web_cpu_pct'], ['load generator CPU (% of a core)', 'loadgen_cpu_pct'],
  ['messages sent meanwhile', 'sends'],
];

const all = setUp(Math.max(CLIENTS, BASELINE));
const mk = (n) => all.slice(0, n).map((c) => ({ ...c, token: token(c.user) }));
console.log(`poll-bench: ${BASE}, ${SECONDS} s per run, a poll (2 requests) every ${INTERVAL} ms per client, ${SEND_RATE} sends/s, ${(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm) || []).length} CPUs`);
const baseline = BASELINE > 0 ? await run(mk(BASELINE)) : null;
if (baseline) await sleep(2000);
const main = await run(mk(CLIENTS));
const w = 40;
const fmt = (v) => String(v ?? '-').padStart(12);
console.log(`${''.padEnd(w)}${fmt('baseline')}${fmt('run')}${fmt('ratio')}`);
for (const [label, k] of rows) {
  const b = baseline?.[k];
  const ratio = typeof b === 'number' && b !== 0 ? (main[k] / b).toFixed(2) : '-';
  console.log(`${label.padEnd(w)}${fmt(b)}${fmt(main[k])}${fmt(ratio)}`);
}
const st = (r) => Object.entries(r.statuses).map(([s, c]) => `${s}: ${c}`).join(', ');
console.log(`statuses: baseline {${baseline ? st(baseline) : '-'}}, run {${st(main)}}`);
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ date: new Date().toISOString(), base: BASE, interval_ms: INTERVAL, baseline, run: main }, null, 2));
agent.destroy();
