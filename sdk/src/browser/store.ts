import type { FaultlineEvent } from '../shared/types.js';
import type { QueueStore } from '../transports/types.js';

type Ev = FaultlineEvent[];

/** The queue survives reloads: IndexedDB when it works, localStorage when it does not. */
export function browserStore(name: string): QueueStore {
  const key = 'faultline:' + name;
  let db: Promise<IDBDatabase> | undefined;

  function open(): Promise<IDBDatabase> {
    return (db ||= new Promise((resolve, reject) => {
      const r = indexedDB.open('faultline', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('q');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    }));
  }

  function idb<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest): Promise<T> {
    return Promise.resolve()
      .then(open)
      .then(
        (d) =>
          new Promise<T>((resolve, reject) => {
            const r = op(d.transaction('q', mode).objectStore('q'));
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          }),
      );
  }

  return {
    load() {
      return idb<Ev | undefined>('readonly', (s) => s.get(key)).then(
        (v) => v || [],
        () => JSON.parse(localStorage.getItem(key) || '[]') as Ev,
      );
    },
    save(events: Ev) {
      return idb('readwrite', (s) => s.put(events, key)).catch(() => localStorage.setItem(key, JSON.stringify(events)));
    },
  };
}
