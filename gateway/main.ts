/**
 * Runs the Mod-Net gateway.
 *
 *   node gateway/main.ts [--port 8088] [--ipfs embedded|kubo:URL] [--rpc ws://127.0.0.1:9944 | --chain-spec FILE]
 *
 * State (embedded IPFS blocks, the pin ledger) lives in --data-dir (default
 * $MODNET_HOME/gateway), so a restart keeps uploads and pins. Logs are JSON
 * lines on stdout. SIGINT/SIGTERM stop it cleanly.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Command } from 'commander'
import type { Connection } from '../lib/chain/connect.ts'
import { createIPFSClient } from '../lib/ipfs/index.ts'
import { fileStorage } from '../lib/ipfs/node-storage.ts'
import { modnetHome } from '../cli/paths.ts'
import { ChainFollower } from './chain-follower.ts'
import { EventIndex } from './events.ts'
import { jsonLogger } from './log.ts'
import { createMetrics } from './metrics.ts'
import { PinLedger } from './pins.ts'
import { DEFAULT_CONFIG, createGateway } from './server.ts'

const options = new Command('modnet-gateway')
  .option('--host <address>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0: any free port)', process.env.MODNET_GATEWAY_PORT ?? '8088')
  .option('--data-dir <dir>', 'where blocks and the pin ledger are kept', join(modnetHome(), 'gateway'))
  .option('--ipfs <backend>', 'embedded (Helia, on disk in --data-dir) or kubo:http://127.0.0.1:5001', 'embedded')
  .option('--rpc <url>', 'the chain node to follow', process.env.MODNET_RPC ?? 'ws://127.0.0.1:9944')
  .option('--chain-spec <file>', 'follow the chain through the smoldot light client instead of --rpc')
  .option('--provisional-ttl <seconds>', 'how long an upload stays pinned unless a registration names it', String(DEFAULT_CONFIG.provisionalTtlMs / 1000))
  .option('--sweep-interval <seconds>', 'how often expired provisional pins are dropped', '60')
  .option('--upload-rate <perMinute>', 'uploads per client per minute', String(DEFAULT_CONFIG.uploadLimit.perMinute))
  .option('--upload-burst <n>', 'uploads a client may make at once', String(DEFAULT_CONFIG.uploadLimit.burst))
  .option('--read-rate <perMinute>', 'reads per client per minute', String(DEFAULT_CONFIG.readLimit.perMinute))
  .option('--read-burst <n>', 'reads a client may make at once', String(DEFAULT_CONFIG.readLimit.burst))
  .option('--trust-proxy', 'take client addresses from X-Forwarded-For (only behind your own proxy)')
  .parse()
  .opts()

const log = jsonLogger()

function positive(name: string, value: string, allowZero = false): number {
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed < 0 || (!allowZero && parsed === 0)) {
    log.log('error', `--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not "${value}"`)
    process.exit(2)
  }
  return parsed
}

const config = {
  ...DEFAULT_CONFIG,
  provisionalTtlMs: positive('provisional-ttl', options.provisionalTtl) * 1000,
  uploadLimit: { perMinute: positive('upload-rate', options.uploadRate), burst: positive('upload-burst', options.uploadBurst) },
  readLimit: { perMinute: positive('read-rate', options.readRate), burst: positive('read-burst', options.readBurst) },
  trustProxy: options.trustProxy === true,
}
const port = positive('port', options.port, true)
const sweepMs = positive('sweep-interval', options.sweepInterval) * 1000
const dataDir = resolve(options.dataDir)

const ipfs = await createIPFSClient(options.ipfs, { embeddedStorage: options.ipfs === 'embedded' ? fileStorage(join(dataDir, 'ipfs')) : undefined })
const metrics = createMetrics()
const ledger = new PinLedger(join(dataDir, 'pins.json'), ipfs)
const connection: Connection = options.chainSpec !== undefined
  ? { kind: 'light-client', chainSpec: readFileSync(options.chainSpec, 'utf8') }
  : { kind: 'rpc', url: options.rpc, reconnect: true }
const events = new EventIndex(join(dataDir, 'events.json'))
const follower = new ChainFollower(connection, ledger, events, log, metrics)
follower.start()

const server = createGateway(config, { ipfs, ledger, events, chain: follower.view, metrics, log, readProof: (key, at) => follower.readProof(key, at) })
server.listen(port, options.host, () => {
  const address = server.address()
  const actual = typeof address === 'object' && address !== null ? address.port : port
  log.log('info', 'listening', { url: `http://${options.host}:${actual}`, ipfs: `${ipfs.kind} ${ipfs.location}`, chain: connection.kind === 'rpc' ? connection.url : 'light client', provisionalTtlSeconds: config.provisionalTtlMs / 1000 })
})
server.on('error', (error) => {
  log.log('error', `cannot listen on ${options.host}:${port}: ${error.message}`)
  process.exit(1)
})

const sweeper = setInterval(() => {
  ledger.expire(Date.now()).then((expired) => {
    if (expired.length === 0) return
    metrics.pinsExpired.inc(expired.length)
    log.log('info', 'provisional pins expired', { cids: expired })
  }, (error: Error) => log.log('error', 'expiring pins failed', { error: error.message }))
}, sweepMs)

let stopping = false
async function stop(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.log('info', 'stopping', { signal })
  clearInterval(sweeper)
  server.close()
  server.closeAllConnections()
  await follower.stop()
  await ipfs.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
