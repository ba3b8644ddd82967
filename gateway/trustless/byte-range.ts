/**
 * HTTP Range (RFC 9110 14.2) over one raw block: a single byte range is
 * served as a 206; several ranges, another unit or a malformed header are
 * answered with the whole block (a server may ignore Range).
 */

export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'part'; start: number; end: number }
  | { kind: 'unsatisfiable' }

export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' }
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header)
  if (match === null) return { kind: 'whole' }
  const [, firstText, lastText] = match
  if (firstText === '' && lastText === '') return { kind: 'whole' }
  if (firstText === '') {
    // bytes=-N: the last N bytes.
    const suffix = Number(lastText)
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'part', start: Math.max(size - suffix, 0), end: size - 1 }
  }
  const start = Number(firstText)
  const last = lastText === '' ? Infinity : Number(lastText)
  if (last < start) return { kind: 'whole' }
  if (start >= size) return { kind: 'unsatisfiable' }
  return { kind: 'part', start, end: Math.min(last, size - 1) }
}
