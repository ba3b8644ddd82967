/**
 * Browse at registry scale. Pages are read from the chain one at a time
 * (`listModules`: one runtime call the light client checks, O(page)); the
 * whole registry is only walked in the background, a page of 250 at a time,
 * to fill the search index with hash-checked metadata.
 */
import type { ModuleRegistryClient } from '../chain/client.ts'
import type { IPFSClient } from '../ipfs/client.ts'
import type { ModuleRecord } from '../types/chain.ts'
import type { MetadataIndex } from './metadata-index.ts'
import { eachLimited, fetchMetadata } from './modules.ts'

export interface IndexProgress {
  /** Modules listed so far by the walk. */
  listed: number
  /** Of those, with their metadata in the index (hash-checked now or on an earlier visit). */
  indexed: number
  /** Of those, whose metadata could not be fetched or is invalid. */
  unavailable: number
  done: boolean
}

/** Documents fetched at once by the walk: enough to hide latency, few enough to leave the page's own reads room. */
const FETCHES_AT_ONCE = 8
/**
 * Records per runtime call of the walk. smoldot runs the call on the page's
 * thread: 250 records take a few tens of milliseconds, short enough not to
 * hold up a page turn.
 */
const WALK_PAGE = 250

/**
 * Lists every module at block `at` and indexes the metadata of those not yet
 * in `index`. `records` grows as pages arrive; `onProgress` is called after
 * every document (callers throttle rendering). Before each fetch the walk
 * awaits `idle` (in a browser: until the page has nothing better to do), so
 * it never competes with what the user is doing. Stops quietly on `signal`.
 */
export async function indexRegistry(
  client: ModuleRegistryClient,
  ipfs: IPFSClient,
  index: MetadataIndex,
  at: `0x${string}`,
  records: ModuleRecord[],
  onProgress: (progress: IndexProgress) => void,
  signal: AbortSignal,
  idle: () => Promise<void> = async () => {},
): Promise<void> {
  const progress: IndexProgress = { listed: 0, indexed: 0, unavailable: 0, done: false }
  let startKey: string | undefined
  do {
    await idle()
    if (signal.aborted) return
    const page = await client.listModules({ pageSize: WALK_PAGE, startKey, at })
    records.push(...page.modules)
    progress.listed = records.length
    await eachLimited(page.modules, FETCHES_AT_ONCE, async (record) => {
      if (index.get(record.cid) === undefined) {
        await idle()
        if (signal.aborted) return
        const result = await fetchMetadata(ipfs, record.cid)
        if (result.state === 'verified') index.add(record.cid, result.metadata)
      }
      if (index.get(record.cid) !== undefined) progress.indexed++
      else progress.unavailable++
      onProgress({ ...progress })
    })
    onProgress({ ...progress })
    startKey = page.nextKey
  } while (startKey !== undefined)
  await index.flush()
  onProgress({ ...progress, done: true })
}
