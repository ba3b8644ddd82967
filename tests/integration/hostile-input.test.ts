/**
 * Every HTTP entry point against a corpus of hostile requests on raw
 * sockets (malformed targets, bad percent-encoding, oversize headers, lying
 * Content-Length, chunked bodies over the limit, deep JSON, slow clients, too
 * many connections): each gets a 4xx in words, and the service still answers
 * a normal request after each one. Also: rate limits behind a trusted proxy
 * cannot be dodged with a spoofed X-Forwarded-For.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { connect, type Socket } from 'node:net'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { hostileCorpus, rawRequest, type HostileCase } from '../support/hostile.ts'
import { stopChild } from '../../scripts/child-process.ts'
import { delta, scrape } from '../support/metrics.ts'
import { freePort } from '../support/ports.ts'

const HEADERS_TIMEOUT_S = 2
const REQUEST_TIMEOUT_S = 3
const SOME_CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
let dir: string

before(() => { dir = mkdtempSync(join(tmpdir(), 'modnet-hostile-')) })
after(() => rmSync(dir, { recursive: true, force: true }))

async function runCorpus(port: number, cases: HostileCase[], alive: () => Promise<boolean>, exited: () => boolean): Promise<void> {
  // Independent cases run side by side (the slow ones dominate), at most 8 at a time.
  const failures: string[] = []
  const queue = [...cases]
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const answer = await rawRequest(port, item.send)
      if (!item.expect.includes(answer.status)) failures.push(`${item.name}: expected ${item.expect.join('/')}, got ${answer.status || 'no answer'}: ${answer.text.slice(0, 200)}`)
      else if (item.says && answer.status !== 0) {
        const body = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4)
        if (!item.says.test(body)) failures.push(`${item.name}: the answer does not say why (${item.says}): ${body.slice(0, 200)}`)
        else if (!/"error":"[^"]{10,}/.test(body)) failures.push(`${item.name}: no error in words: ${body.slice(0, 200)}`)
      }
      if (exited()) failures.push(`${item.name}: the service exited`)
      else if (!(await alive())) failures.push(`${item.name}: the service stopped answering`)
    }
  }))
  assert.deepEqual(failures, [])
}

/** Opens `count` idle connections from `from` (a loopback address); returns them and how many got refused with 429. */
async function openConnections(port: number, count: number, from: string): Promise<{ sockets: Socket[]; refused: number }> {
  const sockets: Socket[] = []
  let refused = 0
  await Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from })
    sockets.push(socket)
    socket.on('error', () => resolve())
    socket.on('data', (chunk) => { if (/^HTTP\/1\.1 429/.test(chunk.toString())) refused++ })
    socket.on('connect', () => setTimeout(resolve, 300))
  })))
  return { sockets, refused }
}

describe('the gateway', () => {
  let gateway: RunningGateway
  let port: number

  before(async () => {
    // No chain is needed to parse requests: a dead RPC port keeps the test fast.
    gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', `ws://127.0.0.1:${await freePort()}`,
      '--headers-timeout', String(HEADERS_TIMEOUT_S), '--request-timeout', String(REQUEST_TIMEOUT_S), '--max-connections-per-client', '20'])
    port = Number(new URL(gateway.url).port)
  })
  after(async () => { await gateway?.stop() })

  const alive = async () => (await fetch(`${gateway.url}/api/v1/pins/${SOME_CID}`).catch(() => undefined))?.status === 200

  test('refuses every hostile request in words and keeps serving', async () => {
    const corpus = hostileCorpus({ uploadPath: '/api/v1/metadata', headersTimeoutMs: HEADERS_TIMEOUT_S * 1000, requestTimeoutMs: REQUEST_TIMEOUT_S * 1000 })
    const before = await scrape(gateway.url)
    await runCorpus(port, corpus, alive, () => gateway.logs.some((entry) => entry.msg === 'exited'))
    const after = await scrape(gateway.url)
    for (const reason of ['malformed', 'timeout']) {
      assert.ok(delta(before, after, 'modnet_gateway_connections_refused_total', { reason }) >= 1, `refusals counted as ${reason}`)
    }
  })

  test('caps open connections per client, and frees the slots when they close', async () => {
    // From 127.0.0.2, a client of its own (the test's fetches come from 127.0.0.1).
    const before = await scrape(gateway.url)
    const { sockets, refused } = await openConnections(port, 25, '127.0.0.2')
    assert.equal(refused, 5, 'the connections over the cap of 20 are refused with 429')
    assert.equal(await alive(), true, 'another client is still served meanwhile')
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => setTimeout(resolve, 200))
    const again = await openConnections(port, 3, '127.0.0.2')
    assert.equal(again.refused, 0, 'closed connections free their slots')
    for (const socket of again.sockets) socket.destroy()
    assert.equal(delta(before, await scrape(gateway.url), 'modnet_gateway_connections_refused_total', { reason: 'too-many-connections' }), refused)
  })
})

