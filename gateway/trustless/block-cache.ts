/**
 * Verified blocks kept in memory across requests, so the blocks everybody
 * asks for (registered metadata: few, small, read again and again) cost no
 * trip to the IPFS backend. Only bytes the IPFS client has verified against
 * their CID enter, and a CID names its bytes forever, so an entry never goes
 * stale. Bounded by bytes, least recently used out first; concurrent misses
 * for one CID share one fetch, so a crowd asking for a new block at once
 * costs one read.
 */
import type { CID } from 'multiformats/cid'

export interface BlockCacheLimits {
  /** All cached bytes together. */
  maxBytes: number
  /** Larger blocks are served but not kept. */
  maxBlockBytes: number
}

export const DEFAULT_BLOCK_CACHE_LIMITS: BlockCacheLimits = { maxBytes: 64 * 1024 * 1024, maxBlockBytes: 1024 * 1024 }

export interface BlockCacheStats {
  hits: number
  misses: number
  blocks: number
  bytes: number
}

export class VerifiedBlockCache {
  readonly #limits: BlockCacheLimits
  /** Insertion order is recency: a hit moves its entry to the end. */
  readonly #blocks = new Map<string, Uint8Array>()
  readonly #fetching = new Map<string, Promise<Uint8Array>>()
  #bytes = 0
  #hits = 0
  #misses = 0

  constructor(limits: BlockCacheLimits = DEFAULT_BLOCK_CACHE_LIMITS) {
    this.#limits = limits
  }

  /**
   * The bytes of `cid`: from memory, or from `fetchVerified` (which must
   * verify them against `cid`), shared with every caller asking meanwhile.
   * `signal` ends this caller's wait, not a fetch others may be waiting for.
   */
  async get(cid: CID, fetchVerified: () => Promise<Uint8Array>, signal?: AbortSignal): Promise<Uint8Array> {
    const cached = this.peek(cid)
    if (cached !== undefined) return cached
    const key = cid.toString()
    let fetching = this.#fetching.get(key)
    if (fetching === undefined) {
      fetching = fetchVerified()
      this.#fetching.set(key, fetching)
      fetching.then((bytes) => this.#keep(key, bytes), () => undefined).finally(() => this.#fetching.delete(key))
    }
    return await untilAborted(fetching, signal)
  }

  /** The bytes of `cid` if they are in memory (a miss is counted, nothing is fetched). */
  peek(cid: CID): Uint8Array | undefined {
    const key = cid.toString()
    const cached = this.#blocks.get(key)
    if (cached === undefined) {
      this.#misses++
      return undefined
    }
    this.#hits++
    this.#blocks.delete(key)
    this.#blocks.set(key, cached)
    return cached
  }

  /** Forgets every block (content the gateway let go must stop being served from here too). */
  clear(): void {
    this.#blocks.clear()
    this.#bytes = 0
  }

  get stats(): BlockCacheStats {
    return { hits: this.#hits, misses: this.#misses, blocks: this.#blocks.size, bytes: this.#bytes }
  }

  #keep(key: string, bytes: Uint8Array): void {
    if (bytes.length > this.#limits.maxBlockBytes || this.#blocks.has(key)) return
    this.#blocks.set(key, bytes)
    this.#bytes += bytes.length
    for (const [oldest, old] of this.#blocks) {
      if (this.#bytes <= this.#limits.maxBytes) break
      this.#blocks.delete(oldest)
      this.#bytes -= old.length
    }
  }
}

async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return await promise
  signal.throwIfAborted()
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([promise, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort!)
  }
}
