// user.js - the end user's page (it stands in for the mobile app): log in
// or register, start or resume the conversation with support, chat.
// Without a socket (no pushd): the conversation and its messages are
// polled over REST (shell.js decides when).
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
  // Polling: new messages and read checks, and the conversation itself
  // when it changed (an agent took it) since the newest change seen.
  let since = conversation.updatedAt;
  const pollConversation = async () => {
    const after = new Date(Date.parse(since) - 5000).toISOString();
    const r = await api('GET', `/api/v1/chat/conversations?updatedAfter=${encodeURIComponent(after)}&limit=20`);
    const c = r.data.find((x) => x._id === conversation._id);
    if (!c) return;
    if (c.updatedAt > since) since = c.updatedAt;
    if (c.assignedSupportId !== conversation.assignedSupportId || c.status !== conversation.status) {
      chat.setConversation(c);
      waiting();
    }
  };
  shell.setPoll(() => Promise.all([chat.poll(), pollConversation()]));
  const socket = shell.connect();
  const notify = (m) => {
    if (document.visibilityState === 'hidden' && m.senderId !== user.id) notifyMessage(conversation.support?.name ?? '', m.content ?? '');
  };
  chat = new ChatView({ root, socket, me: user, conversation, onBack: null, onPolledNew: notify });
  socket.on('message:new', (m) => {
    chat.onMessage(m);
    notify(m);
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
