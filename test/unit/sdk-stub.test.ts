import { afterEach, describe, expect, it, vi } from 'vitest';
import { replay, type StubCall } from '../../sdk/stub';
import type { CallContext } from '../../sdk/tracker';

/** What the embed stub pushes: the call's `arguments`, stamped with time and page when the README's stub made it. */
function stubCall(t: number | undefined, u: string | undefined, ...args: unknown[]): StubCall {
  const call = (function (..._args: unknown[]) {
    // eslint-disable-next-line prefer-rest-params
    return arguments;
  })(...args) as StubCall;
  if (t !== undefined) call.t = t;
  if (u !== undefined) call.u = u;
  return call;
}

describe('replaying the stub queue', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('replays every call in order, with the time and page it was made on', () => {
    const calls: [unknown, unknown[], CallContext | undefined][] = [];
    replay(
      [
        stubCall(1000, 'https://shop.example/a', 'track', 'view_item', { items: [] }),
        stubCall(2000, 'https://shop.example/b', 'page', { page_type: 'cart' }),
        stubCall(3000, 'https://shop.example/b', 'consent', { analytics: true }),
      ],
      (method, args, context) => calls.push([method, args, context]),
    );
    expect(calls).toEqual([
      ['track', ['view_item', { items: [] }], { url: 'https://shop.example/a', ts: 1000 }],
      ['page', [{ page_type: 'cart' }], { url: 'https://shop.example/b', ts: 2000 }],
      ['consent', [{ analytics: true }], { url: 'https://shop.example/b', ts: 3000 }],
    ]);
  });

  it("takes DESIGN.md's plain stub (no stamps): the page and time of the replay stand in", () => {
    vi.stubGlobal('location', { href: 'https://shop.example/now' });
    const before = Date.now();
    const calls: CallContext[] = [];
    replay([stubCall(undefined, undefined, 'track', 'login')], (_m, _a, context) => calls.push(context!));
    expect(calls[0]!.url).toBe('https://shop.example/now');
    expect(calls[0]!.ts).toBeGreaterThanOrEqual(before);
  });

  it('keeps replaying after a call that throws, reporting it once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const methods: unknown[] = [];
    replay([stubCall(1, 'https://a.example/', 'track', 'x'), stubCall(2, 'https://a.example/', 'page')], (method) => {
      methods.push(method);
      if (method == 'track') throw new Error('boom in replay');
    });
    expect(methods).toEqual(['track', 'page']);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('accepts an empty or missing queue', () => {
    expect(() => replay(undefined, () => {})).not.toThrow();
    expect(() => replay([], () => {})).not.toThrow();
  });
});
