/** Consent: the shopper's choice, stored (shared by every tab, kept across visits), over the
 * site mode's default. Global Privacy Control denies marketing whatever else says. */
import { KEYS } from './identity';
import type { Kv } from './kv';
import type { ConsentMode, ConsentState, ConsentUpdate } from './types';

interface Choice {
  analytics: boolean;
  marketing: boolean;
}

export function consentState(mode: ConsentMode, choice: Choice | null, gpc: boolean): ConsentState {
  const byDefault = mode == 'opt-out';
  return {
    necessary: true,
    analytics: choice ? choice.analytics : byDefault,
    marketing: !gpc && (choice ? choice.marketing : byDefault),
    mode,
    decided: !!choice,
    gpc,
  };
}

export function readConsent(kv: Kv, mode: ConsentMode, gpc: boolean): ConsentState {
  let choice: Choice | null = null;
  try {
    choice = JSON.parse(kv.get(KEYS.consent)!);
  } catch {
    // unreadable: no choice
  }
  return consentState(mode, choice && typeof choice.analytics == 'boolean' ? choice : null, gpc);
}

/** The stored choice after an update: fields left out keep their current value. */
export const mergeChoice = (state: ConsentState, update: ConsentUpdate): Choice => ({
  analytics: typeof update.analytics == 'boolean' ? update.analytics : state.analytics,
  marketing: typeof update.marketing == 'boolean' ? update.marketing : state.marketing,
});
