/** Hands a promise to the request's `waitUntil`, so work outlives the response. */
export type Defer = (work: Promise<unknown>) => void;

interface Entry<V> {
  value: V;
  expires: number;
  refreshing: boolean;
}

/** A per-isolate cache with expiry. Workers isolates are reused across requests, so this keeps
 * hot reads (site settings, config) off KV while bounding how stale they can be.
 *
 * A caller that can `defer` work is not made to wait on a reload it need not wait for: for one
 * more TTL after expiry the stale value answers while a single refresh runs in the background
 * (a KV read on the request path was the slowest one percent of decisions). Past that, and for
 * callers without `defer`, the load is awaited as before. `load` is handed the value it replaces,
 * so a load whose source has not changed can return it as it is (no parse, and the same object). */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  async get(key: string, load: (previous: V | undefined) => Promise<V>, now = Date.now(), defer?: Defer): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (hit && defer && hit.expires + this.ttlMs > now) {
      if (!hit.refreshing) {
        hit.refreshing = true;
        defer(
          load(hit.value).then(
            // A delete (the value changed here) while the refresh ran wins over what it read.
            (value) => this.entries.get(key) === hit && this.set(key, value, now),
            (err) => {
              hit.refreshing = false;
              console.error(`cache refresh of ${key} failed; the previous value stays`, err);
            },
          ),
        );
      }
      return hit.value;
    }
    const value = await load(hit?.value);
    this.set(key, value, now);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private set(key: string, value: V, now: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expires: now + this.ttlMs, refreshing: false });
  }
}
