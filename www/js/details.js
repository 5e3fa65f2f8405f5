// details.js - the details panel of the open conversation: who the user
// is (name, phone, since when), the conversation's status and assignee,
// and the user's earlier conversations that this agent may see.
import { api } from './api.js';
import { dateOnly, dateTime, el, presenceText, preview } from './format.js';
import { t } from './i18n.js';
import { initials } from './conversations.js';
import { labelEditor } from './labels.js';

export class DetailsPanel {
  // opts: { root, me, onBack() (the narrow layout's way back), onOpen(id),
  //   onChanged(conversation) (its labels changed), onError(words) }
  constructor(opts) {
    Object.assign(this, opts);
    this.c = null;
    this.earlier = null;     // for this.c's user: [conversation] or null while loading
    this.earlierOf = null;
    this.render();
  }

  set(c) {
    const userChanged = c?.userId !== this.c?.userId;
    this.c = c;
    if (c && userChanged) this.loadEarlier(c.userId);
    this.render();
  }

  // The user's other conversations in this agent's reach (their resolved
  // ones: a user has one open conversation at a time).
  async loadEarlier(userId) {
    this.earlier = null;
    this.earlierOf = userId;
    const assignee = this.me.role === 'Admin' ? 'all' : 'me';
    let found = [];
    try {
      const r = await api('GET', `/api/v1/chat/conversations?assignee=${assignee}&status=all&userId=${encodeURIComponent(userId)}&limit=100`);
      found = r.data;
    } catch { /* the panel says none */ }
    if (this.earlierOf !== userId) return;
    this.earlier = found;
    this.render();
  }

  field(labelKey, testid, value) {
    return [el('dt', { text: t(labelKey) }), el('dd', { 'data-testid': testid }, value)];
  }

  render() {
    const c = this.c;
    const back = el('button', { class: 'btn back-chat', 'data-testid': 'details-back', text: t('backToChat'), onclick: () => this.onBack() });
    if (!c) {
      this.root.replaceChildren(el('div', { class: 'details-empty', 'data-testid': 'details' }));
      return;
    }
    const u = c.user ?? {};
    const since = u.createdAt ?? null;
    const phone = u.phone ? el('a', { href: `tel:${u.phone}`, text: u.phone }) : '—';
    const status = el('span', { class: `pill st-${c.status}`, text: t(`st_${c.status}`) });
    const statusDd = [status];
    if (c.status === 'snoozed' && c.snoozedUntil) statusDd.push(' ', el('span', { class: 'muted', text: t('snoozedUntil', { time: dateTime(c.snoozedUntil) }) }));
    const dl = el('dl', { class: 'facts' },
      ...this.field('detailsPhone', 'details-phone', phone),
      ...(since ? this.field('customerSince', 'details-since', dateOnly(since)) : []),
      ...this.field('started', 'details-started', el('time', { datetime: c.createdAt, text: dateTime(c.createdAt) })),
      ...this.field('detailsStatus', 'details-status', el('span', {}, ...statusDd)),
      ...this.field('detailsAssignee', 'details-assignee', c.support?.name ?? t('unassigned')),
      ...(c.rating ? this.field('detailsRating', 'details-rating', el('span', {},
        el('strong', { text: t('ratingOf', { score: c.rating.score }) }),
        c.rating.comment ? el('span', { class: 'rating-said', text: ` “${c.rating.comment}”` }) : null)) : []),
      ...this.field('labels', 'details-labels-field', labelEditor(c, this.me.role === 'Admin' || c.assignedSupportId === this.me.id,
        { onChanged: (x) => this.onChanged?.(x), onError: (w) => this.onError?.(w) })));
    const others = (this.earlier ?? []).filter((x) => x._id !== c._id);
    const history = el('ul', { class: 'earlier', 'data-testid': 'details-history' },
      ...others.map((x) => el('li', {},
        el('a', { href: `#/c/${x._id}`, 'data-testid': 'details-history-item', dataset: { id: x._id } },
          el('span', { class: 'earlier-top' },
            el('time', { datetime: x.createdAt, text: dateOnly(x.createdAt) }),
            el('span', { class: `pill st-${x.status}`, text: t(`st_${x.status}`) })),
          el('span', { class: 'earlier-preview', text: preview(x.lastMessage) || '—' })))));
    if (this.earlier && !others.length) history.append(el('li', { class: 'muted', text: t('noEarlier') }));
    if (!this.earlier) history.append(el('li', { class: 'muted', text: t('loadMore') }));
    this.root.replaceChildren(el('div', { class: 'details', 'data-testid': 'details' },
      el('div', { class: 'details-head' }, back),
      el('div', { class: 'profile' },
        el('span', { class: 'avatar big', 'aria-hidden': 'true', text: initials(u.name) }),
        el('div', { class: 'profile-name', 'data-testid': 'details-name', text: u.name ?? '' }),
        el('div', { class: 'muted', 'data-testid': 'details-presence', text: presenceText(u) })),
      el('h3', { text: t('contact') }), dl,
      el('h3', { text: t('earlier') }), history));
  }
}
