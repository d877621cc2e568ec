// Form fields with a visible label and an error line under them, checked with the browser's
// constraint validation but worded by the shop (forms carry `novalidate`).
import { el } from './dom.js';
import { t } from './i18n.js';

let fieldCount = 0;

/**
 * A labelled input. `attrs` go on the <input> (type, name, required, autocomplete, minlength...).
 * @param {string} label @param {Record<string, any>} attrs @param {string} [hint]
 */
export function field(label, attrs, hint) {
  const id = `field-${++fieldCount}`;
  const hintId = hint ? `${id}-hint` : null;
  const input = el('input', { id, class: 'input', 'aria-describedby': [hintId, `${id}-error`].filter(Boolean).join(' '), ...attrs });
  return el('div', { class: 'field' },
    el('label', { for: id, class: 'field-label' }, label, attrs.required ? el('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    input,
    hint ? el('p', { id: hintId, class: 'field-hint' }, hint) : null,
    el('p', { id: `${id}-error`, class: 'field-error', 'aria-live': 'polite' }),
  );
}

/** A checkbox with its label; `attrs` go on the <input>. @param {string} label @param {Record<string, any>} attrs */
export function checkbox(label, attrs) {
  const id = `field-${++fieldCount}`;
  return el('div', { class: 'field field-check' },
    el('input', { id, type: 'checkbox', 'aria-describedby': `${id}-error`, ...attrs }),
    el('label', { for: id }, label),
    el('p', { id: `${id}-error`, class: 'field-error', 'aria-live': 'polite' }),
  );
}

/** @param {HTMLInputElement | HTMLSelectElement} input */
function messageFor(input) {
  const v = input.validity;
  if (v.valid) return '';
  if (v.valueMissing) return input instanceof HTMLInputElement && input.type === 'checkbox' ? t('form.mustAgree') : t('form.required');
  if (v.typeMismatch) return t('form.email');
  if (v.tooShort) return t('form.tooShort', { n: input instanceof HTMLInputElement ? input.minLength : 0 });
  return t('form.pattern');
}

/** Shows an error under each invalid field and focuses the first; true when all are valid. @param {HTMLFormElement} form */
export function checkForm(form) {
  let first = null;
  for (const input of form.querySelectorAll('input, select')) {
    if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement)) continue;
    const message = messageFor(input);
    const error = document.getElementById(`${input.id}-error`);
    if (error) error.textContent = message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (message && !first) first = input;
  }
  first?.focus();
  return first === null;
}

/** The form's values as strings (checkboxes as "on" or absent). @param {HTMLFormElement} form */
export const formValues = (form) => Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v)]));
