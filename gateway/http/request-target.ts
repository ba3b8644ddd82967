/**
 * The request target, parsed without trusting it: `//`, `http://`, `//[`,
 * bad percent-encoding and the like are a 400 in words, never an exception
 * that escapes a handler.
 */
import { HttpError } from './http-error.ts'

/** Longest request target accepted (Node already caps the whole header block). */
export const MAX_TARGET_LENGTH = 8 * 1024

export interface RequestTarget {
  /** The path as sent (still percent-encoded), always starting with `/`. */
  pathname: string
  query: URLSearchParams
}

/**
 * Origin-form (`/path?query`) as servers normally get, or absolute-form
 * (`http://host/path`), which HTTP/1.1 servers must accept too.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget {
  const target = raw ?? ''
  if (target.length === 0) throw new HttpError(400, 'the request has no target path')
  if (target.length > MAX_TARGET_LENGTH) throw new HttpError(414, `the request target is ${target.length} characters; the limit is ${MAX_TARGET_LENGTH}`)
  let url: URL
  try {
    // A fixed base keeps `//x` a path, not a host: only the path and query are used.
    url = target.startsWith('/') ? new URL(`http://request${target}`) : new URL(target)
  } catch {
    throw new HttpError(400, 'the request target is not a valid path or URL')
  }
  if (!target.startsWith('/') && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError(400, `the request target must be a path starting with "/" (got a ${url.protocol} URL)`)
  }
  return { pathname: url.pathname, query: url.searchParams }
}

/** `decodeURIComponent`, with malformed escapes (`%E0`, `%zz`) a 400 naming the segment. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new HttpError(400, `the path segment "${segment.slice(0, 100)}" has invalid percent-encoding`)
  }
}
