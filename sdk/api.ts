/** The `touchpoint` function and its methods: every call is guarded, calls made before init()
 * wait with their context, and init() starts the tracker once. */
import { guard, report } from './report';
import { createTracker, here, type CallContext, type Tracker } from './tracker';
import type { InitOptions, TouchpointApi } from './types';

const METHODS = ['init', 'track', 'page', 'identify', 'reset', 'consent', 'decide'] as const;

export type TouchpointFunction = ((method: (typeof METHODS)[number], ...args: unknown[]) => unknown) & TouchpointApi & { loaded: true };
export type Call = (method: unknown, args: unknown[], context?: CallContext) => unknown;

/** `defaultEndpoint`: the origin the script was loaded from, when there is a script. */
export function createTouchpoint(defaultEndpoint?: string): { touchpoint: TouchpointFunction; call: Call } {
  let tracker: Tracker | undefined;
  const waiting: [unknown, unknown[], CallContext][] = [];

  const init = (options: InitOptions | undefined) => {
    const endpoint = (options?.endpoint || defaultEndpoint || '').replace(/\/+$/, '');
    if (tracker || !options?.site || !endpoint) return report('init() needs {site, endpoint}, once');
    tracker = createTracker({
      site: options.site,
      endpoint,
      consentMode: options.consentMode == 'opt-in' ? 'opt-in' : 'opt-out',
      autoPageViews: options.autoPageViews !== false,
      dataLayer: options.dataLayer === false ? false : options.dataLayer || 'dataLayer',
    });
    waiting.splice(0).forEach((waited) => call(...waited));
    // After the rest of the stub queue (or the module user's first lines) ran.
    queueMicrotask(guard(tracker.start));
  };

  const call: Call = guard((method, args, context = here()) => {
    if (method == 'init') return init(args[0] as InitOptions);
    if (!METHODS.includes(method as never)) return report(`no method "${method}"`);
    if (!tracker) return void waiting.push([method, args, context]);
    return tracker[method as Exclude<(typeof METHODS)[number], 'init'>](args[0], args[1], context);
  });

  const touchpoint = ((method: unknown, ...args: unknown[]) => call(method, args)) as TouchpointFunction;
  for (const method of METHODS) (touchpoint as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => call(method, args);
  touchpoint.loaded = true;
  return { touchpoint, call };
}
