/**
 * Block verification: a block is accepted only when its bytes hash to the
 * digest in its CID. Everything this library returns was read through here.
 */
import { blake2b } from '@noble/hashes/blake2b'
import { blake3 } from '@noble/hashes/blake3'
import { sha256, sha512 } from '@noble/hashes/sha2'
import type { CID } from 'multiformats/cid'
import { IPFSError } from './errors.ts'

/** Hashes by multihash code: the ones the registry pallet accepts in a CID, sha2-512 (found in IPFS DAGs) and identity. */
const HASHERS: Record<number, { name: string; digest(bytes: Uint8Array): Uint8Array }> = {
  0x12: { name: 'sha2-256', digest: (bytes) => sha256(bytes) },
  0x13: { name: 'sha2-512', digest: (bytes) => sha512(bytes) },
  0xb220: { name: 'blake2b-256', digest: (bytes) => blake2b(bytes, { dkLen: 32 }) },
  0x1e: { name: 'blake3', digest: (bytes) => blake3(bytes) },
  0x00: { name: 'identity', digest: (bytes) => bytes },
}

/** Throws `IPFS_VERIFICATION_FAILED` unless `bytes` are the block `cid` names. */
export function verifyBlock(cid: CID, bytes: Uint8Array): Uint8Array {
  const hasher = HASHERS[cid.multihash.code]
  if (hasher === undefined) {
    throw new IPFSError('IPFS_UNSUPPORTED', `cannot verify ${cid}: multihash 0x${cid.multihash.code.toString(16)} is not supported`)
  }
  if (!equal(hasher.digest(bytes), cid.multihash.digest)) {
    throw new IPFSError('IPFS_VERIFICATION_FAILED', `the ${bytes.length} bytes received for ${cid} do not match its ${hasher.name} hash; they were discarded`)
  }
  return bytes
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i]
  return diff === 0
}
