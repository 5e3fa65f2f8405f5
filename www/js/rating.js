// rating.js - "Did we solve your problem?" on the end user's page: shown
// while the conversation is resolved and this resolution is not rated;
// 1 to 5 and an optional comment, sent once
// (POST /api/v1/chat/conversations/:id/rating); then a thank-you until the
// conversation opens again.
import { api } from './api.js';
import { el } from './format.js';
import { errorText, t } from './i18n.js';

const COMMENT_MAX = 1000;

export class RatingPrompt {
  // opts: { conversation, onRated(conversation) }
  constructor(opts) {
    Object.assign(this, opts);
    this.root = el('section', { class: 'rating', 'data-testid': 'rating', 'aria-labelledby': 'rating-q', hidden: true });
    this.score = 0;
    this.thanked = false;
    this.render();
  }

  // The conversation as it now is: ask, thank, or hide.
  set(c) {
    const reopened = c.status !== 'resolved';
    if (reopened) this.thanked = false;
    this.conversation = c;
    this.render();
  }

  render() {
    const c = this.conversation;
    const ask = c.status === 'resolved' && !c.rating;
    this.root.hidden = !ask && !this.thanked;
    if (this.thanked || !ask) {
      this.root.replaceChildren(el('p', { class: 'rating-thanks', 'data-testid': 'rating-thanks', i18n: 'rateThanks' }));
      return;
    }
    this.scores = [1, 2, 3, 4, 5].map((n) => el('button', {
      class: 'score', role: 'radio', 'aria-checked': String(this.score === n), 'data-testid': `score-${n}`,
      'aria-label': `${n} · ${t(`rate${n}`)}`, title: t(`rate${n}`), text: String(n),
      onclick: () => { this.score = n; this.mark(); },
    }));
    this.comment = el('textarea', { class: 'rating-comment', rows: 2, maxlength: COMMENT_MAX, 'data-testid': 'rating-comment', i18nPlaceholder: 'rateComment', i18nLabel: 'rateComment' });
    this.error = el('p', { class: 'error', role: 'alert', 'data-testid': 'rating-error' });
    this.submit = el('button', { class: 'btn primary', 'data-testid': 'rating-submit', i18n: 'rateSubmit', disabled: true, onclick: () => this.send() });
    this.hint = el('span', { class: 'rating-hint muted', 'data-testid': 'rating-hint' });
    this.root.replaceChildren(
      el('h2', { id: 'rating-q', i18n: 'rateQuestion' }),
      el('div', { class: 'scores', role: 'radiogroup', i18nLabel: 'rateQuestion' }, ...this.scores, this.hint),
      this.comment, this.error, this.submit);
    this.mark();
  }

  mark() {
    for (const [i, b] of this.scores.entries()) b.setAttribute('aria-checked', String(this.score === i + 1));
    this.hint.textContent = this.score ? t(`rate${this.score}`) : '';
    this.submit.disabled = !this.score;
  }

  async send() {
    this.submit.disabled = true;
    this.error.textContent = '';
    const body = { score: this.score };
    if (this.comment.value.trim()) body.comment = this.comment.value.trim();
    try {
      const r = await api('POST', `/api/v1/chat/conversations/${this.conversation._id}/rating`, body);
      this.thanked = true;
      this.conversation = r.data;
      this.render();
      this.onRated?.(r.data);
    } catch (e) {
      // Rated already (another device): the thank-you is the answer.
      if (e.code === 'conflict') { this.thanked = true; this.render(); return; }
      this.error.textContent = errorText(e);
      this.submit.disabled = false;
    }
  }
}
