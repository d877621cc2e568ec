/** The calls a page made to the embed stub before the SDK loaded. The stub pushes each call's
 * `arguments`; the recommended stub also stamps it with `t` (time) and `u` (URL), so a call is
 * replayed with the page and time it was made, not those of the moment the SDK arrived. */
import { guard } from './report';
import type { Call } from './api';

export interface StubCall extends ArrayLike<unknown> {
  t?: number;
  u?: string;
}

export function replay(queue: ArrayLike<StubCall> | undefined, call: Call): void {
  Array.from(queue ?? []).forEach(
    guard((entry: StubCall) => {
      const [method, ...args] = Array.from(entry);
      call(method, args, {
        url: typeof entry.u == 'string' ? entry.u : location.href,
        ts: typeof entry.t == 'number' ? entry.t : Date.now(),
      });
    }),
  );
}
