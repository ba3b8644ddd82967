/**
 * The registry's storage keys, built and parsed in one place and without the
 * chain's metadata: module cards, the listing, light-client reads and the
 * gateway's proof route all use these.
 *
 * FRAME lays a map entry out as twox128(pallet) ‖ twox128(item) ‖ hashed key;
 * the registry's maps hash with `Blake2_128Concat`: blake2_128(SCALE(key)) ‖
 * SCALE(key). A module key is a `BoundedVec<u8>` (compact length, then the 32
 * or 33 bytes), an account id 32 plain bytes.
 */
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto'
import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util'
import { ChainError } from './errors.ts'

const twox128 = (name: string): string => u8aToHex(xxhashAsU8a(name, 128)).slice(2)
const blake2_128Concat = (encoded: Uint8Array): string => u8aToHex(u8aConcat(blake2AsU8a(encoded, 128), encoded)).slice(2)
const scaleBytes = (bytes: Uint8Array): Uint8Array => u8aConcat(compactToU8a(bytes.length), bytes)

/** twox128("ModuleRegistry"): every registry storage key starts with it. */
export const PALLET_PREFIX = `0x${twox128('ModuleRegistry')}`
/** The `Modules` map: module key → record. */
export const MODULES_PREFIX = `${PALLET_PREFIX}${twox128('Modules')}`
/** The `ModuleCount` value. */
export const MODULE_COUNT_KEY = `${PALLET_PREFIX}${twox128('ModuleCount')}`
/** The `OwnerModules` double map: owner → module key → (). */
export const OWNER_MODULES_PREFIX = `${PALLET_PREFIX}${twox128('OwnerModules')}`

/** GRANDPA's `Authorities` value: the current set (read from a chain spec's genesis, lib/chain/chain-spec.ts). */
export const GRANDPA_AUTHORITIES_KEY = `0x${twox128('Grandpa')}${twox128('Authorities')}`

/** The `Modules` entry of a module key (0x-hex). */
export function moduleStorageKey(moduleKey: string): string {
  return `${MODULES_PREFIX}${blake2_128Concat(scaleBytes(hexToU8a(moduleKey)))}`
}

/** The prefix of every `OwnerModules` entry of `owner` (a 0x-hex account id). */
export function ownerModulesPrefix(owner: string): string {
  return `${OWNER_MODULES_PREFIX}${blake2_128Concat(hexToU8a(owner))}`
}

/** The `OwnerModules` entry of (`owner`, `moduleKey`). */
export function ownerModuleStorageKey(owner: string, moduleKey: string): string {
  return `${ownerModulesPrefix(owner)}${blake2_128Concat(scaleBytes(hexToU8a(moduleKey)))}`
}

/** Whether `key` is a well-formed hex storage key of the registry pallet. */
export function isRegistryStorageKey(key: string): boolean {
  return /^0x[0-9a-f]{64,400}$/.test(key) && key.startsWith(PALLET_PREFIX)
}

/**
 * The module key at the end of a storage key under `prefix` whose last part is
 * `Blake2_128Concat(module key)` (a `Modules` key, or an `OwnerModules` key
 * under its owner's prefix).
 */
export function moduleKeyOfStorageKey(storageKey: string, prefix: string): string {
  if (!storageKey.startsWith(prefix)) throw new ChainError('BAD_PROOF', `storage key ${storageKey} is not under ${prefix}`)
  const encoded = storageKey.slice(prefix.length + 32) // after the 16-byte blake2_128
  const length = parseInt(encoded.slice(0, 2), 16) >> 2 // one-byte compact: keys are 32 or 33 bytes
  if (encoded.length !== 2 + length * 2) throw new ChainError('BAD_PROOF', `storage key ${storageKey} does not end in a module key`)
  return `0x${encoded.slice(2)}`
}
