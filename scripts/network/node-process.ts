/**
 * One `modnet-node` process of a network: started, stopped and started again
 * on the same data, ports and node key, with JSON-RPC over loopback HTTP.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { httpRpc, logTail, sleep, stopChild } from '../child-process.ts'

export type NodeRole = 'validator' | 'rpc' | 'full'

export interface NodeSpec {
  /** Node name, also the directory under the network's home. */
  name: string
  role: NodeRole
  chainSpec: string
  basePath: string
  /** JSON-RPC port (loopback). */
  rpcPort: number
  /** libp2p TCP port (loopback). */
  p2pPort: number
  /** RPC/bootnode only: the WebSocket p2p port browsers' light clients dial. */
  wsPort?: number
  /** Prometheus port; none when omitted. */
  prometheusPort?: number
  /** Validators: the dev key seed (`--alice` …) to put in the keystore; omit to rotate keys on the node. */
  devKey?: string
  /** Full /p2p addresses to dial at start, beyond the chain spec's bootnodes. */
  bootnodes?: string[]
  extraArgs?: string[]
}

/** Makes (once) the node's libp2p key in its base path and returns its PeerId. */
export function ensureNodeKey(nodeBin: string, basePath: string): { file: string; peerId: string } {
  mkdirSync(basePath, { recursive: true })
  const file = join(basePath, 'node-key')
  if (!existsSync(file)) execFileSync(nodeBin, ['key', 'generate-node-key', '--file', file], { stdio: 'ignore' })
  const peerId = execFileSync(nodeBin, ['key', 'inspect-node-key', '--file', file]).toString().trim()
  return { file, peerId }
}

/** The command line each role runs with (docs/operators.md explains the choices). */
export function nodeArgs(spec: NodeSpec, nodeKeyFile: string): string[] {
  const args = [
    '--chain', spec.chainSpec,
    '--base-path', spec.basePath,
    '--name', spec.name,
    '--node-key-file', nodeKeyFile,
    '--rpc-port', String(spec.rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${spec.p2pPort}`,
    '--no-telemetry',
    '--no-mdns',
  ]
  args.push(...(spec.prometheusPort === undefined ? ['--no-prometheus'] : ['--prometheus-port', String(spec.prometheusPort)]))
  for (const addr of spec.bootnodes ?? []) args.push('--bootnodes', addr)
  if (spec.role === 'validator') {
    // Its RPC is for its operator only (rotating keys): loopback, unsafe methods allowed.
    args.push('--validator', '--rpc-methods', 'unsafe')
    if (spec.devKey !== undefined) args.push(`--${spec.devKey.toLowerCase()}`)
  } else if (spec.role === 'rpc') {
    // What browsers and gateways use: a WebSocket p2p listener for light clients, safe RPC
    // only, full history (the gateway and the app read old blocks and state).
    if (spec.wsPort !== undefined) args.push('--listen-addr', `/ip4/127.0.0.1/tcp/${spec.wsPort}/ws`)
    args.push('--rpc-methods', 'safe', '--rpc-cors', 'all', '--state-pruning', 'archive', '--blocks-pruning', 'archive')
  } else {
    // A full node joining later: warp sync (GRANDPA proofs, then state) instead of every block.
    args.push('--sync', 'warp', '--rpc-methods', 'unsafe')
  }
  args.push(...(spec.extraArgs ?? []))
  return args
}

export class NodeProcess {
  readonly spec: NodeSpec
  readonly peerId: string
  readonly logFile: string
  readonly #bin: string
  readonly #keyFile: string
  #child: ChildProcess | undefined
  #log: WriteStream | undefined

  constructor(nodeBin: string, spec: NodeSpec) {
    this.spec = spec
    this.#bin = nodeBin
    const key = ensureNodeKey(nodeBin, spec.basePath)
    this.#keyFile = key.file
    this.peerId = key.peerId
    this.logFile = join(spec.basePath, 'node.log')
  }

  get name(): string {
    return this.spec.name
  }

  get rpcUrl(): string {
    return `ws://127.0.0.1:${this.spec.rpcPort}`
  }

  get rpcHttpUrl(): string {
    return `http://127.0.0.1:${this.spec.rpcPort}`
  }

  /** Where other full nodes dial it. */
  get p2pAddr(): string {
    return `/ip4/127.0.0.1/tcp/${this.spec.p2pPort}/p2p/${this.peerId}`
  }

  /** Where browsers' light clients dial it (RPC/bootnodes only). */
  get wsAddr(): string | undefined {
    return this.spec.wsPort === undefined ? undefined : `/ip4/127.0.0.1/tcp/${this.spec.wsPort}/ws/p2p/${this.peerId}`
  }

  /** The process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.#child?.pid : undefined
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null
  }

  /** Starts the process and waits until its RPC answers. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) return
    this.#log = createWriteStream(this.logFile, { flags: 'a' })
    // Its own process group (as scripts/supervise.sh does): a terminal's Ctrl-C reaches only
    // the launcher, which stops the nodes, so a node that exits by itself is always a crash.
    const child = spawn(this.#bin, nodeArgs(this.spec, this.#keyFile), { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    child.stdout.pipe(this.#log, { end: false })
    child.stderr.pipe(this.#log, { end: false })
    this.#child = child
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`node ${this.name} exited at start (code ${child.exitCode}):\n${this.logTail()}`)
      if ((await this.rpc('system_health').catch(() => undefined)) !== undefined) return
      await sleep(250)
    }
    throw new Error(`node ${this.name} did not answer RPC within ${timeoutMs / 1000} s:\n${this.logTail()}`)
  }

  /** Stops the process (SIGINT, then SIGKILL after 20 s). The data stays. */
  async stop(): Promise<void> {
    const child = this.#child
    if (child === undefined) return
    await stopChild(child)
    this.#child = undefined
    const log = this.#log
    this.#log = undefined
    await new Promise((resolve) => (log ? log.end(resolve) : resolve(undefined)))
  }

  /** One JSON-RPC call over loopback HTTP. */
  async rpc<T = any>(method: string, params: unknown[] = []): Promise<T> {
    try {
      return await httpRpc<T>(this.rpcHttpUrl, method, params)
    } catch (error) {
      throw new Error(`${this.name}: ${(error as Error).message}`, { cause: error })
    }
  }

  /** Best and finalized block numbers. */
  async heads(): Promise<{ best: number; finalized: number }> {
    const [best, finalizedHash] = await Promise.all([this.rpc('chain_getHeader'), this.rpc<string>('chain_getFinalizedHead')])
    const finalized = await this.rpc('chain_getHeader', [finalizedHash])
    return { best: parseInt(best.number, 16), finalized: parseInt(finalized.number, 16) }
  }

  logTail(lines = 30): string {
    return logTail(this.logFile, lines)
  }
}
