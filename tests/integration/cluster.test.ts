/**
 * `make cluster`'s script as a user runs it, on free loopback ports: the dev
 * chain, two replicas (Kubo + gateway each) and HAProxy in front.
 *
 * - A CID registered on chain after an upload to replica A is pinned by
 *   replica B on its own (B's Kubo fetches it from A's over bitswap) and
 *   served through the balancer.
 * - SIGKILL of A's gateway under a read load through the balancer loses no
 *   read; the script reports the replica down and keeps the cluster running.
 * - A new, empty replica (`cluster.sh join`) catches up: every registered
 *   CID gets pinned on it, fetched from the others, and the balancer sends it
 *   reads; Ctrl-C on it takes it out of the balancer.
 * - Ctrl-C (SIGINT to the process group) stops everything.
 *
 * The measured times are printed (node --test shows them as diagnostics).
 *
 * The tests run as one sequence, in file order, on the one cluster `before`
 * starts (it takes minutes): the failover test reads the CID the upload test
 * registered and kills replica A for good, the join test counts on A being
 * down and on every CID registered so far, and the last one stops the
 * cluster. Run alone, each of those fails.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'
import { canonicalBytes } from '../../lib/types/index.ts'
import { waitFor } from '../support/node.ts'
import { freePort } from '../support/ports.ts'

const CLUSTER = fileURLToPath(new URL('../../scripts/cluster.sh', import.meta.url))
const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))

interface Script {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

let home: string
let state: string
let env: Record<string, string>
let ports: { rpc: number; ws: number; tcp: number; prometheus: number; balancer: number; gatewayBase: number; kuboBase: number }
let cluster: Script
let joined: Script | undefined
let balancer: string
/** Registered so far: CID → the document's bytes. */
const registered = new Map<string, Uint8Array>()
let firstCid: string

const gatewayUrl = (replica: number) => `http://127.0.0.1:${ports.gatewayBase + replica}`
const kuboApi = (replica: number) => `http://127.0.0.1:${ports.kuboBase + 3 * replica}/api/v0`
const log = (line: string) => process.stdout.write(`# ${line}\n`)

/** `count` consecutive free loopback ports (the script numbers replicas' ports from a base). */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000)
    let free = true
    for (let port = base; port < base + count && free; port++) free = await portFree(port)
    if (free) return base
  }
  throw new Error(`no ${count} consecutive free ports found`)
}

async function portFree(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** Runs scripts/cluster.sh in its own process group, as in a terminal. */
function script(args: string[]): Script {
  const child = spawn('bash', [CLUSTER, ...args], { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

async function ctrlC(run: Script): Promise<number | null> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return run.child.exitCode
  process.kill(-run.child.pid!, 'SIGINT')
  const timer = setTimeout(() => process.kill(-run.child.pid!, 'SIGKILL'), 30_000)
  const code = await run.exited
  clearTimeout(timer)
  return code
}

/** One command on HAProxy's runtime API (the admin socket in the cluster's state). */
async function haproxy(command: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = connect(join(state, 'run', 'haproxy.sock'), () => socket.end(`${command}\n`))
    let answer = ''
    socket.on('data', (chunk) => { answer += chunk.toString() })
    socket.on('end', () => resolve(answer))
    socket.on('error', reject)
  })
}

/** The balancer's view of each gateway server: name → UP, DOWN, MAINT… */
async function serverStates(): Promise<Map<string, string>> {
  const [header, ...rows] = (await haproxy('show stat')).trim().split('\n')
  const columns = header.replace(/^# /, '').split(',')
  const [px, sv, status] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name))
  const states = new Map<string, string>()
  for (const row of rows.map((line) => line.split(','))) {
    if (row[px] === 'gateways' && row[sv] !== 'BACKEND' && row[sv] !== 'FRONTEND') states.set(row[sv], row[status])
  }
  return states
}

async function expectStates(expected: Record<string, string>, timeoutMs = 10_000): Promise<void> {
  try {
    await waitFor(async () => {
      const states = await serverStates()
      return Object.entries(expected).every(([server, status]) => states.get(server)?.startsWith(status)) && states.size === Object.keys(expected).length
    }, timeoutMs)
  } catch (error) {
    throw new Error(`HAProxy's servers are ${JSON.stringify(Object.fromEntries(await serverStates()))}, not ${JSON.stringify(expected)}: ${(error as Error).message}`)
  }
}

