/**
 * The registry a page at a time, at one block.
 *
 * Runtime API version 2 (`ModuleRegistryApi_modules_page`, `_modules_of_page`,
 * spec 102) answers a page in one `state_call`: O(page) for the node and for
 * the call proof smoldot executes and checks, however many modules exist.
 * Older runtimes are listed from storage keys; smoldot returns those
 * unordered, so there every key under the prefix is fetched once per block,
 * sorted and paged here (O(modules) per block).
 *
 * Both paths list in storage order (by the hash of the module key) and take
 * the same cursor: the last module key of the previous page.
 */
import type { ApiPromise } from '@polkadot/api'
import type { ApiDecoration } from '@polkadot/api/types'
import type { ModuleRecord } from '../types/chain.ts'
import { recordFromChain } from './decode.ts'
import { MODULES_PREFIX, moduleKeyOfStorageKey, moduleStorageKey, ownerModulesPrefix, ownerModuleStorageKey } from './storage-keys.ts'

/** The most records one page holds (the pallet's `MAX_PAGE`). */
export const MAX_PAGE_SIZE = 1000

/** How many keys to ask smoldot for at once on the storage-key path (it returns them all). */
const LIGHT_CLIENT_KEY_LIMIT = 1_000_000

export interface RecordPage {
  modules: ModuleRecord[]
  /** The cursor for the next page; absent on the last page. */
  nextKey?: string
}

type State = ApiDecoration<'promise'>

export class RegistryListing {
  readonly #api: ApiPromise
  readonly #lightClient: boolean
  /** One block's sorted storage keys per prefix, for the storage-key path through smoldot. */
  readonly #keyCache = new Map<string, string[]>()

  constructor(api: ApiPromise, lightClient: boolean) {
    this.#api = api
    this.#lightClient = lightClient
  }

  /** Up to `pageSize` modules after the cursor `startKey`, at `blockHash`. */
  async modules(blockHash: string, pageSize: number, startKey?: string): Promise<RecordPage> {
    const state = await this.#api.at(blockHash)
    const call = (state.call as any).moduleRegistryApi?.modulesPage
    if (call !== undefined) return pageOf(await call(startKey ?? null, pageSize), pageSize)
    const after = startKey === undefined ? undefined : moduleStorageKey(startKey)
    return this.#pageFromStorageKeys(state, blockHash, MODULES_PREFIX, pageSize, after)
  }

  /** Like {@link modules}, for the modules `owner` (0x-hex account id) owns. */
  async modulesOf(owner: string, blockHash: string, pageSize: number, startKey?: string): Promise<RecordPage> {
    const state = await this.#api.at(blockHash)
    const call = (state.call as any).moduleRegistryApi?.modulesOfPage
    if (call !== undefined) return pageOf(await call(owner, startKey ?? null, pageSize), pageSize)
    const prefix = ownerModulesPrefix(owner)
    const after = startKey === undefined ? undefined : ownerModuleStorageKey(owner, startKey)
    return this.#pageFromStorageKeys(state, blockHash, prefix, pageSize, after)
  }

  async #pageFromStorageKeys(state: State, blockHash: string, prefix: string, pageSize: number, after: string | undefined): Promise<RecordPage> {
    const storageKeys = await this.#storageKeys(prefix, blockHash, pageSize, after)
    const keys = storageKeys.map((storageKey) => moduleKeyOfStorageKey(storageKey, prefix))
    const values = keys.length === 0 ? [] : ((await state.query.moduleRegistry.modules.multi(keys)) as any[])
    const modules = keys.flatMap((key, i) => (values[i].isSome ? [recordFromChain(key, values[i].unwrap())] : []))
    return { modules, nextKey: keys.length === pageSize ? keys[keys.length - 1] : undefined }
  }

  /** Up to `count` storage keys under `prefix` after the storage key `after`, in key order. */
  async #storageKeys(prefix: string, blockHash: string, count: number, after: string | undefined): Promise<string[]> {
    if (!this.#lightClient) {
      // Nodes page by start key themselves, at most 1000 keys per call.
      const keys: string[] = []
      let from = after ?? null
      while (keys.length < count) {
        const want = Math.min(1000, count - keys.length)
        const page = (await this.#api.rpc.state.getKeysPaged(prefix, want, from, blockHash)).map((key) => key.toHex())
        keys.push(...page)
        if (page.length < want) break
        from = page[page.length - 1]
      }
      return keys
    }
    const cacheKey = `${blockHash}:${prefix}`
    let all = this.#keyCache.get(cacheKey)
    if (all === undefined) {
      const keys = (await this.#api.rpc.state.getKeysPaged(prefix, LIGHT_CLIENT_KEY_LIMIT, null, blockHash)).map((key) => key.toHex())
      all = [...new Set(keys)].sort()
      this.#keyCache.clear() // one block's listing at a time
      this.#keyCache.set(cacheKey, all)
    }
    const from = after === undefined ? 0 : all.findIndex((key) => key > after)
    return from < 0 ? [] : all.slice(from, from + count)
  }
}

/** A runtime API page (`Vec<(key, ModuleInfo)>`) as records, with the cursor to the next. */
function pageOf(entries: any, pageSize: number): RecordPage {
  const modules = (entries as [{ toHex(): string }, any][]).map(([key, info]) => recordFromChain(key.toHex(), info))
  return { modules, nextKey: modules.length === pageSize ? modules[modules.length - 1].key : undefined }
}
