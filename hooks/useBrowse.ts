'use client'
/**
 * State of the Browse view: the module count and one page of records read
 * from the chain at one finalized block (the next page prefetched), and,
 * while a query is typed, the matches among the modules the background walk
 * has indexed so far.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ModulePage, ModuleRegistryClient } from '../lib/chain/client.ts'
import type { IPFSClient } from '../lib/ipfs/client.ts'
import type { ModuleRecord, ReadPoint } from '../lib/types/chain.ts'
import { indexRegistry, type IndexProgress } from '../lib/web/browse.ts'
import { MetadataIndex, type IndexedMetadata } from '../lib/web/metadata-index.ts'
import { metadataFor, type MetadataResult } from '../lib/web/modules.ts'
import { session } from '../lib/web/session.ts'
import { lookAlikes, type LookAlike } from '../lib/types/names.ts'
import { messageOf, useAbortableEffect } from './useAsync.ts'

/** What a row shows about its metadata: from the index, or the fetch of this visit. */
export type RowMetadata = { state: 'indexed'; metadata: IndexedMetadata } | MetadataResult

interface Registry {
  client: ModuleRegistryClient
  ipfs: IPFSClient
  index: MetadataIndex
  count: number
  at: ReadPoint
}

export interface Browse {
  error?: string
  count?: number
  at?: ReadPoint
  /** The rows on screen; undefined until the first page is read. */
  rows?: ModuleRecord[]
  page: number
  pages: number
  turning: boolean
  next(): void
  previous(): void
  query: string
  setQuery(query: string): void
  /** While searching: matches among the `progress.listed` modules walked so far. */
  matches?: number
  progress: IndexProgress
  persistentIndex: boolean
  metadataOf(record: ModuleRecord): RowMetadata | undefined
  /** Other modules whose names could be taken for this row's (once the walk has indexed the registry). */
  lookAlikesOf(record: ModuleRecord): LookAlike[]
}

const PROGRESS_EVERY_MS = 300

/** Resolves when the page is idle (or after a second at the latest, so indexing never stops). */
function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 1000 })
    else setTimeout(resolve, 0)
  })
}

