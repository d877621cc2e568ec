const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"])';

/** The element that really has focus, looking into open shadow roots (document.activeElement stops at a host). */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Keeps Tab and Shift+Tab inside `container`: from the last stop to the first and back. Widgets
 * start and end with a button, so the browser's own order is right everywhere in between. */
export function trapTab(event: KeyboardEvent, container: HTMLElement): void {
  if (event.key !== 'Tab') return;
  const stops = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
  const active = (container.getRootNode() as ShadowRoot).activeElement;
  const first = stops[0];
  const last = stops[stops.length - 1];
  const outside = !active || !container.contains(active);
  if (!first || !last) {
    event.preventDefault();
  } else if (event.shiftKey && (outside || active === first || active === container)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (outside || active === last)) {
    event.preventDefault();
    first.focus();
  }
}
