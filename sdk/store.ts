/** Where the outbox keeps events until the collector acknowledges them, and the visitor record
 * beside them: IndexedDB, shared by every tab of the shop, surviving reloads and crashes, and
 * asynchronous, so it never blocks the page. Where IndexedDB is missing or fails (some private
 * modes), the visitor falls back to localStorage, a cookie or memory (kv.ts) and events to memory. */
import type { TrackedEvent } from '../edge/contract';
import type { Visitor } from './identity';
import { browserKv, parse } from './kv';

/** The visitor's key among the events (event ids never hold a '~'). */
const VISITOR = '~visitor';
/** The key of the sending tab's claim: who sends the shared outbox, and until when. */
const CLAIM = '~claim';

/** A tab's claim on sending the outbox. IndexedDB serialises readwrite transactions on one store,
 * so reading and writing the claim in the transaction that reads the events is the mutual
 * exclusion between tabs a Web Lock gave, at no platform call of its own. The lease bounds how long
 * a closed tab's claim blocks the others; a tab outliving its lease can only resend what the
 * collector dedupes by event id. */
export interface Claim {
  tab: string;
  until: number;
}

/** Turns the stored visitor into the updated one and the events to store with it. Must not throw. */
export type Step = (stored: Visitor | undefined) => { visitor: Visitor; events: TrackedEvent[] };

/** A commit's outcome: the visitor and the events stored with it. */
export type Committed = ReturnType<Step>;

export interface EventStore {
  /** One atomic step, serialised with every other tab's: read the visitor, update it, store it and the new events. */
  commit(step: Step): Promise<Committed>;
  /** The stored events; with `claim`, only when no other tab's claim is live (else that claim's
   * end, a number), and the claim is this tab's from then on. */
  events(claim?: Claim): Promise<TrackedEvent[] | number>;
  /** Removes events and, with `release`, this tab's claim (by then no other tab's can be live). */
  del(ids: string[], release?: boolean): Promise<void>;
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

/** A request's result, or a transaction's completion, as a promise. */
const settled = <T>(request: IDBRequest<T> | IDBTransaction): Promise<T> =>
  new Promise((resolve, reject) => {
    const r = request as IDBRequest<T> & IDBTransaction;
    r.onsuccess = r.oncomplete = () => resolve(r.result);
    r.onerror = r.onabort = () => reject(r.error);
  });

function idbStore(dbName: string): EventStore {
  let db: Promise<IDBDatabase> | undefined;
  /** One readwrite transaction on the outbox; `work` queues its requests and may return what to
   * answer once the transaction committed. Every operation here writes, so one mode is enough. */
  const store = <T = void>(work: (objects: IDBObjectStore) => (() => T) | void): Promise<T> => {
    if (!db) {
      const open = indexedDB.open(dbName);
      open.onupgradeneeded = () => open.result.createObjectStore('outbox');
      // Closed by the browser (storage cleared): opened again on the next operation.
      (db = settled(open)).then(
        (opened) => (opened.onclose = () => (db = undefined)),
        () => (db = undefined),
      );
    }
    return db.then((opened) => {
      const objects = opened.transaction('outbox', 'readwrite').objectStore('outbox');
      const answer = work(objects);
      return settled(objects.transaction).then(answer || undefined) as Promise<T>;
    });
  };
  return {
    commit: (step) =>
      store((objects) => {
        let result: ReturnType<Step>;
        const read = objects.get(VISITOR);
        read.onsuccess = () => {
          result = step(read.result);
          objects.put(result.visitor, VISITOR);
          result.events.forEach((event) => objects.put(event, event.id));
        };
        return () => result;
      }),
    events: (claim) =>
      store((objects) => {
        let busy = 0;
        const held = objects.get(CLAIM);
        const all = objects.getAll();
        held.onsuccess = () => {
          const other = held.result as Claim | undefined;
          if (claim && other && other.tab != claim.tab && other.until > Date.now()) busy = other.until;
          else if (claim) objects.put(claim, CLAIM);
        };
        // The visitor and the claim are the values without a name.
        return () => busy || all.result.filter((value: TrackedEvent) => value.name);
      }),
    del: (ids, release) =>
      store((objects) => {
        ids.forEach((id) => objects.delete(id));
        if (release) objects.delete(CLAIM);
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
    events: (claim) => fallBack((s) => s.events(claim)),
    del: (ids, release) => fallBack((s) => s.del(ids, release)),
  };
}
