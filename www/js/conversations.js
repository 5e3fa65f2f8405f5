// conversations.js - one list of conversations (Mine, Unassigned or All,
// under a status filter): in the server's order, more on scroll, and live:
// a conversation that enters the list's scope (new, taken, reopened) is put
// in its place, one that leaves it (transferred away, resolved under the
// default filter) drops out, new messages move a row to the top.  Without
// a socket, poll() merges what changed since the newest change it has seen
// (?updatedAfter=).
import { api } from './api.js';
import { el, preview, shortTime } from './format.js';
import { errorText, t } from './i18n.js';
import { chipRow } from './labels.js';

const LIMIT = 20;
// A poll asks for the changes since the newest it has seen less this: a
// change committed a moment late carries an earlier time.
const OVERLAP_MS = 5000;

// The API's query for a list: assignee me|unassigned|all, status one of
// open|pending|snoozed|resolved|all, or 'active' (the default: all but
// resolved, which the API gives when no status is named); label: an id.
export function listPath(query, page, limit = LIMIT) {
  const status = query.status && query.status !== 'active' ? `&status=${query.status}` : '';
  const label = query.label ? `&label=${encodeURIComponent(query.label)}` : '';
  return `/api/v1/chat/conversations?assignee=${query.assignee}${status}${label}&page=${page}&limit=${limit}`;
}

export class ConversationList {
  // opts: { root (the scrolling element), me, query: {assignee, status},
  //   onOpen(conversation), onUnreadChange(total), emptyKey() -> i18n key,
  //   reading(conversation) -> true for the one open on screen (never unread) }
  constructor(opts) {
    Object.assign(this, opts);
    this.rows = new Map();   // _id -> conversation
    this.selected = null;
    this.page = 0;
    this.hasMore = true;
    this.loading = null;
    this.generation = 0;
    this.newest = null;      // the newest updatedAt the server has shown us
    this.ul = el('ul', { class: 'conv-list', 'data-testid': 'conversation-list' });
    this.empty = el('p', { class: 'empty', 'data-testid': 'empty', hidden: true });
    this.more = el('p', { class: 'more', i18n: 'loadMore', hidden: true });
    this.errorEl = el('p', { class: 'error', role: 'alert', 'data-testid': 'list-error' });
    this.root.replaceChildren(this.errorEl, this.ul, this.empty, this.more);
    this.root.addEventListener('scroll', () => {
      if (this.root.scrollTop + this.root.clientHeight > this.root.scrollHeight - 60) this.loadMore();
    });
  }

  setQuery(query) {
    this.query = { ...query };
    return this.reload();
  }

  // Does c belong in this list (as far as its own fields tell)?
  matches(c) {
    const { assignee, status, label } = this.query;
    if (assignee === 'me' && c.assignedSupportId !== this.me.id) return false;
    if (label && !c.labels?.some((l) => l._id === label)) return false;
    if (assignee === 'unassigned' && c.assignedSupportId) return false;
    if (status === 'active' || !status) return c.status !== 'resolved';
    return status === 'all' || c.status === status;
  }

  // Where c sorts against d: the queue oldest first, the rest newest first.
  compare(c, d) {
    if (this.query.assignee === 'unassigned') return (c.queuedAt ?? c.createdAt ?? '').localeCompare(d.queuedAt ?? d.createdAt ?? '') || Number(c._id) - Number(d._id);
    return (d.updatedAt ?? '').localeCompare(c.updatedAt ?? '') || Number(d._id) - Number(c._id);
  }

  async reload() {
    this.generation += 1;
    this.rows.clear();
    this.page = 0;
    this.hasMore = true;
    this.loading = null;
    this.newest = null;
    this.ul.replaceChildren();
    this.empty.hidden = true;
    await this.loadMore();
  }

  loadMore() {
    if (this.loading) return this.loading;
    if (!this.hasMore) return Promise.resolve();
    this.loading = this.fetchPage(this.generation);
    return this.loading;
  }

