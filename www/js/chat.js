// chat.js - the chat screen, shared by the dashboard and the end-user page:
// history with older pages on scroll-up, day separators, checks, media,
// typing, a composer that survives failures, uploads with progress.
// While the socket is not connected it works over REST: sends with
// POST /api/v1/chat/messages (the same clientMessageId), marks read with
// POST .../read, and poll() fetches what is new and the read state of
// our own messages.
import { api, uploadMedia } from './api.js';
import { activityText, dayLabel, el, presenceText, timeOf } from './format.js';
import { errorText, t } from './i18n.js';
import { draft, forget, keep, saveDraft, waiting } from './outbox.js';
import { shrink } from './shrink.js';
import { canRecord, VoiceRecorder } from './voice.js';

const PAGE = 30;
const CAPS = { image: 10 << 20, video: 50 << 20, audio: 20 << 20 };
const TYPING_IDLE_MS = 2000;
// limits.max_message_length as shipped (bytes of UTF-8: a Devanagari
// letter is 3); the count shows from COUNT_FROM on.
const MAX_BYTES = 4000;
const COUNT_FROM = 3500;
const utf8 = new TextEncoder();
// A clientMessageId: crypto.randomUUID() exists only on https (and
// localhost); a site on plain http (some shared hosting) gets 16 random
// bytes in hex, which getRandomValues gives anywhere.
const newClientId = () => crypto.randomUUID?.()
  ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
// A poll looks at most this far back for our own unread messages.
const READ_WINDOW = 50;

