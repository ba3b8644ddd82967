import { IPFSError, isTransient } from './errors.ts'

export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  attempts?: number
  /** Delay before the second attempt; doubled after each failure, with jitter (default 200 ms). */
  baseDelayMs?: number
  /** Time allowed for each attempt (default 10 s). */
  timeoutMs?: number
  /** Aborts the whole operation. */
  signal?: AbortSignal
}

/**
 * Runs `attempt` until it succeeds, fails with a non-transient error, or runs
 * out of attempts. Each attempt gets its own timeout signal; a timeout
 * surfaces as `IPFS_TIMEOUT` naming `what`.
 */
export async function withRetry<T>(what: string, attempt: (signal: AbortSignal) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3)
  const timeoutMs = options.timeoutMs ?? 10_000
  let delay = options.baseDelayMs ?? 200
  for (let n = 1; ; n++) {
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal])
    try {
      // Raced with the signal too: an attempt that ignores it must not hang the caller.
      return await Promise.race([attempt(signal), rejectOnAbort(signal)])
    } catch (error) {
      options.signal?.throwIfAborted()
      const failure = timeout.aborted
        ? new IPFSError('IPFS_TIMEOUT', `${what} took longer than ${timeoutMs} ms`, { cause: error })
        : error
      if (n >= attempts || !isTransient(failure)) throw failure
      await sleep(delay * (0.75 + Math.random() / 2), options.signal)
      delay *= 2
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    }, { once: true })
  })
}

/** Rejects with the abort reason once `signal` fires: race it with work that may ignore its signal. */
export function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}
