/** Where the outbox keeps events until the collector acknowledges them: IndexedDB, shared by
 * every tab of the shop and surviving reloads and crashes; memory when IndexedDB is missing or
 * fails (some private modes), which keeps the page working with what this tab tracked. */
import { createStore, delMany, setMany, values } from 'idb-keyval';
import type { TrackedEvent } from '../edge/contract';

export interface EventStore {
  put(events: TrackedEvent[]): Promise<void>;
  all(): Promise<TrackedEvent[]>;
  del(ids: string[]): Promise<void>;
}

export function memoryStore(): EventStore {
  const events = new Map<string, TrackedEvent>();
  return {
    put: async (list) => list.forEach((event) => events.set(event.id, event)),
    all: async () => [...events.values()],
    del: async (ids) => ids.forEach((id) => events.delete(id)),
  };
}

function idbStore(dbName: string): EventStore {
  const store = createStore(dbName, 'outbox');
  return {
    put: (list) => setMany(list.map((event) => [event.id, event]), store),
    all: () => values<TrackedEvent>(store),
    del: (ids) => delMany(ids, store),
  };
}

/** IndexedDB while it works; on its first failure, memory for the rest of the page. */
export function outboxStore(site: string): EventStore {
  const memory = memoryStore();
  if (typeof indexedDB == 'undefined') return memory;
  let current = idbStore(`touchpoint-${site}`);
  // Via then(): indexedDB.open may throw synchronously rather than fail its request.
  const fallBack = <A>(op: (store: EventStore) => Promise<A>) =>
    Promise.resolve(current).then(op).catch(() => {
      current = memory;
      return op(memory);
    });
  return {
    put: (list) => fallBack((s) => s.put(list)),
    all: () => fallBack((s) => s.all()),
    del: (ids) => fallBack((s) => s.del(ids)),
  };
}
