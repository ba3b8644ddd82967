/**
 * The root of a Substrate storage trie built from key/value pairs: what a
 * chain's genesis state root is, so a verifier can compute a chain's genesis
 * hash from its raw chain spec alone. sp-trie's LayoutV1 node codec (values of
 * 33 bytes or more stored by hash), the encoder of what `trie-proof.ts` reads.
 */
import { blake2AsU8a } from '@polkadot/util-crypto'
import { compactToU8a, u8aConcat } from '@polkadot/util'
import { toNibbles } from './trie-proof.ts'

const HASHED_VALUE_FROM = 33

type Entry = { nibbles: number[]; value: Uint8Array }

/** Trie root (blake2b-256) of `entries` under state version 1. */
export function trieRoot(entries: Iterable<[Uint8Array, Uint8Array]>): Uint8Array {
  const sorted = [...entries]
    .map(([key, value]) => ({ nibbles: toNibbles(key), value }))
    .sort((a, b) => compareNibbles(a.nibbles, b.nibbles))
  for (let i = 1; i < sorted.length; i++) {
    if (compareNibbles(sorted[i - 1].nibbles, sorted[i].nibbles) === 0) throw new RangeError('a trie cannot hold the same key twice')
  }
  if (sorted.length === 0) return blake2AsU8a(new Uint8Array([0]), 256)
  return blake2AsU8a(encodeNode(sorted, 0), 256)
}

function encodeNode(entries: Entry[], depth: number): Uint8Array {
  if (entries.length === 1) {
    const [{ nibbles, value }] = entries
    const hashed = value.length >= HASHED_VALUE_FROM
    return u8aConcat(header(hashed ? 0b001 : 0b01, hashed ? 5 : 6, nibbles.length - depth), partialKey(nibbles.slice(depth)), encodeValue(value))
  }
  const first = entries[0].nibbles
  const last = entries[entries.length - 1].nibbles
  // Sorted keys share the prefix the first and last share.
  let common = 0
  while (depth + common < first.length && depth + common < last.length && first[depth + common] === last[depth + common]) common++
  const at = depth + common
  const own = first.length === at ? entries[0] : undefined // a key that ends here sorts first
  const children: Uint8Array[] = []
  let bitmap = 0
  let start = own === undefined ? 0 : 1
  for (let nibble = 0; nibble < 16; nibble++) {
    let end = start
    while (end < entries.length && entries[end].nibbles[at] === nibble) end++
    if (end === start) continue
    bitmap |= 1 << nibble
    const child = encodeNode(entries.slice(start, end), at + 1)
    const reference = child.length >= 32 ? blake2AsU8a(child, 256) : child
    children.push(u8aConcat(compactToU8a(reference.length), reference))
    start = end
  }
  const hashed = own !== undefined && own.value.length >= HASHED_VALUE_FROM
  const kind: [number, number] = own === undefined ? [0b10, 6] : hashed ? [0b0001, 4] : [0b11, 6]
  return u8aConcat(
    header(kind[0], kind[1], common),
    partialKey(first.slice(depth, at)),
    new Uint8Array([bitmap & 0xff, bitmap >> 8]),
    own === undefined ? new Uint8Array() : encodeValue(own.value),
    ...children,
  )
}

/** Node header: the kind's prefix bits, then the partial key's nibble count (continued in following bytes past the mask). */
function header(prefix: number, bits: number, count: number): Uint8Array {
  const mask = (1 << bits) - 1
  const out = [(prefix << bits) | Math.min(count, mask)]
  if (count >= mask) {
    let rest = count - mask
    while (rest >= 255) { out.push(255); rest -= 255 }
    out.push(rest)
  }
  return new Uint8Array(out)
}

/** Nibbles packed two to a byte; an odd count puts the first nibble alone in the low half of the first byte. */
function partialKey(nibbles: number[]): Uint8Array {
  const out: number[] = []
  let i = 0
  if (nibbles.length % 2 === 1) out.push(nibbles[i++])
  for (; i < nibbles.length; i += 2) out.push((nibbles[i] << 4) | nibbles[i + 1])
  return new Uint8Array(out)
}

function encodeValue(value: Uint8Array): Uint8Array {
  return value.length >= HASHED_VALUE_FROM ? blake2AsU8a(value, 256) : u8aConcat(compactToU8a(value.length), value)
}

function compareNibbles(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}
