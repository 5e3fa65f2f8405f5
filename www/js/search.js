// search.js - the inbox's search box: conversations by their user's name or
// phone number and messages by their words (GET /api/v1/chat/search), in
// place of the list while there is a query.  A message found opens in
// context (#/c/<conversation>/m/<message>), the words it matched marked.
import { api } from './api.js';
import { dateTime, el } from './format.js';
import { errorText, t } from './i18n.js';

const DEBOUNCE_MS = 250;
const MIN = 2;
const SNIPPET = 70;         // characters each side of the first match

// The query's words, for marking what a result matched.
const words = (q) => q.split(/[\s+\-"()*~<>@।]+/u).filter((w) => w.length > 0);
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// text with every word of q in a <mark> (text nodes only, never HTML).
export function marked(text, q) {
  const ws = words(q).sort((a, b) => b.length - a.length);
  if (!ws.length || !text) return [document.createTextNode(text ?? '')];
  const re = new RegExp(ws.map(escapeRe).join('|'), 'giu');
  const out = [];
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) out.push(document.createTextNode(text.slice(at, m.index)));
    out.push(el('mark', { text: m[0] }));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(document.createTextNode(text.slice(at)));
  return out;
}

// The part of text around its first match.
function snippet(text, q) {
  const ws = words(q);
  const lower = text.toLowerCase();
  const first = Math.min(...ws.map((w) => lower.indexOf(w.toLowerCase())).filter((i) => i >= 0), Infinity);
  if (first === Infinity || text.length <= 2 * SNIPPET) return text;
  const from = Math.max(0, first - SNIPPET);
  return `${from > 0 ? '…' : ''}${text.slice(from, first + SNIPPET)}${first + SNIPPET < text.length ? '…' : ''}`;
}

export class SearchBox {
  // opts: { onActive(active) (the results replace the list while true) }
  constructor(opts) {
    Object.assign(this, opts);
    this.q = '';
    this.seq = 0;
    this.input = el('input', { type: 'search', class: 'search-input', 'data-testid': 'search-input', i18nPlaceholder: 'searchPlaceholder', i18nLabel: 'searchPlaceholder', maxlength: 200 });
    this.input.addEventListener('input', () => this.changed());
    this.input.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); this.clear(); } });
    this.root = el('div', { class: 'search', role: 'search' }, this.input);
    this.results = el('div', { class: 'search-results', 'data-testid': 'search-results', 'aria-live': 'polite', hidden: true });
  }

  clear() {
    this.input.value = '';
    this.changed();
    this.input.blur();
  }

  changed() {
    clearTimeout(this.timer);
    const q = this.input.value.trim();
    const active = q.length > 0;
    this.results.hidden = !active;
    this.onActive?.(active);
    if (!active) { this.q = ''; this.results.replaceChildren(); return; }
    if ([...q].length < MIN) { this.say(t('searchTooShort')); return; }
    this.timer = setTimeout(() => this.run(q), DEBOUNCE_MS);
  }

  say(words) { this.results.replaceChildren(el('p', { class: 'muted search-note', 'data-testid': 'search-note', text: words })); }

  async run(q) {
    const seq = ++this.seq;
    let r;
    try {
      r = await api('GET', `/api/v1/chat/search?q=${encodeURIComponent(q)}&limit=20`);
    } catch (e) {
      if (seq === this.seq) this.say(errorText(e));
      return;
    }
    if (seq !== this.seq) return;          // a newer query is on its way
    this.q = q;
    this.render(r.data, q);
  }

  render({ conversations, messages }, q) {
    if (!conversations.length && !messages.length) { this.say(t('searchNone', { q })); return; }
    const section = (key, items) => (items.length ? [el('h3', { i18n: key }), el('ul', { class: 'search-list' }, ...items)] : []);
    this.results.replaceChildren(
      ...section('searchConversations', conversations.map((c) => el('li', {},
        el('a', { href: `#/c/${c._id}`, class: 'search-hit', 'data-testid': 'search-conversation', dataset: { id: c._id } },
          el('span', { class: 'search-who' }, ...marked(c.user?.name ?? '', q)),
          el('span', { class: 'muted' }, ...marked(c.user?.phone ?? '', q)),
          el('span', { class: `pill st-${c.status}`, text: t(`st_${c.status}`) }))))),
      ...section('searchMessages', messages.map(({ message: m, conversation: c }) => el('li', {},
        el('a', { href: `#/c/${m.conversationId}/m/${m._id}`, class: `search-hit${m.isPrivate ? ' note' : ''}`, 'data-testid': 'search-message', dataset: { id: m._id } },
          el('span', { class: 'search-top' },
            el('span', { class: 'search-who', text: c?.user?.name ?? '' }),
            el('time', { datetime: m.createdAt, text: dateTime(m.createdAt) })),
          m.isPrivate ? el('span', { class: 'note-label', i18n: 'privateNote' }) : null,
          el('span', { class: 'search-snippet' }, ...marked(snippet(m.content ?? '', q), q)))))));
  }

  // After a language switch: the words of the results.
  relabel() { if (this.q) this.run(this.q); else if (this.input.value.trim()) this.changed(); }
}
