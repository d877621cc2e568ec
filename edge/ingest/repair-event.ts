import type { z } from 'zod';
import { Event, parseEvent, SERVER_ONLY_EVENTS, type TrackedEvent } from '../contract';

/** One field the collector dropped so an event could be stored. */
export interface Repair {
  event: string;
  /** `items[].price`: the field, array positions folded. */
  field: string;
  fix: 'dropped';
  message: string;
}

type Container = Record<PropertyKey, unknown> | unknown[];
const isContainer = (value: unknown): value is Container => !!value && typeof value === 'object';

/** Fixes one prop an issue points at. What GA4 itself tolerates is normalised: an id or name sent
 * as a number becomes a string, a numeric string a number, null (Magento's "no coupon") or an empty
 * string for a number absent.
 * Anything else is dropped (a relative image URL, a negative price, an item with neither id nor
 * name). A value that is missing cannot be fixed: a required field stays required. */
function fixAt(props: Container, issue: z.core.$ZodIssue, drops: [unknown[], number][]): 'normalised' | 'dropped' | null {
  const path = issue.path.slice(1);
  const key = path.pop();
  let parent: unknown = props;
  for (const step of path) parent = isContainer(parent) ? (parent as Record<PropertyKey, unknown>)[step as PropertyKey] : undefined;
  if (!isContainer(parent) || key === undefined) return null;
  const record = parent as Record<PropertyKey, unknown>;
  const value = record[key];
  if (value === undefined) return null;
  if (issue.code === 'invalid_type' && issue.expected === 'string' && typeof value === 'number') {
    record[key] = String(value);
    return 'normalised';
  }
  if (issue.code === 'invalid_type' && issue.expected === 'number' && typeof value === 'string' && value.trim() && Number.isFinite(+value)) {
    record[key] = +value;
    return 'normalised';
  }
  if (Array.isArray(parent)) drops.push([parent, key as number]);
  else delete record[key];
  // null, or an empty string where a number belongs (Firstmall's `tax: ''`), means absent.
  return value === null || value === '' ? 'normalised' : 'dropped';
}

/** Liberal in what the collector reads, exact in what it stores: an event that breaks the contract
 * only in props the product can do without is stored with those normalised or dropped, and each
 * drop is returned so it can be counted for the site (normalising is not a fault of the tags). Anything else (a missing transaction_id, a bad
 * id or timestamp, any fault in a server-only shop-fact event) still rejects the event, with the original error. */
export function parseOrRepair(raw: unknown): { event: TrackedEvent; repairs: Repair[] } | { error: z.ZodError } {
  let parsed = parseEvent(raw);
  if (parsed.success) return { event: parsed.data, repairs: [] };
  const error = parsed.error;
  // What the shop's server says of a member (points, tier, coupons) is taken exactly or not at all:
  // a balance or a date dropped would put a wrong fact on the profile.
  const name = isContainer(raw) ? (raw as { name?: unknown }).name : undefined;
  if (typeof name === 'string' && SERVER_ONLY_EVENTS.includes(name)) return { error };
  const props = isContainer(raw) && isContainer((raw as { props?: unknown }).props) ? (raw as { props: Container }).props : null;
  if (!props) return { error };
  const candidate = { ...(raw as object), props: structuredClone(props) };
  const repairs: Repair[] = [];
  for (let pass = 0; pass < 4 && !parsed.success; pass++) {
    const drops: [unknown[], number][] = [];
    for (const issue of parsed.error.issues) {
      if (issue.path[0] !== 'props' || issue.path.length < 2) return { error };
      const fix = fixAt(candidate.props, issue, drops);
      if (!fix) return { error };
      const field = issue.path.slice(1).map((step) => (typeof step === 'number' ? '[]' : `.${String(step)}`)).join('').replace(/^\./, '');
      if (fix === 'dropped') repairs.push({ event: String((raw as { name?: unknown }).name), field, fix, message: issue.message });
    }
    // Array elements go last, highest position first, so the positions of the others hold.
    const dropped = new Set<string>();
    drops
      .sort((a, b) => b[1] - a[1])
      .forEach(([array, index]) => {
        const key = `${drops.findIndex(([other]) => other === array)}:${index}`;
        if (!dropped.has(key)) array.splice(index, 1);
        dropped.add(key);
      });
    parsed = Event.safeParse(candidate);
  }
  return parsed.success ? { event: parsed.data, repairs } : { error };
}
