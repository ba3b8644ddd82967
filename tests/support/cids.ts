/**
 * Generated binary CIDs for property tests: valid ones drawn from the
 * registry pallet's allow-list, and mutations of them, each tagged with the
 * outcome the chain's parser must give (pallet/src/cid.rs) and the one
 * `multiformats` (behind lib/ipfs's parseCid) must give.
 *
 * The allow-list is read from pallet/src/cid.rs itself, so the tests cannot
 * drift from what the runtime accepts. The bytes are built here with an
 * unsigned-LEB128 encoder of this file's own, independent of `multiformats`.
 */
import { readFileSync } from 'node:fs'

export interface AllowList {
  /** Multicodec codes a CIDv1 may name. */
  codecs: number[]
  /** Multihash codes with the digest length each must have. */
  hashes: { code: number; length: number }[]
}

/** ALLOWED_CODECS and ALLOWED_HASHES as pallet/src/cid.rs declares them. */
export function palletAllowList(): AllowList {
  const source = readFileSync(new URL('../../pallet/src/cid.rs', import.meta.url), 'utf8')
  const constants = new Map<string, number>()
  for (const match of source.matchAll(/pub const (\w+): u64 = (0x[0-9a-fA-F_]+|\d+);/g)) constants.set(match[1], Number(match[2].replaceAll('_', '')))
  const value = (name: string) => {
    const found = constants.get(name.trim())
    if (found === undefined) throw new Error(`pallet/src/cid.rs: no constant ${name}`)
    return found
  }
  const codecs = /pub const ALLOWED_CODECS: \[u64; \d+\]\s*=\s*\[([^\]]*)\]/.exec(source)
  const hashes = /pub const ALLOWED_HASHES: \[\(u64, usize\); \d+\]\s*=\s*\[([^\]]*)\]/.exec(source)
  if (codecs === null || hashes === null) throw new Error('pallet/src/cid.rs: ALLOWED_CODECS or ALLOWED_HASHES not found (layout changed?)')
  return {
    codecs: codecs[1].split(',').filter((name) => name.trim() !== '').map(value),
    hashes: [...hashes[1].matchAll(/\((\w+),\s*(\d+)\)/g)].map((match) => ({ code: value(match[1]), length: Number(match[2]) })),
  }
}

/** A seeded PRNG (mulberry32): the same seed, the same cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export type Random = () => number

export const int = (random: Random, below: number): number => Math.floor(random() * below)
export const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]
export const randomBytes = (random: Random, length: number): Uint8Array => Uint8Array.from({ length }, () => int(random, 256))

/** Unsigned LEB128, minimally encoded (as multiformats' varints are). */
export function varint(value: number): number[] {
  const out: number[] = []
  do {
    let byte = value % 128
    value = Math.floor(value / 128)
    if (value > 0) byte |= 0x80
    out.push(byte)
  } while (value > 0)
  return out
}

export function cidV1(codec: number, hash: number, digest: Uint8Array, declaredLength = digest.length): Uint8Array {
  return Uint8Array.from([...varint(1), ...varint(codec), ...varint(hash), ...varint(declaredLength), ...digest])
}

export function cidV0(digest: Uint8Array, declaredLength = digest.length): Uint8Array {
  return Uint8Array.from([0x12, ...varint(declaredLength), ...digest])
}

/** What the registry pallet's `ensure_valid_cid` answers (the error names of the pallet). */
export type ChainOutcome = 'accepted' | 'MalformedCid' | 'UnsupportedCidVersion' | 'UnsupportedCodec' | 'UnsupportedHash'

export type CidClass =
  | 'valid-v1' | 'valid-v0'
  | 'codec-not-allowed' | 'hash-not-allowed'
  | 'digest-length-wrong' | 'digest-length-wrong-v0' | 'digest-length-mismatch'
  | 'truncated' | 'trailing-bytes' | 'version-not-1' | 'non-minimal-varint'

