// user.js - the end user's page (it stands in for the mobile app): log in
// or register, start or resume the conversation with support, chat.
// Without a socket (no pushd): the conversation and its messages are
// polled over REST (shell.js decides when).
import { api } from './api.js';
import { el } from './format.js';
import { errorText, onLangChange, t } from './i18n.js';
import { showLogin } from './login.js';
import { notifyMessage } from './notify.js';
import { Shell } from './shell.js';

const shell = new Shell({ titleKey: 'userTitle', onLogout: () => start() });
let chat = null;
// A conversation resolved while the page was closed is asked about when it
// opens again (it then holds a new one), for a week.
const RATE_WINDOW_MS = 7 * 864e5;

async function lastUnrated() {
  try {
    const c = (await api('GET', '/api/v1/chat/conversations?status=resolved&limit=1')).data[0];
    if (c && !c.rating && c.resolvedAt && Date.now() - Date.parse(c.resolvedAt) < RATE_WINDOW_MS) return c;
  } catch { /* then nothing is asked */ }
  return null;
}

// The chat and what it brings (the outbox, photos, voice notes, rating)
// load after the login, with the socket: the login form waits for none of
// them on a 2G phone.
const chatModules = () => Promise.all([import('./chat.js'), import('./rating.js')]);

async function showChat(user) {
  const [{ ChatView }, { RatingPrompt }] = await chatModules();
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
    if (c.assignedSupportId !== conversation.assignedSupportId || c.status !== conversation.status
      || Boolean(c.rating) !== Boolean(conversation.rating)) {
      chat.setConversation(c);
      askAbout(c);
      waiting();
    }
  };
  shell.setPoll(() => Promise.all([chat.poll(), pollConversation()]));
  const socket = await shell.connect();
  const notify = (m) => {
    if (document.visibilityState === 'hidden' && m.senderId !== user.id) notifyMessage(conversation.support?.name ?? '', m.content ?? '');
  };
  chat = new ChatView({ root, socket, me: user, conversation, onBack: null, onPolledNew: notify, greeting: true });
  // A resolved conversation asks how it went, above the composer.
  const rating = new RatingPrompt({ conversation, onRated: (c) => { if (c._id === conversation._id) chat.setConversation(c); } });
  root.insertBefore(rating.root, chat.composerEl);
  // The prompt follows this conversation, or an earlier one it asks about
  // until this one is resolved in turn.
  const askAbout = (c) => { if (c.status === 'resolved' || rating.conversation._id === c._id) rating.set(c); };
  if (conversation.status !== 'resolved') lastUnrated().then((c) => { if (c && c._id !== conversation._id) rating.set(c); });
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
    askAbout(c);
    waiting();
  });
  chat.relabelNotice = () => { waiting(); rating.render(); };
  waiting();
  socket.on('message:read', (ev) => chat.onRead(ev));
  socket.on('typing:user-typing', (ev) => chat.onTyping(ev, true));
  socket.on('typing:user-stopped', (ev) => chat.onTyping(ev, false));
  socket.on('user:online', ({ userId }) => chat.setPresence(userId, true));
  socket.on('user:offline', ({ userId, lastSeen }) => chat.setPresence(userId, false, lastSeen));
  socket.on('connect', () => chat.join());
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') chat?.markRead(); });
  await chat.loadOlder();
  chat.resendOutbox();
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
