// inbox.js - the agent's inbox: three panes from 1024 px wide (the list,
// the open conversation, its details), one at a time below that.  Tabs
// Mine / Unassigned (with the queue's count) / All (admins), a status
// filter, and the socket events that keep all of it live (or, without a
// socket, poll(): the list, the count and the open conversation over REST).
import { ConversationActions } from './actions.js';
import { api } from './api.js';
import { CannedPicker } from './canned.js';
import { ChatView } from './chat.js';
import { ConversationList, listPath } from './conversations.js';
import { DetailsPanel } from './details.js';
import { el, preview } from './format.js';
import { errorText, t } from './i18n.js';
import { labels, loadLabels, onLabels } from './labels.js';
import { notifyMessage } from './notify.js';
import { SearchBox } from './search.js';

const STATUSES = ['active', 'open', 'pending', 'snoozed', 'resolved', 'all'];
// The queue's count is asked again this often: a conversation that enters
// or leaves the queue by somebody else's hand is not announced to everyone.
// A safety net only: queue:updated keeps the count live.
const COUNT_POLL_MS = 60000;

export class Inbox {
  // opts: { me, team, socket, onUnreadChange(n), navigate: { open(id), back() } }
  constructor(opts) {
    Object.assign(this, opts);
    this.isAdmin = this.me.role === 'Admin';
    this.tab = this.isAdmin ? 'all' : 'mine';
    this.status = 'active';
    this.open = null;          // the open conversation's object
    this.openId = null;
    this.chat = null;
    this.queueCount = null;
    this.build();
    this.actions = new ConversationActions({ me: this.me, team: this.team, onChanged: (c, note) => this.onChanged(c, note), onError: (w) => this.chatError(w) });
    this.details = new DetailsPanel({ root: this.detailsPane, me: this.me, onBack: () => this.setView('chat'),
      onChanged: (c) => this.onConversation(c), onError: (w) => this.say(w) });
    this.list = new ConversationList({ root: this.scroller, me: this.me, query: this.query(), onOpen: (c) => this.navigate.open(c._id),
      onUnreadChange: this.onUnreadChange, emptyKey: () => this.emptyKey(), reading: (c) => this.reading(c) });
    this.timer = setInterval(() => this.refreshCount(), COUNT_POLL_MS);
  }

  query() {
    return { assignee: { mine: 'me', unassigned: 'unassigned', all: 'all' }[this.tab], status: this.status, label: this.label };
  }

  emptyKey() {
    if (this.status !== 'active' || this.label) return 'noConversationsFilter';
    return { mine: 'noConversationsMine', unassigned: 'noConversationsQueue', all: 'noConversations' }[this.tab];
  }

  build() {
    this.tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': t('inboxTabs') });
    this.countEl = el('span', { class: 'count', 'data-testid': 'tab-unassigned-count', hidden: true });
    this.filter = el('select', { class: 'status-filter', 'data-testid': 'status-filter', 'aria-label': t('statusFilter') });
    this.filter.addEventListener('change', () => { this.status = this.filter.value; this.list.setQuery(this.query()); });
    this.label = '';
    this.labelFilter = el('select', { class: 'status-filter label-filter', 'data-testid': 'label-filter', 'aria-label': t('labelFilter') });
    this.labelFilter.addEventListener('change', () => { this.label = this.labelFilter.value; this.list.setQuery(this.query()); });
    onLabels('inbox', () => { this.renderLabelFilter(); if (this.open) this.details.render(); });
    this.scroller = el('div', { class: 'conv-scroll' });
    // While there is a query, its results stand in for the tabs and list.
    this.search = new SearchBox({ onActive: (on) => { this.tabs.hidden = on; this.scroller.hidden = on; } });
    this.heading = el('h2', { i18n: 'conversations' });
    this.listPane = el('section', { class: 'pane pane-list list', 'data-testid': 'pane-list' },
      el('div', { class: 'list-head' }, this.heading, this.filter, this.labelFilter), this.search.root, this.tabs, this.scroller,
      this.search.results);
    this.chatPane = el('section', { class: 'pane pane-chat', 'data-testid': 'pane-chat' });
    this.detailsPane = el('aside', { class: 'pane pane-details', 'data-testid': 'pane-details' });
    this.toast = el('div', { class: 'toast', role: 'status', 'data-testid': 'toast', hidden: true });
    this.root = el('div', { class: 'inbox', dataset: { view: 'list' }, 'data-testid': 'inbox' },
      this.listPane, this.chatPane, this.detailsPane, this.toast);
    this.renderTabs();
    this.placeholder();
  }

