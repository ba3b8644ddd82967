/**
 * Bounded body reads against real HTTP servers on 127.0.0.1: an endless
 * chunked body is cut off near the limit and its connection closed, a
 * declared-too-large body is refused unread, exactly the limit is accepted,
 * and bad JSON is named in words. Also through GatewayIpfs, whose reads and
 * error messages go through the same reader.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BodyInvalidError, BodyTooLargeError, MAX_ERROR_BODY_BYTES, readBoundedBytes, readBoundedJson, readTextPrefix } from '../../lib/http/bounded-body.ts'
import { GatewayIpfs, MAX_BLOCK_BYTES } from '../../lib/ipfs/gateway.ts'

const CHUNK = 64 * 1024
const LIMIT = 1024 * 1024
const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
/**
 * What an endless server may write past the limit before it sees the close:
 * the reader stops within one chunk, but the kernel's loopback socket buffers
 * (send and receive, about 4 MiB together here, tcp_wmem/tcp_rmem) and fetch's
 * own queue hold bytes the reader never asked for. Far below "everything".
 */
const BUFFERED = 16 * 1024 * 1024

interface TestServer {
  url: string
  /** Bytes handed to the socket so far. */
  written: number
  /** Resolves when the (first) response's connection closes: `cut` if before the body ended. */
  closed: Promise<{ cut: boolean }>
  stop(): Promise<void>
}

async function serve(respond: (res: ServerResponse, server: TestServer) => void): Promise<TestServer> {
  let onClose!: (value: { cut: boolean }) => void
  const server = createServer((_req, res) => {
    res.once('close', () => onClose({ cut: !res.writableFinished }))
    respond(res, state)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const state: TestServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    written: 0,
    closed: new Promise((resolve) => { onClose = resolve }),
    stop: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
  return state
}

/** Writes 64 KiB chunks (chunked encoding, no Content-Length) until the client goes away. */
function forever(res: ServerResponse, server: TestServer, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/octet-stream' })
  const chunk = Buffer.alloc(CHUNK, 0x61)
  const pump = (): void => {
    while (!res.destroyed) {
      server.written += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
  }
  pump()
}

/** Sends `bytes` in 64 KiB chunks, with or without a Content-Length. */
function send(res: ServerResponse, bytes: Uint8Array, contentLength: boolean): void {
  res.writeHead(200, contentLength ? { 'content-length': String(bytes.length) } : {})
  for (let at = 0; at < bytes.length; at += CHUNK) res.write(bytes.subarray(at, at + CHUNK))
  res.end()
}

test('an endless chunked body stops with BODY_TOO_LARGE near the limit, and the connection is closed', { timeout: 20_000 }, async () => {
  const server = await serve((res, s) => forever(res, s))
  try {
    const response = await fetch(server.url)
    assert.equal(response.headers.get('content-length'), null)
    await assert.rejects(readBoundedBytes(response, LIMIT, 'the test body'), (error: unknown) => {
      assert.ok(error instanceof BodyTooLargeError)
      assert.equal(error.code, 'BODY_TOO_LARGE')
      assert.equal(error.message, `the test body is over the ${LIMIT}-byte limit: the server sent more`)
      return true
    })
    assert.deepEqual(await server.closed, { cut: true }, 'the server sees the connection closed')
    assert.ok(server.written > LIMIT)
    assert.ok(server.written < LIMIT + BUFFERED, `the server wrote ${server.written} bytes`)
  } finally {
    await server.stop()
  }
})

test('the reader pulls at most one chunk past the limit and cancels the stream', async () => {
  // In process, no sockets in between: the exact bound the reader keeps.
  let pulled = 0
  let cancelled = false
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += CHUNK
      controller.enqueue(new Uint8Array(CHUNK))
    },
    cancel() { cancelled = true },
  }, { highWaterMark: 0 })
  await assert.rejects(readBoundedBytes(new Response(stream), LIMIT + 1, 'the stream'), { code: 'BODY_TOO_LARGE' })
  assert.ok(pulled <= LIMIT + 1 + CHUNK, `pulled ${pulled} bytes`)
  assert.ok(cancelled)
})

