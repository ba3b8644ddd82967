/**
 * Whether the gateway can still store what it acknowledges: every write to
 * the database goes through `write`, which remembers the last failure (disk
 * full, read-only data directory, a broken file) until a write succeeds, so
 * /healthz answers 503 and says why, and a log line and a metric record it.
 * The free space of the data directory's filesystem is checked too.
 */
import { accessSync, constants, statfsSync } from 'node:fs'
import type { Logger } from './log.ts'
import type { Metrics } from './metrics.ts'

/** Below this much free space the gateway reports itself unhealthy (uploads would start failing); `--min-free-mb`. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024

/** A write to the gateway's state failed: the request is answered 503 and nothing is acknowledged. */
export class StorageFailure extends Error {
  constructor(operation: string, cause: unknown) {
    super(`the gateway cannot store its state (${operation}): ${(cause as Error)?.message ?? String(cause)}`, { cause })
    this.name = 'StorageFailure'
  }
}

export interface StorageStatus {
  ok: boolean
  detail: string
  freeBytes?: number
}

export class StorageHealth {
  readonly #dataDir: string
  readonly #log: Logger
  readonly #metrics: Metrics
  #lastFailure: { operation: string; message: string; at: number } | undefined

  readonly #minFreeBytes: number

  constructor(dataDir: string, log: Logger, metrics: Metrics, minFreeBytes = MIN_FREE_BYTES) {
    this.#dataDir = dataDir
    this.#log = log
    this.#metrics = metrics
    this.#minFreeBytes = minFreeBytes
  }

  /** Runs a synchronous state change; a failure is recorded and thrown as a StorageFailure. */
  write<T>(operation: string, change: () => T): T {
    let result: T
    try {
      result = change()
    } catch (error) {
      this.failed(operation, error)
    }
    if (this.#lastFailure !== undefined) this.#log.log('info', 'storage writable again', { after: this.#lastFailure.operation })
    this.#lastFailure = undefined
    return result
  }

  /** Records a failed write made elsewhere (e.g. IPFS blocks) and throws it as a StorageFailure. */
  failed(operation: string, error: unknown): never {
    this.#lastFailure = { operation, message: (error as Error)?.message ?? String(error), at: Date.now() }
    this.#metrics.storageErrors.inc({ operation })
    this.#log.log('error', 'storage write failed', { operation, error: this.#lastFailure.message, dataDir: this.#dataDir })
    throw new StorageFailure(operation, error)
  }

  status(): StorageStatus {
    let freeBytes: number | undefined
    try {
      const fs = statfsSync(this.#dataDir)
      freeBytes = fs.bavail * fs.bsize
      this.#metrics.diskFree.set(freeBytes)
      this.#metrics.diskSize.set(fs.blocks * fs.bsize)
      accessSync(this.#dataDir, constants.W_OK)
    } catch (error) {
      return { ok: false, detail: `the data directory ${this.#dataDir} is not writable: ${(error as Error).message}`, freeBytes }
    }
    if (this.#lastFailure !== undefined) {
      return { ok: false, detail: `the last write (${this.#lastFailure.operation}) failed: ${this.#lastFailure.message}`, freeBytes }
    }
    if (freeBytes < this.#minFreeBytes) return { ok: false, detail: `only ${freeBytes} bytes free under ${this.#dataDir}`, freeBytes }
    return { ok: true, detail: `${Math.floor(freeBytes / 1024 / 1024)} MiB free`, freeBytes }
  }
}

/** Errors that mean the disk, not the request, is the problem. */
export function isDiskError(error: unknown): boolean {
  const codes = new Set(['ENOSPC', 'EROFS', 'EDQUOT', 'EACCES', 'EPERM', 'EIO'])
  for (let e = error as { code?: string; cause?: unknown } | undefined, depth = 0; e !== undefined && e !== null && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && codes.has(e.code)) return true
    if (/ENOSPC|EROFS|EDQUOT|EACCES|EPERM|EIO\b|no space left|read-only file system|disk is full|permission denied/i.test(String((e as { message?: string }).message ?? ''))) return true
  }
  return false
}
