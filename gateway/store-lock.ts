/**
 * Uploads and garbage collection must not interleave: an upload that pins
 * bytes while a sweep unpins and collects them could answer "stored" for
 * bytes already deleted. Uploads share the lock (they run side by side); a
 * sweep takes it alone, after the uploads in flight finish.
 */
export class StoreLock {
  #readers = 0
  #writer = false
  #waiting: { exclusive: boolean; wake: () => void }[] = []

  async shared<T>(work: () => Promise<T>): Promise<T> {
    await this.#acquire(false)
    try {
      return await work()
    } finally {
      this.#readers--
      this.#next()
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.#acquire(true)
    try {
      return await work()
    } finally {
      this.#writer = false
      this.#next()
    }
  }

  #acquire(exclusive: boolean): Promise<void> {
    // Queue behind any waiter, so a stream of uploads cannot starve a sweep.
    if (this.#waiting.length === 0 && !this.#writer && (!exclusive || this.#readers === 0)) {
      this.#take(exclusive)
      return Promise.resolve()
    }
    return new Promise((wake) => this.#waiting.push({ exclusive, wake }))
  }

  #take(exclusive: boolean): void {
    if (exclusive) this.#writer = true
    else this.#readers++
  }

  #next(): void {
    while (this.#waiting.length > 0 && !this.#writer) {
      const first = this.#waiting[0]
      if (first.exclusive && this.#readers > 0) return
      this.#waiting.shift()
      this.#take(first.exclusive)
      first.wake()
      if (first.exclusive) return
    }
  }
}
