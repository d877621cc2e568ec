// A quantity stepper: − [n] +, keyboard-operable, 1 to 99.
import { el } from './dom.js';
import { t } from './i18n.js';

/**
 * @param {{ value: number, label: string, onChange: (quantity: number) => void, min?: number }} options
 * `min` is 1 on a product page; in the cart "−" at 1 is left to the remove button.
 */
export function quantityStepper({ value, label, onChange, min = 1 }) {
  const input = el('input', { class: 'stepper-input', type: 'number', inputmode: 'numeric', min, max: 99, value, 'aria-label': label });
  const decrease = el('button', { type: 'button', class: 'stepper-button', 'aria-label': t('product.decrease') }, '−');
  const increase = el('button', { type: 'button', class: 'stepper-button', 'aria-label': t('product.increase') }, '+');
  let current = value;
  const set = (next) => {
    const clamped = Math.max(min, Math.min(99, Number.isFinite(next) ? Math.floor(next) : current));
    input.value = String(clamped);
    decrease.disabled = clamped <= min;
    increase.disabled = clamped >= 99;
    if (clamped !== current) {
      current = clamped;
      onChange(clamped);
    }
  };
  decrease.addEventListener('click', () => set(current - 1));
  increase.addEventListener('click', () => set(current + 1));
  input.addEventListener('change', () => set(Number(input.value)));
  decrease.disabled = value <= min;
  increase.disabled = value >= 99;
  return el('div', { class: 'stepper' }, decrease, input, increase);
}
