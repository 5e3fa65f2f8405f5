// dashboard.js - the support agent's dashboard: login, the inbox (list,
// conversation, details), the header's availability switch, the admin
// screen, and the routes between them:
//   #/          the inbox with no conversation open
//   #/c/<id>    a conversation (reload reopens it; Back returns to the list)
//   #/c/<id>/m/<message>  the same, opened at that message (a search result)
//   #/admin     the admin screen (admins only)
//   #/reports   the reports (admins: anyone's; agents: their own)
import { AdminScreen } from './admin.js';
import { el } from './format.js';
import { Inbox } from './inbox.js';
import { onLangChange, t } from './i18n.js';
import { Shortcuts } from './keys.js';
import { showLogin } from './login.js';
import { ReportsScreen } from './reports.js';
import { Shell } from './shell.js';
import { availabilitySwitch, Team } from './team.js';

// The keyboard shortcuts work on the inbox only.
const keys = new Shortcuts(() => (inbox && shell.main.firstChild === inbox.root ? inbox : null));
const shell = new Shell({ titleKey: 'appTitle', onLogout: () => start(), barItems: (user) => barItems(user) });
let inbox = null;
let admin = null;
let reports = null;
let team = null;
let shown = null;     // the route on screen

function barItems(user) {
  const items = [];
  if (user.role === 'Admin') {
    const onAdmin = location.hash === '#/admin';
    items.push(el('a', { class: `nav${onAdmin ? ' active' : ''}`, href: onAdmin ? '#/' : '#/admin', 'data-testid': onAdmin ? 'nav-inbox' : 'nav-admin',
      text: onAdmin ? t('backToInbox') : t('admin') }));
  }
  if (location.hash !== '#/admin' || user.role !== 'Admin') items.push(keys.link());
  const onReports = location.hash === '#/reports';
  items.push(el('a', { class: `nav${onReports ? ' active' : ''}`, href: onReports ? '#/' : '#/reports', 'data-testid': onReports ? 'nav-inbox' : 'nav-reports',
    text: onReports ? t('backToInbox') : t('reports') }));
  if (team) items.push(availabilitySwitch(team, (words) => inbox?.say(words)));
  return items;
}

// Opening a conversation adds one history entry above the list; moving
// from one conversation to another replaces it, so Back is the list.  The
// entry names the page load that made it: after a reload the list's entry
// below belongs to the old document, and going back to it would load the
// page again, so the way back is then a replace.
const PAGE_LOAD = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
const aboveList = () => history.state?.fromList === PAGE_LOAD;
const navigate = {
  open(id) {
    const hash = `#/c/${id}`;
    if (location.hash === hash) return;
    if (aboveList() && /^#\/c\//.test(location.hash)) history.replaceState({ fromList: PAGE_LOAD }, '', hash);
    else history.pushState({ fromList: PAGE_LOAD }, '', hash);
    route();
  },
  back() {
    if (aboveList()) history.back();
    else { history.replaceState(null, '', '#/'); route(); }
  },
};

function route() {
  if (!inbox) return;
  const hash = location.hash || '#/';
  if (hash === shown) return;
  const wasAdmin = shown === '#/admin' || shown === '#/reports';
  shown = hash;
  if (hash === '#/admin' && shell.user.role === 'Admin') {
    admin ??= new AdminScreen({ me: shell.user, onBack: () => { history.pushState(null, '', '#/'); route(); } });
    shell.main.replaceChildren(admin.root);
    admin.load();
    shell.renderBar();
    return;
  }
  if (hash === '#/reports') {
    reports ??= new ReportsScreen({ me: shell.user, onBack: () => { history.pushState(null, '', '#/'); route(); } });
    shell.main.replaceChildren(reports.root);
    reports.load();
    shell.renderBar();
    return;
  }
  if (shell.main.firstChild !== inbox.root) shell.main.replaceChildren(inbox.root);
  if (wasAdmin) shell.renderBar();
  const m = /^#\/c\/(\d+)(?:\/m\/(\d+))?$/.exec(hash);
  if (m) inbox.show(m[1], m[2] ?? null);
  else inbox.showList();
}

async function showDashboard(user) {
  team = new Team(user);
  shell.renderBar(user);
  shell.setPoll(() => inbox?.poll());
  const socket = await shell.connect();
  inbox = new Inbox({ me: user, team, socket, onUnreadChange: (n) => shell.setUnread(n), navigate });
  inbox.wire(socket);
  shown = null;
  shell.main.replaceChildren(inbox.root);
  inbox.start();
  route();
}

async function start() {
  inbox?.destroy();
  inbox = null;
  admin = null;
  reports = null;
  team = null;
  shown = null;
  const user = await shell.restore();
  if (user && user.role !== 'User') { showDashboard(user); return; }
  shell.renderBar(null);
  showLogin({ root: shell.main, role: ['Support', 'Admin'], onLoggedIn: showDashboard });
}

window.addEventListener('popstate', route);
window.addEventListener('hashchange', route);
onLangChange(() => {
  inbox?.relabel();
  for (const screen of [admin, reports]) if (screen) { screen.build(); screen.load(); }
});

start();
