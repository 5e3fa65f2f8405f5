// bench.mjs - drives the benchmark scenarios against the services that
// run.sh started, with the C load generator, and writes report.md and
// report.json.  Figures are measured, never asserted; each comparison is
// against a peer measured in the same run on the same machine.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const env = process.env;
const SMOKE = env.BENCH_MODE !== 'full';
const OUT = env.BENCH_OUT;
const secret = readFileSync(env.SECRET_FILE, 'utf8').trim();

const sql = (q) => execFileSync('mariadb', ['--no-defaults', '-uroot', `--socket=${env.MARIADB_SOCK}`, '--default-character-set=utf8mb4', '-N', '-B', 'chat', '-e', q],
  { encoding: 'utf8', maxBuffer: 256 << 20 }).split('\n').filter(Boolean).map((l) => l.split('\t'));

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function token(sub, role) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({ sub: String(sub), role, jti: randomBytes(16).toString('hex'), iat: now, exp: now + 7200 });
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

// Agent/user pairs over the generated conversations.
function pairs(n) {
  const rows = sql(`SELECT c.id, c.userId, c.assignedSupportId FROM conversations c JOIN users u ON u.id = c.userId
    WHERE u.phone LIKE '+9181%' ORDER BY c.id LIMIT ${n}`);
  return rows.map(([conv, user, agent]) => ({ conversationId: conv, userToken: token(user, 'User'), agentToken: token(agent, 'Support') }));
}

