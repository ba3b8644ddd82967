/**
 * Keeps the IPFS backend's pins in step with the pin ledger:
 * - uploads: pinned by the backend, then recorded (a failed record is a
 *   failed upload: nothing is acknowledged that is not stored);
 * - the pin worker: pins registered CIDs the backend lacks, a few at a time,
 *   each attempt bounded in time and size, failures retried with backoff and
 *   shown as `unavailable` (never holding up uploads or the chain follower);
 * - the sweep: applies the retention policy, unpins what has no reason to
 *   stay and collects garbage, never while an upload is between "pinned" and
 *   "recorded" (StoreLock);
 * - reconcile: pins the backend holds that the ledger lacks (a crash between
 *   pinning and recording, a lost ledger) become provisional again.
 */
import type { CID } from 'multiformats/cid'
import type { IPFSClient } from '../lib/ipfs/client.ts'
import { rejectOnAbort } from '../lib/ipfs/retry.ts'
import type { Logger } from './log.ts'
import type { Metrics } from './metrics.ts'
import { isDiskError, type StorageHealth } from './storage-health.ts'
import { StoreLock } from './store-lock.ts'
import type { Database } from './store/database.ts'
import type { PinStore, PinView } from './store/pins.ts'
import { forgetRemovedModules, type RetentionPolicy } from './store/retention.ts'

export interface PinKeeperConfig {
  /** How long an upload stays pinned without a registration naming it. */
  provisionalTtlMs: number
  /** Largest content the worker pins for a registration (its root's declared size). */
  maxPinBytes: number
  /** Time allowed for one pin attempt (size check and pin). */
  pinTimeoutMs: number
  /** Pin attempts at once. */
  pinConcurrency: number
  retention: RetentionPolicy
}

export const DEFAULT_PIN_CONFIG: Omit<PinKeeperConfig, 'provisionalTtlMs' | 'retention'> = {
  maxPinBytes: 64 * 1024 * 1024,
  pinTimeoutMs: 60_000,
  pinConcurrency: 4,
}

export class PinKeeper {
  readonly #ipfs: IPFSClient
  readonly #db: Database
  readonly #pins: PinStore
  readonly #config: PinKeeperConfig
  readonly #log: Logger
  readonly #metrics: Metrics
  readonly #now: () => number
  readonly #lock = new StoreLock()
  readonly storage: StorageHealth
  /** CIDs a sweep is unpinning: the worker leaves them for its next round. */
  readonly #unpinning = new Set<string>()
  readonly #droppedListeners: ((cids: string[]) => void)[] = []
  readonly #inFlight = new Set<string>()
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor(deps: { ipfs: IPFSClient; db: Database; pins: PinStore; log: Logger; metrics: Metrics; storage: StorageHealth; now?: () => number }, config: PinKeeperConfig) {
    this.#ipfs = deps.ipfs
    this.#db = deps.db
    this.#pins = deps.pins
    this.#log = deps.log
    this.#metrics = deps.metrics
    this.storage = deps.storage
    this.#now = deps.now ?? Date.now
    this.#config = config
  }

  status(cid: string): PinView {
    return this.#pins.status(cid)
  }

  /** Stores an upload: pinned by the backend, then recorded as provisional. */
  async upload(bytes: Uint8Array): Promise<PinView> {
    return await this.#lock.shared(async () => {
      let cid: string
      try {
        cid = (await this.#ipfs.add(bytes)).toString()
      } catch (error) {
        const operation = 'storing an upload\'s blocks'
        if (isDiskError(error)) this.storage.failed(operation, error)
        // Some stores report a read-only or full disk obliquely (e.g. ENOENT from mkdir):
        // when the data directory itself is unwell, the disk is the cause.
        const status = this.storage.status()
        if (!status.ok) this.storage.failed(operation, new Error(`${status.detail} (the write failed with: ${(error as Error).message})`, { cause: error }))
        throw error
      }
      const view = this.storage.write('recording an upload', () => this.#pins.uploaded(cid, this.#now(), this.#config.provisionalTtlMs))
      this.updateGauges()
      return view
    })
  }

  /** Starts the pin worker; `wake()` makes it look for work at once. */
  start(): void {
    this.wake()
  }

  wake(): void {
    if (this.#stopped) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.#work(), 0)
  }

  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
  }

