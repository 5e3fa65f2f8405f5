// canned-admin.js - the admin screen's canned responses: the list (GET
// /api/v1/chat/canned-responses?q=, by short code, at most 100: the
// search narrows it), adding one (POST), changing one in place (PATCH
// /:id) and deleting one, after a second click (DELETE /:id).
import { api } from './api.js';
import { CANNED_PATH } from './canned.js';
import { el, flash } from './format.js';
import { errorText, t } from './i18n.js';

const CODE_PATTERN = '[a-z0-9_\\-]{1,32}';
// The API's cap on one list (docs/api.md, canned responses).
const CANNED_MAX = 100;
// A taken short code is a 409 conflict: say which conflict it is.
const failure = (e) => (e?.code === 'conflict' ? t('cannedTaken') : errorText(e));

export class CannedAdmin {
  constructor() {
    this.q = '';
    this.seq = 0;
    this.tbody = el('tbody', { 'data-testid': 'canned-list' });
    this.errorEl = el('p', { class: 'error', role: 'alert', 'data-testid': 'canned-error' });
    this.noteEl = el('p', { class: 'note', role: 'status', 'data-testid': 'canned-note' });
    const search = el('input', { type: 'search', 'data-testid': 'canned-search', placeholder: t('cannedSearch'), 'aria-label': t('cannedSearch') });
    let timer = null;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { this.q = search.value.trim(); this.load(); }, 250);
    });
    const head = el('tr', {}, ...['cannedCode', 'cannedContent', ''].map((k) => el('th', { scope: 'col', text: k ? t(k) : '' })));
    this.root = el('section', { class: 'admin-card canned-admin', 'data-testid': 'canned-admin' },
      el('h3', { text: t('cannedTitle') }),
      el('p', { class: 'muted', text: t('cannedHint') }),
      this.addForm(),
      el('div', { class: 'admin-filters' }, search),
      this.errorEl, this.noteEl,
      el('div', { class: 'table-wrap' }, el('table', { class: 'users canned' }, el('thead', {}, head), this.tbody)));
    this.load();
  }

  // A short code and a reply, as inputs (an add form's or a row's).
  fields(c = {}) {
    return {
      code: el('input', { required: true, autocomplete: 'off', maxlength: 32, pattern: CODE_PATTERN, value: c.shortCode ?? '',
        class: 'mono', 'data-testid': 'canned-code-input', 'aria-label': t('cannedCode'), placeholder: t('cannedCode'), title: t('cannedCodeRule') }),
      content: el('textarea', { required: true, rows: 2, 'data-testid': 'canned-content-input', 'aria-label': t('cannedContent'),
        placeholder: t('cannedContent') }),
    };
  }

  addForm() {
    const f = this.fields();
    const error = el('p', { class: 'error', role: 'alert', 'data-testid': 'canned-add-error' });
    const submit = el('button', { type: 'submit', class: 'btn primary-btn', 'data-testid': 'canned-add', text: t('add') });
    const form = el('form', { class: 'add-row canned-add', 'data-testid': 'canned-add-form' }, f.code, f.content, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      try {
        const r = await api('POST', CANNED_PATH, { shortCode: f.code.value.trim(), content: f.content.value });
        form.reset();
        this.note(t('cannedAdded', { code: r.data.shortCode }));
        this.added = r.data;
        this.load();
      } catch (err) {
        error.textContent = failure(err);
      } finally {
        submit.disabled = false;
      }
    });
    return el('div', {}, form, error);
  }

  note(words) { flash(this.noteEl, words); }

  async load() {
    const seq = ++this.seq;
    try {
      const r = await api('GET', `${CANNED_PATH}?q=${encodeURIComponent(this.q)}`);
      if (seq !== this.seq) return;
      this.errorEl.textContent = '';
      // The list is the first CANNED_MAX by short code: one just added
      // beyond them still shows, on top.
      const added = this.added && !this.q && !r.data.some((c) => c._id === this.added._id) ? [this.added] : [];
      this.tbody.replaceChildren(...[...added, ...r.data].map((c) => this.row(c)));
      if (r.data.length >= CANNED_MAX) this.tbody.append(el('tr', {}, el('td', { colspan: 3, class: 'muted', 'data-testid': 'canned-more', text: t('cannedFirst', { n: CANNED_MAX }) })));
      if (!r.data.length && !added.length) this.tbody.append(el('tr', {}, el('td', { colspan: 3, class: 'muted', text: t(this.q ? 'cannedNoMatch' : 'cannedNone') })));
    } catch (e) {
      if (seq === this.seq) this.errorEl.textContent = failure(e);
    }
  }

  row(c, why = '') {
    const del = el('button', { class: 'btn danger', 'data-testid': 'canned-delete', text: t('cannedDelete') });
    del.addEventListener('click', () => {
      if (del.dataset.armed) { this.remove(c, tr); return; }
      del.dataset.armed = '1';
      del.textContent = t('cannedConfirmDelete');
    });
    const tr = el('tr', { dataset: { id: c._id, code: c.shortCode }, 'data-testid': 'canned-row' },
      el('td', { class: 'mono', 'data-testid': 'canned-code', text: `/${c.shortCode}` }),
      el('td', { class: 'canned-text', 'data-testid': 'canned-content', text: c.content }),
      el('td', { class: 'canned-actions' },
        el('button', { class: 'btn', 'data-testid': 'canned-edit', text: t('cannedEdit'), onclick: () => tr.replaceWith(this.editRow(c)) }), ' ', del,
        el('div', { class: 'error row-error', role: 'alert', 'data-testid': 'row-error', text: why })));
    return tr;
  }

  // The row as a form; Save sends what changed.
  editRow(c) {
    const f = this.fields(c);
    f.content.value = c.content;
    const save = el('button', { type: 'submit', class: 'btn primary-btn', 'data-testid': 'canned-save', text: t('cannedSave') });
    const error = el('div', { class: 'error row-error', role: 'alert', 'data-testid': 'row-error' });
    const form = el('form', { class: 'canned-edit', id: `canned-edit-${c._id}` }, f.content,
      el('div', { class: 'canned-actions' }, save, ' ',
        el('button', { type: 'button', class: 'btn', 'data-testid': 'canned-cancel', text: t('cannedCancel'), onclick: () => tr.replaceWith(this.row(c)) })),
      error);
    // The code's cell is outside the form: the form attribute joins them.
    f.code.setAttribute('form', form.id);
    const tr = el('tr', { dataset: { id: c._id }, 'data-testid': 'canned-row' },
      el('td', {}, f.code), el('td', { colspan: 2 }, form));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = {};
      if (f.code.value.trim() !== c.shortCode) body.shortCode = f.code.value.trim();
      if (f.content.value !== c.content) body.content = f.content.value;
      if (!Object.keys(body).length) { tr.replaceWith(this.row(c)); return; }
      save.disabled = true;
      try {
        const r = await api('PATCH', `${CANNED_PATH}/${c._id}`, body);
        tr.replaceWith(this.row(r.data));
        this.note(t('saved'));
      } catch (err) {
        error.textContent = failure(err);
        save.disabled = false;
      }
    });
    return tr;
  }

  async remove(c, tr) {
    try {
      await api('DELETE', `${CANNED_PATH}/${c._id}`);
      tr.remove();
      this.note(t('cannedDeleted', { code: c.shortCode }));
    } catch (e) {
      tr.replaceWith(this.row(c, failure(e)));
    }
  }
}
