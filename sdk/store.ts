/** Where the outbox keeps events until the collector acknowledges them, and the visitor record
 * beside them: IndexedDB, shared by every tab of the shop, surviving reloads and crashes, and
 * asynchronous, so it never blocks the page. Where IndexedDB is missing or fails (some private
 * modes), the visitor falls back to localStorage, a cookie or memory (kv.ts) and events to memory. */
import { createStore, promisifyRequest } from 'idb-keyval';
import type { TrackedEvent } from '../edge/contract';
import type { Visitor } from './identity';
import { browserKv, parse } from './kv';

/** The visitor's key among the events (event ids never hold a '~'). */
const VISITOR = '~visitor';

/** Turns the stored visitor into the updated one and the events to store with it. Must not throw. */
export type Step = (stored: Visitor | undefined) => { visitor: Visitor; events: TrackedEvent[] };

export interface EventStore {
  /** One atomic step, serialised with every other tab's: read the visitor, update it, store it and the new events. */
  commit(step: Step): Promise<ReturnType<Step>>;
  events(): Promise<TrackedEvent[]>;
  del(ids: string[]): Promise<void>;
}

/** Memory for events; the visitor in localStorage, a cookie or memory. */
export function memoryStore(): EventStore {
  const kv = browserKv();
  const events = new Map<string, TrackedEvent>();
  return {
    async commit(step) {
      const result = step(parse(kv.get('tp_visitor')));
      kv.set('tp_visitor', JSON.stringify(result.visitor));
      result.events.forEach((event) => events.set(event.id, event));
      return result;
    },
    events: async () => [...events.values()],
    del: async (ids) => ids.forEach((id) => events.delete(id)),
  };
}

function idbStore(dbName: string): EventStore {
  const store = createStore(dbName, 'outbox');
  return {
    commit: (step) =>
      store('readwrite', (objects) => {
        let result: ReturnType<Step>;
        const read = objects.get(VISITOR);
        read.onsuccess = () => {
          result = step(read.result);
          objects.put(result.visitor, VISITOR);
          result.events.forEach((event) => objects.put(event, event.id));
        };
        return promisifyRequest(objects.transaction).then(() => result);
      }),
    // The visitor record is the one value without a name.
    events: () => store('readonly', (objects) => promisifyRequest(objects.getAll())).then((values) => values.filter((value) => value.name)),
    del: (ids) =>
      store('readwrite', (objects) => {
        ids.forEach((id) => objects.delete(id));
        return promisifyRequest(objects.transaction);
      }),
  };
}

/** IndexedDB while it works; on its first failure, memory (and kv) for the rest of the page. */
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
    commit: (step) => fallBack((s) => s.commit(step)),
    events: () => fallBack((s) => s.events()),
    del: (ids) => fallBack((s) => s.del(ids)),
  };
}
