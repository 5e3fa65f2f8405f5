// dashboard.js - the support agent's dashboard (flows 1-7): login, the
// conversation list, the chat screen, notifications, presence, logout.
import { ChatView } from './chat.js';
import { ConversationList } from './conversations.js';
import { preview } from './format.js';
import { showLogin } from './login.js';
import { onLangChange } from './i18n.js';
import { notifyMessage } from './notify.js';
import { Shell } from './shell.js';

const shell = new Shell({ titleKey: 'appTitle', onLogout: () => start() });
let list = null;
let chat = null;

function openChat(conversation) {
  chat?.close();
  const root = document.createElement('section');
  root.className = 'chat';
  shell.main.replaceChildren(root);
  chat = new ChatView({ root, socket: shell.socket, me: shell.user, conversation, onBack: closeChat, onMarkedRead: (id) => list.markRead(id) });
  chat.open();
}

function closeChat() {
  chat?.close();
  chat = null;
  shell.main.replaceChildren(list.root);
}

function wire(socket) {
  socket.on('notification:new-message', (n) => {
    list.onMessage(n.conversationId, n.message, chat?.id === n.conversationId ? 0 : n.unreadCount);
    if (chat?.id !== n.conversationId || document.visibilityState === 'hidden') {
      notifyMessage(n.sender.name, preview(n.message), () => list.onOpen(list.rows.get(n.conversationId)));
    }
  });
  socket.on('message:new', (m) => chat?.onMessage(m));
  socket.on('message:sent', (m) => { list.onMessage(m.conversationId, m); chat?.onMessage(m); });
  socket.on('message:read', (ev) => chat?.onRead(ev));
  socket.on('typing:user-typing', (ev) => chat?.onTyping(ev, true));
  socket.on('typing:user-stopped', (ev) => chat?.onTyping(ev, false));
  socket.on('user:online', ({ userId }) => { list.setPresence(userId, true); chat?.setPresence(userId, true); });
  socket.on('user:offline', ({ userId, lastSeen }) => { list.setPresence(userId, false, lastSeen); chat?.setPresence(userId, false, lastSeen); });
  socket.on('conversation:new', ({ conversation }) => list.onNew(conversation));
  // After a reconnect: what changed meanwhile, and the open room again.
  let first = true;
  socket.on('connect', () => {
    if (first) { first = false; return; }
    list.reload();
    chat?.join();
  });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') chat?.markRead(); });
}

function showDashboard(user) {
  shell.renderBar(user);
  const root = document.createElement('section');
  root.className = 'list';
  list = new ConversationList({ root, me: user, onOpen: openChat, onUnreadChange: (n) => shell.setUnread(n) });
  shell.main.replaceChildren(root);
  wire(shell.connect());
  list.reload();
}

async function start() {
  chat = null;
  const user = await shell.restore();
  if (user && user.role !== 'User') { showDashboard(user); return; }
  shell.renderBar(null);
  showLogin({ root: shell.main, role: ['Support', 'Admin'], onLoggedIn: showDashboard });
}

onLangChange(() => { list?.relabel(); chat?.relabel(); });

start();
