// actions.js - what an agent does to an open conversation: resolve,
// reopen, snooze (an hour, tomorrow 9:00, a chosen time), transfer (a
// picker of the team with availability and load), take one from the queue.
// PATCH /api/v1/chat/conversations/:id and POST .../assign; the answer (the
// conversation as it now is) goes to onChanged.
import { api } from './api.js';
import { dateTime, el } from './format.js';
import { errorText, t } from './i18n.js';

const HOUR = 3600 * 1000;

// Tomorrow at 9:00 in the browser's own zone.
export function tomorrowNine(now = new Date()) {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d;
}

// A Date as <input type=datetime-local> wants it (local, to the minute).
const localInput = (d) => {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

export class ConversationActions {
  // opts: { me, team, onChanged(conversation, note), onError(words or null) }
  constructor(opts) {
    Object.assign(this, opts);
    this.root = el('div', { class: 'actions', 'data-testid': 'actions' });
    this.popover = null;
    this.busy = false;
    this.offTeam = this.team.onChange(() => { if (this.popover?.dataset.kind === 'transfer') this.fillAgents(); });
    this.onDocClick = (e) => { if (this.popover && !this.root.contains(e.target)) this.closePopover(); };
    document.addEventListener('click', this.onDocClick);
  }

  destroy() {
    this.offTeam();
    document.removeEventListener('click', this.onDocClick);
  }

  set(conversation) {
    this.c = conversation;
    this.render();
  }

  get isAdmin() { return this.me.role === 'Admin'; }
  get mine() { return this.c.assignedSupportId === this.me.id; }
  get queued() { return !this.c.assignedSupportId; }
  // Status changes and transfers: the assigned agent, or an admin.
  get canAct() { return this.mine || this.isAdmin; }

  button(key, testid, onclick, cls = '') {
    return el('button', { class: `btn ${cls}`, 'data-testid': testid, text: t(key), disabled: this.busy, onclick });
  }

  render() {
    const c = this.c;
    const kids = [];
    const pill = el('span', { class: `pill st-${c.status}`, 'data-testid': 'conv-status', text: t(`st_${c.status}`) });
    if (c.status === 'snoozed' && c.snoozedUntil) pill.title = t('snoozedUntil', { time: dateTime(c.snoozedUntil) });
    kids.push(pill);
    if (this.queued) kids.push(this.button('take', 'take', () => this.take(), 'primary-btn'));
    if (this.canAct) {
      if (c.status === 'resolved' || c.status === 'snoozed') kids.push(this.button('reopen', 'reopen', () => this.setStatus('open')));
      if (c.status !== 'resolved') {
        if (c.status !== 'snoozed') kids.push(this.menuButton('snooze', 'snooze', () => this.snoozeMenu()));
        kids.push(this.button('resolve', 'resolve', () => this.resolve(), this.queued ? '' : 'primary-btn'));
      }
      kids.push(this.menuButton('transfer', 'transfer', () => this.transferMenu()));
    }
    const kind = this.popover?.dataset.kind;
    this.popover = null;
    this.root.replaceChildren(...kids);
    if (kind === 'transfer' && this.canAct) this.transferMenu();
  }

  menuButton(key, testid, open) {
    return el('button', { class: 'btn menu', 'data-testid': testid, 'aria-haspopup': 'true', text: t(key), disabled: this.busy,
      onclick: (e) => {
        e.stopPropagation();
        const was = this.popover?.dataset.kind;
        this.closePopover();
        if (was !== testid) open();
      } });
  }

  showPopover(kind, ...kids) {
    this.closePopover();
    this.popover = el('div', { class: 'popover', role: 'dialog', dataset: { kind }, 'data-testid': `${kind}-menu` }, ...kids);
    this.popover.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.closePopover(); });
    this.root.append(this.popover);
    return this.popover;
  }

  closePopover() {
    this.popover?.remove();
    this.popover = null;
  }

  snoozeMenu() {
    const at = el('input', { type: 'datetime-local', 'data-testid': 'snooze-at', min: localInput(new Date()), 'aria-label': t('snoozeWhen') });
    at.value = localInput(new Date(Date.now() + 3 * HOUR));
    const form = el('form', { class: 'snooze-at', novalidate: true },
      el('label', { text: t('snoozeChoose') }, at),
      el('button', { type: 'submit', class: 'btn primary-btn', 'data-testid': 'snooze-apply', text: t('snoozeApply') }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const when = new Date(at.value);
      if (!at.value || Number.isNaN(when.getTime()) || when <= new Date()) { this.onError(t('err_snooze_past')); return; }
      this.snooze(when);
    });
    const p = this.showPopover('snooze',
      el('button', { class: 'item', 'data-testid': 'snooze-hour', text: t('snoozeHour'), onclick: () => this.snooze(new Date(Date.now() + HOUR)) }),
      el('button', { class: 'item', 'data-testid': 'snooze-tomorrow', text: t('snoozeTomorrow'),
        title: dateTime(tomorrowNine().toISOString()), onclick: () => this.snooze(tomorrowNine()) }),
      form);
    p.querySelector('button').focus();
  }

  transferMenu() {
    this.agentList = el('ul', { class: 'agents', 'data-testid': 'agent-list' });
    const kids = [el('div', { class: 'popover-title', text: t('transferTo') }), this.agentList];
    if (!this.queued) kids.push(el('button', { class: 'item queue', 'data-testid': 'transfer-queue', text: t('backToQueue'), onclick: () => this.assign(null) }));
    this.showPopover('transfer', ...kids);
    this.fillAgents();
    this.team.load().catch((e) => this.onError(errorText(e)));
  }

  fillAgents() {
    if (!this.agentList) return;
    const agents = [...this.team.agents.values()]
      .filter((a) => a._id !== this.c.assignedSupportId && (this.isAdmin || a._id !== this.me.id))
      .sort((a, b) => a.name.localeCompare(b.name));
    this.agentList.replaceChildren(...agents.map((a) => el('li', {},
      el('button', { class: 'agent', dataset: { id: a._id, availability: a.availability }, 'data-testid': 'agent-option', onclick: () => this.assign(a._id) },
        el('span', { class: `av-dot av-${a.availability}`, 'aria-hidden': 'true' }),
        el('span', { class: 'agent-name', 'data-testid': 'agent-name', text: a._id === this.me.id ? `${a.name} (${t('you')})` : a.name }),
        el('span', { class: 'agent-av', 'data-testid': 'agent-availability', text: t(`av_${a.availability}`) }),
        el('span', { class: `agent-load${a.openCount >= a.capacity ? ' full' : ''}`, 'data-testid': 'agent-load',
          'aria-label': t('load', { open: a.openCount, capacity: a.capacity }), text: `${a.openCount}/${a.capacity}` })))));
    if (!agents.length && !this.team.loading) this.agentList.append(el('li', { class: 'muted', text: t('noAgents') }));
  }

  async run(fn, note) {
    if (this.busy) return;
    this.busy = true;
    this.onError(null);
    try {
      const r = await fn();
      this.closePopover();
      this.busy = false;
      this.onChanged(r.data, note);
    } catch (e) {
      this.busy = false;
      this.onError(errorText(e));
      this.render();
    }
  }

  // The Resolve button's action (keys.js presses it too): false when the
  // button is not there to press.
  resolve() {
    if (!this.c || !this.canAct || this.c.status === 'resolved') return false;
    this.setStatus('resolved');
    return true;
  }

  setStatus(status) {
    return this.run(() => api('PATCH', `/api/v1/chat/conversations/${this.c._id}`, { status }));
  }

  snooze(when) {
    return this.run(() => api('PATCH', `/api/v1/chat/conversations/${this.c._id}`, { status: 'snoozed', snoozedUntil: when.toISOString() }));
  }

  take() {
    return this.run(() => api('POST', `/api/v1/chat/conversations/${this.c._id}/assign`, { supportId: this.me.id }));
  }

  assign(supportId) {
    const to = supportId && this.team.get(supportId);
    return this.run(() => api('POST', `/api/v1/chat/conversations/${this.c._id}/assign`, { supportId }),
      supportId ? t('transferred', { name: to?.name ?? '' }) : t('movedToQueue'));
  }
}
