import { useState } from 'preact/hooks';


/** A coupon code the shopper can read and copy. Copy works without clipboard permission too:
 * the code is selectable text. */
export function OfferCode({ code, label, copyLabel, copiedLabel, onCopy }: { code: string; label: string; copyLabel: string; copiedLabel: string; onCopy(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="tp-code">
      <div>
        <div class="tp-small">{label}</div>
        <div class="tp-code-text">{code}</div>
      </div>
      <button
        type="button"
        onClick={() => {
          onCopy();
          navigator.clipboard?.writeText(code).then(() => setCopied(true), () => setCopied(false));
        }}
      >
        <span aria-live="polite">{copied ? copiedLabel : copyLabel}</span>
      </button>
    </div>
  );
}
