/**
 * Gateway reads under many concurrent HTTP clients, beside Kubo's own gateway.
 *
 * Starts a dev node, a Kubo daemon and our gateway with Kubo as its IPFS
 * backend (`--ipfs kubo:<Kubo RPC>`), all on free loopback ports, so both
 * gateways serve the same Kubo blockstore. Uploads `--documents` distinct
 * metadata documents through our gateway (POST /api/v1/metadata), checks once
 * that both gateways answer the same bytes, then points autocannon at each
 * gateway in turn: `--connections` keep-alive connections for `--seconds`
 * seconds of `GET /ipfs/<cid>?format=raw` (Accept: application/vnd.ipld.raw),
 * each connection cycling over all the CIDs. Prints requests/s, p50/p99
 * latency, failures (connection errors, timeouts, non-2xx) and the server
 * process's peak RSS (VmRSS sampled every 250 ms), then ours / Kubo's ratios.
 *
 * Rate limits: our gateway limits reads and open connections per client
 * address, and autocannon connects from one address (127.0.0.1). The harness
 * raises the limits (--read-rate, --read-burst, --max-connections-per-client,
 * and the upload limits for the set-up) rather than forging X-Forwarded-For
 * through --trusted-proxies, and says so. Kubo's gateway has no per-client
 * limits. Everything runs on one machine, load generator included.
 *
 *   node bench/gateway-load.ts [--connections 1000] [--seconds 60] [--documents 100] [--block-cache-mb 64]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { GatewayIpfs } from '../lib/ipfs/index.ts'
import { canonicalBytes } from '../lib/types/index.ts'
import { startGateway, type RunningGateway } from '../tests/support/gateway.ts'
import { startKubo, type KuboDaemon } from '../tests/support/kubo.ts'
import { startDevNode, type DevNode } from '../tests/support/node.ts'

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    documents: { type: 'string', default: '100' },
    'block-cache-mb': { type: 'string', default: '64' },
  },
})
const connections = positiveInteger('connections', values.connections)
const seconds = positiveInteger('seconds', values.seconds)
const documents = positiveInteger('documents', values.documents)
const example = JSON.parse(readFileSync(new URL('../examples/hello-module.json', import.meta.url), 'utf8'))

/** Our gateway's per-client limits, raised so one load generator is not throttled. */
const RAISED_LIMITS = {
  '--read-rate': String(1e12),
  '--read-burst': String(1e9),
  '--max-connections-per-client': String(connections + 16),
  '--upload-rate': String(1e6),
  '--upload-burst': String(documents + 10),
}

interface Target {
  name: string
  url: string
  pid: number
}

interface Row {
  target: string
  requestsPerSecond: number
  p50: number
  p99: number
  errors: number
  timeouts: number
  non2xx: number
  peakRssMb: number
}

