// team.js - the support team as the dashboard knows it: who the agents are,
// how available and how loaded (GET /api/v1/users/agents), kept live from
// agent:availability; and the header's switch for one's own availability
// (PATCH /api/v1/users/me).
import { api } from './api.js';
import { el } from './format.js';
import { errorText, t } from './i18n.js';

export const AVAILABILITY = ['online', 'busy', 'offline'];

export class Team {
  constructor(me) {
    this.me = me;
    this.agents = new Map();   // _id -> {_id, name, role, isOnline, availability, openCount, capacity}
    this.listeners = new Set();
    this.loading = null;
  }

  onChange(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }

  changed() { for (const fn of this.listeners) fn(this); }

  load() {
    this.loading ??= api('GET', '/api/v1/users/agents').then((r) => {
      this.agents = new Map(r.data.map((a) => [a._id, a]));
      this.changed();
    }).finally(() => { this.loading = null; });
    return this.loading;
  }

  get(id) { return this.agents.get(id); }

  mine() { return this.agents.get(this.me.id)?.availability; }

  // agent:availability {userId, availability}
  setAvailability(userId, availability) {
    const a = this.agents.get(userId);
    if (!a || a.availability === availability) return;
    a.availability = availability;
    this.changed();
  }

  setPresence(userId, isOnline) {
    const a = this.agents.get(userId);
    if (!a || a.isOnline === isOnline) return;
    a.isOnline = isOnline;
    this.changed();
  }
}

// The header's availability switch: a select with a coloured dot.
// onError(words) says why a change was refused (the switch goes back).
export function availabilitySwitch(team, onError) {
  const select = el('select', { class: 'availability', 'data-testid': 'availability', 'aria-label': t('availability') },
    ...AVAILABILITY.map((a) => el('option', { value: a, text: t(`av_${a}`) })));
  const wrap = el('label', { class: 'av-switch', title: t('availability') }, el('span', { class: 'av-dot', 'aria-hidden': 'true' }), select);
  let off = null;
  const show = () => {
    // The bar is drawn anew on a language switch: an old switch lets go.
    if (!wrap.isConnected && wrap.dataset.seen) { off?.(); return; }
    if (wrap.isConnected) wrap.dataset.seen = '1';
    const v = team.mine();
    select.disabled = !v;
    if (v) select.value = v;
    wrap.dataset.availability = v ?? '';
  };
  select.addEventListener('change', async () => {
    const want = select.value;
    wrap.dataset.availability = want;
    try {
      const r = await api('PATCH', '/api/v1/users/me', { availability: want });
      team.setAvailability(team.me.id, r.user?.availability ?? want);
    } catch (e) {
      onError?.(errorText(e));
    }
    show();
  });
  off = team.onChange(show);
  show();
  return wrap;
}
