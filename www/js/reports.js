// reports.js - the reports screen (#/reports; admins and agents): a range
// of UTC days, for admins an agent or everyone (GET /api/v1/reports/summary),
// two charts (conversations started and resolved per day; the medians of
// first response and resolution), a table per agent with the totals, and
// the CSV (?format=csv, fetched with the bearer token and saved from a
// Blob).  Chart.js is vendored (www/vendor/chart.umd.min.js) and loaded
// the first time the screen draws; it sets its canvases' sizes through
// the CSSOM, which the page's style-src policy allows.
import { ApiError, api, getToken } from './api.js';
import { el } from './format.js';
import { errorText, getLang, t } from './i18n.js';

const DAY_MS = 86400e3;
const MAX_DAYS = 366;
const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const COLORS = { started: '#2f6fdf', resolved: '#2e9d5b', firstResponse: '#d9822b', resolution: '#7a4fc9' };

let chartLib = null;
// The UMD bundle, imported for its side effect: it sets globalThis.Chart.
function loadChart() {
  chartLib ??= import('../vendor/chart.umd.min.js').then(() => globalThis.Chart);
  return chartLib;
}

// Seconds in words: "45 s", "4 min 24 s", "19 h 36 min"; a dash for none.
export function duration(s) {
  if (s === null || s === undefined) return '—';
  const sec = Math.round(s);
  if (sec < 60) return t('durS', { n: sec });
  if (sec < 3600) {
    const m = Math.floor(sec / 60), r = sec % 60;
    return r ? `${t('durM', { n: m })} ${t('durS', { n: r })}` : t('durM', { n: m });
  }
  const h = Math.floor(sec / 3600), m = Math.round((sec % 3600) / 60);
  return m ? `${t('durH', { n: h })} ${t('durM', { n: m })}` : t('durH', { n: h });
}

const num = (n) => n.toLocaleString(getLang() === 'hi' ? 'hi-IN' : 'en-IN');
const rating = (r) => (r.average === null ? '—' : t('ratingAvg', { average: r.average, count: r.count }));

export class ReportsScreen {
  // opts: { me, onBack() }
  constructor(opts) {
    Object.assign(this, opts);
    this.admin = this.me.role === 'Admin';
    const today = Date.now();
    this.range = { from: utcDay(today - 6 * DAY_MS), to: utcDay(today) };
    this.supportId = '';
    this.seq = 0;
    this.charts = [];
    this.report = null;
    this.root = el('section', { class: 'admin reports', 'data-testid': 'reports' });
    this.build();
  }

  build() {
    this.destroyCharts();
    const date = (key) => {
      const input = el('input', { type: 'date', required: true, value: this.range[key], 'data-testid': `report-${key}`, 'aria-label': t(`report_${key}`) });
      input.addEventListener('change', () => { if (input.value) { this.range[key] = input.value; this.load(); } });
      return el('label', { class: 'report-field' }, el('span', { text: t(`report_${key}`) }), input);
    };
    this.agentSel = this.admin ? el('select', { 'data-testid': 'report-agent', 'aria-label': t('reportAgent') },
      el('option', { value: '', text: t('reportEveryone') })) : null;
    this.agentSel?.addEventListener('change', () => { this.supportId = this.agentSel.value; this.load(); });
    this.errorEl = el('p', { class: 'error', role: 'alert', 'data-testid': 'report-error' });
    this.volume = el('canvas', { 'data-testid': 'chart-volume', role: 'img', 'aria-label': t('chartVolume') });
    this.times = el('canvas', { 'data-testid': 'chart-times', role: 'img', 'aria-label': t('chartTimes') });
    this.tbody = el('tbody', { 'data-testid': 'report-agents' });
    this.tfoot = el('tfoot', { 'data-testid': 'report-totals' });
    const head = el('tr', {}, ...['agentName', 'repStarted', 'repResolved', 'repFirstMedian', 'repFirstP90',
      'repResMedian', 'repResP90', 'repIn', 'repOut', 'repRating'].map((k) => el('th', { scope: 'col', text: t(k) })));
    this.root.replaceChildren(
      el('div', { class: 'admin-head' },
        el('button', { class: 'btn', 'data-testid': 'reports-back', text: `← ${t('backToInbox')}`, onclick: () => this.onBack() }),
        el('h2', { text: t('reports') })),
      el('div', { class: 'admin-card report-filters' },
        date('from'), date('to'),
        this.agentSel ? el('label', { class: 'report-field' }, el('span', { text: t('reportAgent') }), this.agentSel) : null,
        el('button', { class: 'btn primary-btn', 'data-testid': 'report-csv', text: t('downloadCsv'), onclick: () => this.download() }),
        el('p', { class: 'muted report-utc', text: t('reportUtc') })),
      this.errorEl,
      el('div', { class: 'report-charts' },
        el('div', { class: 'admin-card' }, el('h3', { text: t('chartVolume') }), el('div', { class: 'chart-box' }, this.volume)),
        el('div', { class: 'admin-card' }, el('h3', { text: t('chartTimes') }), el('div', { class: 'chart-box' }, this.times))),
      el('div', { class: 'admin-card' }, el('h3', { text: t('reportByAgent') }),
        el('div', { class: 'table-wrap' }, el('table', { class: 'users report-table' }, el('thead', {}, head), this.tbody, this.tfoot))));
    if (this.agentSel) this.loadAgents();
  }

