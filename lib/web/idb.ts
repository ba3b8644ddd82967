/** The little of IndexedDB the web app uses: one object store per database, promises instead of events. */

/** Opens database `name` (version 1) with its one object store `store`. */
export function openStore(name: string, store: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name, 1)
    open.onupgradeneeded = () => open.result.createObjectStore(store)
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => reject(open.error ?? new Error('IndexedDB refused to open'))
    open.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'))
  })
}

/** The result of one request. */
export function idbRequest<T>(req: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T)
    req.onerror = () => reject(req.error)
  })
}

/** Resolves when `tx` is over, committed or not (a failed write only costs a cache entry). */
export function settled(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve) => { tx.oncomplete = tx.onerror = tx.onabort = () => resolve() })
}
