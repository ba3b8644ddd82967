/**
 * Follows the registry chain's finalized blocks and records their registry
 * changes (ChainIndex), so every CID a module points at is pinned (PinKeeper).
 *
 * It never skips a finalized block: the cursor (the last block whose changes
 * are stored, in the same transaction) survives restarts, and after any
 * disconnect or restart every finalized block since is processed, however
 * many. Where the node has pruned a block's state its events cannot be read:
 * the block body's registry calls are kept instead (they can add pins, never
 * drop them) and the chain's current state is read afterwards to learn
 * removals. A database failure stops the follower at the cursor until
 * writes work again; nothing is skipped.
 */
import type { FinalityProofAnswer } from '../lib/chain/grandpa.ts'
import { ModuleRegistryClient } from '../lib/chain/client.ts'
import { registryCallsInBlock } from '../lib/chain/block-calls.ts'
import type { Connection } from '../lib/chain/connect.ts'
import type { RegistryEvent } from '../lib/types/chain.ts'
import type { Logger } from './log.ts'
import type { Metrics } from './metrics.ts'
import type { PinKeeper } from './pin-keeper.ts'
import type { StorageHealth } from './storage-health.ts'
import type { BlockRef, ChainIndex, CurrentModule, RegistryCall } from './store/chain-index.ts'

export interface ChainView {
  connected: boolean
  finalized?: number
  /** When the last new finalized block was seen (ms since epoch). */
  seenAt?: number
  /** The last block whose registry changes are stored. */
  processed?: number
  /** Why following last failed, until it works again. */
  lastError?: string
}

/** Blocks fetched ahead of the one being stored. */
const PREFETCH = 16
const RETRY_MS = 5_000

interface BlockChanges {
  block: BlockRef
  parentHash: string
  events: RegistryEvent[]
  /** Set when the node no longer has the block's state. */
  calls?: RegistryCall[]
}

export class ChainFollower {
  readonly view: ChainView = { connected: false }
  readonly #connection: Connection
  readonly #index: ChainIndex
  readonly #keeper: PinKeeper
  readonly #storage: StorageHealth
  readonly #log: Logger
  readonly #metrics: Metrics
  #client: ModuleRegistryClient | undefined
  #unsubscribe: (() => void) | undefined
  #stopped = false
  #retry: ReturnType<typeof setTimeout> | undefined
  #running: Promise<void> | undefined
  #again = false

  constructor(connection: Connection, deps: { index: ChainIndex; keeper: PinKeeper; storage: StorageHealth; log: Logger; metrics: Metrics }) {
    this.#connection = connection
    this.#index = deps.index
    this.#keeper = deps.keeper
    this.#storage = deps.storage
    this.#log = deps.log
    this.#metrics = deps.metrics
    this.view.processed = this.#index.cursor()?.number
    if (this.view.processed !== undefined) this.#metrics.followerBlock.set(this.view.processed)
  }