  renderTabs() {
    const tabs = ['mine', 'unassigned', ...(this.isAdmin ? ['all'] : [])];
    this.tabs.replaceChildren(...tabs.map((k) => el('button', {
      class: 'tab', role: 'tab', 'aria-selected': k === this.tab ? 'true' : 'false', 'data-testid': `tab-${k}`,
      onclick: () => this.setTab(k),
    }, t(`tab${k[0].toUpperCase()}${k.slice(1)}`), k === 'unassigned' ? this.countEl : null)));
    this.filter.replaceChildren(...STATUSES.map((s) => el('option', { value: s, text: t(s === 'active' ? 'filterActive' : s === 'all' ? 'filterAll' : `st_${s}`) })));
    this.filter.value = this.status;
    this.filter.setAttribute('aria-label', t('statusFilter'));
    this.renderLabelFilter();
  }

  // Every label, or one; a label gone since is no longer a filter.
  renderLabelFilter() {
    const all = labels();
    if (this.label && !all.some((l) => l._id === this.label)) this.label = '';
    this.labelFilter.replaceChildren(el('option', { value: '', text: t('anyLabel') }),
      ...all.map((l) => el('option', { value: l._id, text: l.name })));
    this.labelFilter.value = this.label;
    this.labelFilter.hidden = all.length === 0 && !this.label;
    this.labelFilter.setAttribute('aria-label', t('labelFilter'));
  }

  setTab(k) {
    this.tab = k;
    this.renderTabs();
    this.list.setQuery(this.query());
    if (k === 'unassigned') this.refreshCount();
  }

  start() {
    this.list.reload();
    this.refreshCount();
    this.team.load().catch(() => {});
    loadLabels().catch(() => {});
  }

  // The queue's size on the Unassigned tab, asked of the server.
  refreshCount() {
    clearTimeout(this.countSoon);
    this.countSoon = setTimeout(async () => {
      try {
        const r = await api('GET', listPath({ assignee: 'unassigned', status: 'active' }, 1, 1));
        this.setCount(r.pagination.total);
      } catch { /* the next event or poll tries again */ }
    }, 150);
  }

  // The queue's size, from the server (an answer, or queue:updated).
  setCount(n) {
    const changed = this.queueCount !== null && n !== this.queueCount;
    this.queueCount = n;
    this.countEl.textContent = String(n);
    this.countEl.hidden = n === 0;
    this.countEl.setAttribute('aria-label', String(n));
    // The queue changed by somebody else's hand: show it as it is.
    if (changed && this.tab === 'unassigned' && !this.list.loading) this.list.reload();
  }

  setView(v) { this.root.dataset.view = v; }

  placeholder(words = t('selectConversation'), error = false) {
    this.chatPane.replaceChildren(el('div', { class: `placeholder${error ? ' error' : ''}`, 'data-testid': 'chat-placeholder', role: error ? 'alert' : null },
      el('div', { class: 'placeholder-art', 'aria-hidden': 'true' }), el('p', { text: words })));
  }

