/**
 * `ModuleRegistryClient`: the registry chain through @polkadot/api, over the
 * smoldot light client or a JSON-RPC node. Reads default to the finalized
 * block; writes report their progress and fail with the pallet's error name.
 * A facade: listing, event following, decoding and submitting live in their
 * own files. Chain only: the flows that also touch IPFS are in lib/registry.
 */
import type { ApiPromise } from '@polkadot/api'
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto'
import { u8aToHex } from '@polkadot/util'
import type { HistoryHead, ModuleRecord, ModuleStatus, ReadPoint, RegistryEvent, TxResult } from '../types/chain.ts'
import { connectApi, lightClientOf, type Connection, type ConnectOptions } from './connect.ts'
import { cidToChain, historyFromChain, recordFromChain, registryEvents, statusFromChain } from './decode.ts'
import { ChainError } from './errors.ts'
import { parseFinalityAnswer, type FinalityProofAnswer } from './grandpa.ts'
import { blockEvents } from './events.ts'
import { followFinalizedEvents, type BlockRef, type Unsubscribe } from './follow.ts'
import { parseAccount, parseModuleKey } from './keys.ts'
import { keyOwnershipProof, type ModuleKeySigner } from './key-ownership.ts'
import { MAX_PAGE_SIZE, RegistryListing } from './listing.ts'
import { submit, type AccountSigner, type SubmitOptions } from './tx.ts'

/** Which block a read is made at: the last finalized (default), the best, or a block hash. */
export type ReadAt = 'finalized' | 'best' | `0x${string}`

export interface ChainStatus {
  connection: Connection['kind']
  endpoint: string
  chain: string
  genesisHash: string
  specVersion: number
  peers: number
  isSyncing: boolean
  best: number
  finalized: number
  finalizedHash: string
}

export interface ModulePage {
  modules: ModuleRecord[]
  /** Pass as `startKey` for the next page; absent on the last page. */
  nextKey?: string
  at: ReadPoint
}

export interface RegisterOptions extends SubmitOptions {
  /** Signs the key-ownership proof when the module key is not the signer's own account key. */
  moduleSigner?: ModuleKeySigner
}

/** See {@link ModuleRegistryClient.warmStart}. */
export interface WarmStart {
  databaseContent: string
  metadata: Record<string, `0x${string}`>
}

export type { Unsubscribe } from './follow.ts'

export class ModuleRegistryClient {
  /** The underlying @polkadot/api, for what the facade does not cover (tools, tests); apps should not need it. */
  readonly api: ApiPromise
  readonly connection: Connection
  readonly #listing: RegistryListing

  constructor(api: ApiPromise, connection: Connection) {
    this.api = api
    this.connection = connection
    this.#listing = new RegistryListing(api, connection.kind === 'light-client')
  }

  static async connect(connection: Connection, options: ConnectOptions = {}): Promise<ModuleRegistryClient> {
    return new ModuleRegistryClient(await connectApi(connection, options), connection)
  }

  get verifiedBy(): ReadPoint['verifiedBy'] {
    return this.connection.kind
  }

  /** The chain's genesis hash, 0x-hex. */
  get genesisHash(): string {
    return this.api.genesisHash.toHex()
  }

  /** The chain's SS58 address prefix, for showing and parsing addresses. */
  get ss58Format(): number {
    return this.api.registry.chainSS58 ?? 42
  }

  /** An account (0x-hex public key or any SS58) in this chain's SS58 format. */
  formatAddress(account: string): string {
    return encodeAddress(decodeAddress(parseAccount(account, this.ss58Format)), this.ss58Format)
  }

  /**
   * What lets the next light client on this chain start warm: smoldot's
   * database (its finalized block, runtime and peers; pass it back as the
   * connection's `smoldot.databaseContent`) and the chain metadata (as
   * `connect`'s `metadata` option). Undefined over RPC, where start-up is cheap.
   */
  async warmStart(): Promise<WarmStart | undefined> {
    const lightClient = lightClientOf(this.api)
    if (lightClient === undefined) return undefined
    const metadataKey = `${this.api.genesisHash.toHex()}-${this.api.runtimeVersion.specVersion.toString()}`
    return { databaseContent: await lightClient.finalizedDatabase(), metadata: { [metadataKey]: this.api.runtimeMetadata.toHex() } }
  }

  async disconnect(): Promise<void> {
    await this.api.disconnect()
  }

  // ---- reads ----

  /** The module under `key`, or `null`, with the block it was read at. */
  async getModule(key: string, at: ReadAt = 'finalized'): Promise<{ record: ModuleRecord | null; at: ReadPoint }> {
    const moduleKey = parseModuleKey(key)
    const point = await this.readPoint(at)
    const state = await this.api.at(point.blockHash)
    const value = (await state.query.moduleRegistry.modules(moduleKey)) as any
    return { record: value.isSome ? recordFromChain(moduleKey, value.unwrap()) : null, at: point }
  }

