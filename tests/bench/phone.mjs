// phone.mjs - the farmer's page on a cheap phone over 2G, in Debian's
// Chromium: the link and CPU of issue 15's profile (800 ms round trip,
// 280 kbit/s down, 256 kbit/s up, CPU slowed 4x, a 390x844 screen): the
// link is a relay every byte crosses (link.mjs), the CPU is slowed through
// the DevTools protocol.  It measures, and prints against the
// targets and against the same steps on an unthrottled link in the same
// run (the baseline):
// The baseline crosses the same link, unshaped, so that both runs have the
// same origin.
//   cold     a first visit (empty cache): time until the login form can be
//            used, and every byte and request before the farmer logs in;
//   warm     the same page again (its cache kept): the same;
//   login    from pressing the button to the chat being usable;
//   photo    a 2 MB camera photo picked until the timeline shows it (the
//            server's thumbnail loaded), and the bytes up and down.
// Nothing is asserted: it measures.
//
// It starts nothing: it runs against a stack that is up (tools/stack.sh up,
// or tests/bench/run.sh, which runs it), given by
//   BASE_URL      e.g. http://127.0.0.1:8080
//   PHONE_USER    phone:password of an end user (default the demo farmer)
//   PHONE_LINK_PORT  the port the link listens on: the page's origin.  The
//                 stack's upload.base_url must name it (or be empty, so
//                 that media URLs are relative), else the page's
//                 Content-Security-Policy refuses the photos' thumbnails.
//                 Default: a free port.
//   BENCH_OUT     where phone.md and phone.json go (default: only printed)
// and resolves playwright-core from where it is run (run.sh stages it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { openLink } from './link.mjs';

const BASE = process.env.BASE_URL;
if (!BASE) {
  console.error('usage: BASE_URL=http://127.0.0.1:8080 [PHONE_USER=+919000000101:user-demo-1] node phone.mjs');
  process.exit(2);
}
const [PHONE, PASSWORD] = (process.env.PHONE_USER ?? '+919000000101:user-demo-1').split(/:(.*)/s);
const OUT = process.env.BENCH_OUT;

// Issue 15's profile.  kbit as the link is sold: 1,000 bits.
const PROFILE_2G = {
  latency: 800, download: 280_000 / 8, upload: 256_000 / 8, cpu: 4, width: 390, height: 844,
};
const TARGETS = { coldMs: 3000, warmMs: 1500, beforeLoginBytes: 35 * 1024, photoMs: 15000 };

// A camera-sized photo of about 2 MB: noise, slightly blurred, so that it
// neither compresses to nothing nor is all noise.
function makePhoto(dir) {
  const raw = join(dir, 'noise.v');
  const soft = join(dir, 'soft.v');
  const path = join(dir, 'field.jpg');
  execFileSync('vips', ['gaussnoise', raw, '3000', '2000', '--mean', '128', '--sigma', '30']);
  execFileSync('vips', ['gaussblur', raw, soft, '0.6']);
  execFileSync('vips', ['copy', soft, `${path}[Q=87]`]);
  return readFileSync(path);
}

// Requests, and the bytes that crossed the link (HTTP and WebSocket,
// headers included), from reset() on.
function meter(cdp, link) {
  const m = { requests: 0, mark: link.stats() };
  cdp.on('Network.requestWillBeSent', () => { m.requests++; });
  m.reset = () => { m.requests = 0; m.mark = link.stats(); };
  m.bytes = () => ({ down: link.stats().down - m.mark.down, up: link.stats().up - m.mark.up });
  return m;
}

async function phoneContext(browser, link, profile) {
  link.shape(profile.latency ? profile : null);
  const ctx = await browser.newContext({
    viewport: { width: profile.width, height: profile.height }, isMobile: true, hasTouch: true,
    baseURL: `http://127.0.0.1:${link.port}`,
  });
  const page = await ctx.newPage();
  // A figure that misses its target is still a figure: wait for it.
  page.setDefaultTimeout(Number(process.env.PHONE_TIMEOUT ?? 180000));
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  return { ctx, page, m: meter(cdp, link) };
}

// From navigation to a login form that takes input and a submit button
// that works (the page's modules ran); then the network going quiet, so
// that what loads behind the form counts as "before login" too.
async function loadForm(page, m) {
  m.reset();
  const t0 = performance.now();
  await page.goto('/user.html', { waitUntil: 'commit' });
  await page.locator('[data-testid=phone]:enabled').waitFor();
  await page.locator('[data-testid=login-submit]:enabled').waitFor();
  const ms = performance.now() - t0;
  await page.waitForLoadState('networkidle');
  const b = m.bytes();
  return { ms, bytes: b.down + b.up, requests: m.requests };
}

