// canned.js - canned responses in the agent's composer: "/" and a short
// code at the start of the input or after white space open a picker of
// the help desk's shared replies (GET /api/v1/chat/canned-responses?q=,
// asked once per code typed, after a short pause), those whose code
// starts with what was typed first; Up and Down move, Enter or Tab put
// the reply in place of the "/code", Escape closes.
import { api } from './api.js';
import { el } from './format.js';
import { errorText, t } from './i18n.js';

export const CANNED_PATH = '/api/v1/chat/canned-responses';
const DEBOUNCE_MS = 120;
// "/code" just before the caret, at the start or after white space.
const TOKEN = /(?:^|\s)\/([A-Za-z0-9_-]{1,32})$/;

let seq = 0;                             // ids of the pickers' options

export class CannedPicker {
  // opts: { input (the composer's textarea), root (the composer, where
  //   the picker shows above the input) }
  constructor({ input, root }) {
    this.input = input;
    this.cache = new Map();              // q -> canned responses
    this.items = [];
    this.active = 0;
    this.token = null;                   // { start, q } of the "/code" typed
    this.dismissed = -1;                 // Escape: this token's start stays closed
    this.list = el('ul', { class: 'canned-picker', role: 'listbox', id: `canned-${++seq}`, 'data-testid': 'canned-picker', hidden: true,
      'aria-label': t('cannedTitle') });
    root.classList.add('has-canned');
    root.append(this.list);
    input.setAttribute('aria-controls', this.list.id);
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('input', () => this.update());
    input.addEventListener('click', () => this.update());
    input.addEventListener('blur', () => this.close());
    // Capture on the composer: before the textarea's own Enter (send).
    root.addEventListener('keydown', (e) => { if (e.target === input) this.onKey(e); }, true);
  }

  // The "/code" before the caret, or null.
  tokenAt() {
    const before = this.input.value.slice(0, this.input.selectionStart ?? 0);
    const m = TOKEN.exec(before);
    return m ? { start: before.length - m[1].length - 1, q: m[1].toLowerCase() } : null;
  }

  update() {
    const tok = this.tokenAt();
    if (!tok || tok.start === this.dismissed) { this.close(); if (!tok) this.dismissed = -1; return; }
    this.token = tok;
    const known = this.cache.get(tok.q);
    if (known) { this.show(known); return; }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetch(tok.q), DEBOUNCE_MS);
  }

  async fetch(q) {
    let found;
    try {
      found = (await api('GET', `${CANNED_PATH}?q=${encodeURIComponent(q)}`)).data;
    } catch (e) {
      if (this.token?.q === q) this.show([], errorText(e));
      return;
    }
    // Those whose code starts with q before those that only say it.
    found = [...found.filter((c) => c.shortCode.startsWith(q)), ...found.filter((c) => !c.shortCode.startsWith(q))];
    this.cache.set(q, found);
    if (this.token?.q === q && this.tokenAt()?.q === q) {
      this.show(found);
      if (this.pick && found.length) this.insert(found[0]);
    }
    this.pick = false;
  }

  show(items, failure = '') {
    this.items = items;
    this.active = 0;
    this.list.replaceChildren(...items.map((c, i) => el('li', { role: 'option', id: `${this.list.id}-${i}`, class: 'canned-option',
      'data-testid': 'canned-option', dataset: { code: c.shortCode },
      onmousedown: (e) => { e.preventDefault(); this.insert(c); } },
    el('span', { class: 'canned-code', text: `/${c.shortCode}` }), el('span', { class: 'canned-text', text: c.content }))));
    if (!items.length) this.list.append(el('li', { class: 'canned-empty muted', text: failure || t('cannedNoMatch') }));
    else this.list.append(el('li', { class: 'canned-keys muted', 'aria-hidden': 'true', text: t('cannedKeys') }));
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.highlight();
  }

  highlight() {
    [...this.list.querySelectorAll('[role=option]')].forEach((li, i) => {
      li.setAttribute('aria-selected', String(i === this.active));
      if (i === this.active) li.scrollIntoView({ block: 'nearest' });
    });
    if (this.items.length) this.input.setAttribute('aria-activedescendant', `${this.list.id}-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  close() {
    clearTimeout(this.timer);
    this.token = null;
    this.pick = false;
    this.items = [];
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  onKey(e) {
    if (!this.token) return;
    const n = this.items.length;
    const waiting = !n && !this.cache.has(this.token.q);     // its answer is on the way
    if (e.key === 'Escape') {
      this.dismissed = this.token.start;
      this.close();
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && n) {
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.highlight();
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && (n || waiting)) {
      if (n) this.insert(this.items[this.active]); else this.pick = true;
    } else return;
    e.preventDefault();
    e.stopPropagation();
  }

  // The reply in place of the "/code", the caret after it.
  insert(c) {
    const tok = this.tokenAt();
    if (!tok) { this.close(); return; }
    const at = this.input.selectionStart;
    const v = this.input.value;
    this.input.value = v.slice(0, tok.start) + c.content + v.slice(at);
    const caret = tok.start + c.content.length;
    this.input.setSelectionRange(caret, caret);
    this.close();
    this.input.focus();
    this.input.dispatchEvent(new Event('input'));     // typing, and the picker
  }
}
