/** The client side of a decision's trigger: the edge decides what to show, the page knows when
 * (time on page, scroll depth, exit intent, an add to cart). */
import type { TriggerT } from '../edge/contract';
import { guard } from './report';

export interface ViewState {
  /** When the page view started (ms epoch). */
  start: number;
  sessionViews: number;
  /** A touch device: no pointer leaves the window, so exit intent falls back to a timer. Read from
   * the page here when not given (sdk.js need not carry that code). */
  touch?: boolean;
  /** Subscribes to this view's add_to_cart events (the view's end unsubscribes). */
  onAddToCart(listener: () => void): void;
}

/** Calls `fire` once when the trigger fires; returns a function that disarms it. */
export function armTrigger(trigger: TriggerT, view: ViewState, fire: () => void): () => void {
  const cleanups: (() => void)[] = [];
  const disarm = () => cleanups.splice(0).forEach((cleanup) => cleanup());
  const once = guard(() => {
    disarm();
    fire();
  });
  const after = (ms: number) => {
    const timer = setTimeout(once, Math.max(0, ms - (Date.now() - view.start)));
    cleanups.push(() => clearTimeout(timer));
  };
  const listen = (target: EventTarget, type: string, listener: (event: Event) => void) => {
    const guarded = guard(listener);
    target.addEventListener(type, guarded, { passive: true });
    cleanups.push(() => target.removeEventListener(type, guarded));
  };
  switch (trigger.type) {
    case 'immediate':
    case 'return_visit':
      once();
      break;
    case 'page_views':
      if (view.sessionViews >= trigger.count) once();
      break;
    case 'time_on_page':
      after(trigger.seconds * 1000);
      break;
    case 'scroll_depth': {
      const check = () => {
        const root = document.documentElement;
        if (((scrollY + innerHeight) / Math.max(1, root.scrollHeight)) * 100 >= trigger.percent) once();
      };
      listen(window, 'scroll', check);
      check();
      break;
    }
    case 'exit_intent':
      if (view.touch ?? matchMedia('(hover: none)').matches) after((trigger.mobile_fallback_seconds ?? 30) * 1000);
      else
        listen(document, 'mouseout', (event) => {
          const { relatedTarget, clientY } = event as MouseEvent;
          if (!relatedTarget && clientY <= 0 && Date.now() - view.start >= (trigger.min_dwell_seconds ?? 5) * 1000) once();
        });
      break;
    case 'add_to_cart':
      view.onAddToCart(once);
      break;
  }
  return disarm;
}
