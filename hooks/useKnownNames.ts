'use client'
/**
 * The names of the registered modules, for look-alike warnings where a name is
 * chosen: every record at the finalized block, named from the metadata index
 * this browser keeps, the missing ones fetched and hash-checked (up to
 * MAX_FETCHES; a bigger registry is named as far as Browse has indexed it).
 */
import type { NamedModule } from '../lib/types/names.ts'
import { MetadataIndex } from '../lib/web/metadata-index.ts'
import { eachLimited, fetchMetadata } from '../lib/web/modules.ts'
import { session } from '../lib/web/session.ts'
import { useAsync, type Reloadable } from './useAsync.ts'

const MAX_FETCHES = 200

export interface KnownNames {
  known: NamedModule[]
  /** Registered modules; `known` names those whose metadata was verified. */
  total: number
}

export function useKnownNames(): Reloadable<KnownNames> {
  return useAsync(async () => {
    const { client, ipfs } = await session()
    const index = await MetadataIndex.open()
    const records = []
    let startKey: string | undefined
    let at: `0x${string}` | undefined
    do {
      const page = await client.listModules({ pageSize: 1000, startKey, at })
      records.push(...page.modules)
      at ??= page.at.blockHash as `0x${string}`
      startKey = page.nextKey
    } while (startKey !== undefined)
    await index.lookup(records.map((record) => record.cid))
    const missing = records.filter((record) => index.get(record.cid) === undefined).slice(0, MAX_FETCHES)
    await eachLimited(missing, 8, async (record) => {
      const result = await fetchMetadata(ipfs, record.cid)
      if (result.state === 'verified') index.add(record.cid, result.metadata)
    })
    const known = records.flatMap((record) => {
      const name = index.get(record.cid)?.name
      return name === undefined ? [] : [{ name, key: record.key }]
    })
    return { known, total: records.length }
  }, [])
}