  /** Like {@link getModule}, but a missing module is a `MODULE_NOT_FOUND` error. */
  async requireModule(key: string, at: ReadAt = 'finalized'): Promise<{ record: ModuleRecord; at: ReadPoint }> {
    const { record, at: point } = await this.getModule(key, at)
    if (record === null) throw new ChainError('MODULE_NOT_FOUND', `no module is registered under key ${parseModuleKey(key)} (at block #${point.blockNumber})`)
    return { record, at: point }
  }

  /**
   * One page of modules in storage order (by the hash of the key), stable
   * across pages read at the same block. `startKey` is the previous page's
   * `nextKey` (a module key).
   */
  async listModules(options: { pageSize?: number; startKey?: string; at?: ReadAt } = {}): Promise<ModulePage> {
    const point = await this.readPoint(options.at ?? 'finalized')
    const startKey = options.startKey === undefined ? undefined : parseModuleKey(options.startKey)
    const page = await this.#listing.modules(point.blockHash, pageSizeOf(options.pageSize), startKey)
    return { ...page, at: point }
  }

  /** Like {@link listModules}, for the modules `owner` owns, with their records. */
  async listModulesOf(owner: string, options: { pageSize?: number; startKey?: string; at?: ReadAt } = {}): Promise<ModulePage> {
    const account = u8aToHex(decodeAddress(parseAccount(owner, this.ss58Format)))
    const point = await this.readPoint(options.at ?? 'finalized')
    const startKey = options.startKey === undefined ? undefined : parseModuleKey(options.startKey)
    const page = await this.#listing.modulesOf(account, point.blockHash, pageSizeOf(options.pageSize), startKey)
    return { ...page, at: point }
  }

  /** Keys of the modules `owner` holds (the pallet's owner index), sorted. */
  async modulesOf(owner: string, at: ReadAt = 'finalized'): Promise<{ keys: string[]; at: ReadPoint }> {
    const point = await this.readPoint(at)
    const keys: string[] = []
    let startKey: string | undefined
    do {
      const page = await this.listModulesOf(owner, { pageSize: MAX_PAGE_SIZE, startKey, at: point.blockHash as `0x${string}` })
      keys.push(...page.modules.map((module) => module.key))
      startKey = page.nextKey
    } while (startKey !== undefined)
    return { keys: keys.sort(), at: point }
  }

  /**
   * The key's history commitment: a hash chain over all of its registry
   * events, kept after removal (zero length and head for a key never used).
   */
  async getHistory(key: string, at: ReadAt = 'finalized'): Promise<{ history: HistoryHead; at: ReadPoint }> {
    const moduleKey = parseModuleKey(key)
    const point = await this.readPoint(at)
    const state = await this.api.at(point.blockHash)
    this.#requireStorage(state, 'moduleHistory')
    return { history: historyFromChain(await state.query.moduleRegistry.moduleHistory(moduleKey)), at: point }
  }

  /** Yanked revisions, deprecation and a pending transfer offer of the module under `key` (empty when none is set). */
  async getModuleStatus(key: string, at: ReadAt = 'finalized'): Promise<{ status: ModuleStatus; at: ReadPoint }> {
    const moduleKey = parseModuleKey(key)
    const point = await this.readPoint(at)
    const state = await this.api.at(point.blockHash)
    if (state.query.moduleRegistry?.moduleStatuses === undefined) return { status: { yanked: [] }, at: point }
    return { status: statusFromChain(await state.query.moduleRegistry.moduleStatuses(moduleKey)), at: point }
  }

  async count(at: ReadAt = 'finalized'): Promise<{ count: number; at: ReadPoint }> {
    const point = await this.readPoint(at)
    const state = await this.api.at(point.blockHash)
    const value = (await state.query.moduleRegistry.moduleCount()) as any
    return { count: Number(value.toBigInt()), at: point }
  }

  async status(): Promise<ChainStatus> {
    const [chain, health, best, finalizedHash] = await Promise.all([
      this.api.rpc.system.chain(),
      this.api.rpc.system.health(),
      this.api.rpc.chain.getHeader(),
      this.api.rpc.chain.getFinalizedHead(),
    ])
    const finalized = await this.api.rpc.chain.getHeader(finalizedHash)
    return {
      connection: this.connection.kind,
      endpoint: this.connection.kind === 'rpc' ? this.connection.url : 'smoldot (chain spec)',
      chain: chain.toString(),
      genesisHash: this.api.genesisHash.toHex(),
      specVersion: this.api.runtimeVersion.specVersion.toNumber(),
      peers: health.peers.toNumber(),
      isSyncing: health.isSyncing.isTrue,
      best: best.number.toNumber(),
      finalized: finalized.number.toNumber(),
      finalizedHash: finalizedHash.toHex(),
    }
  }

