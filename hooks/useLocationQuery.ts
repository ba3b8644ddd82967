'use client'
/** The page's query string (`?view=module&key=0x…`), read after mount: the export is prerendered without one. */
import { useEffect, useState } from 'react'

export function useLocationQuery(): URLSearchParams | undefined {
  const [query, setQuery] = useState<URLSearchParams>()
  useEffect(() => setQuery(new URLSearchParams(window.location.search)), [])
  return query
}
