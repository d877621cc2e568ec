// What the widgets that ask for an email share (signup, marketing consent): the field styles and
// an email field.
import type { ComponentChildren } from 'preact';
import FORMS_CSS from './forms.css';

export { FORMS_CSS };

/** Deliberately loose: the collector validates strictly; this only catches typos before sending. */
export const looksLikeEmail = (value: string) => value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

interface EmailFieldProps {
  label: string;
  placeholder: string;
  /** The message while the value is refused, else null. */
  error: string | null;
  value: string;
  onInput(value: string): void;
  /** Beside the input, e.g. a submit button. */
  children?: ComponentChildren;
}

export function EmailField({ label, placeholder, error, value, onInput, children }: EmailFieldProps) {
  return (
    <div class="tp-field">
      <label class="tp-label" for="tp-email">{label}</label>
      <div class="tp-inline-form">
        <input
          id="tp-email"
          class="tp-input"
          type="email"
          autocomplete="email"
          inputMode="email"
          maxLength={254}
          placeholder={placeholder}
          value={value}
          aria-invalid={error !== null}
          aria-describedby={error ? 'tp-email-error' : undefined}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
        {children}
      </div>
      {error ? <p id="tp-email-error" class="tp-error" role="alert">{error}</p> : null}
    </div>
  );
}