export interface BinaryCase {
  class: CidClass
  bytes: Uint8Array
  chain: ChainOutcome
  /**
   * What a generic CID decoder (`multiformats`' CID.decode, so lib/ipfs's
   * parseCid) does with the bytes: `same` decodes to a CID with exactly these
   * bytes (it knows nothing of the allow-list or of per-hash digest lengths),
   * `refused` throws.
   */
  decoder: 'same' | 'refused'
}

/** Longest CID the runtime takes (MaxCidLength): longer ones do not even decode as a call. */
export const MAX_CHAIN_CID_BYTES = 64
/** Digest lengths drawn for the wrong-length and unknown-hash classes (kept under MaxCidLength). */
const MAX_DIGEST = 48

/** A valid CID: v0 about one time in five, else v1 with an allowed codec and hash. */
export function validCid(random: Random, allow: AllowList): { version: 0 | 1; bytes: Uint8Array } {
  const sha256 = allow.hashes.find((hash) => hash.code === 0x12)
  if (sha256 !== undefined && random() < 0.2) return { version: 0, bytes: cidV0(randomBytes(random, sha256.length)) }
  const hash = pick(random, allow.hashes)
  return { version: 1, bytes: cidV1(pick(random, allow.codecs), hash.code, randomBytes(random, hash.length)) }
}

/** A code outside `allowed`: one-, two- or three-byte varints, or the well-known ones next to the allowed. */
function codeOutside(random: Random, allowed: number[], nearby: number[]): number {
  for (;;) {
    const size = random()
    const code = size < 0.3 ? pick(random, nearby) : size < 0.55 ? int(random, 0x80) : size < 0.85 ? 0x80 + int(random, 0x4000 - 0x80) : 0x4000 + int(random, 0x200000 - 0x4000)
    if (!allowed.includes(code)) return code
  }
}

/** Multicodec codes near the allowed ones: git-raw, dag-jose, cbor, libp2p-key, sha2-512, identity, sha3, blake2b-512, murmur, keccak… */
const NEARBY_CODECS = [0x00, 0x51, 0x72, 0x78, 0x85, 0x0129 + 1, 0x0201, 0x0300, 0xb220]
const NEARBY_HASHES = [0x00, 0x11, 0x13, 0x14, 0x16, 0x1b, 0x1d, 0x1f, 0x22, 0xb240, 0xb260, 0x1012]

