/**
 * The blocks one request reads: each verified against its CID by the
 * IPFSClient (or taken verified from the gateway's block cache), each fetch
 * under a time limit, the request's reads counted
 * against a budget, and the last few kept so that the blocks read to resolve a
 * path are not fetched again when they are sent. Identity CIDs are answered
 * from the CID itself.
 */
import type { CID } from 'multiformats/cid'
import type { IPFSClient } from '../../lib/ipfs/client.ts'
import { IPFSError } from '../../lib/ipfs/errors.ts'
import type { VerifiedBlockCache } from './block-cache.ts'

/** Multihash code of identity CIDs: the block is the digest. */
export const IDENTITY_HASH = 0x00

/** A block and its verified bytes. */
export interface Block {
  cid: CID
  bytes: Uint8Array
}

/** What one response may read. */
export interface ReadBudget {
  /** Blocks read in all (a block read twice counts twice). */
  maxBlocks: number
  /** Bytes of those blocks. */
  maxBytes: number
}

/**
 * One CAR response reads at most 100 000 blocks and 256 MiB: a module's
 * artifact or document is far smaller (the gateway serves content up to
 * 16 MiB), and a walk through an endless DAG of duplicates stops.
 */
export const DEFAULT_READ_BUDGET: ReadBudget = { maxBlocks: 100_000, maxBytes: 256 * 1024 * 1024 }

/** Time allowed for one block fetch (as the IPFS client's default attempt). */
export const DEFAULT_BLOCK_TIMEOUT_MS = 10_000

/** Blocks kept for reuse within a request: few, and small in all. */
const MEMO_ENTRIES = 64
const MEMO_BYTES = 4 * 1024 * 1024

export interface BlockReaderOptions {
  budget: ReadBudget
  timeoutMs: number
  /** Aborted when the client goes away. */
  signal: AbortSignal
  /** Verified blocks shared across requests. */
  cache?: VerifiedBlockCache
}

export class BlockReader {
  readonly #ipfs: IPFSClient
  readonly #options: BlockReaderOptions
  readonly #memo = new Map<string, Uint8Array>()
  #memoBytes = 0
  #blocks = 0
  #bytes = 0

  constructor(ipfs: IPFSClient, options: BlockReaderOptions) {
    this.#ipfs = ipfs
    this.#options = options
  }

  get signal(): AbortSignal {
    return this.#options.signal
  }

  /** The verified bytes of `cid`; `timeoutMs` overrides the per-fetch limit. */
  async get(cid: CID, timeoutMs = this.#options.timeoutMs): Promise<Uint8Array> {
    this.#options.signal.throwIfAborted()
    const key = cid.toString()
    let bytes = this.#memo.get(key)
    if (bytes === undefined) {
      bytes = cid.multihash.code === IDENTITY_HASH ? cid.multihash.digest : await this.#fetch(cid, timeoutMs)
      this.#remember(key, bytes)
    }
    this.#count(cid, bytes)
    return bytes
  }

  async #fetch(cid: CID, timeoutMs: number): Promise<Uint8Array> {
    const { cache, signal } = this.#options
    // A fetch with its own time limit (only-if-cached) is not shared: others would inherit its limit.
    if (cache !== undefined && timeoutMs === this.#options.timeoutMs) {
      return await cache.get(cid, () => this.#ipfs.getBlock(cid, { attempts: 1, timeoutMs }), signal)
    }
    return cache?.peek(cid) ?? await this.#ipfs.getBlock(cid, { attempts: 1, timeoutMs, signal })
  }

  #count(cid: CID, bytes: Uint8Array): void {
    const { maxBlocks, maxBytes } = this.#options.budget
    this.#blocks += 1
    this.#bytes += bytes.length
    if (this.#blocks > maxBlocks || this.#bytes > maxBytes) {
      throw new IPFSError('IPFS_TOO_LARGE', `reading ${cid} goes over what one response may read (${maxBlocks} blocks, ${maxBytes} bytes): ask for a smaller part of the DAG (dag-scope, entity-bytes, a path)`)
    }
  }

  #remember(key: string, bytes: Uint8Array): void {
    if (bytes.length > MEMO_BYTES / 4) return
    this.#memo.set(key, bytes)
    this.#memoBytes += bytes.length
    for (const [oldKey, old] of this.#memo) {
      if (this.#memo.size <= MEMO_ENTRIES && this.#memoBytes <= MEMO_BYTES) break
      this.#memo.delete(oldKey)
      this.#memoBytes -= old.length
    }
  }
}