  async fetchPage(gen) {
    this.more.hidden = false;
    let again = false;
    try {
      const r = await api('GET', listPath(this.query, this.page + 1));
      if (gen !== this.generation) return;   // the tab or filter changed meanwhile
      this.page += 1;
      this.hasMore = r.pagination.hasMore;
      for (const c of r.data) {
        this.seen(c);
        if (this.rows.has(c._id)) continue;
        if (this.reading?.(c)) c.unreadCount = 0;
        this.rows.set(c._id, c);
        this.ul.append(this.renderRow(c));
      }
      this.errorEl.textContent = '';
      // A short first page on a tall screen: fetch on until it scrolls.
      again = this.hasMore && this.root.scrollHeight <= this.root.clientHeight;
    } catch (e) {
      if (gen === this.generation) this.errorEl.textContent = errorText(e);
    } finally {
      if (gen === this.generation) {
        this.loading = null;
        this.more.hidden = true;
        this.showEmpty();
        this.updateTotal();
      }
    }
    if (again) await this.loadMore();
  }

  seen(c) {
    if (c.updatedAt && (!this.newest || c.updatedAt > this.newest)) this.newest = c.updatedAt;
  }

  // Without a socket: the conversations of this list changed since the
  // newest change seen, in every status (one resolved under the default
  // filter drops out), each to onRow(conversation, since) where since is
  // the newest change seen before this poll (null: none yet).  An empty
  // list asks its first page again.
  async poll(onRow) {
    if (this.loading) return;
    const gen = this.generation;
    const before = this.newest;
    const since = before ? `&updatedAfter=${new Date(Date.parse(before) - OVERLAP_MS).toISOString()}` : '';
    const query = since ? { ...this.query, status: 'all' } : this.query;
    for (let page = 1; page <= 5; page++) {
      const r = await api('GET', listPath(query, page, 100) + since);
      if (gen !== this.generation) return;
      for (const c of r.data) {
        this.seen(c);
        onRow(c, before);
      }
      if (!since || !r.pagination.hasMore) break;
    }
  }

  showEmpty() {
    this.empty.hidden = this.rows.size > 0;
    if (!this.empty.hidden) this.empty.textContent = t(this.emptyKey?.() ?? 'noConversations');
  }

  other(c) { return this.me.id === c.user?._id ? c.support : c.user; }

  renderRow(c) {
    const o = this.other(c) ?? { name: '?' };
    const badge = el('span', { class: 'badge', 'data-testid': 'badge', text: String(c.unreadCount), hidden: c.unreadCount === 0, 'aria-label': t('unread', { n: c.unreadCount }) });
    const tags = el('span', { class: 'conv-tags' });
    if (c.status !== 'open') tags.append(el('span', { class: `pill st-${c.status}`, 'data-testid': 'row-status', text: t(`st_${c.status}`) }));
    if (this.query.assignee === 'all') {
      tags.append(el('span', { class: 'conv-agent', 'data-testid': 'row-assignee', text: c.support?.name ?? t('unassigned') }));
    }
    return el('li', { class: `conv${this.selected === c._id ? ' selected' : ''}`, dataset: { id: c._id, status: c.status }, 'data-testid': 'conversation' },
      el('button', { class: 'conv-open', 'aria-current': this.selected === c._id ? 'true' : null, onclick: () => this.onOpen(c) },
        el('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(o.name) },
          el('span', { class: `dot ${o.isOnline ? 'on' : 'off'}`, 'data-testid': 'presence', 'data-online': o.isOnline ? 'true' : 'false', 'aria-label': o.isOnline ? t('online') : t('offline') })),
        el('span', { class: 'conv-main' },
          el('span', { class: 'conv-top' },
            el('span', { class: 'conv-name', 'data-testid': 'conv-name', text: o.name }),
            el('time', { class: 'conv-time', text: shortTime(c.lastMessage?.createdAt ?? c.updatedAt) })),
          el('span', { class: 'conv-bottom' },
            el('span', { class: 'conv-preview', 'data-testid': 'preview', text: preview(c.lastMessage) }),
            badge),
          tags.childElementCount ? tags : null,
          chipRow(c.labels))));
  }

