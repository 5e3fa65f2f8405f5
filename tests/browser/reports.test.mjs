// The reports screen in a real headless Chromium, over the hand-computed
// fixture of tests/integration/reports-fixture.mjs (in 2002): an admin
// opens Reports, sets the range, sees both charts drawn and the table per
// agent with the fixture's figures, and downloads the CSV, which is the
// API's; an agent sees only their own row; in Hindi the screen speaks
// Hindi.  Chart.js must draw under the page's CSP: no violation may reach
// the console.  Screenshots go to $SCREENSHOT_DIR as reports-NN-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { launch, logIn, pageFor } from './browser.mjs';
import { api, newStaff } from '../integration/lib.mjs';
import { reportFixture } from '../integration/reports-fixture.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/chat-screenshots';
mkdirSync(SHOTS, { recursive: true });
let step = 0;
const shot = (page, name) => page.screenshot({ path: `${SHOTS}/reports-${String(++step).padStart(2, '0')}-${name}.png`, fullPage: true });

const TAG = randomBytes(3).toString('hex');
let browser, fx, admin;

// The fixture's figures as the table shows them (reports-fixture.mjs).
const ROWS = {
  A: ['3', '3', '2 min', '4 min 24 s', '2 h', '19 h 36 min', '6', '4', '4 (3)'],
  B: ['2', '1', '30 s', '30 s', '30 min', '30 min', '2', '2', '2 (1)'],
  total: ['6', '4', '1 min 30 s', '4 min 6 s', '1 h 30 min', '17 h 24 min', '9', '6', '3.5 (4)'],
};

before(async () => {
  browser = await launch();
  fx = await reportFixture(2002, TAG);
  admin = await newStaff('Admin', `Rani ${TAG}`);
});

after(async () => { await browser?.close(); });

// A page that fails on a CSP violation or any console error.
async function watchedPage() {
  const page = await pageFor(browser, 1280, { acceptDownloads: true });
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  return page;
}

async function openReports(page, who, supportId = '') {
  await logIn(page, '/', who);
  await page.click('[data-testid=nav-reports]');
  await page.locator('[data-testid=reports][data-loaded]').waitFor();
  await page.fill('[data-testid=report-from]', fx.from);
  await page.fill('[data-testid=report-to]', fx.to);
  await page.locator(`[data-testid=reports][data-loaded^="${fx.from}/${fx.to}/${supportId}"]`).waitFor();
}

const rowTexts = (page) => page.locator('[data-testid=report-row]').evaluateAll((rows) =>
  rows.map((r) => [r.dataset.id, ...[...r.querySelectorAll('td')].map((td) => td.textContent)]));

// Drawn: a canvas with a size and some painted pixels.
async function assertDrawn(page, id) {
  const c = page.locator(`[data-testid=${id}]`);
  const box = await c.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `${id} has a size: ${JSON.stringify(box)}`);
  const painted = await c.evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
  assert.ok(painted > 500, `${id} is drawn (${painted} pixels)`);
}

test('an admin reads the fixture: charts, the table per agent, the CSV', async () => {
  const page = await watchedPage();
  await openReports(page, admin);
  await assertDrawn(page, 'chart-volume');
  await assertDrawn(page, 'chart-times');
  assert.deepEqual(await rowTexts(page), [
    [fx.A.user.id, `Ana ${TAG}`, ...ROWS.A],
    [fx.B.user.id, `Bala ${TAG}`, ...ROWS.B]]);
  assert.deepEqual(await page.locator('[data-testid=report-total] td').allTextContents(), ROWS.total);
  await shot(page, 'admin');
  // The CSV: fetched with the token, saved under the server's name.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-csv]')]);
  assert.equal(download.suggestedFilename(), `report-${fx.from}-${fx.to}.csv`);
  const saved = readFileSync(await download.path(), 'utf8');
  const served = await api('GET', `/api/v1/reports/summary?from=${fx.from}&to=${fx.to}&format=csv`, { token: admin.token });
  assert.equal(saved, served.text);
  assert.ok(saved.includes(`\r\nagent,,${fx.A.user.id},Ana ${TAG},3,3,120,264,7200,70560,6,4,4,3\r\n`), saved);
  // One agent from the picker.
  await page.locator('[data-testid=report-agent]').selectOption(fx.B.user.id);
  await page.locator(`[data-testid=reports][data-loaded="${fx.from}/${fx.to}/${fx.B.user.id}"]`).waitFor();
  assert.deepEqual(await rowTexts(page), [[fx.B.user.id, `Bala ${TAG}`, ...ROWS.B]]);
  assert.deepEqual(page.problems, [], 'no console error, no CSP violation');
  await page.context().close();
});

test('an agent sees only their own row, and no agent picker', async () => {
  const page = await watchedPage();
  await openReports(page, fx.A, fx.A.user.id);
  assert.equal(await page.locator('[data-testid=report-agent]').count(), 0);
  assert.deepEqual(await rowTexts(page), [[fx.A.user.id, `Ana ${TAG}`, ...ROWS.A]]);
  assert.deepEqual(await page.locator('[data-testid=report-total] td').allTextContents(), ROWS.A);
  await assertDrawn(page, 'chart-volume');
  await shot(page, 'agent');
  // In Hindi; and back to the inbox.
  await page.click('[data-testid=lang]');
  await page.locator('[data-testid=reports] h2', { hasText: 'रिपोर्ट' }).waitFor();
  await page.locator('[data-testid=report-csv]', { hasText: 'CSV डाउनलोड करें' }).waitFor();
  await page.locator('[data-testid=report-row] td', { hasText: '2 मि.' }).first().waitFor();
  await shot(page, 'hindi');
  await page.click('[data-testid=nav-inbox]');
  await page.locator('[data-testid=reports]').waitFor({ state: 'detached' });
  assert.deepEqual(page.problems, [], 'no console error, no CSP violation');
  await page.context().close();
});
