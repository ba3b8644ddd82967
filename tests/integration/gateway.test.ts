/**
 * The gateway as a real process with embedded Helia on disk, following a
 * real dev node: uploads and their refusals, trustless reads, rate limits,
 * /healthz, /metrics, provisional pins that expire, pins kept once the chain
 * registers the CID, and state that survives a restart.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'
import { computeCid } from '../../lib/ipfs/index.ts'
import { HeliaGatewayIpfs } from '../../lib/ipfs/helia-gateway.ts'
import { tamperingProxy } from '../support/tamper.ts'
import { canonicalBytes } from '../../lib/types/index.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { delta, parseSamples, sample, scrape } from '../support/metrics.ts'
import { startDevNode, waitFor, type DevNode } from '../support/node.ts'
import { freePort } from '../support/ports.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
// Longer than a registration takes to finalize (about 5 s), short enough to wait out.
const TTL_SECONDS = 10
let node: DevNode
let gateway: RunningGateway
let dataDir: string
let gatewayArgs: string[]

/** A fresh valid document (distinct content, so a distinct CID). */
function document(label: string): Uint8Array<ArrayBuffer> {
  return canonicalBytes({ ...example, name: `gw-${label}`, description: `gateway test document ${label} ${Date.now()}` })
}

async function upload(url: string, body: Uint8Array<ArrayBuffer> | string, contentType = 'application/json'): Promise<Response> {
  return await fetch(`${url}/api/v1/metadata`, { method: 'POST', headers: { 'content-type': contentType }, body })
}

async function pinState(url: string, cid: string): Promise<string> {
  return ((await (await fetch(`${url}/api/v1/pins/${cid}`)).json()) as { state: string }).state
}

before(async () => {
  await cryptoWaitReady()
  dataDir = mkdtempSync(join(tmpdir(), 'modnet-gateway-'))
  node = await startDevNode(join(dataDir, 'chain'))
  gatewayArgs = ['--data-dir', join(dataDir, 'gateway'), '--rpc', node.rpcUrl, '--provisional-ttl', String(TTL_SECONDS), '--sweep-interval', '0.5']
  gateway = await startGateway(gatewayArgs)
})

