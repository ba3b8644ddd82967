/**
 * Follows the registry chain's finalized blocks and keeps every CID a module
 * points at (or pointed at) pinned. On (re)start it first walks all modules,
 * so registrations made while the gateway was down are kept too.
 */
import { ModuleRegistryClient } from '../lib/chain/client.ts'
import type { Connection } from '../lib/chain/connect.ts'
import type { RegistryEvent } from '../lib/types/chain.ts'
import type { Logger } from './log.ts'
import type { Metrics } from './metrics.ts'
import type { EventIndex } from './events.ts'
import type { PinLedger } from './pins.ts'

export interface ChainView {
  connected: boolean
  finalized?: number
  /** When the last finalized block was seen (ms since epoch). */
  seenAt?: number
}

export class ChainFollower {
  readonly view: ChainView = { connected: false }
  readonly #connection: Connection
  readonly #ledger: PinLedger
  readonly #events: EventIndex
  readonly #log: Logger
  readonly #metrics: Metrics
  #client: ModuleRegistryClient | undefined
  #unsubscribe: (() => void) | undefined
  #stopped = false
  #retry: ReturnType<typeof setTimeout> | undefined

  constructor(connection: Connection, ledger: PinLedger, events: EventIndex, log: Logger, metrics: Metrics) {
    this.#connection = connection
    this.#ledger = ledger
    this.#events = events
    this.#log = log
    this.#metrics = metrics
  }

  /**
   * A storage proof from the node followed over RPC (a light client has none
   * to give). Callers verify it; the gateway just relays it.
   */
  async readProof(storageKey: string, at: string): Promise<string[]> {
    if (this.#connection.kind !== 'rpc' || this.#client === undefined) throw new Error('this gateway follows the chain without a node: no storage proofs')
    const result = await this.#client.api.rpc.state.getReadProof([storageKey], at)
    return result.proof.map((node) => node.toHex())
  }

  /** Starts following; connection failures are logged and retried every 5 s. */
  start(): void {
    void this.#connect()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#retry)
    this.#unsubscribe?.()
    await this.#client?.disconnect().catch(() => undefined)
  }

  async #connect(): Promise<void> {
    try {
      const client = await ModuleRegistryClient.connect(this.#connection, { timeoutMs: 30_000 })
      if (this.#stopped) return void (await client.disconnect())
      this.#client = client
      client.api.on('disconnected', () => { this.view.connected = false })
      client.api.on('connected', () => { this.view.connected = true })
      this.view.connected = true
      await this.#catchUp(client)
      const headUnsubscribe = await client.api.rpc.chain.subscribeFinalizedHeads((header) => {
        this.view.finalized = header.number.toNumber()
        this.view.seenAt = Date.now()
        this.#metrics.chainFinalized.set(this.view.finalized)
      })
      const eventsUnsubscribe = await client.watchEvents((events) => void this.#keep(events), (error) => this.#log.log('warn', 'reading registry events failed', { error: error.message }))
      this.#unsubscribe = () => { headUnsubscribe(); eventsUnsubscribe() }
      this.#log.log('info', 'following the chain', { connection: this.#connection.kind })
    } catch (error) {
      this.view.connected = false
      this.#log.log('warn', 'chain not reachable; retrying in 5 s', { error: (error as Error).message })
      if (!this.#stopped) this.#retry = setTimeout(() => void this.#connect(), 5_000)
    }
  }

  /** Marks the CIDs of all modules registered now as kept. */
  async #catchUp(client: ModuleRegistryClient): Promise<void> {
    let startKey: string | undefined
    let kept = 0
    do {
      const page = await client.listModules({ pageSize: 500, startKey })
      for (const record of page.modules) {
        if (this.#ledger.status(record.cid).state !== 'registered') {
          await this.#ledger.registered(record.cid, record.key, record.updatedAt)
          kept++
        }
      }
      startKey = page.nextKey
    } while (startKey !== undefined)
    if (kept > 0) this.#log.log('info', 'kept CIDs of modules registered while away', { count: kept })
  }

  async #keep(events: RegistryEvent[]): Promise<void> {
    this.#events.add(events)
    for (const event of events) {
      this.#metrics.chainEvents.inc({ type: event.type })
      const cid = event.type === 'ModuleRegistered' ? event.cid : event.type === 'ModuleUpdated' ? event.newCid : undefined
      if (cid === undefined) continue
      const held = await this.#ledger.registered(cid, event.key, event.blockNumber)
      this.#log.log('info', 'pin kept: registered on chain', { cid, key: event.key, block: event.blockNumber, held })
    }
  }
}
