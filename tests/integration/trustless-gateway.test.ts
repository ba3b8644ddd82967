/**
 * The gateway as a trustless gateway for other IPFS clients, all real
 * processes: a gateway backed by an offline Kubo holding a module's metadata
 * document (one block) and a multi-block artifact, read by
 * (1) Helia's trustless-gateway block broker (the web app's client);
 * (2) @helia/verified-fetch, over a Helia with no libp2p whose only block
 *     source is this gateway (`createVerifiedFetch` always starts libp2p,
 *     bitswap and a public delegated router, so it takes a Helia instead);
 * (3) a second Kubo that knows no peer and learns of the gateway as an HTTP
 *     provider from a delegated router on loopback (Routing.Type=delegated,
 *     HTTPRetrieval on: Kubo probes /ipfs/bafkqaaa, then GETs
 *     /ipfs/<cid>?format=raw; boxo's client takes plain http on loopback
 *     and private addresses, https with HTTP/2 elsewhere).
 * And the gateway's CARs match the ones Kubo's own gateway serves.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fallbackRouter } from '@helia/fallback-router'
import type { Router } from '@helia/interface'
import { trustlessGatewayBlockBroker } from '@helia/trustless-gateway-client'
import { createVerifiedFetchWithHelia } from '@helia/verified-fetch'
import { CarBlockIterator } from '@ipld/car/iterator'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { MemoryDatastore } from 'datastore-core/memory'
import { createHeliaLight } from 'helia'
import { base58btc } from 'multiformats/bases/base58'
import { HeliaGatewayIpfs } from '../../lib/ipfs/helia-gateway.ts'
import { verifyBlock } from '../../lib/ipfs/index.ts'
import { canonicalBytes } from '../../lib/types/index.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { kuboBinary, startKubo, type KuboDaemon } from '../support/kubo.ts'
import { waitFor } from '../support/node.ts'
import { freePort } from '../support/ports.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))

let kubo: KuboDaemon
let gateway: RunningGateway
let dataDir: string
const metadata = canonicalBytes({ ...example, name: 'trustless-module', description: `a module whose files are read through the trustless gateway ${Date.now()}` })
const artifact = new Uint8Array(randomBytes(300_000))
let metadataCid: string
let artifactCid: string

/** `ipfs add` over Kubo's RPC: CIDv1, raw leaves, 16 KiB chunks (so the artifact has ~20 blocks). */
async function kuboAdd(apiUrl: string, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const form = new FormData()
  form.append('file', new Blob([bytes]))
  const response = await fetch(`${apiUrl}/api/v0/add?cid-version=1&raw-leaves=true&chunker=size-16384&pin=true`, { method: 'POST', body: form })
  assert.equal(response.status, 200, await response.clone().text())
  return ((await response.json()) as { Hash: string }).Hash
}

async function kuboCat(apiUrl: string, cid: string, timeoutMs: number): Promise<Uint8Array> {
  const response = await fetch(`${apiUrl}/api/v0/cat?arg=${cid}`, { method: 'POST', signal: AbortSignal.timeout(timeoutMs) })
  assert.equal(response.status, 200, await response.clone().text())
  return new Uint8Array(await response.arrayBuffer())
}

/** The gateway's /ipfs requests so far (method and path) from its log. */
function ipfsRequests(): string[] {
  return gateway.logs.filter((entry) => entry.msg === 'request' && entry.route === 'ipfs').map((entry) => `${entry.method} ${entry.path}`)
}

before(async () => {
  kubo = await startKubo()
  metadataCid = await kuboAdd(kubo.apiUrl, metadata)
  artifactCid = await kuboAdd(kubo.apiUrl, artifact)
  dataDir = mkdtempSync(join(tmpdir(), 'modnet-trustless-'))
  // The chain is not needed for reads: the gateway follows a port nothing listens on.
  gateway = await startGateway(['--ipfs', `kubo:${kubo.apiUrl}`, '--rpc', `ws://127.0.0.1:${await freePort()}`, '--data-dir', dataDir, '--read-rate', '100000', '--read-burst', '10000'])
})

