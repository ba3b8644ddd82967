/**
 * Reading HTTP bodies from servers that are not trusted (gateways, the host
 * serving the web app) without letting them decide how much is held in memory:
 * the body is read chunk by chunk and the stream is cancelled as soon as it
 * passes the limit, so an endless body without Content-Length costs at most
 * the limit plus one chunk. Web-standard APIs only (fetch `Response`,
 * `ReadableStream`): this runs in the CLI and in the browser.
 */
import { ModnetError } from '../types/errors.ts'

/** A body is longer than the reader allows. Code `'BODY_TOO_LARGE'`. */
export class BodyTooLargeError extends ModnetError {
  /** What was being read, e.g. `block bafy…`. */
  readonly what: string
  /** The limit, in bytes. */
  readonly limit: number
  /** The Content-Length the server declared, when that was what gave it away; undefined when it sent more than the limit. */
  readonly declared: number | undefined

  constructor(what: string, limit: number, declared?: number) {
    super('BODY_TOO_LARGE', tooLargeMessage(what, limit, declared, 'the server'))
    this.name = 'BodyTooLargeError'
    this.what = what
    this.limit = limit
    this.declared = declared
  }

  /** The message with the sender named, e.g. `describe('the gateway http://…')`. */
  describe(sender: string): string {
    return tooLargeMessage(this.what, this.limit, this.declared, sender)
  }
}

/** A body is not the text or JSON expected. Code `'BODY_INVALID'`. */
export class BodyInvalidError extends ModnetError {
  readonly what: string

  constructor(what: string, problem: string, options?: { cause?: unknown }) {
    super('BODY_INVALID', `${what} ${problem}`, options)
    this.name = 'BodyInvalidError'
    this.what = what
  }
}

/** How much of an error body is read for its message (4 KiB): a reason is a line or two, and error pages can be long or endless. */
export const MAX_ERROR_BODY_BYTES = 4 * 1024

function tooLargeMessage(what: string, limit: number, declared: number | undefined, sender: string): string {
  const how = declared === undefined ? `${sender} sent more` : `${sender} declared ${declared} bytes`
  return `${what} is over the ${limit}-byte limit: ${how}`
}

/**
 * The whole body as bytes, at most `maxBytes` of them. Refuses unread when
 * Content-Length already says more; otherwise reads until the end or until the
 * total passes the limit, then cancels the stream (closing the connection) and
 * throws {@link BodyTooLargeError}. Network errors and aborts propagate as fetch
 * raises them.
 */
export async function readBoundedBytes(response: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  // Content-Length counts encoded bytes (fetch decodes gzip): only a hint,
  // enough to refuse early; the count below is what holds the limit.
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {})
    throw new BodyTooLargeError(what, maxBytes, declared)
  }
  if (response.body === null) return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      throw new BodyTooLargeError(what, maxBytes)
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]
  const bytes = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return bytes
}

/** The body as text (UTF-8, invalid sequences replaced, as `Response.text()` does), at most `maxBytes`. */
export async function readBoundedText(response: Response, maxBytes: number, what: string): Promise<string> {
  return new TextDecoder().decode(await readBoundedBytes(response, maxBytes, what))
}

/**
 * The body parsed as JSON, at most `maxBytes`. Invalid UTF-8 or JSON is a
 * {@link BodyInvalidError} naming `what`. The result is unchecked: callers
 * check its shape.
 */
export async function readBoundedJson(response: Response, maxBytes: number, what: string): Promise<unknown> {
  const bytes = await readBoundedBytes(response, maxBytes, what)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (error) {
    throw new BodyInvalidError(what, 'is not valid UTF-8', { cause: error })
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    // V8's own message ends with an excerpt and "is not valid JSON": keep its reason, show the opening
    // (an HTML page where JSON was expected is the usual case: a misconfigured host).
    const reason = (error as Error).message.replace(/, ".*is not valid JSON$/s, '')
    const body = text.trim()
    const shown = body === '' ? 'the body is empty' : `it begins ${JSON.stringify(body.slice(0, 40))}${body.length > 40 ? '…' : ''}`
    throw new BodyInvalidError(what, `is not valid JSON (${reason}; ${shown})`, { cause: error })
  }
}

/**
 * At most the first `maxBytes` of the body as text, then the stream is
 * cancelled: for error pages, whose opening is all a message needs. Never
 * throws: an unreadable body gives what was read so far.
 */
export async function readTextPrefix(response: Response, maxBytes = MAX_ERROR_BODY_BYTES): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    while (total < maxBytes) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value.subarray(0, maxBytes - total))
      total += chunks[chunks.length - 1].byteLength
    }
  } catch { /* keep what was read */ }
  await reader.cancel().catch(() => {})
  const decoder = new TextDecoder()
  // stream: true on all but the last keeps multi-byte characters across chunks.
  return chunks.map((chunk, i) => decoder.decode(chunk, { stream: i < chunks.length - 1 })).join('')
}

/**
 * What an API's error answer says: its JSON `error` field, read from the
 * opening of the body, with the status (`reason (HTTP 503)`), or the status
 * alone when the body says nothing readable.
 */
export async function errorReason(response: Response): Promise<string> {
  try {
    const error = (JSON.parse(await readTextPrefix(response)) as { error?: unknown }).error
    if (typeof error === 'string') return `${error} (HTTP ${response.status})`
  } catch { /* not JSON: the status says enough */ }
  return `HTTP ${response.status}`
}
