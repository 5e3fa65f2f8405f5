// labels.js - labels (GET /api/v1/chat/labels): the list of them, asked
// once and again after a change; a label as a small coloured chip; the
// details panel's labels with a picker (POST / DELETE
// /api/v1/chat/conversations/:id/labels); and the admins' card to create
// and delete them.
import { api } from './api.js';
import { el } from './format.js';
import { errorText, t } from './i18n.js';

let known = [];
let asked = null;
const listeners = new Map();   // who -> fn: one each, a rebuilt screen replaces its own

// Every label, by name; fn(labels) hears each new list (who: 'inbox', 'admin').
export const labels = () => known;
export const onLabels = (who, fn) => listeners.set(who, fn);

export function loadLabels() {
  asked ??= api('GET', '/api/v1/chat/labels').then((r) => {
    known = r.data;
    for (const fn of listeners.values()) fn(known);
    return known;
  }).finally(() => { asked = null; });
  return asked;
}

// Dark or light words on the label's colour, whichever reads better.
function ink(hex) {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#1f2328' : '#ffffff';
}

// One label as a chip; with onRemove, a button that takes it off.
export function chip(label, onRemove) {
  const c = el('span', { class: 'label-chip', 'data-testid': 'label-chip', dataset: { id: label._id }, title: label.name },
    el('span', { class: 'label-name', text: label.name }));
  // The CSSOM, not a style attribute: the page's CSP allows no inline style.
  if (/^#[0-9a-f]{6}$/i.test(label.color)) {
    c.style.setProperty('--label-bg', label.color);
    c.style.setProperty('--label-fg', ink(label.color));
  }
  if (onRemove) {
    c.append(el('button', { type: 'button', class: 'label-x', 'data-testid': 'label-remove',
      'aria-label': t('removeLabel', { name: label.name }), text: '×', onclick: () => onRemove(label) }));
  }
  return c;
}

export const chipRow = (list = [], testid = 'row-labels') => (list.length
  ? el('span', { class: 'label-chips', 'data-testid': testid }, ...list.map((l) => chip(l)))
  : null);

// The details panel's labels of conversation c: chips, and for who may act
// in it (its agent, an admin) a remove button on each and a picker.
// onChanged(conversation) gets the server's answer; onError(words).
export function labelEditor(c, canAct, { onChanged, onError }) {
  const have = c.labels ?? [];
  const change = async (method, path, body) => {
    try {
      onChanged((await api(method, path, body)).data);
    } catch (e) {
      onError(errorText(e));
    }
  };
  const remove = canAct ? (l) => change('DELETE', `/api/v1/chat/conversations/${c._id}/labels/${l._id}`) : null;
  const box = el('div', { class: 'label-editor', 'data-testid': 'details-labels' },
    el('span', { class: 'label-chips' }, ...have.map((l) => chip(l, remove))));
  if (!have.length) box.firstChild.append(el('span', { class: 'muted', text: t('noLabelsOn') }));
  if (!canAct) return box;
  const free = labels().filter((l) => !have.some((h) => h._id === l._id));
  const pick = el('select', { 'data-testid': 'label-pick', 'aria-label': t('chooseLabel') },
    el('option', { value: '', text: t('chooseLabel') }), ...free.map((l) => el('option', { value: l._id, text: l.name })));
  const addBtn = el('button', { type: 'button', class: 'btn', 'data-testid': 'label-add', text: t('addLabel'), disabled: !free.length });
  addBtn.addEventListener('click', () => {
    if (pick.value) change('POST', `/api/v1/chat/conversations/${c._id}/labels`, { labelId: pick.value });
  });
  box.append(el('div', { class: 'label-pick' }, pick, addBtn));
  return box;
}

// The admins' card: every label, a form for a new one, delete.
export function labelAdmin(note) {
  const list = el('div', { class: 'label-chips', 'data-testid': 'label-admin-list' });
  const error = el('p', { class: 'error', role: 'alert', 'data-testid': 'label-error' });
  const name = el('input', { required: true, maxlength: 40, autocomplete: 'off', 'data-testid': 'label-new-name', 'aria-label': t('labelName'), placeholder: t('labelName') });
  const color = el('input', { type: 'color', value: '#0969da', 'data-testid': 'label-new-color', 'aria-label': t('labelColor') });
  const submit = el('button', { type: 'submit', class: 'btn primary-btn', 'data-testid': 'label-create', text: t('add') });
  const fail = (e) => { error.textContent = e.code === 'conflict' ? t('labelTaken') : errorText(e); };
  const draw = (all) => {
    list.replaceChildren(...all.map((l) => chip(l, async () => {
      error.textContent = '';
      try { await api('DELETE', `/api/v1/chat/labels/${l._id}`); await loadLabels(); } catch (e) { fail(e); }
    })));
    if (!all.length) list.append(el('span', { class: 'muted', text: t('noLabels') }));
  };
  const form = el('form', { class: 'admin-card labels-admin', 'data-testid': 'label-admin' },
    el('h3', { text: t('labels') }), list, el('div', { class: 'add-row' }, name, color, submit), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      const r = await api('POST', '/api/v1/chat/labels', { name: name.value, color: color.value });
      name.value = '';
      note(t('labelCreated', { name: r.data.name }));
      await loadLabels();
    } catch (err) {
      fail(err);
    } finally {
      submit.disabled = false;
    }
  });
  onLabels('admin', draw);
  draw(labels());
  loadLabels().catch(fail);
  return form;
}