function document(label: string): Uint8Array<ArrayBuffer> {
  return canonicalBytes({ ...example, name: `cluster-${label}`, description: `cluster test document ${label} ${Date.now()}` })
}

async function upload(url: string, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const response = await fetch(`${url}/api/v1/metadata`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes })
  const body = (await response.json()) as { cid: string; error?: string }
  assert.equal(response.status, 201, body.error)
  return body.cid
}

async function pinOf(url: string, cid: string): Promise<{ state: string; status?: string }> {
  const response = await fetch(`${url}/api/v1/pins/${cid}`).catch(() => undefined)
  return response?.ok ? ((await response.json()) as { state: string; status?: string }) : { state: 'unreachable' }
}

const pinnedOn = async (url: string, cid: string) => {
  const pin = await pinOf(url, cid)
  return pin.state === 'registered' && pin.status === 'pinned'
}

/** Whether a replica's Kubo holds a recursive pin of `cid` (Kubo's own RPC API). */
async function kuboPinned(replica: number, cid: string): Promise<boolean> {
  const response = await fetch(`${kuboApi(replica)}/pin/ls?arg=${cid}&type=recursive`, { method: 'POST' })
  if (!response.ok) return false
  return cid in (((await response.json()) as { Keys?: Record<string, unknown> }).Keys ?? {})
}

async function ipfsReads(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  let total = 0
  for (const match of text.matchAll(/^modnet_gateway_requests_total\{([^}]*)\} (\d+)/gm)) {
    if (match[1].includes('route="ipfs"') && match[1].includes('status="200"')) total += Number(match[2])
  }
  return total
}

/** The Tw field (ms queued and waiting for retries) of an HAProxy httplog line. */
function waited(line: string): number {
  return Number(/\] \S+ \S+ -?\d+\/(-?\d+)\//.exec(line)?.[1] ?? 0)
}

/** The gateway's JSON log lines. */
function gatewayLog(replica: string): Record<string, string>[] {
  return readFileSync(join(state, `gateway-${replica}.log`), 'utf8').split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line)]
    } catch {
      return []
    }
  })
}

/** Registers `cid` under each signer's own key (one module per signer), to finality. */
async function register(entries: { uri: string; cid: string }[]): Promise<void> {
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: `ws://127.0.0.1:${ports.rpc}` })
  try {
    const keyring = new Keyring({ type: 'sr25519' })
    await Promise.all(entries.map(async ({ uri, cid }) => {
      const signer = keyring.addFromUri(uri)
      await client.register(client.accountKey(signer), cid, signer, { waitFor: 'finalized' })
    }))
  } finally {
    await client.disconnect()
  }
}

before(async () => {
  await cryptoWaitReady()
  home = mkdtempSync(join(tmpdir(), 'modnet-cluster-'))
  state = join(home, 'cluster')
  ports = {
    rpc: await freePort(), ws: await freePort(), tcp: await freePort(), prometheus: await freePort(), balancer: await freePort(),
    // Three replicas (two, then one that joins): their gateway ports and 3 Kubo ports each.
    gatewayBase: await freePortRange(3), kuboBase: await freePortRange(9),
  }
  env = {
    MODNET_HOME: home,
    MODNET_CLUSTER_RPC_PORT: String(ports.rpc),
    MODNET_CLUSTER_P2P_WS_PORT: String(ports.ws),
    MODNET_CLUSTER_P2P_TCP_PORT: String(ports.tcp),
    MODNET_CLUSTER_PROMETHEUS_PORT: String(ports.prometheus),
    MODNET_CLUSTER_BALANCER_PORT: String(ports.balancer),
    MODNET_CLUSTER_GATEWAY_PORT: String(ports.gatewayBase),
    MODNET_CLUSTER_KUBO_PORT: String(ports.kuboBase),
    // Every reader here is 127.0.0.1, one client to the gateways: lift the
    // per-client read limit so the failover test measures failover, not 429s.
    MODNET_CLUSTER_GATEWAY_ARGS: '--read-rate 600000 --read-burst 20000',
  }
  balancer = `http://127.0.0.1:${ports.balancer}`
  cluster = script([])
  const started = performance.now()
  await waitFor(async () => {
    if (cluster.child.exitCode !== null) throw new Error(`cluster.sh exited with ${cluster.child.exitCode}:\n${cluster.output()}`)
    return cluster.output().includes('[cluster] Mod-Net cluster: 2 replicas')
  }, 180_000).catch((error: Error) => { throw new Error(`${error.message}\n${cluster.output()}`) })
  await expectStates({ 'gateway-a': 'UP', 'gateway-b': 'UP' })
  log(`cluster up in ${Math.round(performance.now() - started)} ms`)
})

