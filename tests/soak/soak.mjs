// soak.mjs - the churn soak.sh drives: rounds of sockets that connect,
// join, type, send, read and go (half of them abruptly, as phones do),
// for SOAK_MINUTES; pushd's RSS sampled every 10 s.  Prints a table and a
// last line with RSS at start and end.
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';

import { BASE, conversationWith, newStaff } from '../integration/lib.mjs';

const minutes = Number(process.env.SOAK_MINUTES) || 5;
const pid = process.env.SOAK_PUSHD_PID;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function rssKiB() {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m);
  return m ? Number(m[1]) : 0;
}

function connect(token) {
  const s = io(BASE, { auth: { token }, forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

// One round: every pair connects, joins, types, sends 5 messages, the
// agent marks them read; then half leave politely and half vanish.
async function round(convs, n, totals) {
  const socks = await Promise.all(convs.flatMap((c) => [connect(c.user.token), connect(c.agent.token)]));
  totals.connections += socks.length;
  await Promise.all(socks.map((s, i) => s.timeout(3000).emitWithAck('conversation:join',
    { conversationId: String(convs[i >> 1].id) })));
  await Promise.all(convs.map(async (c, i) => {
    const u = socks[2 * i], a = socks[2 * i + 1];
    u.emit('typing:start', { conversationId: String(c.id) });
    for (let k = 0; k < 5; k++) {
      const r = await u.timeout(3000).emitWithAck('message:send', { conversationId: String(c.id),
        messageType: 'text', content: `soak ${n}.${k} `.repeat(8), clientMessageId: `soak-${c.id}-${n}-${k}` });
      totals.sent++;
      if (r.ok) totals.acked++;
    }
    u.emit('typing:stop', { conversationId: String(c.id) });
    await a.timeout(3000).emitWithAck('conversation:mark-all-read', { conversationId: String(c.id) });
  }));
  socks.forEach((s, i) => (i % 2 ? s.io.engine.close() : s.disconnect()));
}

// Five agents with five conversations each (an account may hold 16 sockets).
const convs = [];
for (let i = 0; i < 5; i++) {
  const agent = await newStaff('Support', `Soak Agent ${i}`);
  for (let j = 0; j < 5; j++) convs.push({ ...(await conversationWith(agent)), agent });
}
const totals = { connections: 0, sent: 0, acked: 0 };
const start = rssKiB();
const samples = [[0, start]];
console.log(`soak: ${minutes} min, ${convs.length} pairs per round; pushd pid ${pid}, RSS ${start} KiB`);
const t0 = Date.now();
let n = 0, next = 10000;
while (Date.now() - t0 < minutes * 60000) {
  await round(convs, n++, totals);
  if (Date.now() - t0 >= next) {
    samples.push([Math.round((Date.now() - t0) / 1000), rssKiB()]);
    console.log(`  ${samples.at(-1)[0]} s: RSS ${samples.at(-1)[1]} KiB, rounds ${n},` +
      ` connections ${totals.connections}, messages ${totals.acked}/${totals.sent}`);
    next += 10000;
  }
}
await sleep(3000); // closed sessions reaped, timers gone
const end = rssKiB();
console.log(`soak done: ${n} rounds, ${totals.connections} connections, ${totals.acked}/${totals.sent} messages acked;` +
  ` pushd RSS start ${start} KiB, end ${end} KiB (${end - start >= 0 ? '+' : ''}${end - start} KiB)`);
process.exit(0);