  async loadAgents() {
    try {
      const r = await api('GET', '/api/v1/users/agents');
      this.agentSel.append(...r.data.map((a) => el('option', { value: a._id, text: a.name })));
      this.agentSel.value = this.supportId;
    } catch (e) {
      this.errorEl.textContent = errorText(e);
    }
  }

  query(format) {
    const q = new URLSearchParams(this.range);
    if (this.supportId) q.set('supportId', this.supportId);
    if (format) q.set('format', format);
    return `/api/v1/reports/summary?${q}`;
  }

  // The server's rule (docs/api.md), said before asking it.
  rangeOk() {
    const days = (Date.parse(this.range.to) - Date.parse(this.range.from)) / DAY_MS + 1;
    return days >= 1 && days <= MAX_DAYS;
  }

  async load() {
    const seq = ++this.seq;
    if (!this.rangeOk()) { this.errorEl.textContent = t('reportBadRange'); return; }
    try {
      const [r, Chart] = await Promise.all([api('GET', this.query()), loadChart()]);
      if (seq !== this.seq) return;
      this.errorEl.textContent = '';
      this.report = r.data;
      this.renderTable(r.data);
      this.renderCharts(Chart, r.data);
      this.root.dataset.loaded = `${r.data.from}/${r.data.to}/${r.data.supportId ?? ''}`;
    } catch (e) {
      if (seq === this.seq) this.errorEl.textContent = errorText(e);
    }
  }

  cells(f) {
    return [num(f.started), num(f.resolved), duration(f.firstResponse.median), duration(f.firstResponse.p90),
      duration(f.resolution.median), duration(f.resolution.p90), num(f.messagesIn), num(f.messagesOut), rating(f.rating)]
      .map((text) => el('td', { class: 'mono', text }));
  }

  renderTable(d) {
    this.tbody.replaceChildren(...d.agents.map((a) => el('tr', { 'data-testid': 'report-row', dataset: { id: a.supportId } },
      el('td', {}, el('span', { class: 'user-name', text: a.name })), ...this.cells(a))));
    if (!d.agents.length) this.tbody.append(el('tr', {}, el('td', { colspan: 10, class: 'muted', text: t('reportNone') })));
    this.tfoot.replaceChildren(el('tr', { 'data-testid': 'report-total' }, el('th', { scope: 'row', text: t('reportTotal') }), ...this.cells(d.totals)));
  }

  destroyCharts() {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }

  renderCharts(Chart, d) {
    this.destroyCharts();
    const labels = d.days.map((x) => x.date.slice(5));
    const common = { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } };
    const set = (key, data, type) => ({ label: t(`series_${key}`), data, type, backgroundColor: COLORS[key], borderColor: COLORS[key] });
    this.charts.push(new Chart(this.volume, {
      type: 'bar',
      data: { labels, datasets: [set('started', d.days.map((x) => x.started)), set('resolved', d.days.map((x) => x.resolved))] },
      options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }));
    // Minutes, a scale people read; a day without data is a gap.
    const minutes = (s) => (s === null ? null : Math.round(s / 6) / 10);
    this.charts.push(new Chart(this.times, {
      type: 'line',
      data: { labels, datasets: [set('firstResponse', d.days.map((x) => minutes(x.firstResponse.median))),
        set('resolution', d.days.map((x) => minutes(x.resolution.median)))] },
      options: { ...common, spanGaps: false, scales: { y: { beginAtZero: true, title: { display: true, text: t('minutes') } } } },
    }));
  }

  // The CSV through fetch (the token is a header, not a cookie), saved
  // from a Blob under the server's file name.
  async download() {
    if (!this.rangeOk()) { this.errorEl.textContent = t('reportBadRange'); return; }
    this.errorEl.textContent = '';
    try {
      const res = await fetch(this.query('csv'), { headers: { Authorization: `Bearer ${getToken()}` } });
      if (!res.ok) {
        const j = await res.json().catch(() => null);
        throw new ApiError(res.status, j?.error?.code ?? 'http', j?.error?.message ?? res.statusText);
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1]
        ?? `report-${this.range.from}-${this.range.to}.csv`;
      const url = URL.createObjectURL(await res.blob());
      const a = el('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      this.errorEl.textContent = errorText(e instanceof ApiError ? e : new ApiError(0, 'network', 'network'));
    }
  }
}
