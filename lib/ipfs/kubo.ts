/**
 * The Kubo backend: a Kubo daemon over its RPC API. Kubo's RPC is
 * admin-level, so it belongs on 127.0.0.1; this client only talks to the URL
 * it is given. Blocks are fetched one by one and verified here: Kubo is a
 * separate process and its answers are checked like anyone's.
 */
import { create, type KuboRPCClient } from 'kubo-rpc-client'
import type { CID } from 'multiformats/cid'
import { UNIXFS_CHUNK_SIZE, UNIXFS_MAX_LINKS, parseCid } from './cid.ts'
import { BlockBackedClient, type AddOptions, type IPFSStatus, type PinOptions } from './client.ts'
import { IPFSError } from './errors.ts'

/** Longest any single Kubo RPC call may take. */
export const KUBO_CALL_TIMEOUT_MS = 5 * 60_000

export class KuboIpfs extends BlockBackedClient {
  readonly kind = 'kubo' as const
  readonly location: string
  readonly #rpc: KuboRPCClient

  constructor(url: string) {
    super()
    this.location = url.replace(/\/+$/, '')
    // Every call has a time limit (pins pass their own signal too): a Kubo
    // searching the network for a missing block would otherwise hold a caller forever.
    this.#rpc = create({ url: `${this.location}/api/v0`, timeout: KUBO_CALL_TIMEOUT_MS })
  }

  protected fetchBlock = async (cid: CID, signal: AbortSignal): Promise<Uint8Array> =>
    await this.#call(`reading block ${cid}`, () => this.#rpc.block.get(cid, { signal }))

  protected async store(bytes: Uint8Array, options: AddOptions): Promise<CID> {
    // Kubo's defaults are CIDv0, 256 KiB chunks and 174 links per node: ask for Helia's layout.
    // (`maxFileLinks` is sent as `max-file-links` but missing from the client's option type.)
    const addOptions = {
      cidVersion: 1 as const,
      rawLeaves: true,
      chunker: `size-${UNIXFS_CHUNK_SIZE}`,
      maxFileLinks: UNIXFS_MAX_LINKS,
      pin: true,
      signal: options.signal,
    }
    const added = await this.#call('adding content', () => this.#rpc.add(bytes, addOptions))
    return added.cid
  }

  async pin(cid: CID | string, options: PinOptions = {}): Promise<void> {
    const parsed = parseCid(cid)
    await this.#call(`pinning ${parsed}`, () => this.#rpc.pin.add(parsed, { signal: options.signal }))
  }

  /** Kubo checks every block of the CAR against its CID itself. */
  async importCar(car: AsyncIterable<Uint8Array>, options: PinOptions = {}): Promise<CID[]> {
    const roots: CID[] = []
    await this.#call('importing a CAR', async () => {
      for await (const result of this.#rpc.dag.import(car, { pinRoots: true, signal: options.signal })) {
        if (result.root.pinErrorMsg) throw new IPFSError('IPFS_UNAVAILABLE', `Kubo could not pin ${result.root.cid}: ${result.root.pinErrorMsg}`)
        roots.push(result.root.cid)
      }
    })
    return roots
  }

  async * listPins(options: PinOptions = {}): AsyncIterable<CID> {
    try {
      for await (const pin of this.#rpc.pin.ls({ type: 'recursive', signal: options.signal })) yield pin.cid
    } catch (error) {
      throw this.#translate('listing pins', error)
    }
  }

  async unpin(cid: CID | string): Promise<void> {
    const parsed = parseCid(cid)
    if (!(await this.isPinned(parsed))) return
    await this.#call(`unpinning ${parsed}`, () => this.#rpc.pin.rm(parsed))
  }

  async isPinned(cid: CID | string): Promise<boolean> {
    const parsed = parseCid(cid)
    try {
      for await (const pin of this.#rpc.pin.ls({ paths: [parsed], type: 'recursive' })) {
        if (pin.cid.equals(parsed)) return true
      }
      return false
    } catch (error) {
      if (/not pinned/i.test((error as Error).message)) return false
      throw this.#translate(`checking the pin of ${parsed}`, error)
    }
  }

  async gc(): Promise<void> {
    await this.#call('collecting garbage', async () => {
      for await (const _ of this.#rpc.repo.gc()) { /* drain */ }
    })
  }

  async status(): Promise<IPFSStatus> {
    try {
      const { version } = await this.#rpc.version({ signal: AbortSignal.timeout(5_000) })
      return { kind: this.kind, location: this.location, ok: true, detail: `Kubo ${version}` }
    } catch (error) {
      return { kind: this.kind, location: this.location, ok: false, detail: this.#translate('contacting Kubo', error).message }
    }
  }

  async #call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      throw this.#translate(what, error)
    }
  }

  #translate(what: string, error: unknown): IPFSError {
    if (error instanceof IPFSError) return error
    const message = (error as Error)?.message ?? String(error)
    if (/not found|no link named|block was not found/i.test(message)) {
      return new IPFSError('IPFS_NOT_FOUND', `${what}: Kubo at ${this.location} does not have it (${message})`, { cause: error })
    }
    return new IPFSError('IPFS_UNAVAILABLE', `${what}: Kubo at ${this.location} failed: ${message}`, { cause: error })
  }
}
