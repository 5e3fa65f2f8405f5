// format.js - times in the browser's own zone and language, previews.
import { getLang, t } from './i18n.js';

const locale = () => (getLang() === 'hi' ? 'hi-IN' : 'en-IN');

export const timeOf = (iso) => new Date(iso).toLocaleTimeString(locale(), { hour: 'numeric', minute: '2-digit' });

export function dayLabel(iso) {
  const d = new Date(iso);
  const today = new Date();
  const y = new Date(); y.setDate(today.getDate() - 1);
  if (d.toDateString() === today.toDateString()) return t('today');
  if (d.toDateString() === y.toDateString()) return t('yesterday');
  return d.toLocaleDateString(locale(), { day: 'numeric', month: 'long', year: 'numeric' });
}

// A list row's time: the hour today, the date before.
export function shortTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? timeOf(iso)
    : d.toLocaleDateString(locale(), { day: 'numeric', month: 'short' });
}

// "2 mins ago" in the page's language.
export function ago(iso) {
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const s = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const a = Math.abs(s);
  if (a < 60) return rtf.format(0, 'minute');
  if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

export function presenceText(party) {
  if (!party) return '';
  if (party.isOnline) return t('online');
  return party.lastSeen ? t('lastSeen', { ago: ago(party.lastSeen) }) : t('offline');
}

// What a list row shows of a message: its text, or the kind of media.
export function preview(m) {
  if (!m) return '';
  if (m.messageType === 'activity') return activityText(m);
  if (m.messageType && m.messageType !== 'text') return t(m.messageType === 'image' ? 'photo' : m.messageType);
  return m.content ?? '';
}

// document.createElement with class, text and attributes; never HTML.
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'i18n') { e.dataset.i18n = v; e.textContent = t(v); }
    else if (k === 'i18nPlaceholder') { e.dataset.i18nPlaceholder = v; e.placeholder = t(v); }
    else if (k === 'i18nLabel') { e.dataset.i18nLabel = v; e.setAttribute('aria-label', t(v)); }
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// Words in node for a few seconds (a "Saved." under a form).
export function flash(node, words, ms = 4000) {
  node.textContent = words;
  clearTimeout(node.flashTimer);
  node.flashTimer = setTimeout(() => { node.textContent = ''; }, ms);
}

// A day and a time, for snoozes and the details panel.
export const dateTime = (iso) => new Date(iso).toLocaleString(locale(), { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
export const dateOnly = (iso) => new Date(iso).toLocaleDateString(locale(), { day: 'numeric', month: 'short', year: 'numeric' });

// An activity entry of the timeline ("Asha Verma resolved the
// conversation") in the page's language, from its `activity` object; the
// server's English sentence when the action is not one we know.
const ACTIONS = ['resolved', 'reopened', 'snoozed', 'pending', 'woke', 'assigned', 'taken', 'transferred', 'unassigned', 'routed'];
export function activityText(m) {
  const a = m?.activity;
  if (!a || !ACTIONS.includes(a.action)) return m?.content ?? '';
  const key = a.actorName ? `act_${a.action}` : `act_${a.action}_anon`;
  // A sentence that needs a name or a time the entry lacks: the server's words.
  const pattern = t(key);
  if ((pattern.includes('{agent}') && !a.agentName) || (pattern.includes('{until}') && !a.until)) return m.content ?? '';
  return t(key, { actor: a.actorName, agent: a.agentName, until: a.until ? dateTime(a.until) : '' });
}
