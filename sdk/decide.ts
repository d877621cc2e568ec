/** The client of POST /v1/decide (edge/contract/decision.ts). Every failure is silent: no
 * decision means no prompt, never an error. */
import type { DecideRequestT, DecisionT } from '../edge/contract';

export interface Decided {
  decision: DecisionT;
  /** The `data-touchpoint` slot an inline decision fills; null for the overlay. */
  slot: string | null;
}

/** Asks the edge for this page's decisions; none when it cannot answer (404, offline, errors). */
export async function requestDecisions(endpoint: string, request: DecideRequestT): Promise<Decided[]> {
  try {
    const response = await fetch(`${endpoint}/v1/decide`, { method: 'POST', body: JSON.stringify(request), credentials: 'omit' });
    return response.ok ? decisionsIn(await response.json()) : [];
  } catch {
    return [];
  }
}

/** Enough of a decision to act on, naming a widget that can be a module's file name. */
const isDecision = (value: unknown): value is DecisionT => {
  const d = value as DecisionT | null;
  return typeof d?.decision_id == 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(d.widget) && typeof d.trigger?.type == 'string';
};

/** Where a widget's module is (its name was checked by decisionsIn). */
export const widgetUrl = (endpoint: string, widget: string): string => `${endpoint}/widgets/${widget}.js`;

/** The usable decisions of a response, overlay first; malformed ones are skipped. */
export function decisionsIn(response: unknown): Decided[] {
  const { overlay, inline } = (response ?? {}) as { overlay?: unknown; inline?: unknown };
  const decided: Decided[] = isDecision(overlay) ? [{ decision: overlay, slot: null }] : [];
  for (const decision of Array.isArray(inline) ? inline : []) {
    if (isDecision(decision)) decided.push({ decision, slot: decision.slot ?? decision.widget });
  }
  return decided;
}

/** The names of the page's inline placements: `<div data-touchpoint="recommendations">`. */
export const slotNames = (): string[] =>
  [...new Set(Array.from(document.querySelectorAll<HTMLElement>('[data-touchpoint]'), (element) => element.dataset.touchpoint!))]
    .filter((name) => name && name.length <= 64)
    .slice(0, 20);
