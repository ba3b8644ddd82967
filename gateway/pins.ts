/**
 * What the gateway keeps, and for how long. An upload is pinned
 * provisionally, until `expiresAt`; once a finalized `ModuleRegistered` or
 * `ModuleUpdated` event names its CID the pin is kept for good (old
 * revisions too: they are the module's history). Expired provisional pins are
 * unpinned and garbage-collected, so uploads nobody registers do not stay.
 * The ledger is a JSON file, rewritten atomically, so it survives restarts.
 */
import type { IPFSClient } from '../lib/ipfs/client.ts'
import { readJsonFile, writeJsonFile } from './json-file.ts'

export type PinEntry =
  | { state: 'provisional'; expiresAt: number }
  | { state: 'registered'; key: string; blockNumber: number }

export type PinStatus = PinEntry | { state: 'none' }

interface LedgerFile {
  version: 1
  pins: Record<string, PinEntry>
}

export class PinLedger {
  readonly #file: string
  readonly #ipfs: IPFSClient
  readonly #pins: Map<string, PinEntry>
  /** Serializes ledger changes: each waits for the previous one. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(file: string, ipfs: IPFSClient) {
    this.#file = file
    this.#ipfs = ipfs
    this.#pins = new Map(Object.entries(load(file).pins))
  }

  status(cid: string): PinStatus {
    return this.#pins.get(cid) ?? { state: 'none' }
  }

  counts(): { provisional: number; registered: number } {
    let provisional = 0
    for (const entry of this.#pins.values()) if (entry.state === 'provisional') provisional++
    return { provisional, registered: this.#pins.size - provisional }
  }

  /** Records an upload (already pinned by the IPFS backend); a registered CID stays registered. */
  async provisional(cid: string, expiresAt: number): Promise<PinEntry> {
    return await this.#change(async () => {
      const current = this.#pins.get(cid)
      if (current?.state === 'registered') return current
      const entry: PinEntry = { state: 'provisional', expiresAt: Math.max(expiresAt, current?.expiresAt ?? 0) }
      this.#pins.set(cid, entry)
      return entry
    })
  }

  /**
   * Keeps `cid` for good. Returns false when the gateway does not hold the
   * content (it was uploaded elsewhere): it is recorded anyway, so a later
   * upload of it is kept too.
   */
  async registered(cid: string, key: string, blockNumber: number): Promise<boolean> {
    return await this.#change(async () => {
      this.#pins.set(cid, { state: 'registered', key, blockNumber })
      try {
        await this.#ipfs.pin(cid)
        return true
      } catch {
        return false
      }
    })
  }

  /** Unpins provisional entries past `now`, then collects garbage; returns the CIDs dropped. */
  async expire(now: number): Promise<string[]> {
    return await this.#change(async () => {
      const expired = [...this.#pins].filter(([, entry]) => entry.state === 'provisional' && entry.expiresAt <= now).map(([cid]) => cid)
      for (const cid of expired) {
        await this.#ipfs.unpin(cid)
        this.#pins.delete(cid)
      }
      if (expired.length > 0) await this.#ipfs.gc()
      return expired
    })
  }

  async #change<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      const result = await change()
      writeJsonFile(this.#file, { version: 1, pins: Object.fromEntries(this.#pins) } satisfies LedgerFile)
      return result
    })
    this.#queue = run.catch(() => undefined)
    return await run
  }
}

function load(file: string): LedgerFile {
  const parsed = readJsonFile<LedgerFile>(file, { version: 1, pins: {} })
  if (parsed.version !== 1 || typeof parsed.pins !== 'object') throw new Error(`${file} is not a version 1 pin ledger`)
  return parsed
}
