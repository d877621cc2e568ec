import { describe, expect, it } from 'vitest';
import { consentState, mergeChoice, readConsent } from '../../sdk/consent';
import { KEYS, SESSION_MS, anonId, nextSession, parseSession, resetIdentity, touchSession, userId } from '../../sdk/identity';
import type { Kv } from '../../sdk/kv';

/** The Kv interface over a Map: what localStorage is to the SDK in a browser. */
function mapKv(): Kv & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, get: (key) => values.get(key) ?? null, set: (key, value) => void (value === null ? values.delete(key) : values.set(key, value)) };
}

const t0 = 1_800_000_000_000;

describe('sessions', () => {
  it('start when there is none', () => {
    const session = nextSession(null, t0, true);
    expect(session).toMatchObject({ last: t0, views: 1 });
    expect(session.id).toMatch(/^[\w-]{8,64}$/);
  });

  it('continue while events come within 30 minutes of each other', () => {
    const first = nextSession(null, t0, true);
    const second = nextSession(first, t0 + SESSION_MS - 1, false);
    const third = nextSession(second, t0 + 2 * SESSION_MS - 2, true);
    expect(third.id).toBe(first.id);
    expect(third).toMatchObject({ last: t0 + 2 * SESSION_MS - 2, views: 2 });
  });

  it('expire after 30 minutes of inactivity', () => {
    const first = nextSession(null, t0, true);
    const later = nextSession(first, t0 + SESSION_MS, true);
    expect(later.id).not.toBe(first.id);
    expect(later.views).toBe(1);
  });

  it('do not move their clock back for a replayed, older event', () => {
    const first = nextSession(null, t0, false);
    expect(nextSession(first, t0 - 5000, false)).toMatchObject({ id: first.id, last: t0 });
  });

  it('round-trip through storage, and ignore what is not theirs', () => {
    const kv = mapKv();
    const session = touchSession(kv, t0, true);
    expect(parseSession(kv.get(KEYS.session))).toEqual(session);
    expect(touchSession(kv, t0 + 1000).id).toBe(session.id);
    expect(parseSession('not a session')).toBeNull();
    expect(parseSession(null)).toBeNull();
  });
});

describe('anonymous id', () => {
  it('is minted once and kept', () => {
    const kv = mapKv();
    const id = anonId(kv);
    expect(anonId(kv)).toBe(id);
    expect(kv.values.get(KEYS.anon)).toBe(id);
  });

  it('replaces a stored value that is not a valid id', () => {
    const kv = mapKv();
    kv.set(KEYS.anon, '<script>');
    expect(anonId(kv)).toMatch(/^[\w-]{8,64}$/);
  });

  it('is new after reset, with no member, session or cart', () => {
    const kv = mapKv();
    const before = anonId(kv);
    kv.set(KEYS.user, 'member-1');
    kv.set(KEYS.cart, '{"items":[]}');
    touchSession(kv, t0);
    resetIdentity(kv);
    expect(anonId(kv)).not.toBe(before);
    expect(userId(kv)).toBeNull();
    expect(kv.get(KEYS.session)).toBeNull();
    expect(kv.get(KEYS.cart)).toBeNull();
  });
});

describe('consent', () => {
  it('defaults to granted on opt-out sites and to nothing on opt-in sites', () => {
    expect(consentState('opt-out', null, false)).toMatchObject({ necessary: true, analytics: true, marketing: true, decided: false });
    expect(consentState('opt-in', null, false)).toMatchObject({ necessary: true, analytics: false, marketing: false, decided: false });
  });

  it("follows the shopper's choice over the mode's default", () => {
    expect(consentState('opt-in', { analytics: true, marketing: false }, false)).toMatchObject({ analytics: true, marketing: false, decided: true });
    expect(consentState('opt-out', { analytics: false, marketing: false }, false)).toMatchObject({ analytics: false, marketing: false, decided: true });
  });

  it('denies marketing under Global Privacy Control, whatever else says', () => {
    expect(consentState('opt-out', null, true).marketing).toBe(false);
    expect(consentState('opt-in', { analytics: true, marketing: true }, true)).toMatchObject({ analytics: true, marketing: false, gpc: true });
  });

  it('updates only the categories named', () => {
    const state = consentState('opt-in', { analytics: true, marketing: false }, false);
    expect(mergeChoice(state, { marketing: true })).toEqual({ analytics: true, marketing: true });
    expect(mergeChoice(state, { analytics: false, marketing: 'yes' as never })).toEqual({ analytics: false, marketing: false });
  });

  it('reads a stored choice, and treats an unreadable one as none', () => {
    const kv = mapKv();
    kv.set(KEYS.consent, JSON.stringify({ analytics: false, marketing: false }));
    expect(readConsent(kv, 'opt-out', false)).toMatchObject({ analytics: false, decided: true });
    kv.set(KEYS.consent, '{broken');
    expect(readConsent(kv, 'opt-out', false)).toMatchObject({ analytics: true, decided: false });
  });
});
