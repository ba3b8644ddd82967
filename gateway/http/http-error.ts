/** Answers in words: every refusal is JSON with an `error` that says what was wrong. */
import type { ServerResponse } from 'node:http'

/** An answer with a status and an `error` in words (plus optional fields and headers). */
export class HttpError extends Error {
  readonly status: number
  readonly body: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor(status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(error)
    this.name = 'HttpError'
    this.status = status
    this.body = { error, ...extra }
    this.headers = headers
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** A whole HTTP/1.1 answer as raw bytes, for sockets that never became a request (then closed). */
export function rawJsonAnswer(status: number, reason: string, error: string): string {
  const text = `${JSON.stringify({ error })}\n`
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`
}