  /**
   * Calls `onEvents` with the registry events of every newly finalized block,
   * in block order, none skipped.
   */
  async watchEvents(onEvents: (events: RegistryEvent[], block: BlockRef) => void, onError?: (error: Error) => void): Promise<Unsubscribe> {
    return await followFinalizedEvents(this.api, onEvents, onError)
  }

  /**
   * The registry events of one block, read from its `System.Events` (through
   * the light client: checked against that block's header).
   */
  async eventsAt(blockHash: string): Promise<{ events: RegistryEvent[]; blockNumber: number }> {
    const { records, blockNumber } = await blockEvents(this.api, blockHash)
    return { events: registryEvents(this.api, records, blockHash, blockNumber), blockNumber }
  }

  /** The SCALE-encoded header of a block, 0x-hex (through the light client: one it checked). */
  async headerAt(blockHash: string): Promise<string> {
    return (await this.api.rpc.chain.getHeader(blockHash)).toHex()
  }

  /**
   * The node's storage proof (`state_getReadProof`) of `storageKey` at
   * `blockHash`: trie nodes, 0x-hex. Over RPC only: a light client has no
   * state to prove from (a gateway can give proofs instead).
   */
  async storageProof(storageKey: string, blockHash: string): Promise<string[]> {
    if (this.connection.kind !== 'rpc') throw new ChainError('CHAIN_UNAVAILABLE', 'a light client cannot give storage proofs: ask a node over RPC or a gateway')
    const result = await this.api.rpc.state.getReadProof([storageKey], blockHash)
    return result.proof.map((node) => node.toHex())
  }

  /**
   * The node's GRANDPA justification covering `blockNumber`
   * (`modnet_finalityProof`): for the last block of the authority set that
   * finalized it, or the latest one while that set is current. Null when the
   * node has none; `CHAIN_UNSUPPORTED` when the node (or a light client) lacks
   * the method. Unchecked: module cards verify it (lib/chain/grandpa.ts).
   */
  async finalityProof(blockNumber: number): Promise<FinalityProofAnswer | null> {
    const method = (this.api.rpc as unknown as { modnet?: { finalityProof?: (block: number) => Promise<{ toJSON(): unknown }> } }).modnet?.finalityProof
    if (method === undefined) throw new ChainError('CHAIN_UNSUPPORTED', this.connection.kind === 'rpc' ? 'the node has no modnet_finalityProof method (not a modnet-node, or an older one)' : 'a light client cannot give finality proofs: ask a node over RPC or a gateway')
    const answer = (await method(blockNumber)).toJSON()
    // The API's `Json` type turns the node's null into an empty object.
    return parseFinalityAnswer(typeof answer === 'object' && answer !== null && Object.keys(answer).length === 0 ? null : answer)
  }

  // ---- writes ----

  /**
   * Registers `cid` under `key`; the signer becomes the owner and pays the
   * deposit. The key-ownership proof binds the key's history length at the
   * best block (its nonce), so it registers once.
   */
  async register(key: string, cid: string, signer: AccountSigner, options: RegisterOptions = {}): Promise<TxResult> {
    const moduleKey = parseModuleKey(key)
    const nonce = await this.#proofNonce(moduleKey)
    const proof = keyOwnershipProof(this.genesisHash, signer.address, moduleKey, nonce, options.moduleSigner)
    return await submit(this.api, this.api.tx.moduleRegistry.registerModule(moduleKey, cidToChain(cid), proof), signer, options)
  }

  /** Points an owned module at a new metadata CID (revision + 1). */
  async update(key: string, cid: string, signer: AccountSigner, options: SubmitOptions = {}): Promise<TxResult> {
    return await submit(this.api, this.api.tx.moduleRegistry.updateModule(parseModuleKey(key), cidToChain(cid)), signer, options)
  }

  /** Removes an owned module and releases its deposit. */
  async remove(key: string, signer: AccountSigner, options: SubmitOptions = {}): Promise<TxResult> {
    return await submit(this.api, this.api.tx.moduleRegistry.removeModule(parseModuleKey(key)), signer, options)
  }