  // After a language switch: times, previews and labels again.
  relabel() {
    for (const c of this.rows.values()) this.redraw(c);
    this.showEmpty();
  }

  rowOf(id) { return this.ul.querySelector(`li[data-id="${CSS.escape(id)}"]`); }

  // Draw c again; with place, move it to where it sorts.
  redraw(c, place = false) {
    const old = this.rowOf(c._id);
    const row = this.renderRow(c);
    if (place || !old) {
      old?.remove();
      const next = [...this.ul.children].find((li) => {
        const d = this.rows.get(li.dataset.id);
        return d && this.compare(c, d) < 0;
      });
      // Past the last loaded row, a conversation belongs to a later page.
      if (next) this.ul.insertBefore(row, next);
      else if (!this.hasMore || this.ul.childElementCount === 0) this.ul.append(row);
      else this.rows.delete(c._id);
    } else old.replaceWith(row);
    this.showEmpty();
    this.updateTotal();
  }

  remove(id) {
    if (!this.rows.delete(id)) return;
    this.rowOf(id)?.remove();
    this.showEmpty();
    this.updateTotal();
  }

  updateTotal() {
    let n = 0;
    for (const c of this.rows.values()) n += c.unreadCount;
    this.onUnreadChange?.(n);
  }

  select(id) {
    this.selected = id;
    for (const li of this.ul.children) {
      const on = li.dataset.id === id;
      li.classList.toggle('selected', on);
      const b = li.querySelector('.conv-open');
      if (on) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
    }
  }

  // A conversation as the server now says it is: in, out, or redrawn.
  upsert(c) {
    if (this.reading?.(c)) c = { ...c, unreadCount: 0 };
    const had = this.rows.get(c._id);
    if (!this.matches(c)) { this.remove(c._id); return; }
    const moved = !had || had.updatedAt !== c.updatedAt;
    this.rows.set(c._id, { ...had, ...c });
    this.redraw(this.rows.get(c._id), moved);
  }

  // A message in a conversation: preview, time, to the top; unread if given.
  // (A private note is never a conversation's last message.)
  async onMessage(conversationId, message, unreadCount) {
    if (message.isPrivate) return;
    let c = this.rows.get(conversationId);
    if (!c) {
      try { c = (await api('GET', `/api/v1/chat/conversations/${conversationId}`)).data; } catch { return; }
      if (!this.matches(c) || this.rows.has(c._id)) return;
      this.rows.set(c._id, c);
    }
    c.lastMessage = message;
    if (!c.updatedAt || message.createdAt > c.updatedAt) c.updatedAt = message.createdAt;
    if (unreadCount !== undefined) c.unreadCount = unreadCount;
    this.redraw(c, true);
  }

  markRead(conversationId) {
    const c = this.rows.get(conversationId);
    if (!c || c.unreadCount === 0) return;
    c.unreadCount = 0;
    this.redraw(c);
  }

  onNew(c) { if (!this.rows.has(c._id)) this.upsert(c); }

  setPresence(userId, isOnline, lastSeen) {
    for (const c of this.rows.values()) {
      const o = this.other(c);
      if (o?._id === userId) {
        o.isOnline = isOnline;
        if (lastSeen) o.lastSeen = lastSeen;
        this.redraw(c);
      }
    }
  }
}

export function initials(name = '') {
  const w = name.trim().split(/\s+/).filter(Boolean);
  return ((w[0]?.[0] ?? '?') + (w.length > 1 ? w[w.length - 1][0] : '')).toUpperCase();
}
