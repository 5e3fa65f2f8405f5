// user.js - the end user's page (it stands in for the mobile app): log in
// or register, start or resume the conversation with support, chat.
import { api } from './api.js';
import { ChatView } from './chat.js';
import { el } from './format.js';
import { errorText, onLangChange, t } from './i18n.js';
import { showLogin } from './login.js';
import { notifyMessage } from './notify.js';
import { Shell } from './shell.js';

const shell = new Shell({ titleKey: 'userTitle', onLogout: () => start() });
let chat = null;

async function showChat(user) {
  shell.renderBar(user);
  let conversation;
  try {
    conversation = (await api('POST', '/api/v1/chat/conversations')).data;
  } catch (e) {
    shell.main.replaceChildren(el('p', { class: 'error', role: 'alert', text: errorText(e) }));
    return;
  }
  const root = el('section', { class: 'chat' });
  shell.main.replaceChildren(root);
  const socket = shell.connect();
  chat = new ChatView({ root, socket, me: user, conversation, onBack: null });
  socket.on('message:new', (m) => {
    chat.onMessage(m);
    if (document.visibilityState === 'hidden' && m.senderId !== user.id) notifyMessage(conversation.support?.name ?? '', m.content ?? '');
  });
  socket.on('message:sent', (m) => chat.onMessage(m));
  // While nobody has taken it: the user's place in the queue.
  let position = null;
  const waiting = () => chat.setNotice(conversation.assignedSupportId ? null
    : position ? t('queuePosition', { n: position }) : t('waitingForAgent'));
  socket.on('queue:position', (ev) => {
    if (ev.conversationId !== conversation._id) return;
    position = ev.position;
    waiting();
  });
  socket.on('conversation:updated', ({ conversation: c }) => {
    if (c._id !== conversation._id) return;
    chat.setConversation(c);
    waiting();
  });
  chat.relabelNotice = waiting;
  waiting();
  socket.on('message:read', (ev) => chat.onRead(ev));
  socket.on('typing:user-typing', (ev) => chat.onTyping(ev, true));
  socket.on('typing:user-stopped', (ev) => chat.onTyping(ev, false));
  socket.on('user:online', ({ userId }) => chat.setPresence(userId, true));
  socket.on('user:offline', ({ userId, lastSeen }) => chat.setPresence(userId, false, lastSeen));
  socket.on('connect', () => chat.join());
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') chat?.markRead(); });
  await chat.loadOlder();
}

async function start() {
  chat?.close();
  chat = null;
  const user = await shell.restore();
  if (user) { showChat(user); return; }
  shell.renderBar(null);
  showLogin({ root: shell.main, allowRegister: true, role: ['User'], onLoggedIn: showChat });
}

onLangChange(() => { chat?.relabel(); chat?.relabelNotice?.(); });

start();