describe('rate limits behind a trusted proxy', () => {
  test('the client is the right-most untrusted X-Forwarded-For address: spoofing the left-most does not reset the limit', async () => {
    const gateway = await startGateway(['--data-dir', join(dir, 'proxied'), '--rpc', `ws://127.0.0.1:${await freePort()}`,
      '--trusted-proxies', '127.0.0.1,::1', '--read-burst', '3', '--read-rate', '1'])
    try {
      const read = (forwarded: string) => fetch(`${gateway.url}/api/v1/pins/${SOME_CID}`, { headers: { 'x-forwarded-for': forwarded } }).then((r) => r.status)
      // The same real client (198.51.100.7, appended by our proxy), a new forged address each time.
      const statuses = []
      for (let i = 0; i < 5; i++) statuses.push(await read(`10.9.9.${i}, 198.51.100.7`))
      assert.deepEqual(statuses, [200, 200, 200, 429, 429])
      assert.equal(await read('198.51.100.8'), 200, 'another client has its own bucket')
      // IPv6 clients share a bucket per /64.
      const v6 = []
      for (let i = 1; i <= 4; i++) v6.push(await read(`2001:db8:5:6::${i}`))
      assert.deepEqual(v6, [200, 200, 200, 429])
      const logged = gateway.logs.filter((entry) => entry.msg === 'request').map((entry) => entry.client)
      assert.ok(logged.includes('198.51.100.7') && !logged.some((client) => String(client).startsWith('10.9.9.')), 'logs name the real client')
    } finally {
      await gateway.stop()
    }
  })

  test('without trusted proxies X-Forwarded-For is ignored', async () => {
    const gateway = await startGateway(['--data-dir', join(dir, 'direct'), '--rpc', `ws://127.0.0.1:${await freePort()}`, '--read-burst', '2', '--read-rate', '1'])
    try {
      const statuses = []
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${gateway.url}/api/v1/pins/${SOME_CID}`, { headers: { 'x-forwarded-for': `10.0.0.${i}` } })).status)
      assert.deepEqual(statuses, [200, 200, 429])
    } finally {
      await gateway.stop()
    }
  })
})

describe('the static web server', () => {
  let child: ChildProcess
  let port: number

  before(async () => {
    const site = join(dir, 'site')
    mkdirSync(site, { recursive: true })
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>ok</title>')
    const script = fileURLToPath(new URL('../../scripts/serve-static.ts', import.meta.url))
    child = spawn(process.execPath, [script, site, '--port', '0', '--headers-timeout', String(HEADERS_TIMEOUT_S), '--request-timeout', String(REQUEST_TIMEOUT_S)], { stdio: ['ignore', 'pipe', 'inherit'] })
    port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`serve-static exited with ${code}`)))
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const match = /:(\d+)\/$/.exec(line)
        if (match) resolve(Number(match[1]))
      })
    })
  })
  after(async () => { if (child) await stopChild(child) })

  test('refuses every hostile request in words and keeps serving', async () => {
    // The static server takes no uploads: a POST is refused (405) before its body matters.
    const corpus = hostileCorpus({ uploadPath: '/', headersTimeoutMs: HEADERS_TIMEOUT_S * 1000, requestTimeoutMs: REQUEST_TIMEOUT_S * 1000 })
      .map((item) => (String(item.send[0]).startsWith('POST') ? { ...item, expect: [...item.expect, 405], says: undefined } : item))
    await runCorpus(port, corpus, async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined))?.status === 200, () => child.exitCode !== null)
    const traversal = await rawRequest(port, ['GET /..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: x\r\n\r\n'])
    assert.ok([403, 404].includes(traversal.status), `path traversal: ${traversal.status}`)
  })
})