after(async () => {
  if (joined) await ctrlC(joined)
  if (cluster) await ctrlC(cluster)
  rmSync(home, { recursive: true, force: true })
})

test('the script prints where everything listens and writes the balancer config', () => {
  const output = cluster.output()
  assert.match(output, new RegExp(`balancer +http://127\\.0\\.0\\.1:${ports.balancer}`))
  assert.match(output, new RegExp(`replica a +gateway http://127\\.0\\.0\\.1:${ports.gatewayBase}, Kubo RPC http://127\\.0\\.0\\.1:${ports.kuboBase} `))
  assert.match(output, new RegExp(`replica b +gateway http://127\\.0\\.0\\.1:${ports.gatewayBase + 1}, `))
  const config = readFileSync(join(state, 'haproxy.cfg'), 'utf8')
  for (const line of ['option forwardfor', 'retry-on conn-failure empty-response', 'option redispatch', 'balance roundrobin', 'http-check send meth GET uri /healthz']) {
    assert.ok(config.includes(line), line)
  }
  // Kubo's RPC API is admin-level: loopback only, and its swarm too.
  const kubo = JSON.parse(readFileSync(join(state, 'kubo-a', 'config'), 'utf8'))
  assert.equal(kubo.Addresses.API, `/ip4/127.0.0.1/tcp/${ports.kuboBase}`)
  assert.deepEqual(kubo.Addresses.Swarm, [`/ip4/127.0.0.1/tcp/${ports.kuboBase + 2}`])
  assert.deepEqual(kubo.Bootstrap, [])
  assert.deepEqual(kubo.Peering.Peers.map((peer: { Addrs: string[] }) => peer.Addrs), [[`/ip4/127.0.0.1/tcp/${ports.kuboBase + 5}`]])
})

test('a CID registered after an upload to replica A is pinned by replica B from its own Kubo, and served through the balancer', { timeout: 120_000 }, async () => {
  const bytes = document('first')
  const cid = await upload(gatewayUrl(0), bytes)
  assert.equal((await pinOf(gatewayUrl(1), cid)).state, 'none', 'B knows nothing of an unregistered upload to A')
  await register([{ uri: '//Alice', cid }])
  const finalized = performance.now()
  await waitFor(() => pinnedOn(gatewayUrl(1), cid), 30_000)
  const toPinned = performance.now() - finalized
  log(`finalized -> pinned on replica B: ${Math.round(toPinned)} ms`)
  assert.ok(await kuboPinned(1, cid), "B's Kubo holds the pin")
  assert.ok(await kuboPinned(0, cid), "A's Kubo holds the pin")
  firstCid = cid
  registered.set(cid, bytes)

  // Through the balancer, from either replica (round robin: ask a few times).
  for (let i = 0; i < 4; i++) {
    const block = await fetch(`${balancer}/ipfs/${cid}?format=raw`)
    assert.equal(block.status, 200)
    assert.deepEqual(new Uint8Array(await block.arrayBuffer()), bytes)
  }
  // Uploads go through it too; whichever replica took one, the other reads
  // it at once (fetched over bitswap, before any registration).
  const another = document('through-balancer')
  const anotherCid = await upload(balancer, another)
  for (const replica of [0, 1]) {
    const block = await fetch(`${gatewayUrl(replica)}/ipfs/${anotherCid}?format=raw`)
    assert.equal(block.status, 200, `replica ${replica}`)
    assert.deepEqual(new Uint8Array(await block.arrayBuffer()), another)
  }
  // The gateways see the client's address (X-Forwarded-For from the trusted balancer).
  await fetch(`${balancer}/api/v1/pins/${cid}`, { headers: { 'x-forwarded-for': '203.0.113.7' } })
  await waitFor(async () => ['a', 'b'].some((r) => readFileSync(join(state, `gateway-${r}.log`), 'utf8').includes('"client":"203.0.113.7"')), 5_000)
})

