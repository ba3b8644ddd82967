/**
 * A `@polkadot/api` provider over the smoldot light client.
 *
 * `@polkadot/rpc-provider`'s own `ScProvider` expects `@substrate/connect`
 * 0.8's `addChain(spec, onResponse)`, which connect 2.x removed
 * (substrate-connect#2607), so it cannot run on a current smoldot. This bridge
 * speaks smoldot's JSON-RPC queue (`sendJsonRpc` / `nextJsonRpcResponse`)
 * directly: one chain, one reader loop, requests matched by id and
 * subscription notifications by subscription id.
 */
import { RpcCoder } from '@polkadot/rpc-provider/coder'
import type {
  JsonRpcResponse,
  ProviderInterface,
  ProviderInterfaceCallback,
  ProviderInterfaceEmitCb,
  ProviderInterfaceEmitted,
} from '@polkadot/rpc-provider/types'
import type { Chain, Client } from 'smoldot'
import { ChainError } from './errors.ts'

/** Subscribe methods and the method that ends each (smoldot's legacy JSON-RPC API). */
const UNSUBSCRIBE_METHOD: Record<string, string> = {
  author_submitAndWatchExtrinsic: 'author_unwatchExtrinsic',
  chain_subscribeAllHeads: 'chain_unsubscribeAllHeads',
  chain_subscribeFinalizedHeads: 'chain_unsubscribeFinalizedHeads',
  chain_subscribeNewHeads: 'chain_unsubscribeNewHeads',
  state_subscribeRuntimeVersion: 'state_unsubscribeRuntimeVersion',
}

/**
 * Waits before retrying a read no peer could serve ("No node available"):
 * quick at first, about 15 s in all, which outlasts the 10 s a node's peer
 * slot is closed to a light client whose request it refused.
 */
const READ_RETRY_DELAYS_MS = [100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000, 2000, 2000]

/** Block bodies kept, by hash (they never change). */
const MAX_CACHED_BLOCKS = 64

/** Notifications kept for a subscription whose id has not been returned to us yet. */
const MAX_EARLY_NOTIFICATIONS = 64

/** The part of a chain the provider uses: smoldot's `Chain`, or one added through the Substrate Connect extension. */
export type LightClientChain = Pick<Chain, 'sendJsonRpc' | 'nextJsonRpcResponse' | 'remove'>

/** Where chains are added: a smoldot `Client`, or the Substrate Connect extension's shared light client. */
export interface LightClientHost {
  addChain(options: { chainSpec: string; databaseContent?: string }): Promise<LightClientChain>
}

export interface SmoldotProviderOptions {
  /** A running light client to add the chain to; by default the provider starts (and owns) a smoldot client. */
  client?: LightClientHost
  /** smoldot's log level, 0 (none) to 5 (trace); default 1 (errors): it warns on every legacy JSON-RPC call. */
  maxLogLevel?: number
  /**
   * What `finalizedDatabase()` returned in an earlier run on the same chain
   * spec: smoldot starts at that finalized block with its runtime and peers
   * instead of warp-syncing from genesis. Trusted like the chain spec itself.
   */
  databaseContent?: string
}

type Listener = ProviderInterfaceEmitCb

export class SmoldotProvider implements ProviderInterface {
  readonly #chainSpec: string
  readonly #options: SmoldotProviderOptions
  readonly #coder = new RpcCoder()
  readonly #requests = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  readonly #subscriptions = new Map<string, ProviderInterfaceCallback>()
  readonly #early = new Map<string, JsonRpcResponse<unknown>[]>()
  readonly #listeners = new Map<ProviderInterfaceEmitted, Set<Listener>>()
  readonly #blocks = new Map<string, Promise<unknown>>()
  readonly #storageSubscriptions = new Map<string, () => Promise<boolean>>()
  #nextStorageSubscription = 1
  #client: LightClientHost | undefined
  /** The smoldot client this provider started itself, to terminate on disconnect. */
  #ownClient: Client | undefined
  #chain: LightClientChain | undefined

  constructor(chainSpec: string, options: SmoldotProviderOptions = {}) {
    this.#chainSpec = chainSpec
    this.#options = options
  }

  get hasSubscriptions(): boolean {
    return true
  }

  get isClonable(): boolean {
    return false
  }

  get isConnected(): boolean {
    return this.#chain !== undefined
  }

  clone(): ProviderInterface {
    throw new ChainError('CHAIN_UNSUPPORTED', 'SmoldotProvider cannot be cloned: add another chain to the same smoldot client instead')
  }