/** One case of the given class. */
export function binaryCase(random: Random, allow: AllowList, kind: CidClass): BinaryCase {
  const allowedHash = () => pick(random, allow.hashes)
  const otherLength = (length: number) => {
    for (;;) {
      const candidate = int(random, MAX_DIGEST + 1)
      if (candidate !== length) return candidate
    }
  }
  switch (kind) {
    case 'valid-v1':
    case 'valid-v0': {
      for (;;) {
        const cid = validCid(random, allow)
        if ((cid.version === 0) === (kind === 'valid-v0')) return { class: kind, bytes: cid.bytes, chain: 'accepted', decoder: 'same' }
      }
    }
    case 'codec-not-allowed': {
      const hash = allowedHash()
      return { class: kind, bytes: cidV1(codeOutside(random, allow.codecs, NEARBY_CODECS), hash.code, randomBytes(random, hash.length)), chain: 'UnsupportedCodec', decoder: 'same' }
    }
    case 'hash-not-allowed': {
      const code = codeOutside(random, allow.hashes.map((hash) => hash.code), NEARBY_HASHES)
      return { class: kind, bytes: cidV1(pick(random, allow.codecs), code, randomBytes(random, int(random, MAX_DIGEST + 1))), chain: 'UnsupportedHash', decoder: 'same' }
    }
    case 'digest-length-wrong': {
      // Consistent with its own length prefix, but not the length the hash has.
      const hash = allowedHash()
      return { class: kind, bytes: cidV1(pick(random, allow.codecs), hash.code, randomBytes(random, otherLength(hash.length))), chain: 'MalformedCid', decoder: 'same' }
    }
    case 'digest-length-wrong-v0': {
      // A CIDv0 is a bare sha2-256 multihash: 0x12 0x20 and 32 bytes, nothing else.
      const length = Math.min(otherLength(32), 0x7f)
      return { class: kind, bytes: cidV0(randomBytes(random, length)), chain: 'MalformedCid', decoder: 'same' }
    }
    case 'digest-length-mismatch': {
      // The length prefix says one thing, the bytes that follow another.
      const hash = allowedHash()
      const actual = otherLength(hash.length)
      const bytes = random() < 0.25
        ? cidV0(randomBytes(random, actual), 32)
        : cidV1(pick(random, allow.codecs), hash.code, randomBytes(random, actual), hash.length)
      return { class: kind, bytes, chain: 'MalformedCid', decoder: 'refused' }
    }
    case 'truncated': {
      const { bytes } = validCid(random, allow)
      return { class: kind, bytes: bytes.slice(0, int(random, bytes.length)), chain: 'MalformedCid', decoder: 'refused' }
    }
    case 'trailing-bytes': {
      const { bytes } = validCid(random, allow)
      return { class: kind, bytes: Uint8Array.from([...bytes, ...randomBytes(random, 1 + int(random, 3))]), chain: 'MalformedCid', decoder: 'refused' }
    }
    case 'version-not-1': {
      const { bytes } = validCid(random, allow)
      const v1 = bytes[0] === 0x01 ? bytes : cidV1(0x70, 0x12, bytes.subarray(2))
      // One-byte versions other than 1 (and 0x12, which makes it a CIDv0).
      let version: number
      do version = 2 + int(random, 0x7e); while (version === 0x12)
      return { class: kind, bytes: Uint8Array.from([version, ...v1.subarray(1)]), chain: 'UnsupportedCidVersion', decoder: 'refused' }
    }
    case 'non-minimal-varint': {
      // The same number with a redundant continuation byte (0x55 as 0xd5 0x00): one CID must have one binary form.
      const hash = allowedHash()
      const codec = pick(random, allow.codecs)
      const digest = randomBytes(random, hash.length)
      const padded = (value: number) => {
        const bytes = varint(value)
        bytes[bytes.length - 1] |= 0x80
        return [...bytes, 0x00]
      }
      const field = int(random, 3)
      const bytes = Uint8Array.from([
        ...(field === 0 ? padded(1) : varint(1)),
        ...(field === 1 ? padded(codec) : varint(codec)),
        ...(field === 2 ? padded(hash.code) : varint(hash.code)),
        ...varint(hash.length),
        ...digest,
      ])
      return { class: kind, bytes, chain: 'MalformedCid', decoder: 'refused' }
    }
  }
}

export const CID_CLASSES: readonly CidClass[] = [
  'valid-v1', 'valid-v0', 'codec-not-allowed', 'hash-not-allowed', 'digest-length-wrong', 'digest-length-wrong-v0',
  'digest-length-mismatch', 'truncated', 'trailing-bytes', 'version-not-1', 'non-minimal-varint',
]

/**
 * `count` cases, about 40 % valid (v1 and v0), the rest spread over the
 * invalid classes; each class appears at least once when `count` allows.
 */
export function binaryCases(random: Random, allow: AllowList, count: number): BinaryCase[] {
  const invalid = CID_CLASSES.filter((kind) => !kind.startsWith('valid'))
  return Array.from({ length: count }, (_, i) => {
    if (i < CID_CLASSES.length) return binaryCase(random, allow, CID_CLASSES[i])
    const draw = random()
    const kind = draw < 0.28 ? 'valid-v1' : draw < 0.4 ? 'valid-v0' : pick(random, invalid)
    return binaryCase(random, allow, kind)
  })
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
