/**
 * Generates the raw chain specs a light client boots from.
 *
 *   node chain-spec/generate.ts [--node BIN] [--out DIR] [--bootnode-addr MULTIADDR] [--no-publish]
 *
 * For `dev` and `local` it exports the raw spec (`genesis.raw`: smoldot has no
 * other way to know an Aura chain's genesis), sets `bootNodes` to the dev
 * node's WebSocket address with the PeerId of the fixed dev node key
 * (chain-spec/dev-node-key), writes `chain-spec/modnet-<chain>.raw.json` and
 * copies the dev spec to `public/chain-specs/` for the web app. The specs hold
 * the runtime wasm, so they are build output, not committed.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { nodeBinary } from '../tests/support/node.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Where `modnet-node --dev` listens for browsers by default (node/src/dev_network.rs). */
export const DEV_BOOTNODE_ADDR = '/ip4/127.0.0.1/tcp/30333/ws'

export interface GenerateOptions {
  node?: string
  outDir?: string
  /** Multiaddr (without /p2p) of the dev node's WebSocket listener. */
  bootnodeAddr?: string
  /** Also copy the dev spec for the web app (default true). */
  publish?: boolean
}

/** The PeerId of the fixed dev node key. */
export function devPeerId(node = nodeBinary()): string {
  const key = readFileSync(join(root, 'chain-spec', 'dev-node-key'), 'utf8')
  return execFileSync(node, ['key', 'inspect-node-key'], { input: key }).toString().trim()
}

/** Writes the raw specs and returns their paths by chain name. */
export function generateChainSpecs(options: GenerateOptions = {}): Record<string, string> {
  const node = options.node ?? nodeBinary()
  const outDir = options.outDir ?? join(root, 'chain-spec')
  const bootNode = `${options.bootnodeAddr ?? DEV_BOOTNODE_ADDR}/p2p/${devPeerId(node)}`
  mkdirSync(outDir, { recursive: true })
  const written: Record<string, string> = {}
  for (const chain of ['dev', 'local']) {
    const raw = execFileSync(node, ['export-chain-spec', '--chain', chain, '--raw'], {
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const spec = JSON.parse(raw.toString())
    if (!spec.genesis?.raw) throw new Error(`the ${chain} spec has no genesis.raw`)
    spec.bootNodes = [bootNode]
    const path = join(outDir, `modnet-${chain}.raw.json`)
    writeFileSync(path, JSON.stringify(spec, null, 2) + '\n')
    written[chain] = path
  }
  if (options.publish ?? true) {
    const publicDir = join(root, 'public', 'chain-specs')
    mkdirSync(publicDir, { recursive: true })
    writeFileSync(join(publicDir, 'modnet-dev.raw.json'), readFileSync(written.dev))
  }
  return written
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      node: { type: 'string' },
      out: { type: 'string' },
      'bootnode-addr': { type: 'string' },
      'no-publish': { type: 'boolean' },
    },
  })
  const written = generateChainSpecs({
    node: values.node,
    outDir: values.out,
    bootnodeAddr: values['bootnode-addr'],
    publish: values['no-publish'] !== true,
  })
  for (const [chain, path] of Object.entries(written)) console.log(`chain spec ${chain}: ${path}`)
}