async function logIn(page) {
  await page.fill('[data-testid=phone]', PHONE);
  await page.fill('[data-testid=password]', PASSWORD);
  const t0 = performance.now();
  await page.click('[data-testid=login-submit]');
  await page.locator('[data-testid=composer]:enabled').waitFor();
  return performance.now() - t0;
}

// Picked to shown: the timeline's own copy of the message, its image
// (the server's thumbnail) decoded.
async function sendPhoto(page, m, photo, nth) {
  m.reset();
  const t0 = performance.now();
  await page.setInputFiles('[data-testid=file-input]', { name: 'field.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.waitForFunction((n) => {
    const img = document.querySelectorAll('[data-testid=message].mine [data-testid=msg-image]')[n];
    return img?.complete && img.naturalWidth > 0;
  }, nth, { polling: 100 });
  const ms = performance.now() - t0;
  return { ms, ...m.bytes() };
}

async function run(browser, link, profile, photo) {
  const { ctx, page, m } = await phoneContext(browser, link, profile);
  try {
    const cold = await loadForm(page, m);
    const warm = await loadForm(page, m);
    const login = await logIn(page);
    const shown = await page.locator('[data-testid=message].mine [data-testid=msg-image]').count();
    const sent = await sendPhoto(page, m, photo, shown);
    return { cold, warm, login, photo: sent };
  } finally {
    await ctx.close();
  }
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (v, target) => (v <= target ? 'met' : 'NOT met');

const link = await openLink(new URL(BASE).host, null, Number(process.env.PHONE_LINK_PORT ?? 0));
const dir = mkdtempSync(join(tmpdir(), 'chat-phone-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const photo = makePhoto(dir);
  console.error('phone: unthrottled');
  const base = await run(browser, link, { latency: 0, cpu: 1, width: 390, height: 844 }, photo);
  console.error('phone: 2G');
  const g2 = await run(browser, link, PROFILE_2G, photo);
  const rows = [
    ['login form usable, cold', s(g2.cold.ms), s(base.cold.ms), `${s(TARGETS.coldMs)}: ${verdict(g2.cold.ms, TARGETS.coldMs)}`],
    ['login form usable, warm', s(g2.warm.ms), s(base.warm.ms), `${s(TARGETS.warmMs)}: ${verdict(g2.warm.ms, TARGETS.warmMs)}`],
    ['transferred before login, cold', `${kb(g2.cold.bytes)} in ${g2.cold.requests} requests`, `${kb(base.cold.bytes)}`,
      `${kb(TARGETS.beforeLoginBytes)}: ${verdict(g2.cold.bytes, TARGETS.beforeLoginBytes)}`],
    ['transferred before login, warm', `${kb(g2.warm.bytes)} in ${g2.warm.requests} requests`, `${kb(base.warm.bytes)}`, ''],
    ['login to chat usable', s(g2.login), s(base.login), ''],
    [`${(photo.length / 1048576).toFixed(1)} MB photo picked to shown`, s(g2.photo.ms), s(base.photo.ms),
      `${s(TARGETS.photoMs)}: ${verdict(g2.photo.ms, TARGETS.photoMs)}`],
    ['photo bytes up / down', `${kb(g2.photo.up)} / ${kb(g2.photo.down)}`, `${kb(base.photo.up)} / ${kb(base.photo.down)}`, ''],
  ];
  const md = [
    '## The farmer\'s page on 2G (tests/bench/phone.mjs)', '',
    `Profile: ${PROFILE_2G.latency} ms round trip, ${PROFILE_2G.download * 8 / 1000} kbit/s down, ${PROFILE_2G.upload * 8 / 1000} kbit/s up, CPU ${PROFILE_2G.cpu}x slower, ${PROFILE_2G.width}x${PROFILE_2G.height}; baseline: the same steps unthrottled, same run.`, '',
    '| figure | 2G | unthrottled | target |', '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`), '',
    `2G over unthrottled: cold ${(g2.cold.ms / base.cold.ms).toFixed(1)}x, warm ${(g2.warm.ms / base.warm.ms).toFixed(1)}x, photo ${(g2.photo.ms / base.photo.ms).toFixed(1)}x.`, '',
  ].join('\n');
  console.log(md);
  if (OUT) {
    writeFileSync(join(OUT, 'phone.md'), md);
    writeFileSync(join(OUT, 'phone.json'), JSON.stringify({ profile: PROFILE_2G, targets: TARGETS, photoBytes: photo.length, g2, base }, null, 2));
  }
} finally {
  await browser.close();
  link.close();
  rmSync(dir, { recursive: true, force: true });
}
