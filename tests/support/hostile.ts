/**
 * Hostile HTTP on raw sockets: a corpus of malformed, oversize, lying and
 * slow requests, and a sender that reads whatever comes back (the first
 * status line and the body) until the server answers or closes.
 */
import { connect, type Socket } from 'node:net'

export interface RawAnswer {
  /** The status of the first answer, or 0 when the server closed without one. */
  status: number
  text: string
}

export interface HostileCase {
  name: string
  /** Sent in order; a number waits that many ms (a slow client). */
  send: (string | Buffer | number)[]
  /** Statuses accepted as the right refusal. */
  expect: number[]
  /** The answer must say what was wrong (a regular expression over the body). */
  says?: RegExp
}

export async function rawRequest(port: number, parts: (string | Buffer | number)[], timeoutMs = 20_000): Promise<RawAnswer> {
  const socket: Socket = connect(port, '127.0.0.1')
  socket.on('error', () => undefined)
  let received = ''
  const done = new Promise<RawAnswer>((resolve) => {
    const finish = () => {
      clearTimeout(timer)
      socket.destroy()
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)
      resolve({ status: status ? Number(status[1]) : 0, text: received })
    }
    const timer = setTimeout(finish, timeoutMs)
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      // One complete answer is enough (Content-Length known).
      const head = received.indexOf('\r\n\r\n')
      const length = /\r\ncontent-length: (\d+)/i.exec(received.slice(0, head))
      if (head >= 0 && length && received.length >= head + 4 + Number(length[1])) finish()
    })
    socket.on('close', finish)
  })
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  for (const part of parts) {
    if (socket.destroyed) break
    if (typeof part === 'number') await new Promise((resolve) => setTimeout(resolve, part))
    else socket.write(part)
  }
  return await done
}

/** Requests every HTTP entry point must refuse in words and survive. `uploadPath` takes a POST body. */
export function hostileCorpus(options: { uploadPath: string; headersTimeoutMs: number; requestTimeoutMs: number }): HostileCase[] {
  const { uploadPath } = options
  const host = 'Host: 127.0.0.1\r\n'
  const post = (headers: string, body: string | Buffer = '') => [`POST ${uploadPath} HTTP/1.1\r\n${host}Content-Type: application/json\r\n${headers}\r\n`, body]
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`
  return [
    { name: 'request target //', send: [`GET // HTTP/1.1\r\n${host}\r\n`], expect: [200, 400, 404] },
    { name: 'request target http://', send: [`GET http:// HTTP/1.1\r\n${host}\r\n`], expect: [400], says: /target/ },
    { name: 'request target //[', send: [`GET //[ HTTP/1.1\r\n${host}\r\n`], expect: [400, 404] },
    { name: 'request target *', send: [`OPTIONS * HTTP/1.1\r\n${host}\r\n`], expect: [400, 405] },
    { name: 'bad percent-encoding /%E0', send: [`GET /%E0 HTTP/1.1\r\n${host}\r\n`], expect: [400, 404] },
    { name: 'bad percent-encoding in a CID /ipfs/%E0', send: [`GET /ipfs/%E0?format=raw HTTP/1.1\r\n${host}\r\n`], expect: [400, 404], says: /percent-encoding|not found/ },
    { name: 'NUL in the path', send: [`GET /%00 HTTP/1.1\r\n${host}\r\n`], expect: [400, 404] },
    { name: 'a 100 KB request target', send: [`GET /${'a'.repeat(100_000)} HTTP/1.1\r\n${host}\r\n`], expect: [414, 431, 400] },
    { name: 'oversize headers', send: [`GET / HTTP/1.1\r\n${host}X-Big: ${'b'.repeat(40_000)}\r\n\r\n`], expect: [431], says: /header/ },
    { name: 'not HTTP at all', send: ['GARBAGE\r\n\r\n'], expect: [400], says: /HTTP|method/ },
    { name: 'invalid method', send: [`G@T / HTTP/1.1\r\n${host}\r\n`], expect: [400] },
    { name: 'invalid HTTP version', send: [`GET / HTTP/9.9\r\n${host}\r\n`], expect: [400, 505] },
    { name: 'control character in a header', send: [`GET / HTTP/1.1\r\n${host}X-Bad: a\x01b\r\n\r\n`], expect: [400] },
    { name: 'Content-Length and Transfer-Encoding together', send: post('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'), expect: [400] },
    { name: 'two different Content-Lengths', send: post('Content-Length: 5\r\nContent-Length: 6\r\n', '{}'), expect: [400] },
    { name: 'negative Content-Length', send: post('Content-Length: -1\r\n'), expect: [400] },
    { name: 'Content-Length over the limit', send: post('Content-Length: 10000000\r\n'), expect: [413], says: /limit/ },
    { name: 'Content-Length longer than the body (lying, then silent)', send: post('Content-Length: 1000\r\n', '{"a":1}'), expect: [408, 400], says: /time|request/ },
    { name: 'chunked body over the limit', send: post('Transfer-Encoding: chunked\r\n', Buffer.concat([...Array.from({ length: 40 }, () => Buffer.from(`1000\r\n${'a'.repeat(4096)}\r\n`)), Buffer.from('0\r\n\r\n')])), expect: [413], says: /limit/ },
    { name: 'malformed chunk size', send: post('Transfer-Encoding: chunked\r\n', 'zz\r\nabc\r\n0\r\n\r\n'), expect: [400] },
    { name: 'JSON nested 5000 deep', send: post(`Content-Length: ${deep.length}\r\n`, deep), expect: [400], says: /levels deep/ },
    { name: 'not JSON', send: post('Content-Length: 9\r\n', '{"schema"'), expect: [400], says: /JSON/ },
    { name: 'not UTF-8', send: post('Content-Length: 4\r\n', Buffer.from([0x22, 0xff, 0xfe, 0x22])), expect: [400], says: /UTF-8/ },
    { name: 'wrong content type', send: [`POST ${uploadPath} HTTP/1.1\r\n${host}Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}`], expect: [415, 405] },
    { name: 'slow headers (slowloris)', send: ['GET / HTTP/1.1\r\n', 500, 'X-A: 1\r\n', 500, 'X-B: 2\r\n', options.headersTimeoutMs + 1500, 'X-C: 3\r\n'], expect: [408], says: /time/ },
    { name: 'slow body', send: [...post('Content-Length: 100\r\n', '{'), options.requestTimeoutMs + 1500, '"a"'], expect: [408], says: /time/ },
  ]
}
