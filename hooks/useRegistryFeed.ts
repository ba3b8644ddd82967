'use client'
/** Registry events as their blocks finalize, newest first, read through the light client. */
import { useState } from 'react'
import type { RegistryEvent } from '../lib/types/chain.ts'
import { session } from '../lib/web/session.ts'
import { messageOf, useAbortableEffect } from './useAsync.ts'

type FeedStatus =
  | { state: 'starting' }
  | { state: 'following' }
  /** The subscription could not start or broke off; events received before stay. */
  | { state: 'error'; error: string }

export type RegistryFeed = { events: RegistryEvent[] } & FeedStatus

/** Keeps the newest `max` events. */
export function useRegistryFeed(max = 200): RegistryFeed {
  const [events, setEvents] = useState<RegistryEvent[]>([])
  const [status, setStatus] = useState<FeedStatus>({ state: 'starting' })

  useAbortableEffect((signal) => {
    const fail = (failure: unknown) => { if (!signal.aborted) setStatus({ state: 'error', error: messageOf(failure) }) }
    void (async () => {
      const { client } = await session()
      const unsubscribe = await client.watchEvents((batch) => {
        if (!signal.aborted) setEvents((current) => [...batch.slice().reverse(), ...current].slice(0, max))
      }, fail)
      if (signal.aborted) return unsubscribe()
      signal.addEventListener('abort', unsubscribe, { once: true })
      setStatus({ state: 'following' })
    })().catch(fail)
  }, [max])

  return { events, ...status }
}
