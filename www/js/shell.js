// shell.js - what both pages share around their screens: the top bar
// (title, language, notifications, logout), the offline banner, the socket
// and the session (token check, logout, expiry).
import { io } from '../vendor/socket.io.esm.min.js';
import { api, getToken, onUnauthorized, setToken } from './api.js';
import { el } from './format.js';
import { applyI18n, onLangChange, t, toggleLang } from './i18n.js';
import { askPermission, canAsk, setBaseTitle, setTitleCount } from './notify.js';

export class Shell {
  // opts: { titleKey, onLogout, barItems(user) -> [nodes] (the page's own
  //   controls in the bar for a logged-in user, or none) }
  constructor(opts) {
    Object.assign(this, opts);
    this.banner = document.getElementById('offline');
    this.main = document.getElementById('main');
    this.bar = document.getElementById('bar');
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

  connect() {
    this.socket = io({ auth: { token: getToken() } });
    this.socket.on('connect', () => { this.banner.hidden = true; });
    this.socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') this.banner.hidden = false;
    });
    this.socket.on('connect_error', (e) => {
      if (e.data?.code === 'E_AUTH') this.logout();
      else this.banner.hidden = false;
    });
    return this.socket;
  }

  // Logout: tell the server (when asked by the user), drop the socket and
  // the token, back to the login screen.
  async logout(server = false) {
    if (server) { try { await api('POST', '/api/v1/users/logout'); } catch { /* already gone */ } }
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
