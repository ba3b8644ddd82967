/**
 * `entity-bytes=from:to` (trustless gateway spec): the trustless form of an
 * HTTP Range over a file. Both ends inclusive; `*` is the end of the file;
 * negative values count from the end.
 */
import { HttpError } from '../http/http-error.ts'

/** As asked: `to` is undefined for `*`. */
export interface EntityBytes {
  from: number
  to?: number
}

/** An inclusive byte interval within an entity. */
export interface ByteInterval {
  first: number
  last: number
}

const INTEGER = /^-?\d{1,15}$/

export function parseEntityBytes(text: string): EntityBytes {
  const parts = text.split(':')
  const [fromText, toText] = parts
  if (parts.length !== 2 || !INTEGER.test(fromText) || (toText !== '*' && !INTEGER.test(toText))) {
    throw new HttpError(400, `entity-bytes must be from:to with integers (to may be *), e.g. 0:1023 or -1024:* (got "${text.slice(0, 40)}")`)
  }
  const from = Number(fromText) || 0
  const to = toText === '*' ? undefined : Number(toText) || 0
  if (to !== undefined && (from >= 0) === (to >= 0) && from > to) {
    throw new HttpError(400, `entity-bytes=${text}: from comes after to`)
  }
  return to === undefined ? { from } : { from, to }
}

export function formatEntityBytes(range: EntityBytes): string {
  return `${range.from}:${range.to ?? '*'}`
}

/**
 * The bytes of a `size`-byte entity that `range` (the whole entity when
 * undefined) covers; undefined when that is nothing (then only the entity's
 * root block is sent). A range starting past the end is a 400: the root block
 * has been read by then, so this is known before anything is sent.
 */
export function resolveEntityBytes(range: EntityBytes | undefined, size: number): ByteInterval | undefined {
  if (size <= 0) return undefined
  if (range === undefined) return { first: 0, last: size - 1 }
  const first = range.from < 0 ? Math.max(size + range.from, 0) : range.from
  if (first >= size) {
    throw new HttpError(400, `entity-bytes=${formatEntityBytes(range)} starts at byte ${first}, past the end of the ${size}-byte entity`)
  }
  const last = range.to === undefined ? size - 1 : range.to < 0 ? size + range.to : Math.min(range.to, size - 1)
  return last < first ? undefined : { first, last }
}
