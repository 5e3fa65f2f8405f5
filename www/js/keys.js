// keys.js - the dashboard's keyboard shortcuts, and the "?" overlay that
// lists them.  One keydown listener on the document; a shortcut never
// fires while a person types (in an input, a textarea, a select or
// anything contenteditable: the composer's "/" opens its canned picker),
// with Ctrl or Meta held, or once another handler took the key.  Escape
// in a field leaves it, so the shortcuts work again.
//
// "/" focuses [data-testid=search-input] whenever one is on the page:
// a search box needs nothing from this file to answer it (focusSearch()
// does the same for a caller of its own).
import { el } from './format.js';
import { onLangChange, t } from './i18n.js';

// What the overlay lists, in order: the keys (as shown) and what they do.
export const SHORTCUTS = [
  { keys: ['j', 'Alt+↓'], what: 'keyNext' },
  { keys: ['k', 'Alt+↑'], what: 'keyPrev' },
  { keys: ['n'], what: 'keyUnread' },
  { keys: ['r'], what: 'keyResolve' },
  { keys: ['/'], what: 'keySearch' },
  { keys: ['c', 'Enter'], what: 'keyCompose' },
  { keys: ['Esc'], what: 'keyLeave' },
  { keys: ['?'], what: 'keyHelp' },
];

const TYPING = 'input, textarea, select, [contenteditable]:not([contenteditable=false])';
// Enter on these does their own thing (open a row, press a button).
const ACTIVE = 'button, a[href], summary, [role=button], [role=tab], [role=option], [role=menuitem]';
const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

// The search box, focused, if the page has one; false if not.
export function focusSearch() {
  const box = document.querySelector('[data-testid=search-input]');
  if (!box || box.disabled) return false;
  box.focus();
  box.select?.();
  return true;
}

const typing = (node) => node instanceof Element && (node.matches(TYPING) || node.isContentEditable);

// The key a keydown names: e.key, or with a non-Latin layout (Hindi
// InScript) the Latin letter or slash of the key pressed.
function keyOf(e) {
  if (e.key.length !== 1 || /^[\x20-\x7e]$/.test(e.key)) return e.key;
  const m = /^Key([A-Z])$/.exec(e.code);
  if (m && !e.shiftKey) return m[1].toLowerCase();
  if (e.code === 'Slash') return e.shiftKey ? '?' : '/';
  return e.key;
}

export class Shortcuts {
  // inbox(): the Inbox on screen, or null (logged out, the admin screen).
  constructor(inbox) {
    this.inbox = inbox;
    this.dialog = null;
    document.addEventListener('keydown', (e) => this.onKey(e));
    // Focus kept in the overlay: whatever takes it outside gives it back.
    document.addEventListener('focusin', (e) => { if (this.dialog && !this.dialog.contains(e.target)) this.closeBtn.focus(); });
    onLangChange(() => { if (this.dialog) this.fillDialog(); });
  }

