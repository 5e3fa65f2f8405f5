// shell.js - what both pages share around their screens: the top bar
// (title, language, notifications, logout), the offline banner, the socket
// and the session (token check, logout, expiry), and the REST fallback
// when the socket cannot connect (no pushd on shared hosting, or pushd
// down): the page's poll function runs every few seconds instead, a quiet
// note says so, and the socket keeps trying behind it; once it connects
// the polling stops.
import { api, getToken, onUnauthorized, setToken } from './api.js';
import { el } from './format.js';
import { applyI18n, onLangChange, t, toggleLang } from './i18n.js';
import { askPermission, canAsk, setBaseTitle, setTitleCount } from './notify.js';

// No socket this long after connecting: work over REST meanwhile.
const CONNECT_GRACE_MS = 4000;
// How often the page polls without a socket: while it is seen, in the
// background.
export const POLL_MS = 2000;
export const POLL_HIDDEN_MS = 20000;
// Without a socket, a socket that gave up (a refused CONNECT) is asked
// again this often; one that failed to reach the server retries by itself.
const RETRY_MS = 10000;

// socket.io-client (about 40 KB, half of what the page loads) comes after
// the login: on a 2G phone the form does not wait for it.
let ioModule = null;
const loadIo = () => (ioModule ??= import('../vendor/socket.io.esm.min.js').catch((e) => { ioModule = null; throw e; }));

// Whether a failed request says the server is out of reach (the banner),
// rather than that it refused this one request.
const unreachable = (e) => e?.status === 0 || e?.status >= 500;

export class Shell {
  // opts: { titleKey, onLogout, barItems(user) -> [nodes] (the page's own
  //   controls in the bar for a logged-in user, or none) }
  constructor(opts) {
    Object.assign(this, opts);
    this.banner = document.getElementById('offline');
    this.main = document.getElementById('main');
    this.bar = document.getElementById('bar');
    this.note = document.getElementById('polling');
    this.polling = false;
    this.pollFn = null;
    this.pollTimer = null;
    this.pollBusy = false;
    document.addEventListener('visibilitychange', () => {
      if (this.polling && document.visibilityState === 'visible') this.pollNow();
    });
    onUnauthorized(() => this.logout());
    onLangChange(() => this.renderBar());
    applyI18n();
  }

  renderBar(user) {
    if (user !== undefined) this.user = user;
    setBaseTitle(t(this.titleKey));
    setTitleCount(this.unread ?? 0);
    const items = [el('h1', { text: t(this.titleKey) }), el('span', { class: 'spacer' })];
    if (this.user && canAsk()) {
      items.push(el('button', { class: 'link', 'data-testid': 'enable-notifications', text: t('enableNotifications'),
        onclick: async (e) => { await askPermission(); e.target.remove(); } }));
    }
    if (this.user && this.barItems) items.push(...this.barItems(this.user));
    items.push(el('button', { class: 'link', 'data-testid': 'lang', lang: t('language') === 'English' ? 'en' : 'hi', text: t('language'), onclick: () => toggleLang() }));
    if (this.user) {
      items.push(el('span', { class: 'me', text: this.user.name }),
        el('button', { class: 'link', 'data-testid': 'logout', text: t('logout'), onclick: () => this.logout(true) }));
    }
    this.bar.replaceChildren(...items);
    this.banner.textContent = t('reconnecting');
    if (this.note) this.note.textContent = t('pollingNote');
  }

  setUnread(n) { this.unread = n; setTitleCount(n); }

  // The user the stored token names, or null.
  async restore() {
    if (!getToken()) return null;
    try {
      return (await api('GET', '/api/v1/users/me')).user;
    } catch {
      setToken(null);
      return null;
    }
  }

  // The socket, and the REST fallback while it is not connected.  The
  // page's poll function (setPoll) runs while polling.
  async connect() {
    const { io } = await loadIo();
    const socket = io({ auth: { token: getToken() } });
    this.socket = socket;
    this.stopPolling();
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => { if (!socket.connected) this.startPolling(); }, CONNECT_GRACE_MS);
    socket.on('connect', () => {
      clearTimeout(this.graceTimer);
      this.banner.hidden = true;
      this.stopPolling();
    });
    socket.on('disconnect', (reason) => {
      // Polling at once: a poll that fails shows the offline banner.
      if (reason !== 'io client disconnect') this.startPolling();
    });
    socket.on('connect_error', (e) => {
      if (e.data?.code === 'E_AUTH') { this.logout(); return; }
      this.startPolling();
    });
    return socket;
  }

  // What the page does on each poll: an async function; a failure that
  // says the server is out of reach shows the offline banner.
  setPoll(fn) { this.pollFn = fn; }

  startPolling() {
    if (this.polling || !this.socket) return;
    this.polling = true;
    clearTimeout(this.graceTimer);
    // Until a poll fails, the server is there: the quiet note, no banner.
    this.banner.hidden = true;
    if (this.note) this.note.hidden = false;
    this.retryTimer = setInterval(() => {
      if (this.socket && !this.socket.connected && !this.socket.active) this.socket.connect();
    }, RETRY_MS);
    this.pollNow();
  }

  stopPolling() {
    this.polling = false;
    clearTimeout(this.pollTimer);
    clearInterval(this.retryTimer);
    this.pollTimer = null;
    if (this.note) this.note.hidden = true;
  }

  // One poll now (unless one is under way), then the next in a while.
  async pollNow() {
    if (!this.polling) return;
    clearTimeout(this.pollTimer);
    if (this.pollBusy) return;
    this.pollBusy = true;
    let down = false;
    try {
      await this.pollFn?.();
    } catch (e) {
      down = unreachable(e);
    } finally {
      this.pollBusy = false;
    }
    if (!this.polling) return;
    this.banner.hidden = !down;
    if (this.note) this.note.hidden = down;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => this.pollNow(), document.visibilityState === 'hidden' ? POLL_HIDDEN_MS : POLL_MS);
  }

  // Logout: tell the server (when asked by the user), drop the socket and
  // the token, back to the login screen.
  async logout(server = false) {
    if (server) { try { await api('POST', '/api/v1/users/logout'); } catch { /* already gone */ } }
    this.stopPolling();
    clearTimeout(this.graceTimer);
    this.pollFn = null;
    this.socket?.disconnect();
    this.socket = null;
    setToken(null);
    this.user = null;
    this.setUnread(0);
    this.banner.hidden = true;
    this.renderBar(null);
    this.onLogout();
  }
}