  async connect(): Promise<void> {
    if (this.#chain !== undefined) return
    try {
      if (this.#client === undefined) {
        this.#client = this.#options.client ?? (this.#ownClient = (await import('smoldot')).start({ maxLogLevel: this.#options.maxLogLevel ?? 1 }))
      }
      const chain = await this.#client.addChain({ chainSpec: this.#chainSpec, databaseContent: this.#options.databaseContent })
      this.#chain = chain
      void this.#readResponses(chain)
      this.#emit('connected')
    } catch (error) {
      this.#emit('error', error)
      throw error
    }
  }

  async disconnect(): Promise<void> {
    const chain = this.#chain
    this.#chain = undefined
    if (chain !== undefined) {
      try {
        chain.remove()
      } catch {
        // Already removed with its client: nothing left to release.
      }
    }
    if (this.#ownClient !== undefined) {
      const client = this.#ownClient
      this.#ownClient = undefined
      this.#client = undefined
      await client.terminate().catch(() => undefined)
    }
    // Asked for: pending calls fail, subscriptions end quietly.
    this.#subscriptions.clear()
    this.#failAll(new Error('light client disconnected'))
    this.#emit('disconnected')
  }

  /**
   * smoldot's database for this chain (its finalized block, runtime and known
   * peers), at most `maxBytes` long, to pass back as `databaseContent` later.
   */
  async finalizedDatabase(maxBytes = 4 * 1024 * 1024): Promise<string> {
    return await this.#sendOnce<string>('chainHead_unstable_finalizedDatabase', [maxBytes])
  }

  on(type: ProviderInterfaceEmitted, sub: ProviderInterfaceEmitCb): () => void {
    let set = this.#listeners.get(type)
    if (set === undefined) this.#listeners.set(type, (set = new Set()))
    set.add(sub)
    if (type === 'connected' && this.isConnected) sub()
    return () => set.delete(sub)
  }

  /**
   * Sends a request. A read the light client could not serve yet ("No node
   * available": no peer answered) is retried with backoff; writes are not.
   * A block body is fetched once per hash: a node answers the same block
   * request from one peer only twice a minute and then shuts the peer out
   * for 10 s, and smoldot's own transaction watch asks for it too.
   */
  async send<T = any>(method: string, params: unknown[]): Promise<T> {
    if (method === 'chain_getBlock' && typeof params[0] === 'string') return await this.#block(params[0]) as T
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#sendOnce<T>(method, params)
      } catch (error) {
        const retryable = !method.startsWith('author_') && /no node available/i.test((error as Error).message)
        if (!retryable || attempt >= READ_RETRY_DELAYS_MS.length || !this.isConnected) throw error
        await new Promise((resolve) => setTimeout(resolve, READ_RETRY_DELAYS_MS[attempt]))
      }
    }
  }

  async #block(hash: string): Promise<unknown> {
    let body = this.#blocks.get(hash)
    if (body === undefined) {
      body = this.#sendOnce('chain_getBlock', [hash])
      this.#blocks.set(hash, body)
      if (this.#blocks.size > MAX_CACHED_BLOCKS) this.#blocks.delete(this.#blocks.keys().next().value!)
      // A body smoldot could not get (null, an error) is asked for again next time.
      body.then((value) => { if (value === null) this.#blocks.delete(hash) }, () => this.#blocks.delete(hash))
    }
    return await body
  }

  async #sendOnce<T>(method: string, params: unknown[]): Promise<T> {
    const chain = this.#chain
    if (chain === undefined) throw new ChainError('CHAIN_UNAVAILABLE', `cannot call ${method}: the light client is not connected`)
    const [id, json] = this.#coder.encodeJson(method, params)
    const response = new Promise<T>((resolve, reject) => {
      this.#requests.set(id, { resolve: resolve as (value: unknown) => void, reject })
    })
    try {
      chain.sendJsonRpc(json)
    } catch (error) {
      this.#requests.delete(id)
      throw error
    }
    return await response
  }

  async subscribe(type: string, method: string, params: unknown[], callback: ProviderInterfaceCallback): Promise<number | string> {
    if (method === 'state_subscribeStorage') return await this.#subscribeStorage(params[0], callback)
    if (UNSUBSCRIBE_METHOD[method] === undefined) throw new ChainError('CHAIN_UNSUPPORTED', `the light client does not support subscribing with ${method}`)
    const id = await this.send<number | string>(method, params)
    const key = `${type}::${id}`
    this.#subscriptions.set(key, callback)
    // smoldot may have sent notifications before we learned the id.
    for (const notification of this.#early.get(key) ?? []) this.#deliver(callback, notification)
    this.#early.delete(key)
    return id
  }

  /**
   * `state_subscribeStorage` (which every `api.query` uses), answered by
   * reading the keys at each new best block and reporting what changed, first
   * all of them, as a node does. Never passed to smoldot: its own storage
   * subscription spins without end, blocking the whole process, while it has
   * no peer to ask (smoldot 3.4.1, json_rpc_service/background.rs).
   */
  async #subscribeStorage(keys: unknown, callback: ProviderInterfaceCallback): Promise<string> {
    if (!Array.isArray(keys) || keys.length === 0) throw new ChainError('CHAIN_UNSUPPORTED', 'the light client can only follow named storage keys')
    const id = `storage-${this.#nextStorageSubscription++}`
    const last = new Map<string, string | null>()
    let reading = false
    let readAgain = false
    let stopped = false
    const read = async (): Promise<void> => {
      if (reading) return void (readAgain = true)
      reading = true
      try {
        do {
          readAgain = false
          const [set] = await this.send<{ block: string; changes: [string, string | null][] }[]>('state_queryStorageAt', [keys])
          if (stopped || set === undefined) return
          const values = new Map<string, string | null>((keys as string[]).map((key) => [key, null]))
          for (const [key, value] of set.changes) values.set(key, value)
          const changes = [...values].filter(([key, value]) => !last.has(key) || last.get(key) !== value)
          for (const [key, value] of changes) last.set(key, value)
          if (changes.length > 0) callback(null, { block: set.block, changes })
        } while (readAgain && !stopped)
      } catch (error) {
        if (!stopped) callback(error as Error, undefined)
      } finally {
        reading = false
      }
    }
    const heads = await this.subscribe('chain_newHead', 'chain_subscribeNewHeads', [], () => void read())
    this.#storageSubscriptions.set(id, () => {
      stopped = true
      return this.unsubscribe('chain_newHead', 'chain_unsubscribeNewHeads', heads)
    })
    void read()
    return id
  }

  async unsubscribe(type: string, method: string, id: number | string): Promise<boolean> {
    const stopStorage = this.#storageSubscriptions.get(String(id))
    if (stopStorage !== undefined) {
      this.#storageSubscriptions.delete(String(id))
      return await stopStorage().catch(() => true)
    }
    const key = `${type}::${id}`
    if (!this.#subscriptions.delete(key)) return false
    if (!this.isConnected) return true
    return await this.send<boolean>(method, [id])
  }

  async #readResponses(chain: LightClientChain): Promise<void> {
    for (;;) {
      let text: string
      try {
        text = await chain.nextJsonRpcResponse()
      } catch (error) {
        // The chain was removed (disconnect) or smoldot crashed.
        if (this.#chain === chain) {
          this.#chain = undefined
          this.#failAll(error instanceof Error ? error : new Error(String(error)))
          this.#emit('error', error)
          this.#emit('disconnected')
        }
        return
      }
      this.#dispatch(JSON.parse(text) as JsonRpcResponse<unknown>)
    }
  }

  #dispatch(message: JsonRpcResponse<unknown>): void {
    const subscription = message.params?.subscription
    if (message.method === undefined || subscription === undefined) {
      const request = this.#requests.get(message.id)
      if (request === undefined) return
      this.#requests.delete(message.id)
      try {
        request.resolve(this.#coder.decodeResponse(message))
      } catch (error) {
        request.reject(error as Error)
      }
      return
    }
    const key = `${message.method}::${subscription}`
    const callback = this.#subscriptions.get(key)
    if (callback !== undefined) return this.#deliver(callback, message)
    const queue = this.#early.get(key) ?? []
    if (queue.length < MAX_EARLY_NOTIFICATIONS) queue.push(message)
    this.#early.set(key, queue)
  }

  #deliver(callback: ProviderInterfaceCallback, message: JsonRpcResponse<unknown>): void {
    try {
      callback(null, this.#coder.decodeResponse(message))
    } catch (error) {
      callback(error as Error, undefined)
    }
  }

  #failAll(error: Error): void {
    for (const request of this.#requests.values()) request.reject(error)
    this.#requests.clear()
    for (const callback of this.#subscriptions.values()) callback(error, undefined)
    this.#subscriptions.clear()
    this.#early.clear()
  }

  #emit(type: ProviderInterfaceEmitted, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(type) ?? []) listener(...args)
  }
}
