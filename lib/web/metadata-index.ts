/**
 * Search over verified module metadata. Documents enter only after they were
 * fetched and hash-checked against their CID and passed the schema; what the
 * search needs (name, version, description, keywords) is kept by CID in
 * IndexedDB, so a return visit can search at once what an earlier visit
 * verified. A CID names its bytes forever, so an entry never goes stale;
 * which CID a module points to is always read from the chain again.
 */
import type { ModuleRecord } from '../types/chain.ts'
import type { ModuleMetadata } from '../types/metadata.ts'

export interface IndexedMetadata {
  name: string
  version: string
  description: string
  keywords: string[]
}

const DB_NAME = 'modnet-metadata-index'
const STORE = 'documents'
/** Writes are grouped: one IndexedDB transaction per this many documents or this long. */
const WRITE_BATCH = 500
const WRITE_DELAY_MS = 1000

export class MetadataIndex {
  readonly #documents = new Map<string, IndexedMetadata>()
  /** Lower-cased searchable text per CID, built once (a search scans up to every module). */
  readonly #text = new Map<string, string>()
  readonly #db: IDBDatabase | undefined
  #pending = new Map<string, IndexedMetadata>()
  #timer: ReturnType<typeof setTimeout> | undefined

  private constructor(db: IDBDatabase | undefined) {
    this.#db = db
  }

  /** The index with what this browser kept; in memory only where IndexedDB is unavailable. */
  static async open(): Promise<MetadataIndex> {
    let db: IDBDatabase | undefined
    try {
      db = typeof indexedDB === 'undefined' ? undefined : await openDatabase()
    } catch {
      db = undefined // private browsing, blocked storage: search still works for this visit
    }
    const index = new MetadataIndex(db)
    if (db !== undefined) {
      try {
        for (const [cid, document] of await readAll(db)) index.#put(cid, document)
      } catch { /* an unreadable store starts empty */ }
    }
    return index
  }

  /** How many documents the index holds. */
  get size(): number {
    return this.#documents.size
  }

  /** Whether entries survive this visit. */
  get persistent(): boolean {
    return this.#db !== undefined
  }

  get(cid: string): IndexedMetadata | undefined {
    return this.#documents.get(cid)
  }

  /** Adds a document that was hash-checked against `cid` and validated. */
  add(cid: string, metadata: ModuleMetadata): IndexedMetadata {
    const entry: IndexedMetadata = { name: metadata.name, version: metadata.version, description: metadata.description ?? '', keywords: [...(metadata.keywords ?? [])] }
    this.#put(cid, entry)
    if (this.#db !== undefined) {
      this.#pending.set(cid, entry)
      if (this.#pending.size >= WRITE_BATCH) void this.flush()
      else this.#timer ??= setTimeout(() => void this.flush(), WRITE_DELAY_MS)
    }
    return entry
  }

  /**
   * Whether `query` matches a module: case-insensitive, every word must occur
   * in its key or in its indexed name, description or keywords.
   */
  matches(query: string, record: ModuleRecord): boolean {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean)
    if (words.length === 0) return true
    const text = `${record.key} ${this.#text.get(record.cid) ?? ''}`
    return words.every((word) => text.includes(word))
  }

  #put(cid: string, entry: IndexedMetadata): void {
    this.#documents.set(cid, entry)
    this.#text.set(cid, [entry.name, entry.description, ...entry.keywords].join(' ').toLowerCase())
  }

  /** Writes what was added since the last flush. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#db === undefined || this.#pending.size === 0) return
    const batch = this.#pending
    this.#pending = new Map()
    const tx = this.#db.transaction(STORE, 'readwrite')
    const store = tx.objectStore(STORE)
    for (const [cid, entry] of batch) store.put(entry, cid)
    await new Promise<void>((resolve) => {
      tx.oncomplete = () => resolve()
      tx.onerror = tx.onabort = () => resolve() // full or evicted storage: the entries stay in memory
    })
  }
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('IndexedDB refused to open'))
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'))
  })
}

function readAll(db: IDBDatabase): Promise<[string, IndexedMetadata][]> {
  return new Promise((resolve, reject) => {
    const store = db.transaction(STORE, 'readonly').objectStore(STORE)
    const keys = store.getAllKeys()
    const values = store.getAll()
    // Both come back in key order, from one transaction.
    values.onsuccess = () => resolve((keys.result as string[]).map((cid, i) => [cid, values.result[i] as IndexedMetadata]))
    values.onerror = () => reject(values.error)
  })
}
