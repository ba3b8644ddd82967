/**
 * `IPFSClient`: one interface over the three ways Mod-Net reaches IPFS.
 * Every read is verified block by block against the CID; every write is
 * checked against the CID computed here before it is reported.
 */
import type { CID } from 'multiformats/cid'
import { computeCid, parseCid } from './cid.ts'
import { declaredSize, verifiedContent, type BlockFetcher, type ReadOptions } from './content.ts'
import { IPFSError } from './errors.ts'
import { withRetry, type RetryOptions } from './retry.ts'
import { verifyBlock } from './verify.ts'

export type IPFSBackendKind = 'embedded' | 'kubo' | 'gateway'

export interface IPFSStatus {
  kind: IPFSBackendKind
  /** Where the backend is: a directory, an RPC URL, a gateway URL. */
  location: string
  ok: boolean
  /** What was checked, or what went wrong, in words. */
  detail: string
}

export interface CatOptions extends ReadOptions, RetryOptions {}

export interface AddOptions {
  signal?: AbortSignal
}

export interface PinOptions {
  /** Aborts the pin (a backend that fetches missing blocks may otherwise wait long). */
  signal?: AbortSignal
}

export interface IPFSClient {
  readonly kind: IPFSBackendKind
  readonly location: string
  /** Stores `bytes` as a UnixFS file, pinned, and returns its CID (checked against {@link computeCid}). */
  add(bytes: Uint8Array, options?: AddOptions): Promise<CID>
  /** One block, hash-checked (what a trustless gateway serves for `?format=raw`). */
  getBlock(cid: CID | string, options?: RetryOptions): Promise<Uint8Array>
  /** The bytes of `cid`, every block hash-checked; tampered bytes are an `IPFS_VERIFICATION_FAILED` error. */
  cat(cid: CID | string, options?: CatOptions): Promise<Uint8Array>
  pin(cid: CID | string, options?: PinOptions): Promise<void>
  unpin(cid: CID | string): Promise<void>
  isPinned(cid: CID | string): Promise<boolean>
  /** Every CID pinned recursively (for reconciling a ledger with the backend). */
  listPins(options?: PinOptions): AsyncIterable<CID>
  /**
   * The size of `cid`'s content as its root block declares it (a UnixFS
   * file's size, else the block's), reading only the root block (verified).
   */
  contentSize(cid: CID | string, options?: RetryOptions): Promise<bigint>
  /**
   * Imports a CARv1 (every block checked against its CID) and pins its
   * roots; returns the roots. For restoring backups made from `?format=car`.
   */
  importCar(car: AsyncIterable<Uint8Array>, options?: PinOptions): Promise<CID[]>
  /** Deletes unpinned blocks (a no-op where the backend collects garbage itself). */
  gc(): Promise<void>
  status(): Promise<IPFSStatus>
  close(): Promise<void>
}

/** Shared behaviour: verified, retried reads and CID-checked writes over a backend's primitives. */
export abstract class BlockBackedClient implements IPFSClient {
  abstract readonly kind: IPFSBackendKind
  abstract readonly location: string
  protected abstract fetchBlock: BlockFetcher
  /** Stores the bytes; returns the CID the backend reports. */
  protected abstract store(bytes: Uint8Array, options: AddOptions): Promise<CID>
  abstract pin(cid: CID | string, options?: PinOptions): Promise<void>
  abstract unpin(cid: CID | string): Promise<void>
  abstract isPinned(cid: CID | string): Promise<boolean>
  abstract status(): Promise<IPFSStatus>

  async add(bytes: Uint8Array, options: AddOptions = {}): Promise<CID> {
    const [expected, stored] = await Promise.all([computeCid(bytes), this.store(bytes, options)])
    if (!expected.equals(stored)) {
      throw new IPFSError('IPFS_CID_MISMATCH', `${this.kind} IPFS stored the content as ${stored}, but its CID is ${expected}`)
    }
    return expected
  }

  async getBlock(cid: CID | string, options: RetryOptions = {}): Promise<Uint8Array> {
    const parsed = parseCid(cid)
    return await withRetry(`reading block ${parsed} from ${this.kind} IPFS (${this.location})`,
      async (signal) => verifyBlock(parsed, await this.fetchBlock(parsed, signal)), options)
  }

  async cat(cid: CID | string, options: CatOptions = {}): Promise<Uint8Array> {
    const parsed = parseCid(cid)
    return await withRetry(`reading ${parsed} from ${this.kind} IPFS (${this.location})`,
      (signal) => verifiedContent(parsed, this.fetchBlock, { maxBytes: options.maxBytes, signal }), options)
  }

  async contentSize(cid: CID | string, options: RetryOptions = {}): Promise<bigint> {
    const parsed = parseCid(cid)
    return await withRetry(`reading the size of ${parsed} from ${this.kind} IPFS (${this.location})`,
      (signal) => declaredSize(parsed, this.fetchBlock, signal), options)
  }

  // eslint-disable-next-line require-yield
  async * listPins(_options: PinOptions = {}): AsyncIterable<CID> {
    throw new IPFSError('IPFS_READ_ONLY', `${this.kind} IPFS (${this.location}) keeps no pins of its own`)
  }

  async importCar(_car: AsyncIterable<Uint8Array>, _options: PinOptions = {}): Promise<CID[]> {
    throw new IPFSError('IPFS_READ_ONLY', `${this.kind} IPFS (${this.location}) cannot import CAR files`)
  }

  async gc(): Promise<void> {}

  async close(): Promise<void> {}
}
