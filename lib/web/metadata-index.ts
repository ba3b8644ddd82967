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
import { idbRequest, openStore, settled } from './idb.ts'

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
/** Entries read per transaction when loading what this browser kept. */
const LOAD_BATCH = 2000

export class MetadataIndex {
  readonly #documents = new Map<string, IndexedMetadata>()
  /** Lower-cased searchable text per CID, built once (a search scans up to every module). */
  readonly #text = new Map<string, string>()
  readonly #db: IDBDatabase | undefined
  #pending = new Map<string, IndexedMetadata>()
  #timer: ReturnType<typeof setTimeout> | undefined

  /** Resolves when everything this browser kept is in memory (loaded in the background, in batches). */
  readonly loaded: Promise<void>

  private constructor(db: IDBDatabase | undefined) {
    this.#db = db
    this.loaded = db === undefined ? Promise.resolve() : this.#loadAll(db).catch(() => undefined) // unreadable: starts empty
  }

  /**
   * The index, at once: what this browser kept is loaded in the background
   * (see {@link loaded}); in memory only where IndexedDB is unavailable.
   */
  static async open(): Promise<MetadataIndex> {
    let db: IDBDatabase | undefined
    try {
      db = typeof indexedDB === 'undefined' ? undefined : await openStore(DB_NAME, STORE)
    } catch {
      db = undefined // private browsing, blocked storage: search still works for this visit
    }
    return new MetadataIndex(db)
  }

  /**
   * Brings these documents into memory now, if this browser kept them (for
   * the rows on screen while the bulk load is still going).
   */
  async lookup(cids: string[]): Promise<void> {
    const missing = cids.filter((cid) => !this.#documents.has(cid))
    if (this.#db === undefined || missing.length === 0) return
    try {
      const store = this.#db.transaction(STORE, 'readonly').objectStore(STORE)
      const found = await Promise.all(missing.map((cid) => idbRequest<IndexedMetadata | undefined>(store.get(cid))))
      found.forEach((entry, i) => { if (entry !== undefined) this.#put(missing[i], entry) })
    } catch { /* fetched from IPFS instead */ }
  }

  /** Reads the store in key order, LOAD_BATCH entries per transaction, so no single task is long. */
  async #loadAll(db: IDBDatabase): Promise<void> {
    let after: string | undefined
    for (;;) {
      const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true)
      const store = db.transaction(STORE, 'readonly').objectStore(STORE)
      const [keys, values] = await Promise.all([idbRequest<string[]>(store.getAllKeys(range, LOAD_BATCH)), idbRequest<IndexedMetadata[]>(store.getAll(range, LOAD_BATCH))])
      keys.forEach((cid, i) => { if (!this.#documents.has(cid)) this.#put(cid, values[i]) })
      if (keys.length < LOAD_BATCH) return
      after = keys[keys.length - 1]
    }
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
    const text = this.#text.get(record.cid) ?? ''
    return words.every((word) => text.includes(word) || record.key.includes(word))
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
    await settled(tx) // full or evicted storage: the entries stay in memory
  }
}
