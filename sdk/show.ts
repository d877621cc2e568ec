/** sdk-show.js: what runs only once /v1/decide named a widget, so it is not part of sdk.js (the
 * budget counts what every page loads). Loads each decided widget's module, arms its trigger
 * and mounts it when the trigger fires. */
import { cartItemIds } from './cart';
import { widgetUrl, type Decided } from './decide';
import { browserKv } from './kv';
import { guard } from './report';
import { armTrigger, type ViewState } from './triggers';
import type { WidgetHost, WidgetModule } from './widget-api';

export interface ShowContext {
  /** `lang` and `cart` are read from the page here when not given (sdk.js need not carry that code). */
  host: Omit<WidgetHost, 'track' | 'lang'> & Partial<Pick<WidgetHost, 'lang'>>;
  /** Tracks an event through the SDK's outbox. */
  track(name: string, props: Record<string, unknown>): void;
  view: ViewState;
  /** Imports a module by URL (tests pass their own). */
  load?: (url: string) => Promise<unknown>;
  /** Where the page's `data-touchpoint` slots are (tests pass their own). */
  root?: ParentNode;
}

/** The widget's module, or null when there is none (an unknown widget) or it does not mount. */
export async function loadWidget(url: string, load: (url: string) => Promise<unknown>): Promise<WidgetModule | null> {
  try {
    const module = (await load(url)) as Partial<WidgetModule> | null;
    return typeof module?.mount == 'function' ? (module as WidgetModule) : null;
  } catch {
    return null;
  }
}

/** Shows this view's decisions; returns a function that disarms and unmounts them all. */
export function show(decided: Decided[], { host: given, track, view, load = (url) => import(/* webpackIgnore: true */ /* @vite-ignore */ url), root = document }: ShowContext): () => void {
  // The SDK passes neither; tests pass both.
  const host: Omit<WidgetHost, 'track'> = given.lang
    ? { ...given, lang: given.lang }
    : { ...given, lang: /^ko/i.test(document.documentElement.lang || navigator.language) ? 'ko' : 'en', cart: cartItemIds(browserKv()) };
  const cleanups: (() => void)[] = [];
  let closed = false;
  const slots = new Map<string, HTMLElement>();
  root.querySelectorAll<HTMLElement>('[data-touchpoint]').forEach((element) => slots.has(element.dataset.touchpoint!) || slots.set(element.dataset.touchpoint!, element));
  for (const { decision, slot } of decided) {
    const element = slot === null ? null : slots.get(slot);
    // An inline decision for a slot this page does not have.
    if (element === undefined) continue;
    const module = loadWidget(widgetUrl(host.endpoint, decision.widget), load);
    const widgetHost: WidgetHost = {
      ...host,
      track: (name, props) => track(name, { ...props, decision_id: decision.decision_id, widget: decision.widget, variant: decision.variant }),
    };
    const mount = () =>
      module.then(
        guard((widget) => {
          if (!widget || closed) return;
          const unmount = widget.mount({ decision, host: widgetHost, slot: element });
          if (typeof unmount == 'function') cleanups.push(unmount);
        }),
      );
    cleanups.push(armTrigger(decision.trigger, view, mount));
  }
  return () => {
    closed = true;
    cleanups.splice(0).forEach((cleanup) => guard(cleanup)());
  };
}