function positiveInteger(name: string, value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive integer, not "${value}"`)
  return parsed
}

function document(i: number) {
  return { ...example, name: `bench-load-${i}`, description: `gateway load benchmark document ${i}` }
}

/** Uploads the documents through our gateway; returns their CIDs. */
async function upload(gatewayUrl: string): Promise<{ cids: string[]; bytes: Uint8Array[] }> {
  const ipfs = new GatewayIpfs(gatewayUrl)
  const bytes = Array.from({ length: documents }, (_, i) => canonicalBytes(document(i)))
  const cids: string[] = []
  for (const body of bytes) cids.push((await ipfs.add(body)).toString())
  return { cids, bytes }
}

async function readRaw(url: string, cid: string): Promise<Uint8Array> {
  const response = await fetch(`${url}/ipfs/${cid}?format=raw`, { headers: { accept: 'application/vnd.ipld.raw' } })
  if (!response.ok) throw new Error(`${url}/ipfs/${cid}?format=raw answered ${response.status}: ${await response.text()}`)
  return new Uint8Array(await response.arrayBuffer())
}

/** Both gateways must answer the uploaded bytes for the same CID before any load. */
async function checkSameBytes(targets: Target[], cid: string, expected: Uint8Array): Promise<void> {
  for (const target of targets) {
    const got = await readRaw(target.url, cid)
    if (Buffer.compare(Buffer.from(got), Buffer.from(expected)) !== 0) throw new Error(`${target.name} answered other bytes for ${cid}`)
  }
  console.log(`same bytes: both gateways answer ${cid} with the ${expected.length} uploaded bytes`)
}

function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : 0
}

/** Samples a process's RSS every 250 ms until the returned function is called, which gives the peak. */
function samplePeakRss(pid: number): () => number {
  let peak = rssMb(pid)
  const timer = setInterval(() => { peak = Math.max(peak, rssMb(pid)) }, 250)
  return () => {
    clearInterval(timer)
    return Math.max(peak, rssMb(pid))
  }
}

async function load(target: Target, cids: string[]): Promise<Row> {
  const stopSampling = samplePeakRss(target.pid)
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    headers: { accept: 'application/vnd.ipld.raw' },
    requests: cids.map((cid) => ({ method: 'GET' as const, path: `/ipfs/${cid}?format=raw` })),
  })
  const peakRssMb = stopSampling()
  return {
    target: target.name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    peakRssMb,
  }
}

function printTable(rows: Row[]): void {
  const header = ['target', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'peak RSS MB']
  const lines = rows.map((row) => [
    row.target,
    String(connections),
    row.requestsPerSecond.toFixed(0),
    row.p50.toFixed(1),
    row.p99.toFixed(1),
    // autocannon's `errors` already counts timeouts.
    String(row.errors + row.non2xx),
    row.peakRssMb.toFixed(0),
  ])
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)))
  const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')
  console.log(format(header))
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'))
  for (const line of lines) console.log(format(line))
  for (const row of rows) {
    if (row.errors + row.non2xx > 0) console.log(`${row.target}: ${row.errors} connection errors (${row.timeouts} timeouts), ${row.non2xx} non-2xx`)
  }
  const [ours, kubo] = rows
  console.log(`ours / Kubo: req/s ${(ours.requestsPerSecond / kubo.requestsPerSecond).toFixed(2)}, p99 ${(ours.p99 / kubo.p99).toFixed(2)}`)
}

/** A dev node and a Kubo daemon, started together; if one fails, the other is stopped. */
async function startChainAndKubo(): Promise<[DevNode, KuboDaemon]> {
  const [node, kubo] = await Promise.allSettled([startDevNode(join(dir, 'chain')), startKubo()])
  if (node.status === 'fulfilled' && kubo.status === 'fulfilled') return [node.value, kubo.value]
  await Promise.all([node.status === 'fulfilled' && node.value.stop(), kubo.status === 'fulfilled' && kubo.value.stop()])
  throw node.status === 'rejected' ? node.reason : (kubo as PromiseRejectedResult).reason
}

const dir = mkdtempSync(join(tmpdir(), 'modnet-bench-gateway-load-'))
let node: DevNode | undefined
let kubo: KuboDaemon | undefined
let gateway: RunningGateway | undefined
try {
  ;[node, kubo] = await startChainAndKubo()
  gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl, '--ipfs', `kubo:${kubo.apiUrl}`, '--block-cache-mb', values['block-cache-mb'], ...Object.entries(RAISED_LIMITS).flat()])
  console.log(`our gateway's verified-block cache: ${values['block-cache-mb']} MiB`)
  console.log(`limits raised: ${Object.entries(RAISED_LIMITS).map(([flag, value]) => `${flag} ${value}`).join(', ')} (all load comes from 127.0.0.1; no X-Forwarded-For)`)
  console.log(`backend: our gateway reads Kubo's blockstore over Kubo's RPC API (--ipfs kubo:${kubo.apiUrl}); Kubo's gateway (${kubo.gatewayUrl}) reads the same blockstore directly`)

  const { cids, bytes } = await upload(gateway.url)
  console.log(`uploaded ${cids.length} metadata documents (${bytes[0].length} bytes each or so) through ${gateway.url}/api/v1/metadata`)
  const targets: Target[] = [
    { name: 'Mod-Net gateway', url: gateway.url, pid: gateway.pid },
    { name: 'Kubo gateway', url: kubo.gatewayUrl, pid: kubo.pid },
  ]
  await checkSameBytes(targets, cids[0], bytes[0])

  const rows: Row[] = []
  for (const target of targets) {
    console.log(`loading ${target.name}: ${connections} connections for ${seconds} s…`)
    rows.push(await load(target, cids))
  }
  printTable(rows)
} finally {
  await gateway?.stop()
  await Promise.all([kubo?.stop(), node?.stop()])
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