// A thumbnail's size from the display version's (the server makes it at
// most THUMB_MAX on the long side, never enlarged); nothing if unknown.
const THUMB_MAX = 320;
function thumbSize({ width, height }) {
  if (!(width > 0 && height > 0)) return {};
  const k = Math.min(1, THUMB_MAX / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

export class ChatView {
  // opts: { root, socket, me, conversation, onBack (or null), onMarkedRead,
  //   headerExtra (a node for the header's right end, or null),
  //   nameOf(userId) -> a colleague's name, or undefined,
  //   onSent(message) (one we sent over REST: no message:sent comes),
  //   onPolledNew(message) (a new one found by poll(): no message:new came),
  //   notes (the support side: a Reply / Note switch; a note is private),
  //   focusOnOpen (false: open() leaves the focus where it is),
  //   greeting (the user's page: words in an empty conversation) }
  constructor(opts) {
    Object.assign(this, opts);
    this.id = opts.conversation._id;
    this.messages = new Map();   // _id -> message
    this.pending = new Map();    // clientMessageId -> { body, node, at }
    this.uploads = new Map();    // clientMessageId -> { bubble, busy, file, type, at, url }
    this.onOnline = () => this.retryFailed();
    window.addEventListener('online', this.onOnline);
    this.oldest = null;
    this.hasMore = true;
    this.loading = false;
    this.typingTimer = null;
    this.typingSent = false;
    this.build();
    this.presenceTimer = setInterval(() => this.renderPresence(), 30000);
  }

  // On the support side every agent's message is ours (a colleague's
  // before a transfer too); the user's page has only its own.
  ours(m) {
    return this.me.id === this.conversation.userId ? m.senderId === this.me.id : m.senderId !== this.conversation.userId;
  }

  other() {
    const c = this.conversation;
    return this.me.id === c.user?._id ? c.support : c.user;
  }

  build() {
    const o = this.other();
    this.statusEl = el('div', { class: 'status', 'data-testid': 'chat-status' });
    this.typingEl = el('div', { class: 'typing', 'aria-live': 'polite', 'data-testid': 'typing' });
    this.noticeEl = el('div', { class: 'notice', role: 'status', 'data-testid': 'chat-notice', hidden: true });
    this.nameEl = el('div', { class: 'name', 'data-testid': 'chat-name', text: o?.name ?? t('supportTeam') });
    this.list = el('div', { class: 'messages', 'data-testid': 'messages', role: 'log', 'aria-live': 'polite' });
    this.list.addEventListener('scroll', () => { if (this.list.scrollTop < 40) this.loadOlder(); });
    this.input = el('textarea', { class: 'composer-input', rows: 1, 'data-testid': 'composer', i18nPlaceholder: 'typeMessage', i18nLabel: 'typeMessage' });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); this.sendText(); }
    });
    this.input.addEventListener('input', () => { this.onTypingInput(); this.fit(); saveDraft(this.id, this.input.value); });
    this.input.value = draft(this.id);
    this.countEl = el('span', { class: 'count-left', 'data-testid': 'bytes-left', 'aria-live': 'polite', hidden: true });
    this.noteMode = false;
    this.modeEl = this.notes ? this.buildModeSwitch() : null;
    this.file = el('input', { type: 'file', accept: 'image/*,video/*,audio/*', class: 'visually-hidden', 'data-testid': 'file-input', 'aria-hidden': 'true', tabindex: '-1' });
    this.file.addEventListener('change', () => { if (this.file.files[0]) this.sendFile(this.file.files[0]); this.file.value = ''; });
    this.errorEl = el('div', { class: 'error', role: 'alert', 'data-testid': 'chat-error' });
    const header = el('header', { class: 'chat-header' },
      this.onBack ? el('button', { class: 'back', 'data-testid': 'back', onclick: () => this.onBack(), i18n: 'back' }) : null,
      el('div', { class: 'who' }, this.nameEl, this.statusEl),
      this.headerExtra ?? null);
    this.attachEl = el('button', { class: 'attach', 'data-testid': 'attach', i18nLabel: 'attach', text: '+', onclick: () => this.file.click() });
    // A voice note where the browser can record one.
    this.voice = canRecord() ? new VoiceRecorder({ onRecorded: (f) => this.sendFile(f), onError: (w) => { this.errorEl.textContent = w; } }) : null;
    const composer = el('div', { class: 'composer' }, this.attachEl,
      this.file, this.voice?.root ?? null, this.input, this.countEl,
      el('button', { class: 'send', 'data-testid': 'send', i18n: 'send', onclick: () => this.sendText() }));
    this.composerEl = composer;
    this.root.replaceChildren(header, this.noticeEl, this.list, this.typingEl, this.errorEl,
      ...(this.modeEl ? [this.modeEl] : []), composer);
    if (this.input.value) this.fit();
    this.renderPresence();
  }

  renderPresence() { this.statusEl.textContent = presenceText(this.other()); }

  // The box grows with what is written (up to its CSS max-height), and
  // near the limit says how many bytes are left, or how many too many.
  fit() {
    this.input.style.height = 'auto';
    this.input.style.height = `${this.input.scrollHeight}px`;
    const used = utf8.encode(this.input.value).length;
    this.countEl.hidden = used < COUNT_FROM;
    this.countEl.classList.toggle('over', used > MAX_BYTES);
    this.countEl.textContent = used > MAX_BYTES ? t('bytesOver', { n: used - MAX_BYTES }) : t('bytesLeft', { n: MAX_BYTES - used });
  }

  // Reply (to the user) or Note (private, for the team): a note is text,
  // and writing one tells the user nothing (no typing events).
  buildModeSwitch() {
    const tab = (mode, key) => el('button', { class: 'mode', role: 'radio', 'data-testid': `mode-${mode}`, i18n: key,
      'aria-checked': String(mode === 'reply'), onclick: () => this.setNoteMode(mode === 'note') });
    this.replyTab = tab('reply', 'reply');
    this.noteTab = tab('note', 'note');
    return el('div', { class: 'composer-mode', role: 'radiogroup', i18nLabel: 'replyOrNote' }, this.replyTab, this.noteTab);
  }

  setNoteMode(on) {
    if (on && !this.noteMode) this.stopTyping();
    this.noteMode = on;
    this.replyTab.setAttribute('aria-checked', String(!on));
    this.noteTab.setAttribute('aria-checked', String(on));
    this.composerEl.classList.toggle('note-mode', on);
    this.attachEl.disabled = on || this.readOnly;
    if (this.voice) this.voice.button.disabled = on || this.readOnly;
    this.input.dataset.i18nPlaceholder = on ? 'notePlaceholder' : 'typeMessage';
    this.input.placeholder = t(this.input.dataset.i18nPlaceholder);
    this.input.focus();
  }

  // The conversation as the server now says it is (another agent took it).
  setConversation(c) {
    Object.assign(this.conversation, c);
    this.nameEl.textContent = this.other()?.name ?? t('supportTeam');
    this.renderPresence();
  }

  // A line under the header (the user's place in the queue), or none.
  setNotice(words) {
    this.noticeEl.textContent = words ?? '';
    this.noticeEl.hidden = !words;
  }

  // Read-only (an agent looking at a queued conversation): no composer,
  // and the words saying why (hint: an i18n key).
  setReadOnly(hint) {
    const ro = Boolean(hint);
    this.readOnly = ro;
    for (const b of this.composerEl.querySelectorAll('button')) b.disabled = ro;
    for (const b of this.modeEl?.querySelectorAll('button') ?? []) b.disabled = ro;
    this.attachEl.disabled = ro || this.noteMode;
    if (this.voice) this.voice.button.disabled = ro || this.noteMode;
    this.input.disabled = ro;
    this.composerEl.classList.toggle('read-only', ro);
    this.input.dataset.i18nPlaceholder = ro ? hint : this.noteMode ? 'notePlaceholder' : 'typeMessage';
    this.input.placeholder = t(this.input.dataset.i18nPlaceholder);
  }

  // After a language switch: what is not a fixed label.
  relabel() {
    this.renderPresence();
    if (!this.other()) this.nameEl.textContent = t('supportTeam');
    for (const d of this.list.querySelectorAll('.day')) {
      const next = d.nextElementSibling;
      const m = next && this.messages.get(next.dataset.id);
      if (m) d.textContent = dayLabel(m.createdAt);
    }
    for (const a of this.list.querySelectorAll('.activity')) {
      const m = this.messages.get(a.dataset.id);
      if (m) a.firstChild.textContent = activityText(m);
    }
  }

  setPresence(userId, isOnline, lastSeen) {
    const o = this.other();
    if (!o || o._id !== userId) return;
    o.isOnline = isOnline;
    if (lastSeen) o.lastSeen = lastSeen;
    this.renderPresence();
  }

  // around: a message to open at (a search result), else the newest.
  async open(around = null) {
    if (around) await this.loadAround(around);
    else await this.loadOlder();
    this.join();
    this.resendOutbox();
    if (!around && this.focusOnOpen !== false) this.input.focus();
  }

  // The page that holds message mid, it marked and in view; older pages
  // load on scroll-up as ever, newer ones come with the join's catch-up.
  async loadAround(mid) {
    this.loading = true;
    try {
      const r = await api('GET', `/api/v1/chat/messages/${this.id}?around=${mid}&limit=${PAGE}`);
      for (const m of r.data) this.insert(m);
      this.hasMore = r.pagination.hasMoreBefore;
      if (r.data.length) this.oldest = r.data[0]._id;
    } catch (e) {
      this.showError(e);
    } finally {
      this.loading = false;
    }
    this.markFound(mid);
  }

  // A message we hold, or else its page again: marked and in view.
  async showMessage(mid) {
    if (!this.messages.has(mid)) {
      this.messages.clear();
      this.list.replaceChildren();
      this.oldest = null;
      await this.loadAround(mid);
      return;
    }
    this.markFound(mid);
  }

  markFound(mid) {
    for (const f of this.list.querySelectorAll('.found')) f.classList.remove('found');
    const node = this.list.querySelector(`[data-id="${CSS.escape(String(mid))}"]`);
    if (!node) return;
    node.classList.add('found');
    node.scrollIntoView({ block: 'center' });
    // What the catch-up brings after it does not pull the view away.
    this.pinned = true;
  }

  // Ids newest first.
  ids() { return [...this.messages.keys()].map(BigInt).sort((a, b) => (a < b ? 1 : -1)); }

  // (Re)join the room; after a reconnect, catch up from the newest we have.
  // Without a socket there is no room: needsJoin says so, and the page
  // joins on connect.
  async join() {
    this.needsJoin = !this.socket.connected;
    if (this.socket.connected) {
      const last = this.ids()[0];
      try {
        await this.socket.timeout(10000).emitWithAck('conversation:join', { conversationId: this.id, ...(last ? { lastMessageId: String(last) } : {}) });
      } catch { /* reconnect will try again */ }
      this.retryFailed();
    }
    this.markRead();
  }

  // Back online (the socket again, or the phone's network without one):
  // what failed while away goes again by itself, under its first id.
  retryFailed() {
    if (this.closed) return;
    for (const [cid, p] of this.pending) if (p.node.classList.contains('failed')) this.send(p.body, cid, p.at);
    for (const [cid, u] of this.uploads) if (!u.busy) this.upload(u.file, u.type, cid, u.at);
  }

  markRead() {
    if (document.visibilityState === 'hidden') return;
    if (!this.socket.connected) { this.markReadRest(); return; }
    this.socket.emit('conversation:mark-all-read', { conversationId: this.id });
    this.onMarkedRead?.(this.id);
  }

  // The other party's messages we hold unread.
  unreadTheirs() {
    return [...this.messages.values()].filter((m) => !m.isRead && m.messageType !== 'activity' && !this.ours(m));
  }

  // POST .../read when something of theirs is unread; one at a time.
  async markReadRest() {
    if (this.readOnly) return;            // not ours to mark (a queued one)
    if (this.marking) { this.markAgain = true; return; }
    const unread = this.unreadTheirs();
    if (!unread.length) return;
    this.marking = true;
    try {
      await api('POST', `/api/v1/chat/conversations/${this.id}/read`);
      for (const m of unread) m.isRead = true;
      this.onMarkedRead?.(this.id);
    } catch { /* the next poll or message tries again */ }
    this.marking = false;
    if (this.markAgain) { this.markAgain = false; this.markRead(); }
  }

  // Without a socket: what is new since the newest message we hold, and
  // whether our own unread messages (of the newest READ_WINDOW) were read,
  // in one request: after the oldest of those, or after the newest.
  async poll() {
    if (this.closed || (this.loading && this.oldest === null)) return;
    const ids = this.ids();
    let cursor = ids[0] ?? null;
    for (const id of ids.slice(0, READ_WINDOW)) {
      const m = this.messages.get(String(id));
      if (m && this.ours(m) && !m.isRead && m.messageType !== 'activity') cursor = id - 1n;
    }
    for (let i = 0; i < 20; i++) {
      const q = cursor === null ? `limit=${PAGE}` : `after=${cursor}&limit=100`;
      const r = await api('GET', `/api/v1/chat/messages/${this.id}?${q}`);
      if (this.closed) return;
      const read = [];
      for (const m of r.data) {
        const known = this.messages.get(m._id);
        if (!known) { this.onMessage(m); this.onPolledNew?.(m); }
        else if (m.isRead && !known.isRead) { read.push(m._id); known.readAt = m.readAt; }
      }
      if (read.length) this.onRead({ conversationId: this.id, messageIds: read, readBy: null });
      if (cursor === null || !r.pagination.hasMore || !r.data.length) break;
      cursor = r.pagination.after;
    }
    this.markRead();
  }

  async loadOlder() {
    if (this.loading || !this.hasMore) return;
    this.loading = true;
    try {
      const q = `limit=${PAGE}${this.oldest ? `&before=${this.oldest}` : ''}`;
      const r = await api('GET', `/api/v1/chat/messages/${this.id}?${q}`);
      const firstLoad = this.oldest === null;
      const before = this.list.scrollHeight - this.list.scrollTop;
      for (const m of r.data.slice().reverse()) this.insert(m, true);
      this.hasMore = r.pagination.hasMore;
      if (firstLoad && this.greeting && !this.messages.size) this.greet();
      if (r.data.length) this.oldest = r.data[0]._id;
      if (firstLoad) this.scrollDown(); else this.list.scrollTop = this.list.scrollHeight - before;
    } catch (e) {
      this.showError(e);
    } finally {
      this.loading = false;
    }
  }

  scrollDown() { this.list.scrollTop = this.list.scrollHeight; }

  // A new farmer's first screen: what to write about, not an empty pane.
  greet() {
    this.greetEl = el('div', { class: 'greeting', role: 'note', 'data-testid': 'greeting', i18n: 'chatGreeting' });
    this.list.append(this.greetEl);
  }

  // A message in place: oldest first, one day separator per day.
  insert(m, atTop = false) {
    if (this.messages.has(m._id)) return;
    this.greetEl?.remove();
    this.greetEl = null;
    this.messages.set(m._id, m);
    const node = this.render(m);
    const day = dayLabel(m.createdAt);
    if (atTop) {
      const first = this.list.querySelector('.day');
      if (first && first.textContent === day) first.after(node);
      else this.list.prepend(el('div', { class: 'day', text: day }), node);
    } else {
      const days = this.list.querySelectorAll('.day');
      const lastDay = days[days.length - 1];
      if (!lastDay || lastDay.textContent !== day) this.list.append(el('div', { class: 'day', text: day }));
      this.list.append(node);
    }
  }

  render(m) {
    // A change of the conversation (resolved, transferred, ...): a system line.
    if (m.messageType === 'activity') {
      return el('div', { class: 'activity', role: 'note', dataset: { id: m._id, action: m.activity?.action ?? '' }, 'data-testid': 'activity' },
        el('span', { class: 'activity-text', text: activityText(m) }),
        el('time', { datetime: m.createdAt, text: timeOf(m.createdAt) }));
    }
    const mine = this.ours(m);
    const body = el('div', { class: 'body' });
    const colleague = mine && m.senderId !== this.me.id ? this.nameOf?.(m.senderId) : null;
    // A private note: marked as such wherever it shows, with its writer.
    if (m.isPrivate) body.append(el('div', { class: 'note-label', 'data-testid': 'note-label', i18n: 'privateNote' }));
    if (colleague) body.append(el('div', { class: 'sender', 'data-testid': 'msg-sender', text: colleague }));
    const media = m.mediaId;
    if (media && m.messageType === 'image') {
      // An image that loads late must not leave the view short of the bottom.
      const near = () => this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 300;
      // The thumbnail, its box sized before it loads; the lightbox shows the display version.
      const { width, height } = thumbSize(media);
      // A button (reached and opened from the keyboard too) around it.
      const open = el('button', { type: 'button', class: 'media-open', 'aria-label': t('openPhoto', { name: media.name ?? '' }),
        onclick: (e) => this.lightbox(media, e.currentTarget) },
      el('img', { src: media.thumbUrl ?? media.url, alt: media.name, width, height, class: 'media thumb', 'data-testid': 'msg-image',
        onload: () => { if (near()) this.scrollDown(); } }));
      body.append(open);
    } else if (media && m.messageType === 'video') {
      body.append(el('video', { src: media.url, controls: true, preload: 'metadata', class: 'media', 'data-testid': 'msg-video' }));
    } else if (media && m.messageType === 'audio') {
      body.append(el('audio', { src: media.url, controls: true, preload: 'metadata', 'data-testid': 'msg-audio' }));
    }
    if (m.content) body.append(el('div', { class: 'text', 'data-testid': 'msg-text', text: m.content }));
    const meta = el('div', { class: 'meta' }, el('time', { datetime: m.createdAt, text: timeOf(m.createdAt) }));
    if (mine && !m.isPrivate) meta.append(el('span', { class: `check ${m.isRead ? 'read' : ''}`, 'data-testid': 'check', 'data-state': m.isRead ? 'read' : 'sent', 'aria-label': t(m.isRead ? 'read' : 'sent'), text: m.isRead ? '✓✓' : '✓' }));
    return el('div', { class: `msg ${mine ? 'mine' : 'theirs'}${m.isPrivate ? ' note' : ''}`, dataset: { id: m._id }, 'data-testid': m.isPrivate ? 'note' : 'message' }, body, meta);
  }

  // The display version over the page: a modal dialog that keeps the
  // focus (its Close button) and gives it back to the photo when it closes.
  lightbox(media, opener = null) {
    const close = () => { box.remove(); opener?.focus(); };
    const shut = el('button', { class: 'close', 'data-testid': 'lightbox-close', text: t('close'), onclick: close });
    const box = el('div', { class: 'lightbox', role: 'dialog', 'aria-modal': 'true', 'aria-label': media.name, 'data-testid': 'lightbox', tabindex: '-1' },
      el('img', { src: media.url, alt: media.name }), shut);
    box.addEventListener('click', (e) => { if (e.target === box) close(); });
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') close();
      else if (e.key === 'Tab') { e.preventDefault(); shut.focus(); }
    });
    document.body.append(box);
    shut.focus();
  }

  // A message for this conversation arrived (message:new or an ack).
  onMessage(m) {
    if (m.conversationId !== this.id) return;
    const p = m.clientMessageId && this.pending.get(m.clientMessageId);
    const sentHere = Boolean(p && m.senderId === this.me.id);
    if (sentHere) { p.node.remove(); this.pending.delete(m.clientMessageId); }
    const stick = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    this.insert(m);
    // Opened at a found message, only a send from here moves the view.
    if (sentHere) this.pinned = false;
    if (sentHere || (!this.pinned && (stick || m.senderId === this.me.id))) this.scrollDown();
    if (m.senderId !== this.me.id) {
      this.setTyping(null);
      this.markRead();
    }
  }

  // message:read: the other side read our messages -> double check.
  onRead(ev) {
    if (ev.conversationId !== this.id || ev.readBy === this.me.id) return;
    for (const id of ev.messageIds) {
      const m = this.messages.get(id);
      if (m) m.isRead = true;
      const check = this.list.querySelector(`.msg[data-id="${CSS.escape(id)}"] .check`);
      if (check) { check.textContent = '✓✓'; check.classList.add('read'); check.dataset.state = 'read'; check.setAttribute('aria-label', t('read')); }
    }
  }

  setTyping(name) { this.typingEl.textContent = name ? t('typing', { name }) : ''; }

  onTyping(ev, typing) {
    if (ev.conversationId !== this.id || ev.userId === this.me.id) return;
    this.setTyping(typing ? ev.userName : null);
  }

  onTypingInput() {
    if (!this.socket.connected) return;     // no typing without a socket
    if (this.noteMode) return;              // the user is not told of notes
    if (!this.typingSent) {
      this.socket.emit('typing:start', { conversationId: this.id });
      this.typingSent = true;
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping() {
    clearTimeout(this.typingTimer);
    if (this.typingSent && this.socket.connected) this.socket.emit('typing:stop', { conversationId: this.id });
    this.typingSent = false;
  }

  showError(e) { this.errorEl.textContent = e ? errorText(e) : ''; }

  // What this page sent before a reload and the server never stored (or
  // stored without our knowing): shown as pending and sent again.
  async resendOutbox() {
    for (const e of await waiting(this.id)) {
      if (this.closed) return;
      const cid = e.clientMessageId;
      const stored = [...this.messages.values()].some((m) => m.clientMessageId === cid && m.senderId === this.me.id);
      if (stored) forget(cid);
      else if (e.upload) { if (!this.uploads.has(cid)) this.upload(e.upload.file, e.upload.type, cid, e.at); }
      else if (!this.pending.has(cid)) this.send(e.body, cid, e.at);
    }
  }

  sendText() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    saveDraft(this.id, '');
    this.fit();
    this.stopTyping();
    this.send({ conversationId: this.id, messageType: 'text', content: text, ...(this.noteMode ? { private: true } : {}) });
  }

  // Send with a client id; a failure keeps the message with a retry button.
  // at: when it was first sent (the outbox resends in that order).
  async send(body, clientMessageId = newClientId(), at = Date.now()) {
    body = { ...body, clientMessageId };
    keep({ clientMessageId, conversationId: this.id, body, at });
    let p = this.pending.get(clientMessageId);
    if (!p) {
      const node = el('div', { class: `msg mine pending${body.private ? ' note' : ''}`, 'data-testid': 'pending' },
        el('div', { class: 'body' }, el('div', { class: 'text', text: body.content ?? t(body.messageType === 'image' ? 'photo' : body.messageType) })),
        el('div', { class: 'meta', text: t('sending') }));
      p = { body, node, at };
      this.pending.set(clientMessageId, p);
      this.list.append(node);
      this.scrollDown();
    }
    p.node.classList.remove('failed');
    p.node.querySelector('.meta').replaceChildren(t('sending'));
    let r;
    const rest = !this.socket.connected;
    try {
      // A retry keeps its id either way: the server answers the first.
      r = rest ? { ok: true, message: (await api('POST', '/api/v1/chat/messages', body)).data }
        : await this.socket.timeout(10000).emitWithAck('message:send', body);
    } catch (e) {
      r = { ok: false, error: rest ? e : { code: 'network' } };
    }
    if (r.ok) {
      forget(clientMessageId);
      this.onMessage(r.message);
      if (rest) this.onSent?.(r.message);
      return;
    }
    // Refused for what it is (not for the network): retrying alone will
    // not change that, so it does not go again by itself after a reload.
    if (r.error?.code && r.error.code !== 'network' && !(r.error.status >= 500)) forget(clientMessageId);
    p.node.classList.add('failed');
    p.node.querySelector('.meta').replaceChildren(
      el('span', { class: 'fail', text: `${t('failed')} · ${errorText(r.error)}` }), ' ',
      el('button', { class: 'retry', 'data-testid': 'retry', text: t('retry'), onclick: () => this.send(body, clientMessageId, at) }));
  }

  async sendFile(picked) {
    const type = ['image', 'video', 'audio'].find((k) => picked.type.startsWith(`${k}/`));
    this.showError(null);
    if (!type) { this.errorEl.textContent = t('err_bad_type'); return; }
    const file = type === 'image' ? await shrink(picked) : picked;
    if (file.size > CAPS[type]) { this.errorEl.textContent = t(`err_too_large_${type}`); return; }
    this.upload(file, type);
  }

  // An upload on its way: the local copy shown at once with its progress
  // and a Cancel; failed, a Retry (and again by itself when the socket
  // comes back); done, it is sent as a message under the clientMessageId
  // it had from the start.  The file waits in the outbox until then, so a
  // reload shows it again and sends it; once uploaded the outbox holds the
  // message instead, so a reload never uploads it twice.
  async upload(file, type, clientMessageId = newClientId(), at = Date.now()) {
    const cid = clientMessageId;
    const old = this.uploads.get(cid);
    if (old?.busy) return;
    keep({ clientMessageId: cid, conversationId: this.id, upload: { file, type }, at });
    const url = type === 'image' ? URL.createObjectURL(file) : null;
    const bar = el('progress', { class: 'upload', max: 1, value: 0, 'data-testid': 'upload-progress' });
    const ctl = new AbortController();
    const meta = el('div', { class: 'meta' }, bar, ' ',
      el('button', { class: 'retry', 'data-testid': 'upload-cancel', text: t('cancel'), onclick: () => ctl.abort() }));
    const bubble = el('div', { class: 'msg mine pending', 'data-testid': 'uploading' },
      el('div', { class: 'body' }, url ? el('img', { src: url, alt: file.name ?? t('photo'), class: 'media', 'data-testid': 'upload-preview' })
        : el('div', { class: 'text', text: t(type === 'image' ? 'photo' : type) })), meta);
    const u = { bubble, busy: true, file, type, at, url };
    if (old) { old.bubble.replaceWith(bubble); if (old.url) URL.revokeObjectURL(old.url); } else this.list.append(bubble);
    this.uploads.set(cid, u);
    this.scrollDown();
    try {
      const media = await uploadMedia(file, type, (f) => { bar.value = f; }, ctl.signal);
      this.dropUpload(cid);
      await this.send({ conversationId: this.id, messageType: type, mediaId: media._id }, cid, at);
    } catch (e) {
      u.busy = false;
      if (e.code === 'aborted') { this.dropUpload(cid); forget(cid); return; }
      // Refused for what it is (too large, not allowed): not again by itself.
      if (e.code !== 'network' && !(e.status >= 500)) forget(cid);
      bubble.classList.add('failed');
      meta.replaceChildren(el('span', { class: 'fail', text: `${t('failed')} · ${errorText(e)}` }), ' ',
        el('button', { class: 'retry', 'data-testid': 'retry', text: t('retry'), onclick: () => this.upload(file, type, cid, at) }));
    }
  }

  dropUpload(cid) {
    const u = this.uploads.get(cid);
    if (!u) return;
    u.bubble.remove();
    if (u.url) URL.revokeObjectURL(u.url);
    this.uploads.delete(cid);
  }

  close() {
    this.closed = true;
    window.removeEventListener('online', this.onOnline);
    this.voice?.stop(false);
    this.stopTyping();
    clearInterval(this.presenceTimer);
    if (this.socket.connected) this.socket.emit('conversation:leave', { conversationId: this.id });
  }
}