  say(words) {
    this.toast.textContent = words;
    this.toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { this.toast.hidden = true; }, 4000);
  }

  chatError(words) {
    if (this.chat) this.chat.errorEl.textContent = words ?? '';
    else if (words) this.say(words);
  }

  // Route #/c/<id>: open it (from the list's copy, else the server's);
  // with a message id, at that message.
  async show(id, around = null) {
    const focus = !this.quiet;
    if (this.openId === id && this.chat) {
      this.setView('chat');
      if (around) this.chat.showMessage(around);
      return;
    }
    this.closeChat();
    this.openId = id;
    this.list.select(id);
    this.setView('chat');
    let c = this.list.rows.get(id);
    if (!c) {
      try {
        c = (await api('GET', `/api/v1/chat/conversations/${id}`)).data;
      } catch (e) {
        if (this.openId === id) this.placeholder(e.code === 'not_found' ? t('notFoundConversation') : errorText(e), true);
        return;
      }
      if (this.openId !== id) return;
    }
    this.open = { ...c };
    this.root.classList.add('has-open');
    const root = el('section', { class: 'chat' });
    this.chatPane.replaceChildren(root);
    const extra = el('div', { class: 'chat-tools' }, this.actions.root,
      el('button', { class: 'btn details-toggle', 'data-testid': 'details-toggle', text: t('details'), onclick: () => this.setView('details') }));
    this.chat = new ChatView({ root, socket: this.socket, me: this.me, conversation: this.open, headerExtra: extra,
      onBack: () => this.navigate.back(), onMarkedRead: (cid) => this.list.markRead(cid), nameOf: (uid) => this.team.get(uid)?.name,
      onSent: (m) => this.list.onMessage(m.conversationId, m), notes: true, focusOnOpen: focus });
    this.canned = new CannedPicker({ input: this.chat.input, root: this.chat.composerEl });
    this.actions.set(this.open);
    this.details.set(this.open);
    this.applyReadOnly();
    this.chat.open(around);
  }

  // Open id from the keyboard (keys.js): the focus stays off the composer,
  // so the next shortcut works.
  openQuietly(id) {
    this.quiet = true;
    try { this.navigate.open(id); } finally { this.quiet = false; }
  }

  // Route #/ : no conversation open.
  showList() {
    this.closeChat();
    this.setView('list');
  }

  closeChat() {
    this.chat?.close();
    this.actions.closePopover();
    this.chat = null;
    this.open = null;
    this.openId = null;
    this.list?.select(null);
    this.details.set(null);
    this.root.classList.remove('has-open');
    this.placeholder();
  }

  // The open conversation, once ours to answer, is read as it arrives: a
  // count from the server that predates our marking it must not badge it.
  reading(c) {
    return this.openId === c._id && this.chat !== null && (this.isAdmin || c.assignedSupportId === this.me.id);
  }

  // An agent reads a queued conversation but answers only once it is theirs.
  applyReadOnly() {
    const ro = !this.isAdmin && this.open.assignedSupportId !== this.me.id;
    this.chat.setReadOnly(ro ? 'takeToReply' : null);
  }

  // The answer of an action of ours.
  onChanged(c, note) {
    const wasMine = this.open?.assignedSupportId === this.me.id;
    this.onConversation(c);
    if (note) this.say(note);
    if (this.open && this.open._id === c._id && !wasMine && c.assignedSupportId === this.me.id) this.chat.join();
    this.refreshCount();
  }

  // A conversation as the server now says it is (an event or an answer).
  onConversation(c) {
    this.list.upsert(c);
    if (!this.open || this.open._id !== c._id) return;
    Object.assign(this.open, c);
    const lost = !this.isAdmin && c.assignedSupportId && c.assignedSupportId !== this.me.id;
    if (lost) {
      // Our own transfer says where it went when its answer comes.
      if (!this.actions.busy) this.say(t('lostConversation'));
      this.navigate.back();
      return;
    }
    this.actions.set(this.open);
    this.details.set(this.open);
    this.applyReadOnly();
  }

  // Without a socket (the shell polls): what changed in the list, the
  // queue's count, and the open conversation's new messages and read
  // checks.  A failure is thrown on: the shell shows the offline banner
  // when the server is out of reach.
  async poll() {
    this.polled = true;
    const chat = this.chat;
    await Promise.all([
      this.list.poll((c, since) => this.onPolled(c, since)),
      api('GET', listPath({ assignee: 'unassigned', status: 'active' }, 1, 1)).then((r) => this.setCount(r.pagination.total)),
      chat?.poll().catch((e) => {
        if (e.code !== 'not_found') throw e;
        // Taken by another agent, or moved away: no longer ours to read.
        if (chat !== this.chat) return;
        this.say(t('lostConversation'));
        this.navigate.back();
      }),
    ]);
  }

  // A conversation that changed, from a poll: as an event would have it,
  // with the notification of a new message from its user.
  onPolled(c, since) {
    const had = this.list.rows.get(c._id);
    const m = c.lastMessage;
    const fresh = since && m && m.senderId === c.userId && m.createdAt > since && had?.lastMessage?._id !== m._id;
    // The overlap of polls brings a change back a few times: once is enough.
    const same = had && ['updatedAt', 'status', 'assignedSupportId', 'snoozedUntil', 'unreadCount'].every((k) => had[k] === c[k])
      && had.lastMessage?._id === m?._id;
    if (same) return;
    this.onConversation(c);
    if (fresh && (this.openId !== c._id || document.visibilityState === 'hidden')) {
      notifyMessage(c.user?.name ?? '', preview(m), () => this.navigate.open(c._id));
    }
  }

  // Logged out: nothing of this inbox runs on.
  destroy() {
    clearInterval(this.timer);
    clearTimeout(this.countSoon);
    this.closeChat();
    this.actions.destroy();
  }

  relabel() {
    this.renderTabs();
    this.list.relabel();
    this.chat?.relabel();
    this.search.relabel();
    if (this.open) { this.actions.render(); this.details.render(); this.applyReadOnly(); } else this.placeholder();
  }

  wire(socket) {
    socket.on('notification:new-message', (n) => {
      const here = this.openId === n.conversationId;
      this.list.onMessage(n.conversationId, n.message, here ? 0 : n.unreadCount);
      if (n.message.messageType === 'activity') return;
      if (!here || document.visibilityState === 'hidden') {
        notifyMessage(n.sender.name, preview(n.message), () => this.navigate.open(n.conversationId));
      }
    });
    socket.on('message:new', (m) => this.chat?.onMessage(m));
    socket.on('message:sent', (m) => { this.list.onMessage(m.conversationId, m); this.chat?.onMessage(m); });
    socket.on('message:read', (ev) => this.chat?.onRead(ev));
    socket.on('typing:user-typing', (ev) => this.chat?.onTyping(ev, true));
    socket.on('typing:user-stopped', (ev) => this.chat?.onTyping(ev, false));
    const presence = (userId, on, lastSeen) => {
      this.list.setPresence(userId, on, lastSeen);
      this.chat?.setPresence(userId, on, lastSeen);
      this.team.setPresence(userId, on);
      if (this.open?.user?._id === userId) this.details.render();
    };
    socket.on('user:online', ({ userId }) => presence(userId, true));
    socket.on('user:offline', ({ userId, lastSeen }) => presence(userId, false, lastSeen));
    socket.on('conversation:new', ({ conversation }) => { this.onConversation(conversation); this.refreshCount(); });
    socket.on('conversation:updated', ({ conversation }) => { this.onConversation(conversation); this.refreshCount(); });
    // pushd says when the queue's length changes: the count is live.
    socket.on('queue:updated', ({ count }) => this.setCount(count));
    socket.on('agent:availability', ({ userId, availability }) => this.team.setAvailability(userId, availability));
    // After a reconnect (or the first connect after polling): what changed
    // meanwhile, and the open room again.  A chat opened before the first
    // connect joins its room now.
    let first = true;
    socket.on('connect', () => {
      const again = !first || this.polled;
      first = false;
      this.polled = false;
      if (!again) {
        if (this.chat?.needsJoin) this.chat.join();
        return;
      }
      this.list.reload();
      this.chat?.join();
      this.team.load().catch(() => {});
      this.refreshCount();
    });
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') this.chat?.markRead(); });
  }
}