export function useBrowse(pageSize = 25): Browse {
  const [registry, setRegistry] = useState<Registry>()
  const [error, setError] = useState<string>()
  const [page, setPage] = useState(0)
  const [chainRows, setChainRows] = useState<ModuleRecord[]>()
  const [turning, setTurning] = useState(false)
  const [query, setQueryState] = useState('')
  const [progress, setProgress] = useState<IndexProgress>({ listed: 0, indexed: 0, unavailable: 0, done: false })
  const [fetched, setFetched] = useState<Record<string, MetadataResult>>({})
  // Page i starts after cursors[i]; pages are kept once read (at one block they never change).
  const cursors = useRef<(string | undefined)[]>([undefined])
  const pageReads = useRef(new Map<number, Promise<ModulePage>>())
  const walked = useRef<ModuleRecord[]>([])

  const readPage = useCallback((reg: Registry, i: number): Promise<ModulePage> => {
    let read = pageReads.current.get(i)
    if (read === undefined) {
      read = reg.client.listModules({ pageSize, startKey: cursors.current[i], at: reg.at.blockHash as `0x${string}` })
      read.then((result) => { cursors.current[i + 1] = result.nextKey }, () => pageReads.current.delete(i))
      pageReads.current.set(i, read)
    }
    return read
  }, [pageSize])

  /** Reads page `i` and the metadata of its rows ahead of a page turn, so the turn shows names at once. */
  const prefetch = useCallback((reg: Registry, i: number) => {
    readPage(reg, i).then(async (result) => {
      await reg.index.lookup(result.modules.map((record) => record.cid))
      for (const record of result.modules) {
        if (reg.index.get(record.cid) !== undefined) continue
        void metadataFor(reg.ipfs, record.cid).then((meta) => { if (meta.state === 'verified') reg.index.add(record.cid, meta.metadata) })
      }
    }, () => undefined)
  }, [readPage])

  useAbortableEffect((signal) => {
    void (async () => {
      try {
        const { client, ipfs } = await session()
        performance.mark('modnet:browse:connected')
        const [{ count, at }, index] = await Promise.all([client.count(), MetadataIndex.open()])
        const reg: Registry = { client, ipfs, index, count, at }
        const first = await readPage(reg, 0)
        if (signal.aborted) return
        setRegistry(reg)
        setChainRows(first.modules)
        performance.mark('modnet:browse:first-page')
        // The search index fills in the background, rendered at most every PROGRESS_EVERY_MS.
        let latest: IndexProgress | undefined
        const timer = setInterval(() => { if (latest !== undefined) setProgress(latest); latest = undefined }, PROGRESS_EVERY_MS)
        try {
          await index.loaded // what this browser kept is not fetched again
          await indexRegistry(client, ipfs, index, at.blockHash as `0x${string}`, walked.current, (p) => { latest = p }, signal, whenIdle)
        } finally {
          clearInterval(timer)
          if (latest !== undefined && !signal.aborted) setProgress(latest)
        }
      } catch (failure) {
        if (!signal.aborted) setError(messageOf(failure))
      }
    })()
  }, [readPage])

  const searching = query.trim() !== ''
  // `progress` is a dependency on purpose: matches grow as the walk indexes more.
  const found = useMemo(() => (searching && registry !== undefined ? walked.current.filter((record) => registry.index.matches(query, record)) : undefined), [searching, query, registry, progress])
  const pages = Math.max(1, Math.ceil((found?.length ?? registry?.count ?? 0) / pageSize))
  const rows = found !== undefined ? found.slice(page * pageSize, (page + 1) * pageSize) : chainRows

  const goTo = useCallback((target: number) => {
    if (registry === undefined || target < 0 || target >= pages) return
    setPage(target)
    if (found !== undefined) return
    setTurning(true)
    readPage(registry, target).then((result) => {
      setChainRows(result.modules)
      if (result.nextKey !== undefined) prefetch(registry, target + 1)
    }, (failure: unknown) => setError(messageOf(failure))).finally(() => setTurning(false))
  }, [registry, pages, found, readPage, prefetch])

  // Prefetch page 2 once page 1 is on screen.
  useEffect(() => {
    if (registry !== undefined && cursors.current[1] !== undefined) prefetch(registry, 1)
  }, [registry, prefetch])

  // Metadata for the rows on screen that the index does not hold yet, fetched and hash-checked now.
  useAbortableEffect((signal) => {
    if (registry === undefined || rows === undefined) return
    const missing = rows.filter((record) => registry.index.get(record.cid) === undefined && fetched[record.cid] === undefined)
    if (missing.length === 0) return
    void registry.index.lookup(missing.map((record) => record.cid)).then(() => {
      for (const record of missing) {
        if (registry.index.get(record.cid) !== undefined) {
          if (!signal.aborted) setFetched((current) => ({ ...current })) // render what the lookup found
          continue
        }
        void metadataFor(registry.ipfs, record.cid).then((result) => {
          if (result.state === 'verified') registry.index.add(record.cid, result.metadata)
          if (!signal.aborted) setFetched((current) => ({ ...current, [record.cid]: result }))
        })
      }
    })
  }, [registry, rows, fetched])

  const metadataOf = useCallback((record: ModuleRecord): RowMetadata | undefined => {
    const indexed = registry?.index.get(record.cid)
    return indexed !== undefined ? { state: 'indexed', metadata: indexed } : fetched[record.cid]
  }, [registry, fetched])

  // Names are claims: each row on screen is compared with every indexed name, once the walk is done.
  const alikes = useMemo(() => {
    const byKey = new Map<string, LookAlike[]>()
    if (registry === undefined || rows === undefined || !progress.done) return byKey
    const known = walked.current.flatMap((record) => {
      const name = registry.index.get(record.cid)?.name
      return name === undefined ? [] : [{ name, key: record.key }]
    })
    for (const record of rows) {
      const name = registry.index.get(record.cid)?.name
      if (name !== undefined) byKey.set(record.key, lookAlikes(name, known, record.key))
    }
    return byKey
  }, [registry, rows, progress.done])
  const lookAlikesOf = useCallback((record: ModuleRecord) => alikes.get(record.key) ?? [], [alikes])

  const setQuery = useCallback((next: string) => {
    setQueryState(next)
    setPage(0)
    if (next.trim() === '' && registry !== undefined) void readPage(registry, 0).then((result) => setChainRows(result.modules))
  }, [registry, readPage])

  return {
    error,
    count: registry?.count,
    at: registry?.at,
    rows,
    page,
    pages,
    turning,
    next: () => goTo(page + 1),
    previous: () => goTo(page - 1),
    query,
    setQuery,
    matches: found?.length,
    progress,
    persistentIndex: registry?.index.persistent ?? false,
    metadataOf,
    lookAlikesOf,
  }
}
