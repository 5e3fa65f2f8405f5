// conversations.js - the agent's conversation list: newest first, more on
// scroll, live updates (new messages move a row to the top, presence dots,
// new conversations), and the unread badges.
import { api } from './api.js';
import { el, preview, shortTime } from './format.js';
import { errorText, t } from './i18n.js';

const LIMIT = 20;

export class ConversationList {
  // opts: { root, me, onOpen(conversation), onUnreadChange(total) }
  constructor(opts) {
    Object.assign(this, opts);
    this.rows = new Map();   // _id -> conversation
    this.page = 0;
    this.hasMore = true;
    this.loading = false;
    this.ul = el('ul', { class: 'conv-list', 'data-testid': 'conversation-list' });
    this.empty = el('p', { class: 'empty', 'data-testid': 'empty', i18n: 'noConversations', hidden: true });
    this.more = el('p', { class: 'more', i18n: 'loadMore', hidden: true });
    this.errorEl = el('p', { class: 'error', role: 'alert' });
    this.root.replaceChildren(el('h2', { i18n: 'conversations' }), this.errorEl, this.ul, this.empty, this.more);
    this.root.addEventListener('scroll', () => {
      if (this.root.scrollTop + this.root.clientHeight > this.root.scrollHeight - 60) this.loadMore();
    });
  }

  async reload() {
    this.rows.clear();
    this.page = 0;
    this.hasMore = true;
    this.ul.replaceChildren();
    await this.loadMore();
  }

  async loadMore() {
    if (this.loading || !this.hasMore) return;
    this.loading = true;
    this.more.hidden = false;
    try {
      const r = await api('GET', `/api/v1/chat/conversations?page=${this.page + 1}&limit=${LIMIT}`);
      this.page += 1;
      this.hasMore = r.pagination.hasMore;
      for (const c of r.data) if (!this.rows.has(c._id)) { this.rows.set(c._id, c); this.ul.append(this.renderRow(c)); }
      this.errorEl.textContent = '';
    } catch (e) {
      this.errorEl.textContent = errorText(e);
    } finally {
      this.loading = false;
      this.more.hidden = true;
      this.empty.hidden = this.rows.size > 0;
      this.updateTotal();
      // A short first page on a tall screen: fetch on until it scrolls.
      if (this.hasMore && this.root.scrollHeight <= this.root.clientHeight) this.loadMore();
    }
  }

  other(c) { return this.me.id === c.user?._id ? c.support : c.user; }

  renderRow(c) {
    const o = this.other(c) ?? { name: '?' };
    const badge = el('span', { class: 'badge', 'data-testid': 'badge', text: String(c.unreadCount), hidden: c.unreadCount === 0, 'aria-label': t('unread', { n: c.unreadCount }) });
    return el('li', { class: 'conv', dataset: { id: c._id }, 'data-testid': 'conversation' },
      el('button', { class: 'conv-open', onclick: () => this.onOpen(c) },
        el('span', { class: `dot ${o.isOnline ? 'on' : 'off'}`, 'data-testid': 'presence', 'data-online': o.isOnline ? 'true' : 'false', 'aria-label': o.isOnline ? t('online') : t('offline') }),
        el('span', { class: 'conv-main' },
          el('span', { class: 'conv-top' },
            el('span', { class: 'conv-name', 'data-testid': 'conv-name', text: o.name }),
            el('time', { class: 'conv-time', text: shortTime(c.lastMessage?.createdAt ?? c.updatedAt) })),
          el('span', { class: 'conv-bottom' },
            el('span', { class: 'conv-preview', 'data-testid': 'preview', text: preview(c.lastMessage) }),
            badge))));
  }

  // After a language switch: times, previews and labels again.
  relabel() {
    for (const c of this.rows.values()) this.redraw(c);
  }

  redraw(c, top = false) {
    const old = this.ul.querySelector(`li[data-id="${CSS.escape(c._id)}"]`);
    const row = this.renderRow(c);
    if (top) { old?.remove(); this.ul.prepend(row); } else if (old) old.replaceWith(row);
    this.empty.hidden = true;
    this.updateTotal();
  }

  updateTotal() {
    let n = 0;
    for (const c of this.rows.values()) n += c.unreadCount;
    this.onUnreadChange?.(n);
  }

  // A message in a conversation: preview, time, to the top; unread if given.
  async onMessage(conversationId, message, unreadCount) {
    let c = this.rows.get(conversationId);
    if (!c) {
      try { c = (await api('GET', `/api/v1/chat/conversations/${conversationId}`)).data; } catch { return; }
      this.rows.set(c._id, c);
    }
    c.lastMessage = message;
    c.updatedAt = message.createdAt;
    if (unreadCount !== undefined) c.unreadCount = unreadCount;
    this.redraw(c, true);
  }

  markRead(conversationId) {
    const c = this.rows.get(conversationId);
    if (!c || c.unreadCount === 0) return;
    c.unreadCount = 0;
    this.redraw(c);
  }

  onNew(c) {
    if (this.rows.has(c._id)) return;
    this.rows.set(c._id, c);
    this.redraw(c, true);
  }

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
