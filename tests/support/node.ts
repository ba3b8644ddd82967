/**
 * Starts a real `modnet-node --dev` on free loopback ports for a test, and
 * stops it. The binary comes from `MODNET_NODE_BIN`, else the Cargo target dir
 * the Makefile uses.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { httpRpc, logTail, stopChild, waitUntil } from '../../scripts/child-process.ts'
import { freePort } from './ports.ts'

export interface DevNode {
  /** JSON-RPC over WebSocket (and HTTP) on 127.0.0.1. */
  rpcUrl: string
  rpcHttpUrl: string
  prometheusUrl: string
  /** The p2p WebSocket multiaddr a light client dials (without /p2p/…). */
  wsListenAddr: string
  basePath: string
  logFile: string
  ports: DevNodePorts
  /** Stops the node (SIGINT, then SIGKILL after 20 s). */
  stop(): Promise<void>
}

export function nodeBinary(): string {
  const fromEnv = process.env.MODNET_NODE_BIN
  if (fromEnv) return fromEnv
  const targetDir =
    process.env.CARGO_TARGET_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'modnet', 'target')
  const bin = join(targetDir, 'release', 'modnet-node')
  if (!existsSync(bin)) throw new Error(`modnet-node not found at ${bin}: run \`make build\` first`)
  return bin
}

export interface DevNodePorts {
  rpc: number
  prometheus: number
  p2p: number
}

/**
 * Starts `modnet-node --dev` on free loopback ports, or on `ports` (to restart
 * a node where it was); `extraArgs` go last (e.g. `--state-pruning 32`).
 */
export async function startDevNode(basePath: string, ports?: DevNodePorts, extraArgs: string[] = []): Promise<DevNode> {
  const [rpcPort, prometheusPort, p2pPort] = ports ? [ports.rpc, ports.prometheus, ports.p2p] : [await freePort(), await freePort(), await freePort()]
  const wsListenAddr = `/ip4/127.0.0.1/tcp/${p2pPort}/ws`
  mkdirSync(basePath, { recursive: true })
  const logFile = join(basePath, `node-${Date.now()}.log`)
  const args = [
    '--dev',
    '--base-path', basePath,
    '--rpc-port', String(rpcPort),
    '--prometheus-port', String(prometheusPort),
    '--listen-addr', wsListenAddr,
    '--no-telemetry',
    '--no-mdns',
    ...extraArgs,
  ]
  const child = spawn(nodeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const log = createWriteStream(logFile)
  child.stdout.pipe(log)
  child.stderr.pipe(log)

  const node: DevNode = {
    rpcUrl: `ws://127.0.0.1:${rpcPort}`,
    rpcHttpUrl: `http://127.0.0.1:${rpcPort}`,
    prometheusUrl: `http://127.0.0.1:${prometheusPort}/metrics`,
    wsListenAddr,
    basePath,
    logFile,
    ports: { rpc: rpcPort, prometheus: prometheusPort, p2p: p2pPort },
    stop: async () => {
      await stopChild(child)
      await new Promise((resolve) => log.end(resolve))
    },
  }
  try {
    await waitFor(async () => (await rpc(node, 'system_health')) !== undefined, 60_000, child)
  } catch (error) {
    await node.stop()
    throw new Error(`${(error as Error).message}\n--- node log ---\n${logTail(logFile)}`)
  }
  return node
}

/** One JSON-RPC call over HTTP; undefined while the server is not up. */
export async function rpc(node: DevNode, method: string, params: unknown[] = []): Promise<any> {
  try {
    return await httpRpc(node.rpcHttpUrl, method, params)
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return undefined
    throw error
  }
}

/** Polls `condition` until it holds (failing at once if `child` exits). */
export async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, child?: ChildProcess): Promise<void> {
  await waitUntil('the condition', condition, timeoutMs, child)
}
