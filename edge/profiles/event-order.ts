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

/** One browser's events in its own order, and how many of them are already out. */
interface Queue<E> {
  events: E[];
  next: number;
  /** First appearance in the batch: breaks ties between browsers whose next events share a time. */
  rank: number;
}

export function inBrowserOrder<E extends Ordered>(events: readonly E[]): E[] {
  const browsers = new Map<string, E[]>();
  for (const e of events) {
    const own = browsers.get(e.anon_id);
    if (own) own.push(e);
    else browsers.set(e.anon_id, [e]);
  }
  // Events from a client without seq (a shop's server, an older SDK) keep time order.
  const queues: Queue<E>[] = [...browsers.values()].map((own, rank) => ({
    events: own.every((e) => typeof e.seq === 'number') ? own.sort((a, b) => a.seq! - b.seq!) : own.sort(byTime),
    next: 0,
    rank,
  }));
  if (queues.length === 1) return queues[0]!.events;
  // Merge: the browser whose next event is earliest goes first. A binary heap keeps a round of a
  // thousand events from a thousand browsers linear-logarithmic (picking by scan was quadratic).
  const headTs = (q: Queue<E>) => q.events[q.next]!.ts;
  const before = (a: Queue<E>, b: Queue<E>) => headTs(a) < headTs(b) || (headTs(a) === headTs(b) && a.rank < b.rank);
  const heap = queues;
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
  const out: E[] = [];
  while (heap.length > 0) {
    const top = heap[0]!;
    out.push(top.events[top.next++]!);
    if (top.next === top.events.length) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    siftDown(0);
  }
  return out;
}
