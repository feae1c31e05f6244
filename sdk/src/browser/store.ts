import type { FaultlineEvent } from '../shared/types.js';
import type { QueueStore } from '../transports/types.js';

/** The result of an IndexedDB request, as a promise. */
function done<T>(r: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** The queue survives reloads, in IndexedDB (every browser the bundle targets has it, private windows too). */
export function browserStore(name: string): QueueStore {
  const key = 'faultline:' + name;
  let db: Promise<IDBDatabase> | undefined;

  function idb<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest): Promise<T> {
    return Promise.resolve()
      .then(() => {
        if (!db) {
          const r = indexedDB.open('faultline', 1);
          r.onupgradeneeded = () => r.result.createObjectStore('q');
          db = done(r);
        }
        return db;
      })
      .then((d) => done<T>(op(d.transaction('q', mode).objectStore('q'))));
  }

  return {
    load() {
      return idb<FaultlineEvent[] | undefined>('readonly', (s) => s.get(key)).then((v) => v || []);
    },
    save(events) {
      return idb('readwrite', (s) => s.put(events, key));
    },
  };
}
