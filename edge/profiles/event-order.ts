/** The order a batch's events happened in. Timestamps alone cannot tell: pushes made before the SDK
 * loaded share its start time, back-to-back pushes share a millisecond, and the clock correction of
 * two requests from one browser may cross. Each browser numbers its events (`seq`, monotonic across
 * tabs and reloads), so one browser's events go by that number; browsers are interleaved by time. */
export interface Ordered {
  anon_id: string;
  ts: number;
  seq?: number | null;
}

const byTime = (a: Ordered, b: Ordered) => a.ts - b.ts || (a.seq ?? 0) - (b.seq ?? 0);

export function inBrowserOrder<E extends Ordered>(events: readonly E[]): E[] {
  const browsers = new Map<string, E[]>();
  for (const e of events) browsers.set(e.anon_id, [...(browsers.get(e.anon_id) ?? []), e]);
  const queues = [...browsers.values()].map((own) =>
    // Events from a client without seq (a shop's server, an older SDK) keep time order.
    own.every((e) => typeof e.seq === 'number') ? own.sort((a, b) => a.seq! - b.seq!) : own.sort(byTime),
  );
  const out: E[] = [];
  const heads = queues.map(() => 0);
  while (out.length < events.length) {
    let pick = -1;
    queues.forEach((queue, i) => {
      const head = queue[heads[i]!];
      if (head && (pick < 0 || head.ts < queues[pick]![heads[pick]!]!.ts)) pick = i;
    });
    out.push(queues[pick]![heads[pick]!++]!);
  }
  return out;
}