test('a body whose Content-Length is over the limit is refused unread', { timeout: 20_000 }, async () => {
  const declared = 64 * 1024 * 1024
  const server = await serve((res) => {
    res.writeHead(200, { 'content-length': String(declared) })
    res.write(Buffer.alloc(CHUNK))
  })
  try {
    await assert.rejects(readBoundedBytes(await fetch(server.url), LIMIT, 'the big file'), (error: unknown) => {
      assert.ok(error instanceof BodyTooLargeError)
      assert.equal(error.declared, declared)
      assert.equal(error.message, `the big file is over the ${LIMIT}-byte limit: the server declared ${declared} bytes`)
      return true
    })
    assert.deepEqual(await server.closed, { cut: true })
  } finally {
    await server.stop()
  }
})

test('exactly the limit is accepted, with or without Content-Length; one byte more is not', async () => {
  const bytes = new Uint8Array(LIMIT).map((_, i) => i % 251)
  for (const contentLength of [false, true]) {
    const server = await serve((res) => send(res, bytes, contentLength))
    try {
      assert.deepEqual(await readBoundedBytes(await fetch(server.url), LIMIT, 'the body'), bytes)
      await assert.rejects(readBoundedBytes(await fetch(server.url), LIMIT - 1, 'the body'), { code: 'BODY_TOO_LARGE' })
    } finally {
      await server.stop()
    }
  }
})

test('JSON: parsed within the limit; invalid JSON or UTF-8 is a BODY_INVALID error in words', async () => {
  const bodies = ['{"cid":"bafy"}', '{"cid": ', '{"a": "\xff"}']
  const server = await serve((res) => {
    const body = bodies.shift()!
    send(res, body.includes('\xff') ? Buffer.from(body, 'latin1') : Buffer.from(body), true)
  })
  try {
    assert.deepEqual(await readBoundedJson(await fetch(server.url), 64, 'the answer'), { cid: 'bafy' })
    await assert.rejects(readBoundedJson(await fetch(server.url), 64, 'the answer'), (error: unknown) => {
      assert.ok(error instanceof BodyInvalidError)
      assert.equal(error.code, 'BODY_INVALID')
      assert.match(error.message, /^the answer is not valid JSON \(.+; it begins "\{\\"cid\\":"\)$/)
      return true
    })
    await assert.rejects(readBoundedJson(await fetch(server.url), 64, 'the answer'), { code: 'BODY_INVALID', message: 'the answer is not valid UTF-8' })
  } finally {
    await server.stop()
  }
})

test('an endless error body gives its first 4 KiB and is closed', { timeout: 20_000 }, async () => {
  const server = await serve((res, s) => forever(res, s, 500))
  try {
    const text = await readTextPrefix(await fetch(server.url))
    assert.equal(text, 'a'.repeat(MAX_ERROR_BODY_BYTES))
    assert.deepEqual(await server.closed, { cut: true })
  } finally {
    await server.stop()
  }
})

test('GatewayIpfs: an endless block is IPFS_TOO_LARGE without being read to the end', { timeout: 20_000 }, async () => {
  const server = await serve((res, s) => forever(res, s))
  try {
    await assert.rejects(new GatewayIpfs(server.url).getBlock(CID, { attempts: 1 }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'IPFS_TOO_LARGE')
      assert.equal((error as Error).message, `block ${CID} is over the ${MAX_BLOCK_BYTES}-byte limit: the gateway ${server.url} sent more`)
      return true
    })
    assert.deepEqual(await server.closed, { cut: true })
    assert.ok(server.written < MAX_BLOCK_BYTES + BUFFERED, `the server wrote ${server.written} bytes`)
  } finally {
    await server.stop()
  }
})

test('GatewayIpfs: an endless error page gives a short message; an endless upload answer is IPFS_TOO_LARGE', { timeout: 20_000 }, async () => {
  const failing = await serve((res, s) => forever(res, s, 503))
  try {
    await assert.rejects(new GatewayIpfs(failing.url).getBlock(CID, { attempts: 1 }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'IPFS_UNAVAILABLE')
      assert.equal((error as Error).message, `reading block ${CID}: the gateway ${failing.url} answered HTTP 503: ${'a'.repeat(500)}…`)
      return true
    })
    assert.deepEqual(await failing.closed, { cut: true })
  } finally {
    await failing.stop()
  }
  const uploading = await serve((res, s) => forever(res, s))
  try {
    await assert.rejects(new GatewayIpfs(uploading.url).add(new TextEncoder().encode('{}')), { code: 'IPFS_TOO_LARGE', message: `the upload answer is over the 65536-byte limit: the gateway ${uploading.url} sent more` })
    assert.deepEqual(await uploading.closed, { cut: true })
  } finally {
    await uploading.stop()
  }
})