test('SIGKILL of replica A\'s gateway under a read load through the balancer: no read fails, the cluster keeps running', { timeout: 120_000 }, async () => {
  assert.ok(firstCid, 'needs the registered CID of the previous test')
  const bytes = registered.get(firstCid)!
  const url = `${balancer}/ipfs/${firstCid}?format=raw`
  const reads: { at: number; ms: number; error?: string }[] = []
  const t0 = performance.now()
  let stop = false
  const reader = async () => {
    while (!stop) {
      const started = performance.now()
      let error: string | undefined
      try {
        const response = await fetch(url)
        const body = new Uint8Array(await response.arrayBuffer())
        if (response.status !== 200) error = `status ${response.status}: ${new TextDecoder().decode(body).slice(0, 200)}`
        else if (Buffer.compare(body, bytes) !== 0) error = 'wrong bytes'
      } catch (cause) {
        error = (cause as Error).message
      }
      reads.push({ at: started - t0, ms: performance.now() - started, error })
    }
  }
  // Reads each replica served before this test (the upload test read from both) do not count.
  const [startA, startB] = [await ipfsReads(gatewayUrl(0)), await ipfsReads(gatewayUrl(1))]
  const readers = Array.from({ length: 4 }, reader)
  await new Promise((resolve) => setTimeout(resolve, 3_000))
  const [beforeA, beforeB] = [await ipfsReads(gatewayUrl(0)) - startA, await ipfsReads(gatewayUrl(1)) - startB]
  const gatewayA = Number(readFileSync(join(state, 'run', 'gateway-a.pid'), 'utf8'))
  const killedAt = performance.now() - t0
  process.kill(gatewayA, 'SIGKILL')
  await new Promise((resolve) => setTimeout(resolve, 4_000))
  stop = true
  await Promise.all(readers)

  const failed = reads.filter((r) => r.error !== undefined)
  const around = reads.filter((r) => r.at >= killedAt - 500 && r.at <= killedAt + 2_000)
  const max = (list: typeof reads) => Math.round(Math.max(...list.map((r) => r.ms)))
  const sorted = reads.map((r) => r.ms).sort((a, b) => a - b)
  log(`failover: ${reads.length} reads (4 readers, 7 s; ${reads.filter((r) => r.at < killedAt).length} before the kill), ${failed.length} failed; ` +
    `latency p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, p99 ${sorted[Math.floor(sorted.length * 0.99)].toFixed(1)} ms, ` +
    `max ${max(reads)} ms; max from 0.5 s before to 2 s after the kill ${max(around)} ms`)
  // HAProxy logs only the requests that were not plain (retried, redispatched, failed).
  const retried = readFileSync(join(state, 'haproxy.log'), 'utf8').split('\n').filter((line) => line.includes(`GET /ipfs/${firstCid}`))
  const slowest = retried.sort((a, b) => waited(b) - waited(a))[0]
  log(`HAProxy retried or redispatched ${retried.length} of them${slowest ? `; the slowest: ${slowest}` : ''}`)
  assert.deepEqual(failed.slice(0, 5), [], `${failed.length} reads failed`)
  assert.ok(beforeA > 0 && beforeB > 0, `both replicas served reads before the kill (A ${beforeA}, B ${beforeB})`)

  // The script said so, and carries on; the balancer took A out.
  await waitFor(async () => /REPLICA DOWN: replica a: the gateway-a process \(pid \d+\) was killed by SIGKILL/.test(cluster.output()), 5_000)
  assert.match(cluster.output(), /the balancer routes around replica a; 1 whole replica\(s\) left; the cluster keeps running/)
  assert.equal(cluster.child.exitCode, null, 'the cluster is still running')
  await expectStates({ 'gateway-a': 'DOWN', 'gateway-b': 'UP' })
  assert.equal((await fetch(`${balancer}/healthz`)).status, 200)
})

