/**
 * Per-client token buckets: `burst` requests at once, refilled at `perMinute`.
 * A refused request learns how long until the next token (Retry-After).
 */
export interface RateLimit {
  perMinute: number
  burst: number
}

interface Bucket {
  tokens: number
  updated: number
}

/** Buckets idle this long are forgotten, so the map cannot grow without bound. */
const IDLE_MS = 10 * 60_000

export class RateLimiter {
  readonly #limit: RateLimit
  readonly #buckets = new Map<string, Bucket>()
  readonly #now: () => number
  #lastSweep = 0

  constructor(limit: RateLimit, now: () => number = Date.now) {
    this.#limit = limit
    this.#now = now
  }

  /** Takes a token for `client`: 0 if allowed, else the seconds to wait. */
  take(client: string): number {
    const now = this.#now()
    this.#sweep(now)
    const ratePerMs = this.#limit.perMinute / 60_000
    const bucket = this.#buckets.get(client) ?? { tokens: this.#limit.burst, updated: now }
    bucket.tokens = Math.min(this.#limit.burst, bucket.tokens + (now - bucket.updated) * ratePerMs)
    bucket.updated = now
    this.#buckets.set(client, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000))
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < IDLE_MS) return
    this.#lastSweep = now
    for (const [client, bucket] of this.#buckets) if (now - bucket.updated > IDLE_MS) this.#buckets.delete(client)
  }
}