after(async () => {
  await gateway?.stop()
  await kubo?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

test('the fixtures: a one-block metadata document and a multi-block artifact', async () => {
  assert.match(metadataCid, /^bafkrei/, 'the document fits one raw block')
  assert.match(artifactCid, /^bafybei/, 'the artifact is a dag-pb root over raw leaves')
  const car = await fetch(`${gateway.url}/ipfs/${artifactCid}?format=car`)
  assert.ok((await blocksOf(car)).length > 10)
})

test("Helia's trustless-gateway block broker reads both", async () => {
  const client = await HeliaGatewayIpfs.open(gateway.url)
  try {
    assert.deepEqual(await client.cat(metadataCid), metadata)
    assert.deepEqual(await client.cat(artifactCid), artifact)
  } finally {
    await client.close()
  }
})

/** A router naming the gateway as the provider of everything (as lib/ipfs/helia-gateway.ts does). */
function gatewayRouter(url: string): Router {
  const inner = fallbackRouter({ gateways: [url], shuffle: false })
  return { name: 'test-gateway', findProviders: (cid, options) => inner.findProviders!(cid, options), toString: () => `test-gateway(${url})` } as Router
}

test('@helia/verified-fetch reads both, every block from this gateway', async () => {
  const helia = await createHeliaLight({
    blockstore: new MemoryBlockstore(),
    datastore: new MemoryDatastore(),
    blockBrokers: [trustlessGatewayBlockBroker({ allowInsecure: true, allowLocal: true })],
    routers: [gatewayRouter(gateway.url)],
  }).start()
  const verifiedFetch = await createVerifiedFetchWithHelia(helia)
  try {
    const before = ipfsRequests().length
    for (const [cid, bytes] of [[metadataCid, metadata], [artifactCid, artifact]] as const) {
      const response = await verifiedFetch(`ipfs://${cid}`, { signal: AbortSignal.timeout(30_000) })
      assert.equal(response.status, 200, cid)
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), bytes, cid)
    }
    assert.ok(ipfsRequests().length - before > 10, 'the blocks came from the gateway')
  } finally {
    await verifiedFetch.stop()
  }
})

async function blocksOf(response: Response): Promise<string[]> {
  assert.equal(response.status, 200)
  const iterator = await CarBlockIterator.fromBytes(new Uint8Array(await response.arrayBuffer()))
  const out: string[] = []
  for await (const { cid, bytes } of iterator) {
    verifyBlock(cid, bytes)
    out.push(cid.toString())
  }
  return out
}

test("the gateway's CARs list the same blocks, in the same order, as Kubo's own gateway", async () => {
  // (Not `entity-bytes` without `dag-scope`: the spec says it implies dag-scope=entity, Kubo 0.43 sends the whole DAG.)
  for (const query of ['format=car', 'format=car&dag-scope=block', 'format=car&dag-scope=entity&entity-bytes=40000:99999', 'format=car&dag-scope=entity&entity-bytes=-20000:*', 'format=car&car-dups=y']) {
    const [ours, reference] = await Promise.all([
      fetch(`${gateway.url}/ipfs/${artifactCid}?${query}`),
      fetch(`${kubo.gatewayUrl}/ipfs/${artifactCid}?${query}`),
    ])
    assert.equal(ours.headers.get('content-type'), reference.headers.get('content-type'), query)
    assert.deepEqual(await blocksOf(ours), await blocksOf(reference), query)
  }
})