test('a new, empty replica joins and catches up: every registered CID gets pinned on it over bitswap', { timeout: 180_000 }, async () => {
  assert.ok(firstCid, 'needs the registered CID of the first test')
  // Three more modules, uploaded through the balancer (only B is left to take them).
  const documents = ['x', 'y', 'z'].map((label) => document(`more-${label}`))
  const cids = await Promise.all(documents.map((bytes) => upload(balancer, bytes)))
  await register(cids.map((cid, i) => ({ uri: ['//Bob', '//Charlie', '//Dave'][i], cid })))
  cids.forEach((cid, i) => registered.set(cid, documents[i]))
  await waitFor(async () => (await Promise.all(cids.map((cid) => pinnedOn(gatewayUrl(1), cid)))).every(Boolean), 30_000)

  const started = performance.now()
  joined = script(['join'])
  const run = joined
  await waitFor(async () => {
    if (run.child.exitCode !== null) throw new Error(`cluster.sh join exited with ${run.child.exitCode}:\n${run.output()}`)
    return run.output().includes('[cluster join] replica c joined')
  }, 120_000).catch((error: Error) => { throw new Error(`${error.message}\n${run.output()}`) })
  const up = performance.now()
  const all = [...registered.keys()]
  await waitFor(async () => (await Promise.all(all.map((cid) => pinnedOn(gatewayUrl(2), cid)))).every(Boolean), 60_000)
    .catch(async (error: Error) => { throw new Error(`${error.message}: ${JSON.stringify(await Promise.all(all.map((cid) => pinOf(gatewayUrl(2), cid))))}`) })
  const done = performance.now()
  const entries = gatewayLog('c')
  const listening = Date.parse(entries.find((e) => e.msg === 'listening')!.time)
  const pinnedAt = Math.max(...all.map((cid) => Date.parse(entries.find((e) => e.msg === 'pinned' && e.cid === cid)!.time)))
  log(`join: replica c's gateway listening -> all ${all.length} registered CIDs pinned on it: ${pinnedAt - listening} ms; ` +
    `healthy and in the balancer ${Math.round(up - started)} ms after \`cluster.sh join\`, all pinned ${Math.round(done - started)} ms after it`)
  for (const cid of all) assert.ok(await kuboPinned(2, cid), `C's Kubo pins ${cid}`)
  // Fetched from the other Kubos: C's gateway never had these uploads.
  const bitswap = (await (await fetch(`${kuboApi(2)}/stats/bitswap`, { method: 'POST' })).json()) as { BlocksReceived: number }
  assert.ok(bitswap.BlocksReceived >= all.length, `C's Kubo received ${bitswap.BlocksReceived} blocks over bitswap`)

  // The balancer sends it reads.
  await expectStates({ 'gateway-a': 'DOWN', 'gateway-b': 'UP', 'gateway-c': 'UP' })
  const before = await ipfsReads(gatewayUrl(2))
  for (const [cid, bytes] of registered) {
    for (let i = 0; i < 2; i++) {
      const block = await fetch(`${balancer}/ipfs/${cid}?format=raw`)
      assert.equal(block.status, 200)
      assert.deepEqual(new Uint8Array(await block.arrayBuffer()), bytes)
    }
  }
  assert.ok((await ipfsReads(gatewayUrl(2))) > before, 'replica c served reads through the balancer')

  // Ctrl-C on the joined replica takes it out of the balancer and stops it; the cluster stays.
  assert.equal(await ctrlC(run), 130, run.output())
  joined = undefined
  await expectStates({ 'gateway-a': 'DOWN', 'gateway-b': 'UP' })
  assert.equal(await fetch(`${gatewayUrl(2)}/healthz`).then(() => 'open', () => 'closed'), 'closed')
  assert.equal(cluster.child.exitCode, null)
})

test('Ctrl-C stops the whole cluster', { timeout: 60_000 }, async () => {
  assert.equal(await ctrlC(cluster), 130, cluster.output())
  for (const url of [balancer, gatewayUrl(1), `http://127.0.0.1:${ports.rpc}`, kuboApi(0), kuboApi(1)]) {
    assert.equal(await fetch(url).then(() => 'open', () => 'closed'), 'closed', url)
  }
})
