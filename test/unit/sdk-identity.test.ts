import { describe, expect, it } from 'vitest';
import { consentChanged, consentState, mergeChoice } from '../../sdk/consent';
import { SESSION_MS, nextSession, visitor } from '../../sdk/identity';
import { memoryStore } from '../../sdk/store';

const t0 = 1_800_000_000_000;

describe('sessions', () => {
  it('start when there is none', () => {
    const session = nextSession(undefined, t0, true);
    expect(session).toMatchObject({ last: t0, views: 1 });
    expect(session.id).toMatch(/^[\w-]{8,64}$/);
  });

  it('continue while events come within 30 minutes of each other', () => {
    const first = nextSession(undefined, t0, true);
    const second = nextSession(first, t0 + SESSION_MS - 1, false);
    const third = nextSession(second, t0 + 2 * SESSION_MS - 2, true);
    expect(third.id).toBe(first.id);
    expect(third).toMatchObject({ last: t0 + 2 * SESSION_MS - 2, views: 2 });
  });

  it('expire after 30 minutes of inactivity', () => {
    const first = nextSession(undefined, t0, true);
    const later = nextSession(first, t0 + SESSION_MS, true);
    expect(later.id).not.toBe(first.id);
    expect(later.views).toBe(1);
  });

  it('do not move their clock back for a replayed, older event', () => {
    const first = nextSession(undefined, t0, false);
    expect(nextSession(first, t0 - 5000, false)).toMatchObject({ id: first.id, last: t0 });
  });

  it('are replaced when the stored one is not valid', () => {
    expect(nextSession({ id: '<bad>', last: t0, views: 3 }, t0 + 1, false)).toMatchObject({ views: 0 });
  });
});

describe('the visitor record', () => {
  it('is created once, with an anonymous id, and kept', async () => {
    const store = memoryStore();
    const first = await store.commit((stored) => ({ visitor: visitor(stored), events: [] }));
    const second = await store.commit((stored) => ({ visitor: visitor(stored), events: [] }));
    expect(first.visitor.anon).toMatch(/^[\w-]{8,64}$/);
    expect(second.visitor).toEqual(first.visitor);
  });

  it('is replaced when what is stored is not a valid visitor', () => {
    expect(visitor({ anon: '<script>' }).anon).toMatch(/^[\w-]{8,64}$/);
    expect(visitor(undefined).anon).toMatch(/^[\w-]{8,64}$/);
  });

  it('is a copy: steps change it, not what was read', () => {
    const stored = { anon: 'anon-00000001', user: 'member-1' };
    const copy = visitor(stored);
    copy.user = 'member-2';
    expect(stored.user).toBe('member-1');
  });
});

describe('consent', () => {
  it('defaults to granted on opt-out sites and to nothing on opt-in sites', () => {
    expect(consentState('opt-out', undefined, false)).toMatchObject({ necessary: true, analytics: true, marketing: true, decided: false });
    expect(consentState('opt-in', undefined, false)).toMatchObject({ necessary: true, analytics: false, marketing: false, decided: false });
  });

  it("follows the shopper's choice over the mode's default", () => {
    expect(consentState('opt-in', { analytics: true, marketing: false }, false)).toMatchObject({ analytics: true, marketing: false, decided: true });
    expect(consentState('opt-out', { analytics: false, marketing: false }, false)).toMatchObject({ analytics: false, marketing: false, decided: true });
  });

  it('denies marketing under Global Privacy Control, whatever else says', () => {
    expect(consentState('opt-out', undefined, true).marketing).toBe(false);
    expect(consentState('opt-in', { analytics: true, marketing: true }, true)).toMatchObject({ analytics: true, marketing: false, gpc: true });
  });

  it('updates only the categories named', () => {
    const state = consentState('opt-in', { analytics: true, marketing: false }, false);
    expect(mergeChoice(state, { marketing: true })).toEqual({ analytics: true, marketing: true });
    expect(mergeChoice(state, { analytics: false, marketing: 'yes' as never })).toEqual({ analytics: false, marketing: false });
  });

  it("records the shopper's first choice and every change, not a repeat", () => {
    const undecided = consentState('opt-out', undefined, false);
    const accepted = consentState('opt-out', { analytics: true, marketing: true }, false);
    const refused = consentState('opt-out', { analytics: false, marketing: false }, false);
    expect(consentChanged(undecided, accepted)).toBe(true);
    expect(consentChanged(accepted, refused)).toBe(true);
    expect(consentChanged(accepted, accepted)).toBe(false);
  });
});
