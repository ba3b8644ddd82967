/**
 * Starts a real Kubo (`ipfs daemon`) for a test, in a throwaway repo, with its
 * RPC API and gateway on free loopback ports, and stops it. The daemon runs
 * `--offline`: it never starts libp2p, so it dials nothing, loopback or not.
 * The binary comes from `MODNET_KUBO_BIN`, else the cache dir that
 * scripts/install-kubo.sh installs to.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { waitFor } from './node.ts'
import { freePort } from './ports.ts'

/** Keep in step with KUBO_VERSION in scripts/install-kubo.sh. */
export const KUBO_VERSION = 'v0.43.1'

export interface KuboDaemon {
  /** RPC API base, e.g. http://127.0.0.1:PORT (the API lives under /api/v0). */
  apiUrl: string
  /** Path gateway, e.g. http://127.0.0.1:PORT (serves /ipfs/<cid>). */
  gatewayUrl: string
  /** The temporary IPFS_PATH; removed by stop(). */
  repo: string
  /** The daemon's process id (e.g. to sample its memory). */
  pid: number
  /** Stops the daemon (SIGTERM, then SIGKILL after 10 s) and removes the repo. */
  stop(): Promise<void>
}

export function kuboBinary(): string {
  const fromEnv = process.env.MODNET_KUBO_BIN
  if (fromEnv) return fromEnv
  // Same lookup as the script's ${MODNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modnet}.
  const cache = process.env.MODNET_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'modnet')
  const bin = join(cache, `kubo-${KUBO_VERSION}`, 'ipfs')
  if (!existsSync(bin)) throw new Error(`Kubo not found at ${bin}: run \`scripts/install-kubo.sh\` first`)
  return bin
}

export async function startKubo(): Promise<KuboDaemon> {
  const bin = kuboBinary()
  const repo = await mkdtemp(join(tmpdir(), 'modnet-kubo-'))
  // Telemetry has no endpoint in this build; off anyway, so nothing phones home.
  const env = { ...process.env, IPFS_PATH: repo, IPFS_TELEMETRY: 'off' }
  const [apiPort, gatewayPort] = [await freePort(), await freePort()]
  try {
    // `test` profile: loopback addresses, no bootstrap peers, no MDNS, no
    // AutoConf. Import settings stay Kubo's stock ones (CIDv0, 256 KiB chunks),
    // as on a real pinning node, so tests must pass CID options explicitly.
    await promisify(execFile)(bin, ['init', '--profile=test'], { env })
    await editConfig(repo, (config) => {
      config.Addresses.API = `/ip4/127.0.0.1/tcp/${apiPort}`
      config.Addresses.Gateway = `/ip4/127.0.0.1/tcp/${gatewayPort}`
      // Belt and braces on top of --offline: nowhere to listen, no one to ask.
      config.Addresses.Swarm = []
      config.Bootstrap = []
      config.Peering = { Peers: [] }
      config.Discovery = { MDNS: { Enabled: false } }
      config.Routing = { ...config.Routing, Type: 'none' }
      config.Gateway = { ...config.Gateway, NoFetch: true }
    })
  } catch (error) {
    await rm(repo, { recursive: true, force: true })
    throw error
  }

  const child = spawn(bin, ['daemon', '--offline'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  // The daemon's last output, kept in memory because stop() deletes the repo.
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-16_000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const kubo: KuboDaemon = {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    pid: child.pid!,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    repo,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      await rm(repo, { recursive: true, force: true })
    },
  }
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`ipfs daemon exited with code ${child.exitCode}`)
      return await apiAnswers(kubo.apiUrl)
    }, 30_000)
  } catch (error) {
    await kubo.stop()
    throw new Error(`Kubo did not start: ${(error as Error).message}\n--- ipfs daemon output ---\n${output}`)
  }
  return kubo
}

/** Rewrites the repo's config file; safe only while no daemon runs on it. */
async function editConfig(repo: string, edit: (config: any) => void): Promise<void> {
  const file = join(repo, 'config')
  const config = JSON.parse(await readFile(file, 'utf8'))
  edit(config)
  await writeFile(file, JSON.stringify(config, null, 2))
}

async function apiAnswers(apiUrl: string): Promise<boolean> {
  try {
    // Kubo's RPC API takes POST only.
    return (await fetch(`${apiUrl}/api/v0/id`, { method: 'POST' })).ok
  } catch {
    return false
  }
}
