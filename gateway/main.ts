/**
 * Runs the Mod-Net gateway.
 *
 *   node gateway/main.ts [--port 8088] [--ipfs embedded|kubo:URL] [--rpc ws://127.0.0.1:9944 | --chain-spec FILE]
 *
 * State lives in --data-dir (default $MODNET_HOME/gateway): the database
 * (gateway.sqlite: pins, module revisions, event hints, the chain cursor) and,
 * with the embedded backend, the IPFS blocks. A restart keeps everything.
 * Logs are JSON lines on stdout. SIGINT/SIGTERM stop it cleanly.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Command } from 'commander'
import type { Connection } from '../lib/chain/connect.ts'
import { createIPFSClient } from '../lib/ipfs/index.ts'
import { fileStorage } from '../lib/ipfs/node-storage.ts'
import { modnetHome } from '../cli/paths.ts'
import { ChainFollower } from './chain-follower.ts'
import { TrustedProxies } from './http/client-address.ts'
import { jsonLogger } from './log.ts'
import { createMetrics } from './metrics.ts'
import { DEFAULT_PIN_CONFIG, PinKeeper } from './pin-keeper.ts'
import { DEFAULT_CONFIG, createGateway } from './server.ts'
import { MIN_FREE_BYTES, StorageHealth } from './storage-health.ts'
import { ChainIndex } from './store/chain-index.ts'
import { openDatabase, type Database } from './store/database.ts'
import { importLegacyJson } from './store/import-json.ts'
import { PinStore } from './store/pins.ts'
import { DEFAULT_RETENTION } from './store/retention.ts'

const DAY_MS = 24 * 60 * 60_000
const options = new Command('modnet-gateway')
  .option('--host <address>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0: any free port)', process.env.MODNET_GATEWAY_PORT ?? '8088')
  .option('--data-dir <dir>', 'where the database and (embedded) blocks are kept', join(modnetHome(), 'gateway'))
  .option('--ipfs <backend>', 'embedded (Helia, on disk in --data-dir) or kubo:http://127.0.0.1:5001', 'embedded')
  .option('--rpc <url>', 'the chain node to follow', process.env.MODNET_RPC ?? 'ws://127.0.0.1:9944')
  .option('--chain-spec <file>', 'follow the chain through the smoldot light client instead of --rpc')
  .option('--provisional-ttl <seconds>', 'how long an upload stays pinned unless a registration names it (uploading again does not extend it)', '3600')
  .option('--sweep-interval <seconds>', 'how often pins past the retention policy are dropped', '60')
  .option('--keep-revisions <n>', 'previous revisions kept per module besides the current one (0: all)', String(DEFAULT_RETENTION.keepRevisions))
  .option('--removed-retention <days>', 'how long a removed module\'s metadata stays', String(DEFAULT_RETENTION.removedRetentionMs / DAY_MS))
  .option('--max-pin-bytes <bytes>', 'largest registered content pinned (as its root declares)', String(DEFAULT_PIN_CONFIG.maxPinBytes))
  .option('--pin-timeout <seconds>', 'time allowed for one pin attempt', String(DEFAULT_PIN_CONFIG.pinTimeoutMs / 1000))
  .option('--upload-rate <perMinute>', 'uploads per client per minute', String(DEFAULT_CONFIG.uploadLimit.perMinute))
  .option('--upload-burst <n>', 'uploads a client may make at once', String(DEFAULT_CONFIG.uploadLimit.burst))
  .option('--read-rate <perMinute>', 'reads per client per minute', String(DEFAULT_CONFIG.readLimit.perMinute))
  .option('--read-burst <n>', 'reads a client may make at once', String(DEFAULT_CONFIG.readLimit.burst))
  .option('--max-connections-per-client <n>', 'open connections one client (IPv4 address or IPv6 /64) may hold', String(DEFAULT_CONFIG.guard.maxConnectionsPerClient))
  .option('--headers-timeout <seconds>', 'time a client has to send the request headers', String(DEFAULT_CONFIG.guard.headersTimeoutMs / 1000))
  .option('--request-timeout <seconds>', 'time a client has to send the whole request', String(DEFAULT_CONFIG.guard.requestTimeoutMs / 1000))
  .option('--min-free-mb <MiB>', 'below this much free space in --data-dir, /healthz reports the gateway unhealthy', String(MIN_FREE_BYTES / 1024 / 1024))
  .option('--block-cache-mb <MiB>', 'memory for verified blocks shared across requests (0: none)', String(DEFAULT_CONFIG.blockCacheBytes / 1024 / 1024))
  .option('--trusted-proxies <list>', 'comma-separated addresses or CIDR blocks of your own proxies, whose X-Forwarded-For is believed', '')
  .parse()
  .opts()

const log = jsonLogger()

function fail(message: string): never {
  log.log('error', message)
  process.exit(2)
}

function number(name: string, value: string, { allowZero = false, integer = false } = {}): number {
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed < 0 || (!allowZero && parsed === 0) || (integer && !Number.isInteger(parsed))) {
    fail(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}, not "${value}"`)
  }
  return parsed
}

const trustedProxies = (options.trustedProxies as string).split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
try {
  new TrustedProxies(trustedProxies)
} catch (error) {
  fail(`--trusted-proxies: ${(error as Error).message}`)
}
const config = {
  ...DEFAULT_CONFIG,
  uploadLimit: { perMinute: number('upload-rate', options.uploadRate), burst: number('upload-burst', options.uploadBurst) },
  readLimit: { perMinute: number('read-rate', options.readRate), burst: number('read-burst', options.readBurst) },
  trustedProxies,
  blockCacheBytes: Math.round(number('block-cache-mb', options.blockCacheMb, { allowZero: true }) * 1024 * 1024),
  guard: {
    ...DEFAULT_CONFIG.guard,
    maxConnectionsPerClient: number('max-connections-per-client', options.maxConnectionsPerClient, { integer: true }),
    headersTimeoutMs: number('headers-timeout', options.headersTimeout) * 1000,
    requestTimeoutMs: number('request-timeout', options.requestTimeout) * 1000,
  },
}
const pinConfig = {
  ...DEFAULT_PIN_CONFIG,
  provisionalTtlMs: number('provisional-ttl', options.provisionalTtl) * 1000,
  maxPinBytes: number('max-pin-bytes', options.maxPinBytes, { integer: true }),
  pinTimeoutMs: number('pin-timeout', options.pinTimeout) * 1000,
  retention: {
    keepRevisions: number('keep-revisions', options.keepRevisions, { allowZero: true, integer: true }),
    removedRetentionMs: number('removed-retention', options.removedRetention, { allowZero: true }) * DAY_MS,
  },
}
const port = number('port', options.port, { allowZero: true, integer: true })
const sweepMs = number('sweep-interval', options.sweepInterval) * 1000
const dataDir = resolve(options.dataDir)

let db: Database
try {
  db = openDatabase(join(dataDir, 'gateway.sqlite'))
} catch (error) {
  log.log('error', (error as Error).message)
  process.exit(1)
}
for (const report of importLegacyJson(db, dataDir, Date.now())) {
  log.log(report.outcome === 'imported' ? 'info' : 'error', report.outcome === 'imported' ? 'imported a JSON state file' : 'a JSON state file was unreadable', { ...report })
}

const ipfs = await createIPFSClient(options.ipfs, { embeddedStorage: options.ipfs === 'embedded' ? fileStorage(join(dataDir, 'ipfs')) : undefined })
const metrics = createMetrics()
const storage = new StorageHealth(dataDir, log, metrics, number('min-free-mb', options.minFreeMb, { allowZero: true }) * 1024 * 1024)
const pins = new PinStore(db)
const index = new ChainIndex(db, pins, pinConfig.retention.keepRevisions)
const keeper = new PinKeeper({ ipfs, db, pins, log, metrics, storage }, pinConfig)
const connection: Connection = options.chainSpec !== undefined
  ? { kind: 'light-client', chainSpec: readFileSync(options.chainSpec, 'utf8') }
  : { kind: 'rpc', url: options.rpc, reconnect: true }
const follower = new ChainFollower(connection, { index, keeper, storage, log, metrics })
follower.start()
keeper.start()
void keeper.reconcile().catch((error: Error) => log.log('warn', 'reconciling pins failed', { error: error.message }))

const server = createGateway(config, { ipfs, keeper, index, chain: follower.view, storage, metrics, log, storageProof: (key, at) => follower.storageProof(key, at), finalityProof: (block) => follower.finalityProof(block) })
server.listen(port, options.host, () => {
  const address = server.address()
  const actual = typeof address === 'object' && address !== null ? address.port : port
  log.log('info', 'listening', { url: `http://${options.host}:${actual}`, ipfs: `${ipfs.kind} ${ipfs.location}`, chain: connection.kind === 'rpc' ? connection.url : 'light client', provisionalTtlSeconds: pinConfig.provisionalTtlMs / 1000, trustedProxies })
})
server.on('error', (error) => {
  log.log('error', `cannot listen on ${options.host}:${port}: ${error.message}`)
  process.exit(1)
})

const sweeper = setInterval(() => {
  keeper.sweep().then((dropped) => {
    if (dropped.length > 0) log.log('info', 'pins let go (provisional time up, or past the retention policy)', { cids: dropped })
  }, (error: Error) => log.log('error', 'sweeping pins failed', { error: error.message }))
}, sweepMs)

let stopping = false
async function stop(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.log('info', 'stopping', { signal })
  clearInterval(sweeper)
  keeper.stop()
  server.close()
  server.closeAllConnections()
  await follower.stop()
  await ipfs.close()
  db.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
