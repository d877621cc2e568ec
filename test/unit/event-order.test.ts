import { describe, expect, it } from 'vitest';
import { inBrowserOrder, type Ordered } from '../../edge/profiles/event-order';

interface Row extends Ordered {
  n: number;
}

/** The order spelled out the slow way: each browser's events by seq (by time without seq), then,
 * repeatedly, the browser whose next event is earliest, the first to appear in the batch on a tie. */
function reference(events: readonly Row[]): Row[] {
  const browsers: Row[][] = [];
  const index = new Map<string, number>();
  for (const e of events) {
    if (!index.has(e.anon_id)) index.set(e.anon_id, browsers.push([]) - 1);
    browsers[index.get(e.anon_id)!]!.push(e);
  }
  for (const own of browsers) {
    if (own.every((e) => typeof e.seq === 'number')) own.sort((a, b) => a.seq! - b.seq!);
    else own.sort((a, b) => a.ts - b.ts || (a.seq ?? 0) - (b.seq ?? 0));
  }
  const out: Row[] = [];
  while (out.length < events.length) {
    let pick = -1;
    browsers.forEach((own, i) => {
      if (own.length > 0 && (pick < 0 || own[0]!.ts < browsers[pick]![0]!.ts)) pick = i;
    });
    out.push(browsers[pick]!.shift()!);
  }
  return out;
}

/** A small deterministic generator, so a failure names its seed. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

describe('inBrowserOrder', () => {
  it("keeps each browser's own order by seq, even where its clock says otherwise", () => {
    const events: Row[] = [
      { n: 0, anon_id: 'a', ts: 200, seq: 2 },
      { n: 1, anon_id: 'a', ts: 100, seq: 3 },
      { n: 2, anon_id: 'a', ts: 150, seq: 1 },
    ];
    expect(inBrowserOrder(events).map((e) => e.n)).toEqual([2, 0, 1]);
  });

  it('interleaves browsers by the time of their next event, the first seen first on a tie', () => {
    const events: Row[] = [
      { n: 0, anon_id: 'b', ts: 10, seq: 1 },
      { n: 1, anon_id: 'a', ts: 10, seq: 1 },
      { n: 2, anon_id: 'a', ts: 5, seq: 0 },
      { n: 3, anon_id: 'c', ts: 7 },
      { n: 4, anon_id: 'b', ts: 30, seq: 2 },
    ];
    expect(inBrowserOrder(events).map((e) => e.n)).toEqual([2, 3, 0, 1, 4]);
  });

  it('matches the spelled-out order on random batches of many browsers, with and without seq and with shared times', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const browsers = 1 + next(40);
      const events: Row[] = Array.from({ length: next(200) }, (_, n) => ({
        n,
        anon_id: `anon-${next(browsers)}`,
        ts: 1_000 + next(50),
        ...(next(10) === 0 ? {} : { seq: next(1_000) }),
      }));
      expect(inBrowserOrder(events).map((e) => e.n), `seed ${seed}`).toEqual(reference(events).map((e) => e.n));
    }
  });

  it('orders a round of a thousand events from a thousand browsers', () => {
    const events: Row[] = Array.from({ length: 1_000 }, (_, n) => ({ n, anon_id: `anon-${n}`, ts: 5_000 - n, seq: 1 }));
    expect(inBrowserOrder(events).map((e) => e.n)).toEqual(events.map((e) => e.n).reverse());
  });
});