  /**
   * Offers an owned module to `newOwner`; it passes to them (with its deposit)
   * when they {@link acceptOwnership} before the offer expires. A new offer
   * replaces a pending one.
   */
  async transferOwnership(key: string, newOwner: string, signer: AccountSigner, options: SubmitOptions = {}): Promise<TxResult> {
    const to = parseAccount(newOwner, this.ss58Format)
    return await submit(this.api, this.api.tx.moduleRegistry.transferOwnership(parseModuleKey(key), to), signer, options)
  }

  /** Accepts a module offered to the signer: it becomes theirs, with its deposit. */
  async acceptOwnership(key: string, signer: AccountSigner, options: SubmitOptions = {}): Promise<TxResult> {
    return await submit(this.api, this.api.tx.moduleRegistry.acceptOwnership(parseModuleKey(key)), signer, options)
  }

  /** Withdraws (the owner) or declines (the recipient) a pending transfer offer. */
  async cancelTransfer(key: string, signer: AccountSigner, options: SubmitOptions = {}): Promise<TxResult> {
    return await submit(this.api, this.api.tx.moduleRegistry.cancelTransfer(parseModuleKey(key)), signer, options)
  }

  /** Yanks a revision (hidden from "latest", still resolvable by CID), or restores it with `yanked: false`. */
  async setYanked(key: string, revision: number, yanked: boolean, signer: AccountSigner, options: SubmitOptions = {}): Promise<TxResult> {
    if (!Number.isInteger(revision) || revision < 0 || revision > 0xffff_ffff) throw new ChainError('CHAIN_INVALID_TX', `revision ${revision} is not a whole number from 0 to 4294967295`)
    return await submit(this.api, this.api.tx.moduleRegistry.setYanked(parseModuleKey(key), revision, yanked), signer, options)
  }

  /** Deprecates a module with `note` (why, and what to use instead), or lifts the deprecation with `null`. */
  async setDeprecation(key: string, note: string | null, signer: AccountSigner, options: SubmitOptions = {}): Promise<TxResult> {
    if (note !== null && note.trim() === '') throw new ChainError('CHAIN_INVALID_TX', 'a deprecation note cannot be empty: say why, and what to use instead')
    const bytes = note === null ? null : new TextEncoder().encode(note)
    const max = (this.api.consts.moduleRegistry?.maxNoteLength as any)?.toNumber?.() as number | undefined
    if (bytes !== null && max !== undefined && bytes.length > max) throw new ChainError('CHAIN_INVALID_TX', `the deprecation note is ${bytes.length} bytes; the chain takes at most ${max}`)
    // Hex, not the Uint8Array: polkadot-js reads a Uint8Array given for `Bytes` as already length-prefixed.
    return await submit(this.api, this.api.tx.moduleRegistry.setDeprecation(parseModuleKey(key), bytes === null ? null : u8aToHex(bytes)), signer, options)
  }

  /** The account's own public key, 0x-hex: the default module key. */
  accountKey(signer: AccountSigner): string {
    return u8aToHex(decodeAddress(signer.address))
  }

  // ---- helpers ----

  /** The nonce a key proof binds: the key's history length at the best block (`legacy` before spec 103, which had none). */
  async #proofNonce(moduleKey: string): Promise<number | 'legacy'> {
    const state = await this.api.at((await this.api.rpc.chain.getBlockHash()).toHex())
    if (state.query.moduleRegistry?.moduleHistory === undefined) return 'legacy'
    return historyFromChain(await state.query.moduleRegistry.moduleHistory(moduleKey)).length
  }

  /** Refuses reads of storage a runtime before spec 103 does not have. */
  #requireStorage(state: { query: Record<string, any> }, item: string): void {
    if (state.query.moduleRegistry?.[item] === undefined) {
      throw new ChainError('CHAIN_UNSUPPORTED', `this chain's runtime (spec ${this.api.runtimeVersion.specVersion.toString()}) has no ModuleRegistry.${item[0]!.toUpperCase()}${item.slice(1)}: it predates history commitments (spec 103)`)
    }
  }

  /** Resolves `at` to a block hash and number, and says who vouches for reads there. */
  async readPoint(at: ReadAt): Promise<ReadPoint> {
    let blockHash: string
    let finalized: boolean
    if (at === 'finalized') {
      blockHash = (await this.api.rpc.chain.getFinalizedHead()).toHex()
      finalized = true
    } else if (at === 'best') {
      blockHash = (await this.api.rpc.chain.getBlockHash()).toHex()
      finalized = false
    } else {
      blockHash = at
      finalized = false
    }
    const header = await this.api.rpc.chain.getHeader(blockHash)
    return { blockHash, blockNumber: header.number.toNumber(), verifiedBy: this.verifiedBy, finalized }
  }
}

function pageSizeOf(requested: number | undefined): number {
  return Math.min(Math.max(Math.trunc(requested ?? 100), 1), MAX_PAGE_SIZE)
}
