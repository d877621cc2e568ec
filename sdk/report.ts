/** The SDK runs inside someone else's shop: its failures are reported to the console once each
 * and never thrown into the page. */
const reported = new Set<string>();

export function report(problem: unknown): void {
  const text = String(problem);
  if (reported.has(text)) return;
  reported.add(text);
  console.warn('[touchpoint]', problem);
}

/** Wraps an entry point (public method, event listener, timer) so it cannot throw. */
export function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
  return (...args) => {
    try {
      return fn(...args);
    } catch (err) {
      report(err);
    }
  };
}
