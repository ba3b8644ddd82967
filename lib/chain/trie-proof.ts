/**
 * Checks a Substrate storage proof (`state_getReadProof`) against a state
 * root, with no node and no network: the proof is a set of trie nodes, and a
 * lookup walks them from the root, each referenced by its blake2-256 hash.
 * Implements the node codec of sp-trie's LayoutV1 (with hashed values).
 */
import { blake2AsU8a } from '@polkadot/util-crypto'
import { u8aToHex } from '@polkadot/util'
import { ChainError } from './errors.ts'

/** The value stored under `key` at `stateRoot` according to `proof`, or null if the proof shows it absent. */
export function valueFromStorageProof(stateRoot: Uint8Array, proof: Uint8Array[], key: Uint8Array): Uint8Array | null {
  const nodes = new Map(proof.map((node) => [u8aToHex(blake2AsU8a(node, 256)), node]))
  const lookup = (hash: Uint8Array): Uint8Array => {
    const node = nodes.get(u8aToHex(hash))
    if (node === undefined) throw new ChainError('BAD_PROOF', `the storage proof is incomplete: it lacks node ${u8aToHex(hash)}`)
    return node
  }
  const nibbles = toNibbles(key)
  let node = lookup(stateRoot)
  let at = 0
  for (let depth = 0; depth < 200; depth++) {
    const decoded = decodeNode(node)
    if (decoded.kind === 'empty') return null
    for (let i = 0; i < decoded.partial.length; i++) {
      if (nibbles[at + i] !== decoded.partial[i]) return null
    }
    at += decoded.partial.length
    const value = () => (decoded.value === undefined ? null : decoded.value.hashed ? lookup(decoded.value.bytes) : decoded.value.bytes)
    if (decoded.kind === 'leaf') return at === nibbles.length ? value() : null
    if (at === nibbles.length) return value()
    const child = decoded.children[nibbles[at]]
    if (child === undefined) return null
    at += 1
    node = child.length === 32 ? lookup(child) : child
  }
  throw new ChainError('BAD_PROOF', 'the storage proof is too deep to be a Substrate trie')
}

type Decoded =
  | { kind: 'empty' }
  | { kind: 'leaf'; partial: number[]; value: { hashed: boolean; bytes: Uint8Array } }
  | { kind: 'branch'; partial: number[]; value?: { hashed: boolean; bytes: Uint8Array }; children: (Uint8Array | undefined)[] }

function decodeNode(node: Uint8Array): Decoded {
  const reader = new Reader(node)
  const first = reader.byte()
  if (first === 0) return { kind: 'empty' }
  // Header: 2 bits (leaf 01, branch 10, branch+value 11), or 3 bits (hashed-value
  // leaf 001), or 4 bits (hashed-value branch 0001); the rest is the nibble count.
  let kind: 'leaf' | 'branch'
  let hasValue: boolean
  let hashed = false
  let bits: number
  if (first >> 6 === 0b01) [kind, hasValue, bits] = ['leaf', true, 6]
  else if (first >> 6 === 0b10) [kind, hasValue, bits] = ['branch', false, 6]
  else if (first >> 6 === 0b11) [kind, hasValue, bits] = ['branch', true, 6]
  else if (first >> 5 === 0b001) [kind, hasValue, hashed, bits] = ['leaf', true, true, 5]
  else if (first >> 4 === 0b0001) [kind, hasValue, hashed, bits] = ['branch', true, true, 4]
  else throw new ChainError('BAD_PROOF', `not a trie node (header byte 0x${first.toString(16)})`)
  const mask = (1 << bits) - 1
  let count = first & mask
  if (count === mask) {
    for (;;) {
      const more = reader.byte()
      count += more
      if (more < 255) break
    }
  }
  const partialBytes = reader.bytes(Math.ceil(count / 2))
  const partial = toNibbles(partialBytes).slice(count % 2)
  if (kind === 'leaf') return { kind, partial, value: readValue(reader, hashed) }
  const bitmap = reader.byte() | (reader.byte() << 8)
  const value = hasValue ? readValue(reader, hashed) : undefined
  const children: (Uint8Array | undefined)[] = []
  for (let i = 0; i < 16; i++) children.push(bitmap & (1 << i) ? reader.bytes(reader.compact()) : undefined)
  return { kind, partial, value, children }
}

function readValue(reader: Reader, hashed: boolean): { hashed: boolean; bytes: Uint8Array } {
  return { hashed, bytes: hashed ? reader.bytes(32) : reader.bytes(reader.compact()) }
}

/** A key's nibbles, high half of each byte first. */
export function toNibbles(bytes: Uint8Array): number[] {
  const out: number[] = []
  for (const byte of bytes) out.push(byte >> 4, byte & 0x0f)
  return out
}

/** Sequential reads of SCALE-encoded data, failing clearly on truncation. */
export class Reader {
  readonly #data: Uint8Array
  #offset = 0

  constructor(data: Uint8Array) {
    this.#data = data
  }

  get remaining(): number {
    return this.#data.length - this.#offset
  }

  byte(): number {
    return this.bytes(1)[0]
  }

  bytes(length: number): Uint8Array {
    if (this.#offset + length > this.#data.length) throw new ChainError('BAD_PROOF', `truncated data: wanted ${length} bytes at offset ${this.#offset} of ${this.#data.length}`)
    const out = this.#data.subarray(this.#offset, this.#offset + length)
    this.#offset += length
    return out
  }

  /** A SCALE compact integer (up to 2^53). */
  compact(): number {
    const first = this.byte()
    switch (first & 0b11) {
      case 0: return first >> 2
      case 1: return (first | (this.byte() << 8)) >> 2
      case 2: return ((first | (this.byte() << 8) | (this.byte() << 16)) >>> 2) + this.byte() * 2 ** 22
      default: {
        const length = (first >> 2) + 4
        let value = 0
        const bytes = this.bytes(length)
        for (let i = length - 1; i >= 0; i--) value = value * 256 + bytes[i]
        return value
      }
    }
  }

  u32(): number {
    const b = this.bytes(4)
    return (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 2 ** 24
  }

  u64(): bigint {
    const b = this.bytes(8)
    let value = 0n
    for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(b[i])
    return value
  }

  u128(): bigint {
    const b = this.bytes(16)
    let value = 0n
    for (let i = 15; i >= 0; i--) value = (value << 8n) | BigInt(b[i])
    return value
  }
}