function loadgen(url, file, mode, args) {
  const out = `${env.BENCH_TMP}/lg-${Date.now()}.json`;
  const r = spawnSync(env.LOADGEN, ['--url', url, '--pairs', file, '--mode', mode, '--out', out, ...args.map(String)],
    { encoding: 'utf8', timeout: 600000 });
  if (r.status !== 0) throw new Error(`loadgen failed: ${r.stderr || r.stdout}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

const ms = (us) => (us === undefined || us === null ? '-' : (us / 1000).toFixed(2));

// --- footprint -----------------------------------------------------------
function rssKiB(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}
function pidsOf(pattern) {
  const r = spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}
function footprint() {
  const tmp = env.BENCH_TMP;
  const lighttpd = pidsOf(`lighttpd -D -f ${tmp}/lighttpd.conf`);
  const fcgi = lighttpd.flatMap((p) => spawnSync('pgrep', ['-P', String(p)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number))
    .filter((p) => { try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('api.fcgi'); } catch { return false; } });
  const sum = (ps) => ps.reduce((a, p) => a + rssKiB(p), 0);
  return {
    pushd_kib: sum(pidsOf(`pushd -c ${tmp}/chat.conf`)),
    api_fcgi_kib: sum(fcgi),
    api_fcgi_procs: fcgi.length,
    lighttpd_kib: sum(lighttpd),
    mariadb_kib: sum(pidsOf(`mariadbd --no-defaults --user=.* --datadir=${tmp}/mysql`)),
  };
}

// --- scenarios ------------------------------------------------------------
const report = { mode: SMOKE ? 'smoke' : 'full', date: new Date().toISOString(), machine: {}, scenarios: {} };
report.machine.cpus = (readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm) || []).length;
report.machine.mem_gib = Math.round(Number(readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)[1]) / 1048576);
report.scenarios.footprint = footprint();

const nPairs = SMOKE ? 10 : 500;
const pairFile = `${env.BENCH_TMP}/pairs.json`;
writeFileSync(pairFile, JSON.stringify({ pairs: pairs(nPairs) }));

// 2. Persisted throughput, stepped until p99 send->deliver passes 50 ms or
// anything is lost.
const steps = SMOKE ? [100, 200] : [1000, 2000, 5000, 10000];
const duration = SMOKE ? 2 : 10;
const persisted = {};
for (const [name, url] of [['pushd', env.PUSHD_URL], ['relay_persist', env.PERSIST_URL]]) {
  persisted[name] = [];
  for (const rate of steps) {
    const r = loadgen(url, pairFile, 'send', ['--rate', rate, '--duration', duration, '--warmup', 1, '--src-addrs', 4]);
    const lost = r.missing_acks + r.missing_deliveries + r.ack_errors;
    persisted[name].push({ rate, achieved: r.achieved_rate, sent: r.sent, acked: r.acked, delivered: r.delivered, lost,
      ack_p99_ms: Number(ms(r.ack_latency_us?.p99)), p50_ms: Number(ms(r.deliver_latency_us?.p50)),
      p90_ms: Number(ms(r.deliver_latency_us?.p90)), p99_ms: Number(ms(r.deliver_latency_us?.p99)),
      p999_ms: Number(ms(r.deliver_latency_us?.p999)), max_ms: Number(ms(r.deliver_latency_us?.max)) });
    console.log(`persisted ${name} ${rate}/s: p99 deliver ${ms(r.deliver_latency_us?.p99)} ms, lost ${lost}`);
    if (lost > 0 || r.deliver_latency_us?.p99 > 50000) break;
  }
}
const held = (rows) => rows.filter((s) => s.lost === 0 && s.p99_ms <= 50).reduce((a, s) => Math.max(a, s.rate), 0);
report.scenarios.persisted = { pairs: nPairs, duration_s: duration, steps: persisted,
  held: { pushd: held(persisted.pushd), relay_persist: held(persisted.relay_persist) } };

// 3. Pure fan-out: one agent's typing events to rooms of N members (one
// admin account with N sockets, allowed in any room).
const admin = sql("SELECT id FROM users WHERE role = 'Admin' LIMIT 1")[0]?.[0]
  ?? (sql("INSERT INTO users (phone, name, role, passwordHash) VALUES ('+919999999999', 'Bench Admin', 'Admin', 'x'); SELECT LAST_INSERT_ID()")[0][0]);
const sizes = SMOKE ? [10] : [10, 100, 1000];
const fanout = [];
for (const members of sizes) {
  const file = `${env.BENCH_TMP}/fan-${members}.json`;
  writeFileSync(file, JSON.stringify({ pairs: pairs(1), members: Array.from({ length: members }, () => token(admin, 'Admin')) }));
  const row = { members };
  for (const [name, url] of [['pushd', env.PUSHD_URL], ['relay_bare', env.BARE_URL]]) {
    // Offered deliveries/s doubled from 25k (smoke: 2k) until p99 passes
    // 50 ms or an event is lost: the last step that held is the figure.
    const steps = [];
    let offered = SMOKE ? 2000 : 25000;
    for (let i = 0; i < (SMOKE ? 1 : 4); i++, offered *= 2) {
      const rate = Math.max(1, Math.round(offered / members));
      const r = loadgen(url, file, 'fanout', ['--rate', rate, '--duration', duration, '--warmup', 1, '--src-addrs', 4]);
      const step = { rate, offered: rate * members, deliveries_per_s: Math.round(r.deliveries_per_s),
        p99_ms: Number(ms(r.deliver_latency_us?.p99)), missing: r.missing_deliveries };
      steps.push(step);
      console.log(`fanout ${members} ${name} ${rate} ev/s: ${step.deliveries_per_s} deliveries/s, p99 ${step.p99_ms} ms, missing ${step.missing}`);
      if (step.missing > 0 || step.p99_ms > 50) break;
    }
    const ok = steps.filter((x) => x.missing === 0 && x.p99_ms <= 50);
    row[name] = { steps, held_deliveries_per_s: ok.length ? Math.max(...ok.map((x) => x.deliveries_per_s)) : 0,
      p99_ms: steps[0].p99_ms };
  }
  row.ratio = row.relay_bare.held_deliveries_per_s ? +(row.pushd.held_deliveries_per_s / row.relay_bare.held_deliveries_per_s).toFixed(2) : null;
  fanout.push(row);
}
report.scenarios.fanout = fanout;

// 4. REST with wrk: the agent's list (1,000 conversations), history pages
// deep in the long conversation, and the hello-world floor.
// opts: connections (default 50; smoke 4), seconds (10; smoke 2).
function wrk(path, extra = {}, opts = {}) {
  const c = opts.connections ?? (SMOKE ? 4 : 50), d = opts.seconds ?? (SMOKE ? 2 : 10);
  const args = ['-t2', `-c${c}`, `-d${d}s`, '--timeout', '30s', '--latency', '-s', env.WRK_LUA, env.BASE_URL];
  const r = spawnSync('wrk', args, { encoding: 'utf8', env: { ...env, PATH_PREFIX: path, ...extra }, timeout: 120000 });
  const rps = Number((r.stdout.match(/Requests\/sec:\s+([\d.]+)/) || [])[1] ?? 0);
  const mult = { us: 0.001, ms: 1, s: 1000 };
  const pct = (p) => {
    const m = r.stdout.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm'));
    return m ? +(Number(m[1]) * mult[m[2]]).toFixed(2) : null;
  };
  const non2xx = Number((r.stdout.match(/Non-2xx or 3xx responses:\s+(\d+)/) || [])[1] ?? 0);
  const requests = Number((r.stdout.match(/(\d+) requests in/) || [])[1] ?? 0);
  const sock = r.stdout.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const errors = sock ? sock.slice(1).reduce((a, x) => a + Number(x), 0) : 0;
  return { rps: rps >= 100 ? Math.round(rps) : +rps.toFixed(1), p50_ms: pct(50), p99_ms: pct(99), requests, non2xx, errors };
}
const [agentId, firstConv] = sql(`SELECT c.assignedSupportId, MIN(c.id) FROM conversations c JOIN users u ON u.id = c.userId
  WHERE u.phone LIKE '+9181%' GROUP BY c.assignedSupportId ORDER BY c.assignedSupportId LIMIT 1`)[0];
sql(`UPDATE conversations SET assignedSupportId = ${agentId} WHERE id BETWEEN ${firstConv} AND ${Number(firstConv) + 999}`);
const listCount = sql(`SELECT COUNT(*) FROM conversations WHERE assignedSupportId = ${agentId}`)[0][0];
const [bigConv, lo, hi, bigCount] = sql(`SELECT conversationId, MIN(id), MAX(id), COUNT(*) FROM messages
  WHERE conversationId = (SELECT conversationId FROM messages GROUP BY conversationId ORDER BY COUNT(*) DESC LIMIT 1)`)[0];
const agentToken = token(agentId, 'Support');
const floor = wrk('/hello');
const list = wrk('/api/v1/chat/conversations?limit=20', { TOKEN: agentToken });
const history = wrk(`/api/v1/chat/messages/${bigConv}?limit=50&before=`, { TOKEN: agentToken, BEFORE_LO: lo, BEFORE_HI: hi });
report.scenarios.rest = { list_conversations: Number(listCount), history_messages: Number(bigCount), floor, list, history,
  list_vs_floor: floor.rps ? +(list.rps / floor.rps).toFixed(2) : null,
  history_vs_floor: floor.rps ? +(history.rps / floor.rps).toFixed(2) : null };
console.log(`rest: floor ${floor.rps}/s, list ${list.rps}/s, history ${history.rps}/s`);

// 5. Search with wrk: GET /chat/search?q= for a few kinds of query, as the
// REST agent (their 1,000 conversations, the long thread among them) and
// as an admin (all 50k), and the ?around= page of found messages; against
// the floor and the agent's list measured with the same settings (4
// connections, one per FastCGI process, so latency is service time, not
// queueing).  Matches counted in SQL with the boolean query the API makes.
const S = { connections: 4, seconds: SMOKE ? 1 : 5 };
const adminToken = token(admin, 'Admin');
const scope = `c.assignedSupportId = ${agentId} OR c.assignedSupportId IS NULL`;
const [name, phone] = sql(`SELECT u.name, u.phone FROM conversations c JOIN users u ON u.id = c.userId
  WHERE c.assignedSupportId = ${agentId} ORDER BY c.id LIMIT 1 OFFSET ${Math.floor(Math.min(500, Number(listCount) / 2))}`)[0];
const kinds = [
  { kind: 'common word', q: 'yellow' },
  { kind: 'rare word', q: 'locust' },
  { kind: 'Hindi word', q: 'सिंचाई' },
  { kind: 'two words', q: 'yellow leaves' },
  { kind: 'user name', q: name },
  { kind: 'phone number', q: phone.slice(3) },
];
// The API's boolean query (lib/search_db.c): "+word*" for words of 3+ characters.
const boolean = (q) => q.split(/[^\p{L}\p{M}\p{N}_]+/u).filter((w) => [...w].length >= 3).map((w) => `+${w}*`).join(' ');
const esc = (t) => t.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
// One request alone (curl, a new connection): status, time, what it held.
function page1(path, tok) {
  const file = `${env.BENCH_TMP}/page1.json`;
  const r = spawnSync('curl', ['-s', '-o', file, '-w', '%{http_code} %{time_total}', '-m', '60',
    '-H', `Authorization: Bearer ${tok}`, env.BASE_URL + path], { encoding: 'utf8' });
  const [status, secs] = r.stdout.split(' ').map(Number);
  let body = {};
  try { body = JSON.parse(readFileSync(file, 'utf8')); } catch { /* not JSON */ }
  return { status, ms: +(secs * 1000).toFixed(1), messages: body.data?.messages?.length ?? body.data?.length ?? 0,
    conversations: body.data?.conversations?.length ?? 0 };
}
// A request the API gave up on (db.read_timeout, 503) leaves its statement
// running in MariaDB, and so does one in flight when wrk stops (and the
// FastCGI processes go on to its next statement): end the searches until
// the API's connections are quiet (two looks in a row, at most 30 s), so
// that they do not load the next measurement.
function settle() {
  const busy = () => sql(`SELECT ID, INFO LIKE '%MATCH (m.content)%' FROM information_schema.PROCESSLIST
    WHERE USER = 'chat' AND COMMAND = 'Query'`);
  for (let quiet = 0, t0 = Date.now(); quiet < 2 && Date.now() - t0 < 30000;) {
    const rows = busy();
    for (const [id, search] of rows) {
      if (search === '1') try { sql(`KILL QUERY ${id}`); } catch { /* already done */ }
    }
    quiet = rows.length ? 0 : quiet + 1;
    spawnSync('sleep', ['0.2']);
  }
}
const searchBase = { floor: wrk('/hello', {}, S), list: wrk('/api/v1/chat/conversations?limit=20', { TOKEN: agentToken }, S) };
const searchRows = [];
for (const k of kinds) {
  const path = `/api/v1/chat/search?q=${encodeURIComponent(k.q)}&limit=20`;
  const [all, mine] = sql(`SELECT COUNT(*), COALESCE(SUM(${scope}), 0) FROM messages m JOIN conversations c ON c.id = m.conversationId
    WHERE MATCH (m.content) AGAINST ('${esc(boolean(k.q))}' IN BOOLEAN MODE)`)[0].map(Number);
  for (const [as, tok] of [['agent', agentToken], ['admin', adminToken]]) {
    settle();
    const first = page1(path, tok);
    settle();
    const r = wrk(path, { TOKEN: tok }, S);
    settle();
    searchRows.push({ ...k, as, matches: as === 'agent' ? mine : all, page1: first, ...r });
    console.log(`search ${k.kind} (${k.q}) as ${as}: ${as === 'agent' ? mine : all} matches, alone ${first.ms} ms (${first.status}), ${r.rps}/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, non-2xx ${r.non2xx + r.errors}/${r.requests}`);
  }
}
// The context page of found messages (agent's scope, so both may open them).
const found = sql(`SELECT m.conversationId, m.id FROM messages m JOIN conversations c ON c.id = m.conversationId
  WHERE (${scope}) AND MATCH (m.content) AGAINST ('+yellow*' IN BOOLEAN MODE) ORDER BY RAND() LIMIT 1000`);
const aroundFile = `${env.BENCH_TMP}/around.txt`;
writeFileSync(aroundFile, found.map(([c, m]) => `/api/v1/chat/messages/${c}?around=${m}&limit=50\n`).join(''));
for (const [as, tok] of [['agent', agentToken], ['admin', adminToken]]) {
  const first = page1(found.length ? `/api/v1/chat/messages/${found[0][0]}?around=${found[0][1]}&limit=50` : '/api/v1/health', tok);
  const r = wrk('/api/v1/health', { TOKEN: tok, PATHS_FILE: aroundFile }, S);
  searchRows.push({ kind: 'context page', q: '?around=', as, matches: found.length, page1: first, ...r });
  console.log(`search context page as ${as}: ${r.rps}/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
}
// Two significant digits: a search may be 1/40,000 of the floor.
const ratio = (a, b) => (a && b ? +(a / b).toPrecision(2) : null);
for (const r of searchRows) {
  r.rps_vs_floor = ratio(r.rps, searchBase.floor.rps);
  r.rps_vs_list = ratio(r.rps, searchBase.list.rps);
  r.p50_vs_list = ratio(r.p50_ms, searchBase.list.p50_ms);
}
report.scenarios.search = { messages: Number(sql('SELECT COUNT(*) FROM messages')[0][0]), agent_conversations: Number(listCount),
  connections: S.connections, seconds: S.seconds, baseline: searchBase, queries: searchRows };
// 1. Idle capacity: as many sockets as one process may open here (the hard
// limit on open files is 20,000 and cannot be raised), held with pings
// only; RSS per connection and CPU while idle, extrapolated to 100k.
function cpuTicks(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, 1/100 s
  } catch { return 0; }
}
const sleep = (t) => new Promise((r) => setTimeout(r, t));
async function idle(name, url, pid, n) {
  const hold = SMOKE ? 4 : 40;
  const users = pairs(Math.min(n, 500));
  const file = `${env.BENCH_TMP}/idle-${name}.json`;
  writeFileSync(file, JSON.stringify({ pairs: users.slice(0, 1),
    members: Array.from({ length: n - 2 }, (_, i) => users[i % users.length].userToken) }));
  const out = `${env.BENCH_TMP}/idle-${name}-out.json`;
  const rss0 = rssKiB(pid);
  const child = spawn(env.LOADGEN, ['--url', url, '--pairs', file, '--mode', 'idle', '--duration', String(hold),
    '--src-addrs', '4', '--connect-rate', '2000', '--out', out], { stdio: 'ignore' });
  const done = new Promise((r) => child.on('exit', r));
  // Connecting takes n / 2000 s; then sample the hold's middle.
  await sleep((n / 2000 + 2) * 1000);
  const t1 = Date.now(), c1 = cpuTicks(pid);
  await sleep(hold * 400);
  const cpuPct = +(((cpuTicks(pid) - c1) / 100) / ((Date.now() - t1) / 1000) * 100).toFixed(2);
  const rss1 = rssKiB(pid);
  await done;
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const per = r.connected ? ((rss1 - rss0) * 1024) / r.connected : null;
  const row = { sockets: n, connected: r.connected, connect_errors: r.connect_errors, rss_before_kib: rss0, rss_held_kib: rss1,
    bytes_per_conn: per ? Math.round(per) : null, cpu_pct_idle: cpuPct,
    projected_100k_mib: per ? Math.round((rss0 * 1024 + per * 100000) / 1048576) : null };
  console.log(`idle ${name}: ${r.connected}/${n} connected, ${row.bytes_per_conn} B/conn, ${cpuPct}% CPU`);
  return row;
}
const idleN = Number(env.BENCH_IDLE_N) || (SMOKE ? 200 : 19000);
const portOf = (u) => u.match(/:(\d+)\//)[1];
report.scenarios.idle = {
  pushd: await idle('pushd', env.PUSHD_URL, pidsOf(`pushd -c ${env.BENCH_TMP}/chat.conf`)[0], idleN),
  relay_bare: await idle('relay_bare', env.BARE_URL, pidsOf(`relay.mjs --port ${portOf(env.BARE_URL)} `)[0], idleN),
};
report.scenarios.footprint_after = footprint();

// --- the report -------------------------------------------------------------
const P = report.scenarios.persisted;
const lines = [
  `# Benchmark report (${report.mode})`, '',
  `${report.date}, ${report.machine.cpus} cores, ${report.machine.mem_gib} GiB. Every figure measured in this run; peers on the same machine.`, '',
  '## Persisted throughput (send -> deliver, open loop)', '',
  `${P.pairs} agent/user pairs, ${P.duration_s} s per step. Highest rate held (p99 <= 50 ms, nothing lost): pushd ${P.held.pushd}/s, persisting relay ${P.held.relay_persist}/s` +
    (P.held.relay_persist ? ` (ratio ${(P.held.pushd / P.held.relay_persist).toFixed(2)}).` : '.'), '',
  '| server | rate/s | achieved/s | sent | acked | delivered | lost | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...Object.entries(P.steps).flatMap(([n, rows]) => rows.map((s) => `| ${n} | ${s.rate} | ${Math.round(s.achieved)} | ${s.sent} | ${s.acked} | ${s.delivered} | ${s.lost} | ${s.p50_ms} | ${s.p90_ms} | ${s.p99_ms} | ${s.p999_ms} | ${s.max_ms} |`)),
  '', '## Pure fan-out (typing events, no database)', '',
  'Offered load doubled until p99 passed 50 ms or an event was lost; "held" is the highest delivery rate that met both.', '',
  '| members | pushd held deliveries/s | bare relay held deliveries/s | ratio | steps (offered/s: pushd p99 ms / relay p99 ms) |', '|---|---|---|---|---|',
  ...fanout.map((r) => `| ${r.members} | ${r.pushd.held_deliveries_per_s} | ${r.relay_bare.held_deliveries_per_s} | ${r.ratio ?? '-'} | ` +
    r.pushd.steps.map((x, i) => `${x.offered}: ${x.p99_ms} / ${r.relay_bare.steps[i]?.p99_ms ?? 'stopped'}`).join('; ') + ' |'),
  '', '## REST (wrk, Bearer token)', '',
  `Agent with ${report.scenarios.rest.list_conversations} conversations; history pages (50, keyset) at random points of a ${report.scenarios.rest.history_messages}-message conversation.`, '',
  '| endpoint | req/s | p99 ms | non-2xx | vs floor |', '|---|---|---|---|---|',
  `| hello-world FastCGI (floor) | ${report.scenarios.rest.floor.rps} | ${report.scenarios.rest.floor.p99_ms} | ${report.scenarios.rest.floor.non2xx} | 1 |`,
  `| GET /chat/conversations | ${report.scenarios.rest.list.rps} | ${report.scenarios.rest.list.p99_ms} | ${report.scenarios.rest.list.non2xx} | ${report.scenarios.rest.list_vs_floor} |`,
  `| GET /chat/messages/:id?before= | ${report.scenarios.rest.history.rps} | ${report.scenarios.rest.history.p99_ms} | ${report.scenarios.rest.history.non2xx} | ${report.scenarios.rest.history_vs_floor} |`,
  '', '## Search (wrk, Bearer token)', '',
  `GET /chat/search?q=...&limit=20 over ${report.scenarios.search.messages} messages, as the agent above (${report.scenarios.search.agent_conversations} conversations and the queue) and as an admin (all); ` +
    `the context page is GET /chat/messages/:id?around=<a found message>&limit=50 for ${searchRows.at(-1).matches} messages found by "yellow". ` +
    `${S.connections} connections, ${S.seconds} s each; the floor and the list measured again with the same settings. ` +
    '"matches": messages the query finds in that scope; "page 1": messages/conversations of the first page; "alone": one request with nothing else running; ' +
    'non-2xx counts socket errors too (a 503 is a statement past db.read_timeout, 5 s).', '',
  '| query | q | as | matches | page 1 | alone ms | req/s | p50 ms | p99 ms | non-2xx/requests | req/s vs floor | req/s vs list | p50 vs list |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...[['hello-world FastCGI (floor)', searchBase.floor], ['GET /chat/conversations (list)', searchBase.list]].map(([n, b]) =>
    `| ${n} | | agent | | | | ${b.rps} | ${b.p50_ms} | ${b.p99_ms} | ${b.non2xx + b.errors}/${b.requests} | ${ratio(b.rps, searchBase.floor.rps)} | ${ratio(b.rps, searchBase.list.rps)} | ${ratio(b.p50_ms, searchBase.list.p50_ms)} |`),
  ...searchRows.map((r) => `| ${r.kind} | ${r.q} | ${r.as} | ${r.matches} | ${r.page1.status === 200 ? `${r.page1.messages}/${r.page1.conversations}` : `HTTP ${r.page1.status}`} | ${r.page1.ms} | ` +
    (r.requests ? `${r.rps} | ${r.p50_ms} | ${r.p99_ms} | ${r.non2xx + r.errors}/${r.requests} | ${r.rps_vs_floor} | ${r.rps_vs_list} | ${r.p50_vs_list} |`
      : `0 | no answer in ${S.seconds} s | | 0/0 | 0 | 0 | - |`)),
  '', '## Footprint (RSS, KiB)', '',
  '| when | pushd | api.fcgi (all) | lighttpd | MariaDB |', '|---|---|---|---|---|',
  ...[['idle, data loaded', report.scenarios.footprint], ['after the runs', report.scenarios.footprint_after]].map(([w, f]) =>
    `| ${w} | ${f.pushd_kib} | ${f.api_fcgi_kib} (${f.api_fcgi_procs} procs) | ${f.lighttpd_kib} | ${f.mariadb_kib} |`),
  '', '## Idle capacity (pings only)', '',
  'One process may open at most 20,000 files on these machines, so each server holds as many sockets as that allows; 100k is extrapolated from the measured bytes per connection.', '',
  '| server | sockets | connected | bytes/conn | CPU % idle | RSS held (KiB) | projected RSS at 100k (MiB) |', '|---|---|---|---|---|---|---|',
  ...Object.entries(report.scenarios.idle).map(([n, r]) => `| ${n} | ${r.sockets} | ${r.connected} | ${r.bytes_per_conn} | ${r.cpu_pct_idle} | ${r.rss_held_kib} | ${r.projected_100k_mib} |`),
  '',
];
writeFileSync(`${OUT}/report.json`, JSON.stringify(report, null, 2));
writeFileSync(`${OUT}/report.md`, lines.join('\n'));
console.log(lines.join('\n'));
