/**
 * A raw chain spec as a trust anchor: its genesis hash, computed from the
 * genesis storage (state root → genesis header → hash), and its genesis
 * GRANDPA authority set. Holding the chain spec is what a light client trusts
 * too; with these two a verifier can check finality with no node at all.
 */
import { hexToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util'
import { blake2AsU8a } from '@polkadot/util-crypto'
import { ChainError } from './errors.ts'
import { decodeAuthorityList, type AuthoritySet } from './grandpa.ts'
import { GRANDPA_AUTHORITIES_KEY } from './storage-keys.ts'
import { Reader } from './trie-proof.ts'
import { trieRoot } from './trie-root.ts'

export interface ChainAnchor {
  name: string
  id: string
  genesisHash: string
  /** Set 0: the GRANDPA authorities at genesis. */
  genesisAuthorities: AuthoritySet
}

const CHILD_STORAGE_PREFIX = ':child_storage:default:'
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/

function fail(why: string): never {
  throw new ChainError('BAD_PROOF', `the chain spec cannot anchor a check: ${why}`)
}

function entriesOf(storage: unknown, where: string): [Uint8Array, Uint8Array][] {
  if (typeof storage !== 'object' || storage === null || Array.isArray(storage)) fail(`${where} is not an object of hex keys to hex values`)
  return Object.entries(storage as Record<string, unknown>).map(([key, value]) => {
    if (!HEX.test(key) || typeof value !== 'string' || !HEX.test(value)) fail(`${where} has an entry that is not hex: ${key.slice(0, 80)}`)
    return [hexToU8a(key), hexToU8a(value as string)]
  })
}

/**
 * The anchor a raw chain spec gives: genesis hash and GRANDPA set 0. Needs the
 * `genesis.raw` form (what `build-spec --raw` writes and light clients use);
 * the runtime must use state version 1 (every runtime of this project does).
 */
export function chainAnchor(spec: unknown): ChainAnchor {
  const s = spec as { name?: unknown; id?: unknown; genesis?: { raw?: { top?: unknown; childrenDefault?: unknown } } }
  if (typeof s !== 'object' || s === null) fail('it is not a JSON object')
  const raw = s.genesis?.raw
  if (raw === undefined) fail('it has no genesis.raw storage (use a raw chain spec, as light clients do)')
  const top = entriesOf(raw.top, 'genesis.raw.top')
  for (const [childKey, child] of Object.entries((raw.childrenDefault ?? {}) as Record<string, unknown>)) {
    if (!HEX.test(childKey)) fail(`child trie key ${childKey.slice(0, 80)} is not hex`)
    const entries = entriesOf(child, `child trie ${childKey}`)
    if (entries.length > 0) top.push([u8aConcat(stringToU8a(CHILD_STORAGE_PREFIX), hexToU8a(childKey)), trieRoot(entries)])
  }
  const stateRoot = trieRoot(top)
  const emptyTrieRoot = blake2AsU8a(new Uint8Array([0]), 256)
  // Header { parent: 0, number: compact 0, state root, extrinsics root (no extrinsics), digest: [] }.
  const genesisHeader = u8aConcat(new Uint8Array(32), [0], stateRoot, emptyTrieRoot, [0])
  const authorities = top.find(([key]) => u8aToHex(key) === GRANDPA_AUTHORITIES_KEY)?.[1]
  if (authorities === undefined) fail('its genesis has no GRANDPA authorities (Grandpa::Authorities)')
  let list: AuthoritySet['authorities']
  try {
    const reader = new Reader(authorities!)
    list = decodeAuthorityList(reader)
    if (reader.remaining !== 0) throw new Error('bytes left over')
  } catch (error) {
    fail(`its GRANDPA authorities do not decode (${(error as Error).message})`)
  }
  return {
    name: typeof s.name === 'string' ? s.name : '',
    id: typeof s.id === 'string' ? s.id : '',
    genesisHash: u8aToHex(blake2AsU8a(genesisHeader, 256)),
    genesisAuthorities: { setId: 0n, authorities: list! },
  }
}