after(async () => {
  await gateway?.stop()
  await node?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

test('an upload is stored under the CID of its bytes and served back as a verified raw block', async () => {
  const bytes = document('upload')
  const response = await upload(gateway.url, bytes)
  assert.equal(response.status, 201)
  const body = (await response.json()) as { cid: string; size: number; state: string; expiresAt: string }
  assert.equal(body.cid, (await computeCid(bytes)).toString())
  assert.equal(body.size, bytes.length)
  assert.equal(body.state, 'provisional')
  assert.ok(Date.parse(body.expiresAt) > Date.now())

  const block = await fetch(`${gateway.url}/ipfs/${body.cid}?format=raw`)
  assert.equal(block.status, 200)
  assert.equal(block.headers.get('content-type'), 'application/vnd.ipld.raw')
  assert.equal(block.headers.get('access-control-allow-origin'), '*')
  assert.deepEqual(new Uint8Array(await block.arrayBuffer()), bytes)
  const byAccept = await fetch(`${gateway.url}/ipfs/${body.cid}`, { headers: { accept: 'application/vnd.ipld.raw' } })
  assert.deepEqual(new Uint8Array(await byAccept.arrayBuffer()), bytes)
  const preflight = await fetch(`${gateway.url}/api/v1/metadata`, { method: 'OPTIONS' })
  assert.equal(preflight.status, 204)
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/)
})

test('bad uploads are refused with the reason, and nothing is stored', async () => {
  const before = await scrape(gateway.url)
  const cases: [string, Response, number, RegExp][] = [
    ['not JSON content type', await upload(gateway.url, document('x'), 'text/plain'), 415, /application\/json/],
    ['not JSON', await upload(gateway.url, '{"schema": '), 400, /JSON/],
    ['schema errors', await upload(gateway.url, JSON.stringify({ schema: 'modnet/module-metadata/v1', name: 'Bad Name', version: 'v1' })), 422, /does not match schema/],
    ['not canonical', await upload(gateway.url, JSON.stringify(example, null, 2)), 422, /canonical/],
    ['too large', await upload(gateway.url, canonicalBytes({ ...example, 'x-padding': 'a'.repeat(70_000) })), 413, /limit is 65536/],
  ]
  for (const [name, response, status, reason] of cases) {
    assert.equal(response.status, status, name)
    const body = (await response.json()) as { error: string; issues?: { path: string }[] }
    assert.match(body.error, reason, name)
    if (name === 'schema errors') assert.deepEqual(body.issues?.map((i) => i.path).sort(), ['/description', '/name', '/version'])
  }
  // Counted by outcome (the wrong content type and the oversize body are refused before that).
  const after = await scrape(gateway.url)
  const outcomes = ['malformed', 'invalid', 'not-canonical', 'stored']
  assert.deepEqual(outcomes.map((outcome) => delta(before, after, 'modnet_gateway_uploads_total', { outcome })), [1, 1, 1, 0])

  assert.equal((await fetch(`${gateway.url}/ipfs/not-a-cid`)).status, 400)
  const missing = await fetch(`${gateway.url}/ipfs/${await computeCid(document('never-uploaded'))}?format=raw`)
  assert.equal(missing.status, 404)
  assert.equal((await fetch(`${gateway.url}/nowhere`)).status, 404)
})

test('a provisional pin nobody registers expires and its content goes', async () => {
  const expiredBefore = sample(await scrape(gateway.url), 'modnet_gateway_pins_expired_total')
  const response = await upload(gateway.url, document('expires'))
  const { cid } = (await response.json()) as { cid: string }
  assert.equal(await pinState(gateway.url, cid), 'provisional')
  // Read while kept, so the block cache holds it too: letting it go must clear that as well.
  assert.equal((await fetch(`${gateway.url}/ipfs/${cid}?format=raw`)).status, 200)
  await waitFor(async () => (await pinState(gateway.url, cid)) === 'none', (TTL_SECONDS + 5) * 1000)
  // The ledger lets go first, then the sweep unpins, collects and clears the cache.
  await waitFor(async () => (await fetch(`${gateway.url}/ipfs/${cid}?format=raw`)).status === 404, 10_000)
  // At least this one (other tests' uploads may expire meanwhile too).
  assert.ok(sample(await scrape(gateway.url), 'modnet_gateway_pins_expired_total') > expiredBefore)
})

test('a CID registered on chain is kept past the provisional TTL, and survives a restart', async () => {
  const bytes = document('registered')
  const { cid } = (await (await upload(gateway.url, bytes)).json()) as { cid: string }
  const pinned = async () => sample(await scrape(gateway.url), 'modnet_gateway_pins', { state: 'pinned' })
  const pinnedBefore = await pinned()
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice')
  const aliceKey = client.accountKey(alice)
  try {
    await client.register(aliceKey, cid, alice, { waitFor: 'inBlock' })
  } finally {
    await client.disconnect()
  }
  await waitFor(async () => (await pinState(gateway.url, cid)) === 'registered', 30_000)
  await waitFor(async () => (await pinned()) === pinnedBefore + 1, 10_000)
  const hints = (await (await fetch(`${gateway.url}/api/v1/modules/${aliceKey}/events`)).json()) as { events: { type: string; blockHash: string }[] }
  assert.deepEqual(hints.events.map((e) => e.type), ['ModuleRegistered'])
  assert.match(hints.events[0].blockHash, /^0x[0-9a-f]{64}$/)
  await new Promise((resolve) => setTimeout(resolve, (TTL_SECONDS + 1) * 1000))
  assert.equal(await pinState(gateway.url, cid), 'registered')

  await gateway.stop()
  gateway = await startGateway(gatewayArgs)
  assert.equal(await pinState(gateway.url, cid), 'registered')
  const block = await fetch(`${gateway.url}/ipfs/${cid}?format=raw`)
  assert.deepEqual(new Uint8Array(await block.arrayBuffer()), bytes)
})

test('/api/v1/finality relays the node\'s GRANDPA justification, which checks out against the chain spec; bad block numbers are refused in words', async () => {
  const { chainAnchor } = await import('../../lib/chain/chain-spec.ts')
  const { parseFinalityAnswer, verifyJustification } = await import('../../lib/chain/grandpa.ts')
  const { hexToU8a } = await import('@polkadot/util')
  let answer = null
  for (let i = 0; answer === null && i < 30; i++) {
    const response = await fetch(`${gateway.url}/api/v1/finality?block=1`)
    if (response.status === 200) answer = parseFinalityAnswer(await response.json())
    else await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  assert.ok(answer !== null && answer.number >= 1, 'a justification covering block 1')
  const anchor = chainAnchor(JSON.parse(readFileSync(new URL('../../chain-spec/modnet-dev.raw.json', import.meta.url), 'utf8')))
  const check = verifyJustification(hexToU8a(answer.justification), anchor.genesisAuthorities, { hash: answer.block, number: answer.number })
  assert.equal(check.signers, 1, 'signed by the dev chain\'s one authority')
  const cases: [string, number, RegExp][] = [
    ['', 400, /^block must be a block number \(0 to 4294967295\)$/],
    ['block=abc', 400, /^block must be a block number/],
    ['block=-1', 400, /^block must be a block number/],
    ['block=4294967296', 400, /^block must be a block number/],
    ['block=1e3', 400, /^block must be a block number/],
    ['block=4294967295', 404, /^no justification covers block #4294967295 yet/],
  ]
  for (const [query, status, reason] of cases) {
    const response = await fetch(`${gateway.url}/api/v1/finality?${query}`)
    assert.equal(response.status, status, query)
    assert.match(((await response.json()) as { error: string }).error, reason, query)
  }
})

test('/healthz reports IPFS and the chain; /metrics is Prometheus text', async () => {
  await waitFor(async () => (await fetch(`${gateway.url}/healthz`)).status === 200, 30_000)
  const health = (await (await fetch(`${gateway.url}/healthz`)).json()) as any
  assert.equal(health.status, 'ok')
  assert.equal(health.ipfs.ok, true)
  assert.equal(health.chain.ok, true)
  assert.ok(health.chain.finalized > 0)

  const metrics = await fetch(`${gateway.url}/metrics`)
  assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/)
  // Every line is a sample or a comment (parseSamples fails the test otherwise).
  const samples = parseSamples(await metrics.text())
  assert.ok(sample(samples, 'modnet_gateway_chain_finalized_block') > 0)
  // The pin gauges, one per state; their values depend on what other tests left (the registration test checks one moves).
  for (const state of ['provisional', 'pinned', 'pending', 'unavailable']) {
    const value = samples.get(`modnet_gateway_pins{state="${state}"}`)
    assert.ok(value !== undefined && Number.isInteger(value) && value >= 0, `pins{state="${state}"}: ${value}`)
  }
  assert.ok([...samples.keys()].some((name) => name.startsWith('modnet_gateway_request_duration_seconds_bucket')))
  // Requests are counted: this test's own /healthz reads, as a delta.
  const healthz = { route: 'healthz', method: 'GET', status: '200' }
  const before = await scrape(gateway.url)
  for (let i = 0; i < 3; i++) assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200)
  assert.equal(delta(before, await scrape(gateway.url), 'modnet_gateway_requests_total', healthz), 3)
})

test('a burst of uploads gets 429 with Retry-After; reads are limited separately', async () => {
  // Small bursts refilled at 1 a minute: nothing refills within the test.
  const READ_BURST = 4
  const limited = await startGateway(['--data-dir', join(dataDir, 'limited'), '--rpc', node.rpcUrl, '--upload-burst', '2', '--upload-rate', '1', '--read-burst', String(READ_BURST), '--read-rate', '1'])
  try {
    const before = await scrape(limited.url)
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await upload(limited.url, document(`burst-${i}`)))
    assert.deepEqual(answers.map((answer) => answer.status), [201, 201, 429, 429])
    const { cid: stored } = (await answers[0].json()) as { cid: string }
    const refused = await upload(limited.url, document('burst-again'))
    assert.equal(refused.status, 429)
    assert.ok(Number(refused.headers.get('retry-after')) >= 1)
    assert.match(((await refused.json()) as { error: string }).error, /too many requests/)

    // Uploads are spent; every read of the read burst is still served (pins and blocks share one bucket)...
    const reads = [`/api/v1/pins/${await computeCid(document('r'))}`, `/ipfs/${stored}?format=raw`]
    const served = []
    for (let i = 0; i < READ_BURST; i++) served.push((await fetch(`${limited.url}${reads[i % 2]}`)).status)
    assert.deepEqual(served, Array(READ_BURST).fill(200), 'uploads being limited does not limit reads')
    // ...and past it reads are refused in turn, on either route.
    for (const path of reads) {
      const response = await fetch(`${limited.url}${path}`)
      assert.equal(response.status, 429, path)
      const retryAfter = Number(response.headers.get('retry-after'))
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${response.headers.get('retry-after')}`)
      const body = (await response.json()) as { error: string; retryAfterSeconds: number }
      assert.match(body.error, new RegExp(`too many requests: try again in ${retryAfter} s`))
      assert.equal(body.retryAfterSeconds, retryAfter)
    }

    // The refusals are counted by route, from this gateway's own reading before.
    const after = await scrape(limited.url)
    const metric = 'modnet_gateway_rate_limited_total'
    assert.deepEqual(['upload', 'pin', 'ipfs'].map((route) => delta(before, after, metric, { route })), [3, 1, 1])
    assert.equal(delta(before, after, 'modnet_gateway_requests_total', { route: 'pin', method: 'GET', status: '429' }), 1)
    // /metrics and /healthz have no limit: scraping never counts against a client.
    assert.notEqual((await fetch(`${limited.url}/healthz`)).status, 429)
  } finally {
    await limited.stop()
  }
})

test('/healthz is 503 when the chain is unreachable', async () => {
  const deadPort = await freePort()
  const orphan = await startGateway(['--data-dir', join(dataDir, 'orphan'), '--rpc', `ws://127.0.0.1:${deadPort}`])
  try {
    const response = await fetch(`${orphan.url}/healthz`)
    assert.equal(response.status, 503)
    const health = (await response.json()) as any
    assert.equal(health.chain.ok, false)
    assert.equal(health.ipfs.ok, true)
  } finally {
    await orphan.stop()
  }
})

test('a Helia node reads through the gateway (the browser client); tampered blocks are refused with the reason', async () => {
  const bytes = document('helia-reader')
  const { cid } = (await (await upload(gateway.url, bytes)).json()) as { cid: string }
  const helia = await HeliaGatewayIpfs.open(gateway.url)
  const tampering = await tamperingProxy(gateway.url)
  const lied = await HeliaGatewayIpfs.open(tampering.url)
  try {
    assert.deepEqual(await helia.cat(cid), bytes)
    await assert.rejects(lied.cat(cid, { attempts: 1, timeoutMs: 20_000 }), (error: Error) => (error as { code?: string }).code === 'IPFS_VERIFICATION_FAILED' && /do not match its sha2-256 hash/.test(error.message))
  } finally {
    await helia.close()
    await lied.close()
    tampering.server.close()
  }
})
