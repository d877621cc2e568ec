/** Single-page-app navigation: history.pushState/replaceState, popstate (back, forward and
 * fragment navigation), and pages restored from the back/forward cache. The tracker decides
 * whether a change is a new page view. */
import { guard } from './report';

/** The part of a URL that makes a page view: the fragment counts only for hash routers (`#/`, `#!`). */
export const viewKey = (href: string): string => href.replace(/#(?![!/]).*$/, '');

export function watchNavigation(onChange: () => void, onRestore: () => void): void {
  const changed = guard(onChange);
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      changed();
      return result;
    };
  }
  addEventListener('popstate', changed);
  addEventListener('pageshow', guard((event: PageTransitionEvent) => event.persisted && onRestore()));
}
