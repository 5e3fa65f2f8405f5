// sock.mjs - Socket.IO helpers for the integration tests: a real
// socket.io-client v4 (npm; run.sh installs it in the build tree) against
// pushd through lighttpd, exactly as the dashboard and the mobile app
// connect.
import { io } from 'socket.io-client';
import { BASE } from './lib.mjs';

const open = new Set();

// Connect and wait for 'connect'; rejects on connect_error.
// opts.url: another pushd than the stack's (lib.mjs startPushd);
// opts.waitMs: how long the CONNECT may take; opts.on: {event: handler}
// listening before the socket connects (for what pushd sends at once).
export function connect(token, opts = {}) {
  const { url = BASE, waitMs = 5000, on = {}, ...rest } = opts;
  const s = io(url, { auth: token === undefined ? undefined : { token }, reconnection: false, forceNew: true, ...rest });
  for (const [event, f] of Object.entries(on)) s.on(event, f);
  open.add(s);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('connect timeout')), waitMs);
    s.once('connect', () => { clearTimeout(t); resolve(s); });
    s.once('connect_error', (e) => { clearTimeout(t); reject(e); });
  });
}

// The connect_error a token gets.
export async function connectError(token, opts = {}) {
  try {
    const s = await connect(token, opts);
    s.disconnect();
  } catch (e) {
    return e;
  }
  throw new Error('connected although it should not');
}

// The next `event` on socket s (its single argument), or a timeout error.
export function next(s, event, ms = 3000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { s.off(event, on); reject(new Error(`no ${event} within ${ms} ms`)); }, ms);
    function on(arg) { clearTimeout(t); resolve(arg); }
    s.once(event, on);
  });
}

// The next `event` whose argument satisfies pred.
export function nextWhere(s, event, pred, ms = 3000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { s.off(event, on); reject(new Error(`no matching ${event} within ${ms} ms`)); }, ms);
    function on(arg) { if (pred(arg)) { clearTimeout(t); s.off(event, on); resolve(arg); } }
    s.on(event, on);
  });
}

// Collect every `event` on s from now on.
export function record(s, event) {
  const got = [];
  s.on(event, (arg) => got.push(arg));
  return got;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Wait until pred() holds (checked every 20 ms), or fail after ms with
// what(): for a state that an event of another connection changes.
export async function until(pred, what = () => 'the condition', ms = 5000) {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what()}`);
    await sleep(20);
  }
}

export async function ack(s, event, arg, ms = 3000) {
  return s.timeout(ms).emitWithAck(event, arg);
}

export function closeAll() {
  for (const s of open) s.disconnect();
  open.clear();
}
