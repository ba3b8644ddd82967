/**
 * A new network's description, as its operators write it (see
 * docs/operators.md), checked and turned into the runtime's genesis patch.
 *
 * Every key is a public key, in SS58 or 0x-hex. Nothing here ever holds a
 * secret. Well-known development keys (//Alice … //Ferdie, their //stash
 * accounts and the dev seed itself) are refused unless `allowDevKeys` is set:
 * their secrets are public, so whoever knows them controls the network.
 */
import { DEV_PHRASE, Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { createKeyMulti, cryptoWaitReady, decodeAddress, encodeAddress } from '@polkadot/util-crypto'

export interface ValidatorEntry {
  /** The validator's account (SS58): named in the validator set, owns its session keys. */
  account: string
  /** Aura (block authoring) public key, sr25519. */
  aura: string
  /** GRANDPA (finality) public key, ed25519. */
  grandpa: string
}

export type Governance =
  | { sudo: string }
  | { multisig: { signatories: string[]; threshold: number } }

export interface NetworkConfig {
  name: string
  id: string
  chainType?: 'Live' | 'Local' | 'Development'
  protocolId?: string
  validators: ValidatorEntry[]
  governance: Governance
  /** Account → balance in the smallest unit (10^-12 MODNET), as a decimal string. */
  endowed?: Record<string, string>
  /** libp2p multiaddrs ending in /p2p/<PeerId>; browsers need a /ws, /wss or /webrtc-direct one. */
  bootNodes: string[]
  /** Blocks per session (default 600, ten minutes of 1 s blocks). */
  sessionLength?: number
}

/** What the generator needs, checked. */
export interface CheckedNetwork {
  name: string
  id: string
  chainType: 'Live' | 'Local' | 'Development'
  protocolId: string
  bootNodes: string[]
  sessionLength: number
  /** The account that holds sudo: the operators' key or their multisig. */
  governanceAccount: string
  /** The runtime's genesis patch (`genesis.runtimeGenesis.patch`). */
  patch: Record<string, unknown>
  /** Things an operator should know but that are not errors. */
  warnings: string[]
}

export class NetworkConfigError extends Error {
  override name = 'NetworkConfigError'
}

/** Mirrors the runtime: `MAX_VALIDATORS` (runtime/src/validator_set.rs) and `EXISTENTIAL_DEPOSIT`. */
export const MAX_VALIDATORS = 32
export const EXISTENTIAL_DEPOSIT = 10n ** 9n
const MAX_BALANCE = (1n << 128n) - 1n
const SS58_FORMAT = 42
const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']

let devKeyTable: Promise<Map<string, string>> | undefined

/** Public key (hex) → which dev key it is (sr25519 and ed25519), derived once. */
function devKeys(): Promise<Map<string, string>> {
  devKeyTable ??= deriveDevKeys()
  return devKeyTable
}

async function deriveDevKeys(): Promise<Map<string, string>> {
  await cryptoWaitReady()
  const known = new Map<string, string>()
  for (const type of ['sr25519', 'ed25519'] as const) {
    const keyring = new Keyring({ type })
    for (const uri of ['', ...DEV_NAMES.flatMap((name) => [`//${name}`, `//${name}//stash`])]) {
      const pair = keyring.addFromUri(uri === '' ? DEV_PHRASE : uri)
      known.set(u8aToHex(pair.publicKey), `the ${type} dev key ${uri === '' ? '(the dev seed itself)' : uri}`)
    }
  }
  return known
}

function publicKey(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string' || value === '') throw new NetworkConfigError(`${field}: expected a public key (SS58 or 0x-hex), got ${JSON.stringify(value)}`)
  let bytes: Uint8Array
  try {
    bytes = decodeAddress(value)
  } catch {
    throw new NetworkConfigError(`${field}: "${value}" is neither an SS58 address nor 0x-hex`)
  }
  if (bytes.length !== 32) throw new NetworkConfigError(`${field}: a public key is 32 bytes, "${value}" is ${bytes.length}`)
  return bytes
}

function ss58(bytes: Uint8Array): string {
  return encodeAddress(bytes, SS58_FORMAT)
}

function text(value: unknown, field: string, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new NetworkConfigError(`${field}: expected ${what}, got ${JSON.stringify(value)}`)
  return value
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new NetworkConfigError(`${field}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return value
}

/** A bootnode: a multiaddr naming its peer; whether a browser can dial it. */
function bootNode(value: unknown, field: string): { addr: string; browser: boolean } {
  const addr = text(value, field, /^\/(ip4|ip6|dns|dns4|dns6)\/[^/]+\/tcp\/\d{1,5}(\/(ws|wss|tls\/ws))?\/p2p\/[1-9A-HJ-NP-Za-km-z]{46,60}$|^\/(ip4|ip6)\/[^/]+\/udp\/\d{1,5}\/webrtc-direct\/certhash\/[^/]+\/p2p\/[1-9A-HJ-NP-Za-km-z]{46,60}$/, 'a multiaddr like /dns/boot.example.org/tcp/443/wss/p2p/12D3KooW…')
  return { addr, browser: /\/(ws|wss|webrtc-direct)\//.test(addr) }
}

export interface CheckOptions {
  /** Accept well-known development keys (local and test networks only). */
  allowDevKeys?: boolean
}

/** Checks `input` and builds the genesis patch; throws NetworkConfigError naming the first problem. */
export async function checkNetworkConfig(input: unknown, options: CheckOptions = {}): Promise<CheckedNetwork> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new NetworkConfigError('the network file must hold a JSON object')
  const config = input as Record<string, unknown>
  const allowed = new Set(['name', 'id', 'chainType', 'protocolId', 'validators', 'governance', 'endowed', 'bootNodes', 'sessionLength'])
  for (const key of Object.keys(config)) if (!allowed.has(key)) throw new NetworkConfigError(`unknown field "${key}" (known: ${[...allowed].join(', ')})`)

  const name = text(config.name, 'name', /^[^\u0000-\u001f]{1,64}$/, 'a name of 1 to 64 characters')
  const id = text(config.id, 'id', /^[a-z][a-z0-9_]{0,31}$/, 'an id of lowercase letters, digits and _ (at most 32)')
  const chainType = (config.chainType ?? 'Live') as CheckedNetwork['chainType']
  if (!['Live', 'Local', 'Development'].includes(chainType)) throw new NetworkConfigError(`chainType: expected Live, Local or Development, got ${JSON.stringify(config.chainType)}`)
  const protocolId = text(config.protocolId ?? id, 'protocolId', /^[a-z][a-z0-9_-]{0,31}$/, 'a protocol id of lowercase letters, digits, - and _')
  const sessionLength = integer(config.sessionLength ?? 600, 'sessionLength', 5, 1_000_000)

  const dev = await devKeys()
  const devUse: string[] = []
  const key = (value: unknown, field: string): Uint8Array => {
    const bytes = publicKey(value, field)
    const which = dev.get(u8aToHex(bytes))
    if (which !== undefined) devUse.push(`${field} is ${which}`)
    return bytes
  }

  if (!Array.isArray(config.validators) || config.validators.length === 0) throw new NetworkConfigError('validators: at least one validator is needed')
  if (config.validators.length > MAX_VALIDATORS) throw new NetworkConfigError(`validators: at most ${MAX_VALIDATORS} (the runtime's MAX_VALIDATORS), got ${config.validators.length}`)
  const seen = new Map<string, string>()
  const unique = (bytes: Uint8Array, field: string): void => {
    const hex = u8aToHex(bytes)
    const other = seen.get(hex)
    if (other !== undefined) throw new NetworkConfigError(`${field} repeats the key of ${other}: each validator needs its own account and keys`)
    seen.set(hex, field)
  }
  const validators = config.validators.map((entry: unknown, i: number) => {
    const field = `validators[${i}]`
    if (typeof entry !== 'object' || entry === null) throw new NetworkConfigError(`${field}: expected { account, aura, grandpa }`)
    const { account, aura, grandpa, ...rest } = entry as Record<string, unknown>
    const extra = Object.keys(rest)
    if (extra.length > 0) throw new NetworkConfigError(`${field}: unknown field "${extra[0]}" (known: account, aura, grandpa)`)
    const accountKey = key(account, `${field}.account`)
    const auraKey = key(aura, `${field}.aura`)
    const grandpaKey = key(grandpa, `${field}.grandpa`)
    unique(accountKey, `${field}.account`)
    unique(grandpaKey, `${field}.grandpa`)
    // An account may use its own sr25519 key for Aura, so only Aura keys must differ from each other.
    return { account: ss58(accountKey), aura: ss58(auraKey), grandpa: ss58(grandpaKey) }
  })
  const auraKeys = new Set(validators.map((v) => v.aura))
  if (auraKeys.size !== validators.length) throw new NetworkConfigError('validators: two validators share an Aura key')

  const governance = config.governance as Record<string, unknown> | undefined
  let governanceAccount: string
  if (typeof governance !== 'object' || governance === null) throw new NetworkConfigError('governance: expected { "sudo": "<account>" } or { "multisig": { "signatories": [...], "threshold": N } }')
  if ('sudo' in governance && 'multisig' in governance) throw new NetworkConfigError('governance: give either sudo or multisig, not both')
  if ('sudo' in governance) {
    governanceAccount = ss58(key(governance.sudo, 'governance.sudo'))
  } else if ('multisig' in governance) {
    const multisig = governance.multisig as Record<string, unknown> | undefined
    if (typeof multisig !== 'object' || multisig === null || !Array.isArray(multisig.signatories)) throw new NetworkConfigError('governance.multisig: expected { "signatories": [...], "threshold": N }')
    const signatories = multisig.signatories.map((s: unknown, i: number) => key(s, `governance.multisig.signatories[${i}]`))
    if (signatories.length < 2 || signatories.length > 32) throw new NetworkConfigError(`governance.multisig.signatories: expected 2 to 32 signatories, got ${signatories.length}`)
    if (new Set(signatories.map((s) => u8aToHex(s))).size !== signatories.length) throw new NetworkConfigError('governance.multisig.signatories: a signatory is listed twice')
    const threshold = integer(multisig.threshold, 'governance.multisig.threshold', 2, signatories.length)
    // The same account pallet-multisig derives (`multi_account_id`): sorted signatories and threshold.
    governanceAccount = ss58(createKeyMulti(signatories, threshold))
  } else {
    throw new NetworkConfigError('governance: expected { "sudo": "<account>" } or { "multisig": { "signatories": [...], "threshold": N } }')
  }

  const endowedInput = config.endowed ?? {}
  if (typeof endowedInput !== 'object' || endowedInput === null || Array.isArray(endowedInput)) throw new NetworkConfigError('endowed: expected { "<account>": "<balance>" }')
  const balances: [string, string][] = []
  for (const [account, amount] of Object.entries(endowedInput)) {
    const field = `endowed["${account}"]`
    const who = ss58(key(account, field))
    if (typeof amount !== 'string' || !/^[1-9][0-9]{0,38}$/.test(amount)) throw new NetworkConfigError(`${field}: expected a balance as a decimal string of the smallest unit, got ${JSON.stringify(amount)}`)
    const value = BigInt(amount)
    if (value < EXISTENTIAL_DEPOSIT || value > MAX_BALANCE) throw new NetworkConfigError(`${field}: a balance must be at least ${EXISTENTIAL_DEPOSIT} (the existential deposit) and fit in 128 bits`)
    if (balances.some(([other]) => other === who)) throw new NetworkConfigError(`${field}: this account is endowed twice`)
    balances.push([who, amount])
  }

  if (!Array.isArray(config.bootNodes) || config.bootNodes.length === 0) throw new NetworkConfigError('bootNodes: at least one bootnode address is needed, or no node can find the network')
  const boot = config.bootNodes.map((addr: unknown, i: number) => bootNode(addr, `bootNodes[${i}]`))

  if (devUse.length > 0 && options.allowDevKeys !== true) {
    throw new NetworkConfigError(`refusing well-known development keys (their secrets are public): ${devUse.join('; ')}. Use your own keys, or pass --dev-keys for a local test network`)
  }

  const warnings: string[] = []
  if (!boot.some((b) => b.browser)) warnings.push('no bootnode has a /ws, /wss or /webrtc-direct address: browsers\' light clients cannot join')
  const funded = new Set(balances.map(([who]) => who))
  for (const v of validators) if (!funded.has(v.account)) warnings.push(`validator ${v.account} has no endowment: it cannot pay to rotate its session keys later`)
  if (!funded.has(governanceAccount) && 'sudo' in governance) warnings.push(`the sudo account ${governanceAccount} has no endowment: it cannot pay for governance calls`)
  if (devUse.length > 0) warnings.push(`DEV KEYS (--dev-keys): ${devUse.length} key(s) have public secrets; never use this spec for a real network`)

  const patch = {
    // BigInt: balances reach 2^128, beyond JSON numbers JavaScript can hold (see specJson).
    balances: { balances: balances.map(([who, amount]) => [who, BigInt(amount)]) },
    validatorSet: { members: validators.map((v) => v.account) },
    session: { keys: validators.map((v) => [v.account, v.account, { aura: v.aura, grandpa: v.grandpa }]) },
    sudo: { key: governanceAccount },
  }
  return { name, id, chainType, protocolId, bootNodes: boot.map((b) => b.addr), sessionLength, governanceAccount, patch, warnings }
}

/** JSON text of `value` with BigInts written as plain JSON numbers (serde reads them as u128). */
export function specJson(value: unknown): string {
  const marker = '\u0000bigint:'
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v}` : v), 2)
  return text.replace(/"\\u0000bigint:(\d+)"/g, '$1') + '\n'
}
