/**
 * Turns global options into what commands use: a chain client (light client
 * by default, `--rpc` for a node), an IPFS client, and signers.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import type { ModuleRegistryClient } from '../lib/chain/client.ts'
import type { ChainAnchor } from '../lib/chain/chain-spec.ts'
import type { Connection } from '../lib/chain/connect.ts'
import type { IPFSClient } from '../lib/ipfs/index.ts'
import { UsageError } from './exit.ts'
import { DEFAULT_GATEWAY_URL, defaultChainSpec, modnetHome } from './paths.ts'
import { loadWarmStart, saveWarmStart } from './warm-start.ts'

export interface GlobalOptions {
  rpc?: string
  chainSpec?: string
  ipfs?: string
  json?: boolean
  timeout?: string
}

export interface KeyOptions {
  keyUri?: string
  keyFile?: string
  keyType?: string
}

/** The IPFS backend: `--ipfs`, else $MODNET_IPFS, else the local Mod-Net gateway. */
export async function openIpfs(options: GlobalOptions): Promise<IPFSClient> {
  const spec = options.ipfs ?? process.env.MODNET_IPFS ?? `gateway:${DEFAULT_GATEWAY_URL}`
  // Loaded on use: Helia and @polkadot/api take a while to import, --help and input errors need neither.
  const { createIPFSClient } = await import('../lib/ipfs/open.ts')
  const embeddedStorage = spec === 'embedded' ? (await import('../lib/ipfs/node-storage.ts')).fileStorage(join(modnetHome(), 'cli', 'ipfs')) : undefined
  return await createIPFSClient(spec, { embeddedStorage })
}

/**
 * The trust anchor a chain spec gives (genesis hash, GRANDPA set 0), from
 * `specFile`; a clear usage error when it cannot be read or is not raw.
 */
export async function chainAnchorOf(specFile: string): Promise<ChainAnchor> {
  let spec: unknown
  try {
    spec = JSON.parse(readFileSync(specFile, 'utf8'))
  } catch (error) {
    throw new UsageError(`cannot read the chain spec ${specFile}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
  const { chainAnchor } = await import('../lib/chain/chain-spec.ts')
  try {
    return chainAnchor(spec)
  } catch (error) {
    throw new UsageError(`${specFile}: ${(error as Error).message}`)
  }
}

/** The chain: `--rpc URL` (or $MODNET_RPC), else smoldot with `--chain-spec` (default the generated dev spec). */
export function connection(options: GlobalOptions): Connection {
  const rpc = options.rpc ?? process.env.MODNET_RPC
  if (rpc !== undefined && rpc !== '') return { kind: 'rpc', url: rpc }
  const specFile = options.chainSpec ?? defaultChainSpec()
  if (!existsSync(specFile)) {
    throw new UsageError(`no chain spec at ${specFile}: run \`make build\` to generate it, pass --chain-spec FILE, or use --rpc ws://127.0.0.1:9944`)
  }
  return { kind: 'light-client', chainSpec: readFileSync(specFile, 'utf8') }
}

/** Light clients this process opened, to save their warm start when the command ends. */
const lightClients: { client: ModuleRegistryClient; chainSpec: string }[] = []

export async function openChain(options: GlobalOptions): Promise<ModuleRegistryClient> {
  const target = connection(options)
  const timeoutMs = seconds(options.timeout, target.kind === 'rpc' ? 15 : 60) * 1000
  const { ModuleRegistryClient } = await import('../lib/chain/client.ts')
  if (target.kind === 'rpc') return await ModuleRegistryClient.connect(target, { timeoutMs })
  const { databaseContent, metadata } = loadWarmStart(target.chainSpec)
  const client = await ModuleRegistryClient.connect({ ...target, smoldot: { databaseContent } }, { timeoutMs, metadata })
  lightClients.push({ client, chainSpec: target.chainSpec })
  return client
}

/** Keeps what the light clients learned for the next command (at most `timeoutMs`). */
export async function saveLightClients(timeoutMs = 2_000): Promise<void> {
  const saved = Promise.all(lightClients.map(({ client, chainSpec }) => saveWarmStart(client, chainSpec)))
  await Promise.race([saved, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())])
}

export function seconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed <= 0) throw new UsageError(`--timeout must be a positive number of seconds, not "${value}"`)
  return parsed
}

const KEY_TYPES = ['sr25519', 'ed25519', 'ecdsa'] as const

/**
 * A key pair from a secret URI (`//Alice`, a mnemonic, `0x` seed) given
 * directly or in a file. Dev URIs such as //Alice are for dev chains only.
 */
export async function loadPair(uri: string | undefined, file: string | undefined, type: string | undefined, what: string): Promise<KeyringPair | undefined> {
  if (uri !== undefined && file !== undefined) throw new UsageError(`give the ${what} as a URI or a file, not both`)
  let secret = uri
  if (file !== undefined) secret = readSecretFile(file, what)
  if (secret === undefined) return undefined
  const keyType = type ?? 'sr25519'
  if (!(KEY_TYPES as readonly string[]).includes(keyType)) throw new UsageError(`key type "${keyType}" is not one of ${KEY_TYPES.join(', ')}`)
  await cryptoWaitReady()
  try {
    return new Keyring({ type: keyType as (typeof KEY_TYPES)[number] }).addFromUri(secret)
  } catch (error) {
    throw new UsageError(`the ${what} is not a valid secret URI or mnemonic (${(error as Error).message})`)
  }
}

export async function requireSigner(options: KeyOptions): Promise<KeyringPair> {
  const uri = options.keyUri ?? (options.keyFile === undefined ? process.env.MODNET_KEY_URI : undefined)
  const pair = await loadPair(uri, options.keyFile, options.keyType, 'signing key')
  if (pair === undefined) throw new UsageError('this command signs a transaction: pass --key-uri URI or --key-file FILE (for the dev chain: --key-uri //Alice)')
  return pair
}

function readSecretFile(file: string, what: string): string {
  try {
    if (statSync(file).size > 4096) throw new UsageError(`the ${what} file ${file} is larger than 4 KiB: it should hold one secret URI or mnemonic`)
    return readFileSync(file, 'utf8').trim()
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
}

/** Reads a metadata file (at most 1 MiB: the schema allows 64 KiB once canonical). */
export function readMetadataFile(file: string): Uint8Array {
  try {
    const size = statSync(file).size
    if (size > 1024 * 1024) throw new UsageError(`metadata file ${file} is ${size} bytes; metadata may be at most 64 KiB`)
    return readFileSync(file)
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(`cannot read metadata file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`)
  }
}
