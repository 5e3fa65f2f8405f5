// admin.js - the admin screen (#/admin, role Admin): the people of the help
// desk (GET /api/v1/users?role=&q=&page=&limit=), adding an agent (POST
// /api/v1/users), and per account its role, capacity and whether it may
// log in (PATCH /api/v1/users/:id); the conversations' labels (labels.js)
// and the canned responses (canned-admin.js).
import { api } from './api.js';
import { CannedAdmin } from './canned-admin.js';
import { dateOnly, el, flash, presenceText } from './format.js';
import { errorText, t } from './i18n.js';
import { labelAdmin } from './labels.js';
import { AVAILABILITY } from './team.js';

const LIMIT = 20;
const ROLES = ['User', 'Support', 'Admin'];

export class AdminScreen {
  // opts: { me, onBack() }
  constructor(opts) {
    Object.assign(this, opts);
    this.role = '';
    this.q = '';
    this.page = 1;
    this.pages = 1;
    this.total = 0;
    this.seq = 0;
    this.root = el('section', { class: 'admin', 'data-testid': 'admin' });
    this.build();
  }

  build() {
    this.roleSel = el('select', { 'data-testid': 'admin-role-filter', 'aria-label': t('roleFilter') },
      el('option', { value: '', text: t('anyRole') }), ...ROLES.map((r) => el('option', { value: r, text: t(`role_${r}`) })));
    this.roleSel.value = this.role;
    this.roleSel.addEventListener('change', () => { this.role = this.roleSel.value; this.page = 1; this.load(); });
    this.search = el('input', { type: 'search', 'data-testid': 'admin-search', placeholder: t('search'), 'aria-label': t('search'), value: this.q });
    let timer = null;
    this.search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { this.q = this.search.value.trim(); this.page = 1; this.load(); }, 250);
    });
    this.tbody = el('tbody', { 'data-testid': 'user-list' });
    this.errorEl = el('p', { class: 'error', role: 'alert', 'data-testid': 'admin-error' });
    this.noteEl = el('p', { class: 'note', role: 'status', 'data-testid': 'admin-note' });
    this.pager = el('div', { class: 'pager' });
    const head = el('tr', {}, ...['agentName', 'detailsPhone', 'role', 'lastSeenCol', 'capacity', 'state', 'created', '']
      .map((k) => el('th', { scope: 'col', text: k ? t(k) : '' })));
    this.root.replaceChildren(
      el('div', { class: 'admin-head' },
        el('button', { class: 'btn', 'data-testid': 'admin-back', text: `← ${t('backToInbox')}`, onclick: () => this.onBack() }),
        el('h2', { text: t('team') })),
      this.addForm(),
      labelAdmin((w) => this.note(w)),
      el('div', { class: 'admin-card' },
        el('div', { class: 'admin-filters' }, this.search, this.roleSel),
        this.errorEl, this.noteEl,
        el('div', { class: 'table-wrap' }, el('table', { class: 'users' }, el('thead', {}, head), this.tbody)),
        this.pager),
      new CannedAdmin().root);
  }

  addForm() {
    const f = {
      phone: el('input', { type: 'tel', required: true, autocomplete: 'off', 'data-testid': 'new-phone', 'aria-label': t('detailsPhone'), placeholder: t('detailsPhone') }),
      name: el('input', { required: true, autocomplete: 'off', maxlength: 100, 'data-testid': 'new-name', 'aria-label': t('agentName'), placeholder: t('agentName') }),
      password: el('input', { type: 'password', required: true, autocomplete: 'new-password', minlength: 8, 'data-testid': 'new-password', 'aria-label': t('agentPassword'), placeholder: t('agentPassword') }),
      role: el('select', { 'data-testid': 'new-role', 'aria-label': t('role') }, ...['Support', 'Admin'].map((r) => el('option', { value: r, text: t(`role_${r}`) }))),
    };
    const error = el('p', { class: 'error', role: 'alert', 'data-testid': 'add-error' });
    const submit = el('button', { type: 'submit', class: 'btn primary-btn', 'data-testid': 'add-submit', text: t('add') });
    const form = el('form', { class: 'admin-card add-agent', 'data-testid': 'add-agent' },
      el('h3', { text: t('addAgent') }),
      el('div', { class: 'add-row' }, f.name, f.phone, f.password, f.role, submit), error);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      try {
        const r = await api('POST', '/api/v1/users', { phone: f.phone.value, name: f.name.value, password: f.password.value, role: f.role.value });
        form.reset();
        this.note(t('added', { name: r.data.name }));
        this.tbody.prepend(this.row(r.data));
      } catch (err) {
        error.textContent = errorText(err);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  note(words) { flash(this.noteEl, words); }

  async load() {
    const seq = ++this.seq;
    const q = new URLSearchParams({ page: String(this.page), limit: String(LIMIT) });
    if (this.role) q.set('role', this.role);
    if (this.q) q.set('q', this.q);
    try {
      const r = await api('GET', `/api/v1/users?${q}`);
      if (seq !== this.seq) return;
      this.errorEl.textContent = '';
      this.total = r.pagination?.total ?? r.data.length;
      this.pages = Math.max(1, Math.ceil(this.total / LIMIT));
      this.tbody.replaceChildren(...r.data.map((u) => this.row(u)));
      if (!r.data.length) this.tbody.append(el('tr', {}, el('td', { colspan: 8, class: 'muted', text: t('noUsers') })));
      this.renderPager(r.pagination?.hasMore);
    } catch (e) {
      if (seq === this.seq) this.errorEl.textContent = errorText(e);
    }
  }

  renderPager(hasMore) {
    this.pager.replaceChildren(
      el('button', { class: 'btn', 'data-testid': 'admin-prev', text: t('prevPage'), disabled: this.page <= 1, onclick: () => { this.page -= 1; this.load(); } }),
      el('span', { class: 'muted', text: t('pageOf', { page: this.page, pages: this.pages, total: this.total }) }),
      el('button', { class: 'btn', 'data-testid': 'admin-next', text: t('nextPage'), disabled: !(hasMore ?? this.page < this.pages), onclick: () => { this.page += 1; this.load(); } }));
  }

  // PATCH one account; the row is drawn again from the answer.
  async patch(u, body, tr) {
    try {
      const r = await api('PATCH', `/api/v1/users/${u._id}`, body);
      tr.replaceWith(this.row(r.data));
      this.note(t('saved'));
    } catch (e) {
      tr.replaceWith(this.row(u, errorText(e)));   // as it was, and why not
    }
  }

  row(u, failure = '') {
    const self = u._id === this.me.id;
    const staff = u.role !== 'User';
    const role = el('select', { 'data-testid': 'user-role', 'aria-label': t('role'), disabled: self },
      ...ROLES.map((r) => el('option', { value: r, text: t(`role_${r}`) })));
    role.value = u.role;
    const cap = el('input', { type: 'number', min: 0, max: 1000, step: 1, value: u.capacity ?? '', 'data-testid': 'user-capacity', 'aria-label': t('capacity'), disabled: !staff });
    const load = staff && u.openCount !== undefined ? el('span', { class: 'load', 'data-testid': 'user-load', 'aria-label': t('load', { open: u.openCount, capacity: u.capacity }), text: `${u.openCount} / ` }) : null;
    const toggle = el('button', { class: `btn ${u.disabled ? '' : 'danger'}`, 'data-testid': 'user-toggle', text: t(u.disabled ? 'enable' : 'disable'), disabled: self });
    const presence = staff && u.availability && AVAILABILITY.includes(u.availability)
      ? el('span', { class: 'who-av' }, el('span', { class: `av-dot av-${u.isOnline ? u.availability : 'offline'}`, 'aria-hidden': 'true' }), ` ${u.isOnline ? t(`av_${u.availability}`) : presenceText(u)}`)
      : el('span', { class: 'muted', text: presenceText(u) });
    const tr = el('tr', { class: u.disabled ? 'is-disabled' : '', dataset: { id: u._id, role: u.role }, 'data-testid': 'user-row' },
      el('td', {}, el('span', { class: 'user-name', 'data-testid': 'user-name', text: u.name })),
      el('td', { class: 'mono', text: u.phone ?? '' }),
      el('td', {}, role),
      el('td', {}, presence),
      el('td', { class: 'cap' }, load, cap),
      el('td', {}, el('span', { class: `pill ${u.disabled ? 'st-resolved' : 'st-open'}`, 'data-testid': 'user-state', text: t(u.disabled ? 'disabled' : 'active') })),
      el('td', { class: 'muted', text: u.createdAt ? dateOnly(u.createdAt) : '' }),
      el('td', {}, toggle, el('div', { class: 'error row-error', role: 'alert', 'data-testid': 'row-error', text: failure })));
    role.addEventListener('change', () => this.patch(u, { role: role.value }, tr));
    // Empty: the default capacity (assign.capacity).
    cap.addEventListener('change', () => {
      const n = cap.value === '' ? null : Number(cap.value);
      if (n === null || (Number.isInteger(n) && n >= 0 && n <= 1000)) this.patch(u, { capacity: n }, tr);
    });
    toggle.addEventListener('click', () => this.patch(u, { disabled: !u.disabled }, tr));
    return tr;
  }
}
