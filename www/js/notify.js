// notify.js - browser notifications, a short sound, and the unread count
// in the tab title.
import { t } from './i18n.js';

let baseTitle = document.title;
let audioCtx = null;

export function setBaseTitle(s) { baseTitle = s; }

export function setTitleCount(n) {
  document.title = n > 0 ? `(${n}) ${baseTitle}` : baseTitle;
}

// Asked once, politely, from a click (browsers refuse it otherwise).
export function canAsk() {
  return 'Notification' in window && Notification.permission === 'default';
}

export async function askPermission() {
  if (canAsk()) await Notification.requestPermission();
}

export function beep() {
  try {
    audioCtx ??= new AudioContext();
    const o = audioCtx.createOscillator();
    const g = audioCtx.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.08, audioCtx.currentTime);
    g.gain.exponentialRampToValueAtTime(0.0001, audioCtx.currentTime + 0.25);
    o.connect(g).connect(audioCtx.destination);
    o.start();
    o.stop(audioCtx.currentTime + 0.25);
  } catch { /* no audio: the notification still shows */ }
}

export function notifyMessage(senderName, body, onClick) {
  beep();
  if (!('Notification' in window) || Notification.permission !== 'granted') return null;
  const n = new Notification(t('newMessageFrom', { name: senderName }), { body, tag: `chat-${senderName}` });
  n.onclick = () => { window.focus(); onClick?.(); n.close(); };
  return n;
}
