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

/** Below this much free space the gateway reports itself unhealthy (uploads would start failing). */
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

  constructor(dataDir: string, log: Logger, metrics: Metrics) {
    this.#dataDir = dataDir
    this.#log = log
    this.#metrics = metrics
  }

  /** Runs a synchronous state change; a failure is recorded and thrown as a StorageFailure. */
  write<T>(operation: string, change: () => T): T {
    try {
      const result = change()
      if (this.#lastFailure !== undefined) this.#log.log('info', 'storage writable again', { after: this.#lastFailure.operation })
      this.#lastFailure = undefined
      return result
    } catch (error) {
      this.#lastFailure = { operation, message: (error as Error).message, at: Date.now() }
      this.#metrics.storageErrors.inc({ operation })
      this.#log.log('error', 'storage write failed', { operation, error: (error as Error).message, dataDir: this.#dataDir })
      throw new StorageFailure(operation, error)
    }
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
    if (freeBytes < MIN_FREE_BYTES) return { ok: false, detail: `only ${freeBytes} bytes free under ${this.#dataDir}`, freeBytes }
    return { ok: true, detail: `${Math.floor(freeBytes / 1024 / 1024)} MiB free`, freeBytes }
  }
}
