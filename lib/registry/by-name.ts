/**
 * Finding modules by name. Names are claims in metadata, not keys: this reads
 * every module's record at one finalized block and its metadata (hash-checked
 * against the CID, schema-valid), then returns the modules with exactly that
 * name and the look-alikes of the name. It costs one metadata fetch per
 * module; a registry of many thousands is better searched in the web app's
 * index.
 */
import type { ModuleRecord, ReadPoint } from '../types/chain.ts'
import { parseJsonDocument } from '../types/canonical.ts'
import { MAX_METADATA_BYTES } from '../types/metadata.ts'
import { lookAlikes, type LookAlike, type NamedModule } from '../types/names.ts'
import { validateMetadata } from '../types/validate.ts'
import type { FlowDeps } from './deps.ts'

export type ByNameDeps = FlowDeps<'listModules', 'cat'>

export interface ModulesNamed {
  /** Every module whose verified metadata has exactly this name (more than one is possible). */
  matches: ModuleRecord[]
  /** Other modules whose names could be taken for it. */
  lookAlikes: LookAlike[]
  /** Modules whose metadata could not be read or is not valid (they have no name to compare). */
  unreadable: number
  at: ReadPoint
}

const CONCURRENCY = 8

export async function modulesNamed({ chain, ipfs }: ByNameDeps, name: string): Promise<ModulesNamed> {
  const records: ModuleRecord[] = []
  let at: ReadPoint | undefined
  let startKey: string | undefined
  do {
    const page = await chain.listModules({ pageSize: 1000, startKey, at: at?.blockHash as `0x${string}` | undefined })
    records.push(...page.modules)
    at ??= page.at
    startKey = page.nextKey
  } while (startKey !== undefined)

  const named: (NamedModule & { record: ModuleRecord })[] = []
  let unreadable = 0
  let next = 0
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, records.length) }, async () => {
    while (next < records.length) {
      const record = records[next++]!
      try {
        const document = parseJsonDocument(await ipfs.cat(record.cid, { maxBytes: MAX_METADATA_BYTES }))
        const result = validateMetadata(document)
        if (result.ok) named.push({ name: result.metadata.name, key: record.key, record })
        else unreadable++
      } catch {
        unreadable++
      }
    }
  }))
  const matches = named.filter((module) => module.name === name).map((module) => module.record)
  const others = lookAlikes(name, named).filter((alike) => alike.why !== 'same-name')
  return { matches, lookAlikes: others, unreadable, at: at! }
}
