'use client'
/**
 * Starts the session (light client and IPFS) once the first paint is done:
 * smoldot is a few megabytes. Its progress and failures reach the status bar
 * through the store, so nothing is returned here.
 */
import { useEffect } from 'react'
import { session } from '../lib/web/session.ts'

export function useStartSession(): void {
  useEffect(() => {
    const timer = setTimeout(() => void session().catch(() => undefined), 0)
    return () => clearTimeout(timer)
  }, [])
}
