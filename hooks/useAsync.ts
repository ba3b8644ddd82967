'use client'
/**
 * The one place the web app's data hooks start async work, cancel it and
 * keep its outcome, so views do not each repeat `useEffect` + `session()` +
 * a `cancelled` flag.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DependencyList } from 'react'

/** What a data hook has: nothing asked yet (`idle`), or the outcome of its load, failures in words. */
export type Async<T> =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'error'; error: string }

/** Loads `T`; `signal` aborts when the component unmounts or the inputs change, so long loads can stop early. */
export type Loader<T> = (signal: AbortSignal) => Promise<T>

export type Reloadable<T> = Async<T> & {
  /** Loads again, keeping what is shown until the new outcome (say, after a transaction changed it). */
  reload(): void
}

/**
 * Runs `load` whenever `deps` change (`undefined`: nothing to load yet, the
 * state is `idle`). An outcome arriving after unmount or after newer inputs is
 * dropped. New inputs show `loading` at once; `reload()` does not.
 */
export function useAsync<T>(load: Loader<T> | undefined, deps: DependencyList): Reloadable<T> {
  const [outcome, setOutcome] = useState<Async<T>>(load === undefined ? { state: 'idle' } : { state: 'loading' })
  const [generation, setGeneration] = useState(0)
  const reloading = useRef(false)

  useAbortableEffect((signal) => {
    const keepShown = reloading.current
    reloading.current = false
    if (load === undefined) return setOutcome(IDLE)
    if (!keepShown) setOutcome((current) => (current.state === 'loading' ? current : LOADING))
    new Promise<T>((resolve) => resolve(load(signal))).then(
      (value) => { if (!signal.aborted) setOutcome({ state: 'ready', value }) },
      (failure: unknown) => { if (!signal.aborted) setOutcome({ state: 'error', error: messageOf(failure) }) },
    )
  }, [...deps, load === undefined, generation]) // `load` is a new closure every render: `deps` name its inputs

  const reload = useCallback(() => {
    reloading.current = true
    setGeneration((n) => n + 1)
  }, [])

  // One object per outcome, so callers can use it as an effect dependency.
  return useMemo(() => ({ ...outcome, reload }), [outcome, reload])
}

const IDLE = { state: 'idle' } as const
const LOADING = { state: 'loading' } as const

/**
 * `useEffect` with an AbortSignal that aborts on unmount and before the next
 * run: the one place the hooks cancel work (streams and progressive loads use
 * it directly, one-shot loads through `useAsync`).
 */
export function useAbortableEffect(effect: (signal: AbortSignal) => void, deps: DependencyList): void {
  useEffect(() => {
    const abort = new AbortController()
    effect(abort.signal)
    return () => abort.abort()
  }, deps) // the caller's inputs, as with `useEffect`
}

/** The value once ready, else undefined: for inputs of a dependent hook. */
export function valueOf<T>(async: Async<T>): T | undefined {
  return async.state === 'ready' ? async.value : undefined
}

/** A failure in words: the error's message, never an empty string or `[object Object]`. */
export function messageOf(failure: unknown): string {
  if (failure instanceof Error && failure.message !== '') return failure.message
  if (typeof failure === 'string' && failure !== '') return failure
  return 'failed for an unknown reason'
}