/** A Delegated Routing V1 endpoint answering every provider lookup with the gateway as an HTTP provider. */
async function startRouter(gatewayUrl: string): Promise<{ url: string; lookups: string[]; server: Server }> {
  // Any libp2p peer ID will do for an HTTP provider: an Ed25519 one, made here.
  const { publicKey } = generateKeyPairSync('ed25519')
  const key = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  const protobuf = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, 0x20]), key])
  const peerId = base58btc.baseEncode(Buffer.concat([Buffer.from([0x00, protobuf.length]), protobuf]))
  const { hostname, port } = new URL(gatewayUrl)
  const record = { Schema: 'peer', ID: peerId, Addrs: [`/ip4/${hostname}/tcp/${port}/http`], Protocols: ['transport-ipfs-gateway-http'] }
  const lookups: string[] = []
  const server = createServer((req, res) => {
    const match = /^\/routing\/v1\/providers\/([^/?]+)/.exec(req.url ?? '')
    if (req.method !== 'GET' || match === null) return void res.writeHead(404).end()
    lookups.push(match[1])
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    res.end(`${JSON.stringify(record)}\n`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lookups, server }
}

/**
 * A Kubo that fetches over HTTP only from what the router names: online (so
 * it fetches), but with no bootstrap peers, no DHT, no AutoConf, no MDNS, no
 * providing, and its addresses on loopback.
 */
async function startFetchingKubo(routerUrl: string): Promise<{ apiUrl: string; stop(): Promise<void> }> {
  const repo = mkdtempSync(join(tmpdir(), 'modnet-kubo-http-'))
  const env = { ...process.env, IPFS_PATH: repo, IPFS_TELEMETRY: 'off' }
  const [apiPort, gatewayPort, swarmPort] = [await freePort(), await freePort(), await freePort()]
  await promisify(execFile)(kuboBinary(), ['init', '--profile=test'], { env })
  const file = join(repo, 'config')
  const config = JSON.parse(await readFile(file, 'utf8'))
  config.Addresses = { ...config.Addresses, API: `/ip4/127.0.0.1/tcp/${apiPort}`, Gateway: `/ip4/127.0.0.1/tcp/${gatewayPort}`, Swarm: [`/ip4/127.0.0.1/tcp/${swarmPort}`], Announce: [] }
  config.Bootstrap = []
  config.Peering = { Peers: [] }
  config.Discovery = { MDNS: { Enabled: false } }
  config.AutoConf = { ...config.AutoConf, Enabled: false }
  config.Routing = { Type: 'delegated', DelegatedRouters: [routerUrl] }
  config.Ipns = { ...config.Ipns, DelegatedPublishers: [] }
  config.HTTPRetrieval = { Enabled: true }
  config.Provide = { ...config.Provide, Enabled: false }
  await writeFile(file, JSON.stringify(config, null, 2))
  const child: ChildProcess = spawn(kuboBinary(), ['daemon'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-8000) })
  child.stderr?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-8000) })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const apiUrl = `http://127.0.0.1:${apiPort}`
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    rmSync(repo, { recursive: true, force: true })
  }
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`ipfs daemon exited with code ${child.exitCode}`)
      return await fetch(`${apiUrl}/api/v0/id`, { method: 'POST' }).then((r) => r.ok, () => false)
    }, 30_000)
  } catch (error) {
    await stop()
    throw new Error(`the fetching Kubo did not start: ${(error as Error).message}\n${output}`)
  }
  return { apiUrl, stop }
}

test('a second Kubo, told of the gateway only by a delegated router, fetches both from it over HTTP', async () => {
  const router = await startRouter(gateway.url)
  const fetching = await startFetchingKubo(router.url)
  try {
    const before = ipfsRequests().length
    assert.deepEqual(await kuboCat(fetching.apiUrl, metadataCid, 60_000), metadata)
    assert.deepEqual(await kuboCat(fetching.apiUrl, artifactCid, 60_000), artifact)
    assert.ok(router.lookups.includes(metadataCid), 'Kubo asked the router for providers')
    const requests = ipfsRequests().slice(before)
    assert.ok(requests.includes('HEAD /ipfs/bafkqaaa'), `Kubo probed the gateway (${requests.slice(0, 5)})`)
    assert.ok(requests.filter((r) => r.startsWith('GET /ipfs/')).length > 10, 'and fetched the blocks from it')
  } finally {
    await fetching.stop()
    await new Promise((resolve) => router.server.close(resolve))
  }
})
