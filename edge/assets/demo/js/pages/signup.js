import { signUp } from '../account.js';
import { $, el, replaceChildren } from '../dom.js';
import { checkbox, checkForm, field, formValues } from '../forms.js';
import { t } from '../i18n.js';
import { startPage } from '../layout.js';
import { nextUrl, shopUrl } from '../urls.js';

function onSubmit(/** @type {SubmitEvent} */ event) {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  if (!checkForm(form)) return;
  const values = formValues(form);
  const user = signUp({ email: values.email, name: values.name, marketing: values.marketing === 'on' });
  if (!user) {
    $('#signup-error').textContent = t('signup.exists');
    return;
  }
  // Touchpoint: from now on this browser's events belong to the member, and the events it sent
  // anonymously before are joined to them. Then the GA4-named sign_up event.
  window.touchpoint('identify', user.id, { email: user.email, name: user.name, marketing_opt_in: user.marketing });
  window.touchpoint('track', 'sign_up', { method: 'email' });
  location.assign(nextUrl());
}

startPage({
  title: () => t('signup.title'),
  render() {
    replaceChildren($('#signup-content'), el('section', { class: 'auth-card' },
      el('h1', { class: 'page-title' }, t('signup.title')),
      el('p', { class: 'auth-benefit' }, t('signup.benefit')),
      el('form', { novalidate: true, onsubmit: onSubmit },
        field(t('signup.email'), { name: 'email', type: 'email', required: true, autocomplete: 'email' }),
        field(t('signup.password'), { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' }, t('signup.passwordHint')),
        field(t('signup.name'), { name: 'name', required: true, autocomplete: 'name', maxlength: 40 }),
        checkbox(t('signup.terms'), { name: 'terms', required: true }),
        checkbox(t('signup.marketing'), { name: 'marketing' }),
        el('p', { id: 'signup-error', class: 'form-error', role: 'alert' }),
        el('button', { type: 'submit', class: 'button button-primary button-large button-block' }, t('signup.submit')),
      ),
      el('p', { class: 'auth-switch' }, t('signup.haveAccount'), ' ', el('a', { href: shopUrl(`login${location.search}`) }, t('account.login'))),
    ));
  },
});