  /**
   * A storage proof from the node followed over RPC (a light client has none
   * to give). Callers verify it; the gateway just relays it.
   */
  async storageProof(storageKey: string, at: string): Promise<string[]> {
    if (this.#connection.kind !== 'rpc' || this.#client === undefined) throw new Error('this gateway follows the chain without a node: no storage proofs')
    const result = await this.#client.api.rpc.state.getReadProof([storageKey], at)
    return result.proof.map((node) => node.toHex())
  }

  /** A GRANDPA justification from the followed node (`modnet_finalityProof`); callers verify it. */
  async finalityProof(blockNumber: number): Promise<FinalityProofAnswer | null> {
    if (this.#client === undefined) throw new Error('not connected to the chain yet')
    return await this.#client.finalityProof(blockNumber)
  }

  /** Starts following; connection failures are logged and retried every 5 s. */
  start(): void {
    void this.#connect()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#retry)
    this.#unsubscribe?.()
    await this.#running?.catch(() => undefined)
    await this.#client?.disconnect().catch(() => undefined)
  }

  async #connect(): Promise<void> {
    try {
      const client = await ModuleRegistryClient.connect(this.#connection, { timeoutMs: 30_000 })
      if (this.#stopped) return void (await client.disconnect())
      this.#client = client
      client.api.on('disconnected', () => { this.view.connected = false })
      client.api.on('connected', () => { this.view.connected = true; this.#kick() })
      this.view.connected = true
      this.#checkGenesis(client)
      this.#unsubscribe = await client.api.rpc.chain.subscribeFinalizedHeads((header) => {
        const number = header.number.toNumber()
        if (this.view.finalized === undefined || number > this.view.finalized) {
          this.view.finalized = number
          this.view.seenAt = Date.now()
          this.#metrics.chainFinalized.set(number)
        }
        this.#kick()
      })
      this.#log.log('info', 'following the chain', { connection: this.#connection.kind, from: this.view.processed ?? 'current state' })
    } catch (error) {
      this.view.connected = false
      this.#log.log('warn', 'chain not reachable; retrying in 5 s', { error: (error as Error).message })
      if (!this.#stopped) this.#retry = setTimeout(() => void this.#connect(), RETRY_MS)
    }
  }

  /** A database made on another chain (a wiped dev chain, say) starts over from the current state. */
  #checkGenesis(client: ModuleRegistryClient): void {
    const genesis = client.api.genesisHash.toHex()
    const known = this.#index.genesis()
    if (known === genesis) return
    if (known !== undefined) this.#log.log('warn', 'the chain has a new genesis: following it from its current state (pins are kept)', { was: known, now: genesis })
    this.#storage.write('recording the chain', () => this.#index.setGenesis(genesis))
    this.view.processed = undefined
  }

  /** Runs a catch-up unless one is running (then that one goes round again). */
  #kick(): void {
    if (this.#running !== undefined) {
      this.#again = true
      return
    }
    this.#running = (async () => {
      do {
        this.#again = false
        await this.#catchUp()
      } while (this.#again && !this.#stopped)
    })().then(() => { this.view.lastError = undefined }, (error: Error) => {
      this.view.lastError = error.message
      this.#log.log('warn', 'following finalized blocks failed; retrying from the cursor', { error: error.message, cursor: this.view.processed })
      this.#retry = setTimeout(() => this.#kick(), RETRY_MS)
    }).finally(() => { this.#running = undefined })
  }

  async #catchUp(): Promise<void> {
    const client = this.#client
    const finalized = this.view.finalized
    if (client === undefined || finalized === undefined || this.#stopped) return
    let cursor = this.#index.cursor()
    if (cursor === undefined) {
      // First start on this chain: the current state is the starting point.
      const at = { number: finalized, hash: (await client.api.rpc.chain.getBlockHash(finalized)).toHex() }
      await this.#readCurrentState(client, at, true)
      cursor = at
    }
    let pruned = 0
    let next = cursor.number + 1
    const ahead: Promise<BlockChanges>[] = []
    while (next <= finalized || ahead.length > 0) {
      while (ahead.length < PREFETCH && next <= finalized) {
        const read = this.#read(client, next++)
        read.catch(() => undefined) // awaited in order below; not unhandled meanwhile
        ahead.push(read)
      }
      if (this.#stopped) return
      const changes = await ahead.shift()!
      if (changes.parentHash !== cursor.hash) {
        throw new Error(`block #${changes.block.number}'s parent is not the stored block #${cursor.number} ${cursor.hash}`)
      }
      this.#storage.write('storing a finalized block', () => this.#index.applyBlock(changes.block, { events: changes.events, calls: changes.calls }, Date.now()))
      cursor = changes.block
      this.view.processed = cursor.number
      this.#metrics.followerBlock.set(cursor.number)
      if (changes.calls !== undefined) pruned++
      for (const event of changes.events) {
        this.#metrics.chainEvents.inc({ type: event.type })
        this.#log.log('info', 'registry event', { type: event.type, key: event.key, block: changes.block.number })
      }
      if (changes.events.length > 0 || (changes.calls?.length ?? 0) > 0) this.#keeper.wake()
    }
    if (pruned > 0) {
      this.#log.log('warn', 'the node had pruned the state of some blocks: kept the CIDs their registry calls named, and reading the current state for removals', { blocks: pruned })
      await this.#readCurrentState(client, cursor, false)
    }
  }

  /** One finalized block's registry events, or its registry calls when the node has pruned its state. */
  async #read(client: ModuleRegistryClient, number: number): Promise<BlockChanges> {
    const hash = (await client.api.rpc.chain.getBlockHash(number)).toHex()
    // Raw: polkadot-js would decode the header with that block's metadata, which needs its (maybe pruned) state.
    const header = (await client.api.rpc.chain.getHeader.raw(hash)) as unknown as { parentHash: string } | null
    if (header === null) throw new Error(`the node does not have the header of finalized block #${number}`)
    const block = { number, hash }
    const parentHash = header.parentHash
    try {
      const { events } = await client.eventsAt(hash)
      return { block, parentHash, events }
    } catch (error) {
      if (!/discarded|pruned|unknown block|not found/i.test((error as Error).message)) throw error
      const calls = await registryCallsInBlock(client.api, hash)
      return { block, parentHash, events: [], calls }
    }
  }

  /** Every module in the state at `at`: their CIDs are kept, modules gone are marked removed. */
  async #readCurrentState(client: ModuleRegistryClient, at: BlockRef, moveCursor: boolean): Promise<void> {
    const modules: CurrentModule[] = []
    let startKey: string | undefined
    do {
      const page = await client.listModules({ pageSize: 1000, startKey, at: at.hash as `0x${string}` })
      for (const record of page.modules) modules.push({ key: record.key, cid: record.cid, updatedAt: record.updatedAt })
      startKey = page.nextKey
    } while (startKey !== undefined)
    this.#storage.write('storing the current state', () => this.#index.applyCurrentState(at, modules, Date.now(), moveCursor))
    if (moveCursor) {
      this.view.processed = at.number
      this.#metrics.followerBlock.set(at.number)
    }
    this.#log.log('info', 'read the registry\'s current state', { block: at.number, modules: modules.length })
    this.#keeper.wake()
  }
}
