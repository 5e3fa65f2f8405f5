// login.js - the login screen (and, on the end-user page, registration).
import { api, setToken } from './api.js';
import { el } from './format.js';
import { errorText, onLangChange, t } from './i18n.js';

// opts: { root, allowRegister, role (required role or null), onLoggedIn(user) }
export function showLogin(opts) {
  let registering = false;
  const phone = el('input', { id: 'phone', name: 'phone', type: 'tel', autocomplete: 'tel', required: true, 'data-testid': 'phone' });
  const name = el('input', { id: 'name', name: 'name', autocomplete: 'name', 'data-testid': 'name' });
  const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'password' });
  const error = el('p', { class: 'error', role: 'alert', 'data-testid': 'login-error' });
  const submit = el('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' });
  const nameRow = el('p', { hidden: true }, el('label', { for: 'name', i18n: 'name' }), name);
  // The rule a new password must meet, said before it is refused.
  const rule = el('small', { id: 'password-rule', class: 'hint', 'data-testid': 'password-rule', i18n: 'passwordRule', hidden: true });
  const toggle = opts.allowRegister ? el('button', { type: 'button', class: 'link', 'data-testid': 'toggle-register' }) : null;
  const render = () => {
    submit.textContent = registering ? t('register') : t('login');
    nameRow.hidden = !registering;
    name.required = registering;
    rule.hidden = !registering;
    password.autocomplete = registering ? 'new-password' : 'current-password';
    if (registering) password.setAttribute('aria-describedby', 'password-rule');
    else password.removeAttribute('aria-describedby');
    if (toggle) toggle.textContent = registering ? t('haveAccount') : t('newAccount');
  };
  toggle?.addEventListener('click', () => { registering = !registering; error.textContent = ''; render(); });
  const form = el('form', { class: 'login card', 'data-testid': 'login-form' },
    el('h2', { i18n: opts.allowRegister ? 'userTitle' : 'appTitle' }),
    el('p', {}, el('label', { for: 'phone', i18n: 'phone' }), phone),
    nameRow,
    el('p', {}, el('label', { for: 'password', i18n: 'password' }), password, rule),
    error, submit, toggle);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      const path = registering ? '/api/v1/users/register' : '/api/v1/users/login';
      const body = registering ? { phone: phone.value, name: name.value, password: password.value }
        : { phone: phone.value, password: password.value };
      const r = await api('POST', path, body);
      if (opts.role && !opts.role.includes(r.user.role)) {
        error.textContent = t('err_invalid_credentials');
        return;
      }
      setToken(r.token);
      opts.onLoggedIn(r.user);
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      submit.disabled = false;
    }
  });
  render();
  onLangChange(render);
  opts.root.replaceChildren(form);
  phone.focus();
}