  onKey(e) {
    if (this.dialog) return;                 // the overlay keeps its own keys
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.isComposing) return;
    if (typing(e.target)) {
      if (e.key === 'Escape' && !e.altKey && !e.shiftKey) e.target.blur();
      return;
    }
    const inbox = this.inbox();
    if (!inbox) return;
    const key = keyOf(e);
    let done = true;
    if (e.altKey) {
      if (key === 'ArrowDown') this.step(inbox, 1);
      else if (key === 'ArrowUp') this.step(inbox, -1);
      else done = false;
    } else if (key === 'j') this.step(inbox, 1);
    else if (key === 'k') this.step(inbox, -1);
    else if (key === 'n') this.nextUnread(inbox);
    else if (key === 'r') this.resolve(inbox);
    else if (key === '/') done = focusSearch();
    else if (key === 'c' || (key === 'Enter' && !e.shiftKey && !e.target.closest?.(ACTIVE))) this.compose(inbox);
    else if (key === '?') this.openHelp();
    else done = false;
    if (done) e.preventDefault();
  }

  // The list's conversations, in the order on screen.
  ids(inbox) { return [...inbox.list.ul.children].map((li) => li.dataset.id); }

  current(inbox) { return inbox.openId ?? inbox.list.selected; }

  // The next (dir 1) or previous (-1) conversation of the list; from none,
  // the first.  Past the last row the next page is asked for.
  async step(inbox, dir) {
    let ids = this.ids(inbox);
    let at = ids.indexOf(this.current(inbox));
    if (dir > 0 && at === ids.length - 1 && inbox.list.hasMore) {
      await inbox.list.loadMore();
      ids = this.ids(inbox);
    }
    const to = at < 0 ? (dir > 0 ? 0 : ids.length - 1) : at + dir;
    if (to >= 0 && to < ids.length) this.open(inbox, ids[to]);
  }

  // The next conversation with unread messages after the current one,
  // round to the top; if there is none, a word in the status line.
  nextUnread(inbox) {
    const ids = this.ids(inbox);
    const at = ids.indexOf(this.current(inbox));
    const order = [...ids.slice(at + 1), ...ids.slice(0, at + 1)];
    const id = order.find((x) => x !== inbox.openId && inbox.list.rows.get(x)?.unreadCount > 0);
    if (id) this.open(inbox, id);
    else inbox.say(t('keyNoUnread'));
  }

  open(inbox, id) {
    inbox.openQuietly(id);
    inbox.list.rowOf(id)?.scrollIntoView({ block: 'nearest' });
  }

  // The Resolve button's own action, when it is there to press.
  resolve(inbox) {
    if (!inbox.open) inbox.say(t('keyNoOpen'));
    else if (inbox.open.status === 'resolved') inbox.say(t('keyResolved'));
    else if (!inbox.actions.resolve()) inbox.say(t('keyCannotResolve'));
  }

  compose(inbox) {
    const input = inbox.chat?.input;
    if (!input) inbox.say(t('keyNoOpen'));
    else if (input.disabled) inbox.say(t('takeToReply'));
    else input.focus();
  }

  // The overlay: a modal dialog, Tab kept inside, closed by Escape, its
  // button or a click beside it; the focus goes back where it was.
  openHelp() {
    if (this.dialog) return;
    this.before = document.activeElement;
    this.panel = el('div', { class: 'keys-panel', tabindex: '-1' });
    this.dialog = el('div', { class: 'keys-overlay', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'keys-title',
      'data-testid': 'shortcuts-help' }, this.panel);
    this.dialog.addEventListener('keydown', (e) => this.onDialogKey(e));
    this.dialog.addEventListener('click', (e) => { if (e.target === this.dialog) this.closeHelp(); });
    this.fillDialog();
    document.body.append(this.dialog);
    this.closeBtn.focus();
  }

  fillDialog() {
    const had = this.dialog.contains(document.activeElement);
    this.closeBtn = el('button', { class: 'btn', 'data-testid': 'shortcuts-close', text: t('close'), onclick: () => this.closeHelp() });
    const rows = SHORTCUTS.map((s) => el('tr', { 'data-testid': 'shortcut', dataset: { what: s.what } },
      el('td', { class: 'keys-keys' }, ...s.keys.flatMap((k, i) => [i ? ` ${t('keyOr')} ` : null, el('kbd', { text: k })])),
      el('td', { text: t(s.what) })));
    this.panel.replaceChildren(
      el('h2', { id: 'keys-title', text: t('keysTitle') }),
      el('table', { class: 'keys-table' }, el('tbody', {}, ...rows)),
      el('p', { class: 'muted', text: t('keysNote') }),
      el('div', { class: 'keys-foot' }, this.closeBtn));
    if (had) this.closeBtn.focus();
  }

  onDialogKey(e) {
    if (e.key === 'Escape') { e.preventDefault(); this.closeHelp(); return; }
    if (e.key !== 'Tab') return;
    const f = [...this.dialog.querySelectorAll(FOCUSABLE)];
    const first = f[0];
    const last = f[f.length - 1];
    if (!first) { e.preventDefault(); return; }
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  }

  closeHelp() {
    if (!this.dialog) return;
    this.dialog.remove();
    this.dialog = null;
    const back = this.before;
    this.before = null;
    if (back?.isConnected && back !== document.body) back.focus();
  }

  // "? Shortcuts" for the top bar.
  link() {
    return el('button', { class: 'link', 'data-testid': 'shortcuts-link', 'aria-keyshortcuts': '?', 'aria-haspopup': 'dialog',
      text: t('keysLink'), onclick: () => this.openHelp() });
  }
}
