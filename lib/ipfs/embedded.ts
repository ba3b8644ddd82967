/**
 * The embedded backend: a Helia node in this process, storing blocks in the
 * blockstore it is given (files in Node, memory or IndexedDB in a browser).
 * It has no network of its own: nothing is dialled, nothing is fetched from
 * peers; content gets out through the Mod-Net gateway, which serves its store.
 */
import { createHeliaLight } from 'helia'
import { unixfs, type UnixFS } from '@helia/unixfs'
import type { Helia } from '@helia/interface'
import type { Blockstore } from 'interface-blockstore'
import type { Datastore } from 'interface-datastore'
import type { CID } from 'multiformats/cid'
import { importSettings, parseCid } from './cid.ts'
import { concatBytes } from './content.ts'
import { BlockBackedClient, type AddOptions, type IPFSStatus, type PinOptions } from './client.ts'
import { IPFSError } from './errors.ts'
import { verifyBlock } from './verify.ts'
import { CarBlockIterator } from '@ipld/car/iterator'

export interface EmbeddedStorage {
  blockstore: Blockstore
  datastore: Datastore
  /** Shown in status and errors, e.g. the directory. */
  location: string
}

export class EmbeddedIpfs extends BlockBackedClient {
  readonly kind = 'embedded' as const
  readonly location: string
  readonly #helia: Helia
  readonly #fs: UnixFS

  private constructor(helia: Helia, location: string) {
    super()
    this.#helia = helia
    this.#fs = unixfs(helia)
    this.location = location
  }

  static async open(storage: EmbeddedStorage): Promise<EmbeddedIpfs> {
    const helia = await createHeliaLight({ blockstore: storage.blockstore, datastore: storage.datastore }).start()
    return new EmbeddedIpfs(helia, storage.location)
  }

  protected fetchBlock = async (cid: CID, signal: AbortSignal): Promise<Uint8Array> => {
    if (!(await this.#helia.blockstore.has(cid, { signal }))) {
      throw new IPFSError('IPFS_NOT_FOUND', `${cid} is not in the embedded IPFS store (${this.location})`)
    }
    const chunks: Uint8Array[] = []
    for await (const chunk of this.#helia.blockstore.get(cid, { signal, offline: true })) chunks.push(chunk)
    return concatBytes(chunks)
  }

  protected async store(bytes: Uint8Array, options: AddOptions): Promise<CID> {
    const cid = await this.#fs.addBytes(bytes, { ...importSettings(), signal: options.signal })
    await this.pin(cid)
    return cid
  }

  async pin(cid: CID | string, options: PinOptions = {}): Promise<void> {
    const parsed = parseCid(cid)
    if (await this.#helia.pins.isPinned(parsed, options)) return
    // Without network, pinning content this store lacks must fail here, not try to fetch it.
    if (!(await this.#helia.blockstore.has(parsed))) {
      throw new IPFSError('IPFS_NOT_FOUND', `cannot pin ${parsed}: it is not in the embedded IPFS store (${this.location})`)
    }
    // `offline` reaches the blockstore reads; Helia's AddOptions type does not list it.
    const offline = { offline: true, signal: options.signal } as Parameters<Helia['pins']['add']>[1]
    for await (const _ of this.#helia.pins.add(parsed, offline)) { /* drain: pins every block of the DAG */ }
  }

  async unpin(cid: CID | string): Promise<void> {
    const parsed = parseCid(cid)
    if (!(await this.#helia.pins.isPinned(parsed))) return
    for await (const _ of this.#helia.pins.rm(parsed)) { /* drain */ }
  }

  async isPinned(cid: CID | string): Promise<boolean> {
    return await this.#helia.pins.isPinned(parseCid(cid))
  }

  async * listPins(options: PinOptions = {}): AsyncIterable<CID> {
    for await (const pin of this.#helia.pins.ls({ signal: options.signal })) if (pin.depth === Infinity) yield pin.cid
  }

  async importCar(car: AsyncIterable<Uint8Array>, options: PinOptions = {}): Promise<CID[]> {
    const blocks = await CarBlockIterator.fromIterable(car)
    for await (const { cid, bytes } of blocks) {
      options.signal?.throwIfAborted()
      await this.#helia.blockstore.put(cid, verifyBlock(cid, bytes))
    }
    const roots = await blocks.getRoots()
    for (const root of roots) await this.pin(root, options)
    return roots
  }

  async gc(): Promise<void> {
    await this.#helia.gc()
  }

  async status(): Promise<IPFSStatus> {
    const ok = this.#helia.status === 'started'
    return { kind: this.kind, location: this.location, ok, detail: ok ? 'embedded Helia node running' : `embedded Helia node ${this.#helia.status}` }
  }

  async close(): Promise<void> {
    await this.#helia.stop()
  }
}
