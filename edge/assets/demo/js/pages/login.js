import { logIn } from '../account.js';
import { $, el, replaceChildren } from '../dom.js';
import { checkForm, field, formValues } from '../forms.js';
import { t } from '../i18n.js';
import { startPage } from '../layout.js';
import { nextUrl, shopUrl } from '../urls.js';

function onSubmit(/** @type {SubmitEvent} */ event) {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  if (!checkForm(form)) return;
  const user = logIn({ email: formValues(form).email });
  // Touchpoint: this browser is now this member's (the same member id on every device).
  window.touchpoint('identify', user.id, { email: user.email, name: user.name });
  window.touchpoint('track', 'login', { method: 'email' });
  location.assign(nextUrl());
}

startPage({
  title: () => t('login.title'),
  render() {
    replaceChildren($('#login-content'), el('section', { class: 'auth-card' },
      el('h1', { class: 'page-title' }, t('login.title')),
      el('p', { class: 'notice' }, t('login.demoNote')),
      el('form', { novalidate: true, onsubmit: onSubmit },
        field(t('login.email'), { name: 'email', type: 'email', required: true, autocomplete: 'email' }),
        field(t('login.password'), { name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
        el('button', { type: 'submit', class: 'button button-primary button-large button-block' }, t('login.submit')),
      ),
      el('p', { class: 'auth-switch' }, t('login.noAccount'), ' ', el('a', { href: shopUrl(`signup${location.search}`) }, t('account.signup'))),
    ));
  },
});