  async #work(): Promise<void> {
    const free = this.#config.pinConcurrency - this.#inFlight.size
    if (free > 0) {
      let due: string[] = []
      try {
        due = this.#pins.due(this.#now(), free + this.#inFlight.size + this.#unpinning.size)
      } catch (error) {
        this.#log.log('error', 'reading due pins failed', { error: (error as Error).message })
      }
      for (const cid of due.filter((c) => !this.#inFlight.has(c) && !this.#unpinning.has(c)).slice(0, free)) {
        this.#inFlight.add(cid)
        void this.#pinOne(cid).finally(() => {
          this.#inFlight.delete(cid)
          this.wake()
        })
      }
    }
    this.#scheduleNext()
  }

  #scheduleNext(): void {
    if (this.#stopped) return
    let next: number | undefined
    try {
      next = this.#pins.nextDue()
    } catch { /* retried below */ }
    // Look again at the next due time (or in a while: new work also wakes the worker).
    const delay = next === undefined ? 30_000 : Math.min(30_000, Math.max(250, next - this.#now()))
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.#work(), delay)
    this.#timer.unref?.()
  }

  async #pinOne(cid: string): Promise<void> {
    const started = performance.now()
    try {
      const signal = AbortSignal.timeout(this.#config.pinTimeoutMs)
      const size = await this.#ipfs.contentSize(cid, { attempts: 1, timeoutMs: this.#config.pinTimeoutMs, signal })
      if (size > BigInt(this.#config.maxPinBytes)) throw new Error(`it holds ${size} bytes, more than the ${this.#config.maxPinBytes}-byte pin limit`)
      await Promise.race([this.#ipfs.pin(cid, { signal }), rejectOnAbort(signal)])
      this.storage.write('recording a pin', () => this.#pins.pinned(cid))
      this.#metrics.pinAttempts.inc({ outcome: 'pinned' })
      this.#log.log('info', 'pinned', { cid, ms: Math.round(performance.now() - started) })
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.#config.pinTimeoutMs / 1000} s` : (error as Error).message
      this.#metrics.pinAttempts.inc({ outcome: 'failed' })
      try {
        this.storage.write('recording a failed pin', () => this.#pins.failed(cid, reason, this.#now()))
      } catch { /* reported by storage */ }
      this.#log.log('warn', 'pin unavailable; will retry', { cid, reason, attempts: this.#pins.status(cid).attempts })
    }
    this.updateGauges()
  }

  /**
   * Applies the retention policy, then unpins what nothing keeps and
   * collects garbage. Returns the CIDs let go.
   */
  async sweep(): Promise<string[]> {
    return await this.#lock.exclusive(async () => {
      const now = this.#now()
      const unwanted = this.storage.write('applying retention', () => {
        forgetRemovedModules(this.#db, this.#config.retention, now)
        const cids = this.#pins.unwanted(now).filter((cid) => !this.#inFlight.has(cid))
        for (const cid of cids) {
          this.#pins.drop(cid)
          this.#unpinning.add(cid)
        }
        return cids
      })
      try {
        for (const cid of unwanted) {
          // Dropped from the ledger first: a crash before the unpin leaves an
          // extra pin (reconciled into a provisional one), never a ledger entry
          // without its bytes.
          await this.#ipfs.unpin(cid).catch((error: Error) => this.#log.log('warn', 'unpin failed', { cid, error: error.message }))
        }
        if (unwanted.length > 0) await this.#ipfs.gc()
      } finally {
        for (const cid of unwanted) this.#unpinning.delete(cid)
      }
      if (unwanted.length > 0) for (const listener of this.#droppedListeners) listener(unwanted)
      if (unwanted.length > 0) this.#metrics.pinsExpired.inc(unwanted.length)
      this.updateGauges()
      return unwanted
    })
  }

  /** Calls `listener` with the CIDs each sweep let go (after their blocks were collected). */
  onDropped(listener: (cids: string[]) => void): void {
    this.#droppedListeners.push(listener)
  }

  /** Makes every backend pin the ledger lacks provisional (kept `provisionalTtlMs` from now). */
  async reconcile(): Promise<number> {
    let added = 0
    const cids: CID[] = []
    try {
      for await (const cid of this.#ipfs.listPins()) cids.push(cid)
    } catch (error) {
      this.#log.log('warn', 'cannot list the IPFS backend\'s pins to reconcile', { error: (error as Error).message })
      return 0
    }
    const now = this.#now()
    this.storage.write('reconciling pins', () => {
      for (const cid of cids) {
        if (this.#pins.status(cid.toString()).state !== 'none') continue
        this.#pins.uploaded(cid.toString(), now, this.#config.provisionalTtlMs)
        added++
      }
    })
    if (added > 0) this.#log.log('warn', 'pins held by IPFS but missing from the ledger kept provisionally', { count: added })
    this.updateGauges()
    return added
  }

  updateGauges(): void {
    try {
      const counts = this.#pins.counts()
      for (const [state, value] of Object.entries(counts)) this.#metrics.pins.set({ state }, value)
    } catch { /* the next update will tell */ }
  }
}
