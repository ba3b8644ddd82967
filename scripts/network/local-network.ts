/**
 * A Mod-Net network on loopback: N validators (dev keys //Alice, //Bob, …)
 * and one RPC/bootnode with a WebSocket listener for browsers, from a chain
 * spec made by chain-spec/new-network.ts with `--dev-keys`. `make network`
 * runs one (scripts/network.ts); the network tests start and break them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { newNetworkSpec } from '../../chain-spec/new-network.ts'
import { nodeBinary } from '../../tests/support/node.ts'
import { waitUntil } from '../child-process.ts'
import { ensureNodeKey, NodeProcess, type NodeRole } from './node-process.ts'

/** Dev key names in the order validators take them; the rest are endowed to join later. */
export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const
/** What every dev account gets (2^60, as in the runtime's dev presets). */
const DEV_ENDOWMENT = (1n << 60n).toString()

export interface NetworkPorts {
  /** The RPC/bootnode: JSON-RPC, p2p TCP, p2p WebSocket, Prometheus. */
  rpc: number
  p2p: number
  ws: number
  prometheus?: number
  /** Per validator: JSON-RPC and p2p TCP. */
  validators: { rpc: number; p2p: number }[]
}

export interface LocalNetworkOptions {
  home: string
  ports: NetworkPorts
  /** Blocks per session (default 20): how fast validator-set changes land. */
  sessionLength?: number
  /** A raw chain spec (JSON text) to run instead of the generated one; its bootnode must be the RPC node. */
  spec?: (rpcPeerId: string) => Promise<string>
  nodeBin?: string
}

/** The network description new-network.ts turns into a spec (dev keys, so `--dev-keys`). */
export async function devNetworkConfig(validators: number, rpcPeerId: string, ports: NetworkPorts, sessionLength: number): Promise<object> {
  await cryptoWaitReady()
  const sr = new Keyring({ type: 'sr25519', ss58Format: 42 })
  const ed = new Keyring({ type: 'ed25519', ss58Format: 42 })
  return {
    name: 'Mod-Net Local Network',
    id: 'modnet_local_network',
    chainType: 'Local',
    validators: DEV_NAMES.slice(0, validators).map((name) => ({
      account: sr.addFromUri(`//${name}`).address,
      aura: sr.addFromUri(`//${name}`).address,
      grandpa: ed.addFromUri(`//${name}`).address,
    })),
    governance: { sudo: sr.addFromUri('//Alice').address },
    endowed: Object.fromEntries(DEV_NAMES.map((name) => [sr.addFromUri(`//${name}`).address, DEV_ENDOWMENT])),
    bootNodes: [`/ip4/127.0.0.1/tcp/${ports.ws}/ws/p2p/${rpcPeerId}`, `/ip4/127.0.0.1/tcp/${ports.p2p}/p2p/${rpcPeerId}`],
    sessionLength,
  }
}

export class LocalNetwork {
  readonly home: string
  readonly specFile: string
  readonly rpcNode: NodeProcess
  readonly validators: NodeProcess[]
  /** Nodes added after the start (a late full node, a new validator). */
  readonly others: NodeProcess[] = []
  readonly #bin: string

  private constructor(bin: string, home: string, specFile: string, rpcNode: NodeProcess, validators: NodeProcess[]) {
    this.#bin = bin
    this.home = home
    this.specFile = specFile
    this.rpcNode = rpcNode
    this.validators = validators
  }

  /** Writes the chain spec (unless `home` already has one) and prepares the nodes; starts nothing. */
  static async create(options: LocalNetworkOptions): Promise<LocalNetwork> {
    const bin = options.nodeBin ?? nodeBinary()
    const { home, ports } = options
    mkdirSync(home, { recursive: true })
    const specFile = join(home, 'modnet-network.raw.json')
    const rpcBase = join(home, 'rpc')
    if (!existsSync(specFile) && options.spec !== undefined) {
      writeFileSync(specFile, await options.spec(ensureNodeKey(bin, rpcBase).peerId))
    } else if (!existsSync(specFile)) {
      const { peerId } = ensureNodeKey(bin, rpcBase)
      const config = await devNetworkConfig(ports.validators.length, peerId, ports, options.sessionLength ?? 20)
      writeFileSync(join(home, 'network.json'), JSON.stringify(config, null, 2) + '\n')
      const { specJson } = await newNetworkSpec(config, { node: bin, allowDevKeys: true })
      writeFileSync(specFile, specJson)
    }
    const validatorSpecs = ports.validators.map((p, i) => ({ name: DEV_NAMES[i].toLowerCase(), ...p }))
    const rpcNode = new NodeProcess(bin, {
      name: 'rpc', role: 'rpc', chainSpec: specFile, basePath: rpcBase,
      rpcPort: ports.rpc, p2pPort: ports.p2p, wsPort: ports.ws, prometheusPort: ports.prometheus,
    })
    const validators = validatorSpecs.map((v, i) => new NodeProcess(bin, {
      name: v.name, role: 'validator', chainSpec: specFile, basePath: join(home, v.name),
      rpcPort: v.rpc, p2pPort: v.p2p, devKey: DEV_NAMES[i],
    }))
    // Each node also dials every other directly, so the network holds without the bootnode.
    const everyone = [rpcNode, ...validators]
    for (const node of everyone) node.spec.bootnodes = everyone.filter((n) => n !== node).map((n) => n.p2pAddr)
    return new LocalNetwork(bin, home, specFile, rpcNode, validators)
  }

  get nodes(): NodeProcess[] {
    return [this.rpcNode, ...this.validators, ...this.others]
  }

  /** The chain spec as text (what light clients boot from). */
  chainSpec(): string {
    return readFileSync(this.specFile, 'utf8')
  }

  /** Starts every node that is not running and waits for finality to move past `minFinalized`. */
  async start(minFinalized = 1, timeoutMs = 120_000): Promise<void> {
    await Promise.all(this.nodes.filter((n) => !n.running).map((n) => n.start()))
    await waitUntil(`finalized block ${minFinalized} on the RPC node`, async () => (await this.rpcNode.heads()).finalized >= minFinalized, timeoutMs)
  }

  /** A node that joins later: a full node (warp sync) or a validator without keys yet. */
  async addNode(name: string, role: Exclude<NodeRole, 'rpc'>, ports: { rpc: number; p2p: number }, devKey?: string): Promise<NodeProcess> {
    const node = new NodeProcess(this.#bin, {
      name, role, chainSpec: this.specFile, basePath: join(this.home, name),
      rpcPort: ports.rpc, p2pPort: ports.p2p, devKey,
      bootnodes: [this.rpcNode, ...this.validators].map((n) => n.p2pAddr),
    })
    this.others.push(node)
    await node.start()
    return node
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()))
  }
}
