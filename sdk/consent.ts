/** Consent: the shopper's choice over the site mode's default. Global Privacy Control denies
 * marketing whatever else says. */
import type { Choice } from './identity';
import type { ConsentMode, ConsentState, ConsentUpdate } from './types';

/** `fallback`: the page's Consent Mode default, which replaces the site mode's until a choice. */
export function consentState(mode: ConsentMode, choice: Choice | undefined, gpc: boolean, fallback?: ConsentUpdate): ConsentState {
  const byDefault = mode == 'opt-out';
  const base = choice || fallback;
  return {
    necessary: true,
    analytics: base?.analytics ?? byDefault,
    marketing: !gpc && (base?.marketing ?? byDefault),
    mode,
    decided: !!choice,
    gpc,
  };
}

/** The choice after an update: categories left out keep their current value. */
export const mergeChoice = (state: ConsentState, update: ConsentUpdate): Choice => ({
  analytics: typeof update.analytics == 'boolean' ? update.analytics : state.analytics,
  marketing: typeof update.marketing == 'boolean' ? update.marketing : state.marketing,
});

/** Whether an update changed the effective state, or was the shopper's first choice (both are recorded). */
export const consentChanged = (before: ConsentState, after: ConsentState): boolean =>
  !before.decided || before.analytics != after.analytics || before.marketing != after.marketing;
