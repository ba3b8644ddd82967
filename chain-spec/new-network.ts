/**
 * Creates a new network's raw chain spec from a network file (its format and
 * an example: docs/operators.md).
 *
 *   node chain-spec/new-network.ts NETWORK.json --out SPEC.raw.json [--dev-keys] [--node BIN]
 *
 * The genesis comes from the runtime the node embeds: this script only writes
 * the operators' keys into a genesis patch and lets `modnet-node
 * export-chain-spec --raw` build the storage, then sets the session length.
 * Well-known dev keys are refused unless `--dev-keys` is given.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { u8aToHex } from '@polkadot/util'
import { xxhashAsHex } from '@polkadot/util-crypto'
import { nodeBinary } from '../tests/support/node.ts'
import { checkNetworkConfig, NetworkConfigError, specJson, type CheckedNetwork } from './network-config.ts'

/** Storage key of the runtime's `SessionLength` parameter (runtime/src/validator_set.rs). */
export const SESSION_LENGTH_KEY = xxhashAsHex(':SessionLength:', 128)

export interface NewNetworkOptions {
  node?: string
  allowDevKeys?: boolean
}

export interface NewNetwork {
  /** The raw chain spec as JSON text. */
  specJson: string
  network: CheckedNetwork
}

function exportSpec(node: string, chain: string, raw: boolean): string {
  return execFileSync(node, ['export-chain-spec', '--chain', chain, ...(raw ? ['--raw'] : [])], {
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString()
}

/** The runtime code (hex) the node embeds, from its local spec. */
export function embeddedRuntimeCode(node = nodeBinary()): string {
  const code = JSON.parse(exportSpec(node, 'local', false)).genesis?.runtimeGenesis?.code
  if (typeof code !== 'string') throw new Error('modnet-node export-chain-spec gave no runtime code')
  return code
}

/** The chain spec properties (token symbol and decimals, SS58 format) of Mod-Net. */
export const SPEC_PROPERTIES = { tokenSymbol: 'MODNET', tokenDecimals: 12, ss58Format: 42 }

/**
 * Has `modnet-node export-chain-spec --raw` build the genesis storage of a plain
 * spec (`genesis.runtimeGenesis: { code, patch }`) with that code's genesis builder.
 */
export function buildRawSpec(plain: object, node = nodeBinary()): any {
  const dir = mkdtempSync(join(tmpdir(), 'modnet-spec-'))
  try {
    const plainFile = join(dir, 'plain.json')
    writeFileSync(plainFile, specJson(plain))
    return JSON.parse(exportSpec(node, plainFile, true))
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim()
    throw new Error(`modnet-node could not build the genesis: ${stderr || (error as Error).message}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Sets the runtime's `SessionLength` in a raw spec's genesis storage. */
export function setSessionLength(raw: any, blocks: number): void {
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, blocks, true)
  raw.genesis.raw.top[SESSION_LENGTH_KEY] = u8aToHex(length)
}

/** The raw chain spec for the network `config` describes. Throws NetworkConfigError for a bad file. */
export async function newNetworkSpec(config: unknown, options: NewNetworkOptions = {}): Promise<NewNetwork> {
  const network = await checkNetworkConfig(config, { allowDevKeys: options.allowDevKeys })
  const node = options.node ?? nodeBinary()
  const raw = buildRawSpec({
    name: network.name,
    id: network.id,
    chainType: network.chainType,
    bootNodes: network.bootNodes,
    telemetryEndpoints: null,
    protocolId: network.protocolId,
    properties: SPEC_PROPERTIES,
    codeSubstitutes: {},
    genesis: { runtimeGenesis: { code: embeddedRuntimeCode(node), patch: network.patch } },
  }, node)
  setSessionLength(raw, network.sessionLength)
  return { specJson: JSON.stringify(raw, null, 2) + '\n', network }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: node chain-spec/new-network.ts NETWORK.json --out SPEC.raw.json [--dev-keys] [--node BIN]'
  let parsed
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { out: { type: 'string' }, 'dev-keys': { type: 'boolean' }, node: { type: 'string' } },
    })
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n${usage}`)
    process.exit(2)
  }
  const { values, positionals } = parsed
  if (positionals.length !== 1 || values.out === undefined) {
    console.error(usage)
    process.exit(2)
  }
  let config: unknown
  try {
    config = JSON.parse(readFileSync(positionals[0], 'utf8'))
  } catch (error) {
    console.error(`error: cannot read the network file ${positionals[0]}: ${(error as Error).message}`)
    process.exit(2)
  }
  try {
    const { specJson: spec, network } = await newNetworkSpec(config, { node: values.node, allowDevKeys: values['dev-keys'] === true })
    for (const warning of network.warnings) console.error(`warning: ${warning}`)
    writeFileSync(values.out, spec)
    console.log(`chain spec of "${network.name}" (${network.id}) written to ${values.out}: governance (sudo) account ${network.governanceAccount}, session length ${network.sessionLength} blocks`)
  } catch (error) {
    if (!(error instanceof NetworkConfigError)) throw error
    console.error(`error: ${positionals[0]}: ${error.message}`)
    process.exit(2)
  }
}
