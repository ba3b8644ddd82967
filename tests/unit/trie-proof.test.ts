/**
 * lib/chain/trie-proof.ts without a node: `valueFromStorageProof` against
 * storage proofs a real dev node made (tests/fixtures/storage-proofs.json, see
 * tests/fixtures/capture-storage-proofs.ts), and the SCALE `Reader`.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { bnToU8a, compactToU8a, hexToU8a, u8aToHex } from '@polkadot/util'
import { blake2AsHex } from '@polkadot/util-crypto'
import { Reader, valueFromStorageProof } from '../../lib/chain/trie-proof.ts'
import { ChainError } from '../../lib/chain/errors.ts'

interface Entry { storageKey: string; proof: string[]; value: string | null }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/storage-proofs.json', import.meta.url), 'utf8')) as {
  stateRoot: string
  modules: (Entry & { kind: string; moduleKey: string })[]
  count: Entry
  absent: Entry
}
const root = hexToU8a(fixture.stateRoot)
const present: [string, Entry][] = [...fixture.modules.map((m): [string, Entry] => [`${m.kind} module`, m]), ['ModuleCount', fixture.count]]

function lookup(entry: Pick<Entry, 'storageKey'>, proof: string[], stateRoot = root): Uint8Array | null {
  return valueFromStorageProof(stateRoot, proof.map((node) => hexToU8a(node)), hexToU8a(entry.storageKey))
}

/** `hex` with the nibble at `index` (counting after 0x) changed, same length. */
function flipNibble(hex: string, index: number): string {
  const at = 2 + index
  const nibble = Number.parseInt(hex[at], 16)
  return hex.slice(0, at) + (nibble ^ 0x8).toString(16) + hex.slice(at + 1)
}

/** A `BAD_PROOF` ChainError whose message matches `message`. */
function badProof(message: RegExp | string) {
  return (error: unknown) => {
    assert.ok(error instanceof ChainError, `a ChainError, not ${String(error)}`)
    assert.equal(error.code, 'BAD_PROOF')
    if (typeof message === 'string') assert.ok(error.message.includes(message), `"${error.message}" names ${message}`)
    else assert.match(error.message, message)
    return true
  }
}

const lacks = (node: string) => `the storage proof is incomplete: it lacks node ${blake2AsHex(hexToU8a(node), 256)}`

describe('valueFromStorageProof against proofs from a real node', () => {
  test('the fixture has what the cases below rely on', () => {
    assert.deepEqual(fixture.modules.map((m) => (m.moduleKey.length - 2) / 2), [32, 32, 33], 'keys of 32 and 33 bytes')
    for (const [, entry] of present) assert.ok(entry.value !== null && entry.proof.length >= 2)
    assert.equal(fixture.absent.value, undefined)
  })

  for (const [name, entry] of present) {
    test(`a present key gives the exact stored value: ${name}`, () => {
      assert.equal(u8aToHex(lookup(entry, entry.proof)!), entry.value)
    })
  }

  test('the record values are long enough to be stored hashed, the count short enough to be inline', () => {
    // Both kinds of value (LayoutV1): a node of its own, looked up by hash, and bytes in the leaf.
    for (const module of fixture.modules) assert.ok(module.proof.includes(module.value!), `${module.kind}: the value is a proof node`)
    assert.ok(!fixture.count.proof.includes(fixture.count.value!))
  })

  test('an unregistered key gives null', () => {
    assert.equal(lookup(fixture.absent, fixture.absent.proof), null)
  })

  test('node order does not matter, and extra nodes do no harm', () => {
    for (const [name, entry] of present) {
      assert.equal(u8aToHex(lookup(entry, [...entry.proof].reverse())!), entry.value, name)
      const union = [...new Set([...present.flatMap(([, e]) => e.proof), ...fixture.absent.proof])]
      assert.equal(u8aToHex(lookup(entry, union)!), entry.value, name)
    }
    const union = [...new Set(present.flatMap(([, e]) => e.proof))]
    assert.equal(lookup(fixture.absent, union), null, 'the union of the present keys\' proofs also shows the absent key absent')
  })

  test('a proof missing any one node fails with BAD_PROOF naming that node', () => {
    for (const [name, entry] of [...present, ['absent key', fixture.absent] as [string, Entry]]) {
      for (const [i, node] of entry.proof.entries()) {
        const proof = entry.proof.filter((_, j) => j !== i)
        assert.throws(() => lookup(entry, proof), badProof(lacks(node)), `${name}, without node ${i}`)
      }
    }
  })

  test('a proof with one nibble flipped in one node fails, wherever the nibble is', () => {
    for (const [name, entry] of [...present, ['absent key', fixture.absent] as [string, Entry]]) {
      for (const [i, node] of entry.proof.entries()) {
        const length = node.length - 2
        for (const at of [0, 1, Math.floor(length / 2), length - 1]) {
          const proof = entry.proof.map((n, j) => (j === i ? flipNibble(n, at) : n))
          assert.throws(() => lookup(entry, proof), badProof(lacks(node)), `${name}, node ${i}, nibble ${at}`)
        }
      }
    }
  })

  test('the wrong state root fails', () => {
    for (const [name, entry] of present) {
      for (const at of [0, 63]) {
        const wrong = flipNibble(fixture.stateRoot, at)
        assert.throws(() => lookup(entry, entry.proof, hexToU8a(wrong)), badProof(`it lacks node ${wrong}`), `${name}, root nibble ${at}`)
      }
    }
    assert.throws(() => lookup(fixture.absent, fixture.absent.proof, hexToU8a(flipNibble(fixture.stateRoot, 5))), badProof('it lacks node'), 'absence is not shown against another root either')
  })

  test('a proof for key A does not prove key B (nor show it absent)', () => {
    for (const [nameA, a] of present) {
      for (const [nameB, b] of present) {
        if (a === b || b === fixture.count) continue
        assert.throws(() => lookup(b, a.proof), badProof('the storage proof is incomplete: it lacks node'), `${nameA}'s proof for ${nameB}`)
      }
    }
    // The count's leaf is inline in the pallet's branch node, which every module proof
    // passes through: those proofs do prove it, and give its true value.
    for (const module of fixture.modules) assert.equal(u8aToHex(lookup(fixture.count, module.proof)!), fixture.count.value, `${module.kind}'s proof for ModuleCount`)
    assert.throws(() => lookup(fixture.modules[0], fixture.absent.proof), badProof('it lacks node'), 'the absent key\'s proof for a module')
  })

  test('keys that end inside a node\'s partial key, or go past a leaf, are shown absent by a neighbour\'s proof', () => {
    for (const module of fixture.modules) {
      const key = module.storageKey
      // Differs from the module's key in the last nibble: the walk ends in the module's leaf, whose partial key differs.
      assert.equal(lookup({ storageKey: flipNibble(key, key.length - 3) }, module.proof), null, `${module.kind}: last nibble changed`)
      assert.equal(lookup({ storageKey: `${key}00` }, module.proof), null, `${module.kind}: one byte longer than a leaf's key`)
      assert.equal(lookup({ storageKey: key.slice(0, -2) }, module.proof), null, `${module.kind}: one byte shorter`)
    }
  })

  test('a leaf whose partial key needs more than one extra length byte (sp-trie node codec)', () => {
    // No key on the registry chain is long enough for this: a hand-made leaf of 320 nibbles,
    // header 0b01_111111 then 255 + 2 (63 + 255 + 2 = 320), then the inline value "abc".
    const key = new Uint8Array(160).map((_, i) => (i * 37 + 11) & 0xff)
    const leaf = new Uint8Array([0x7f, 0xff, 0x02, ...key, ...compactToU8a(3), 0x61, 0x62, 0x63])
    const leafRoot = hexToU8a(blake2AsHex(leaf, 256))
    assert.equal(u8aToHex(valueFromStorageProof(leafRoot, [leaf], key)!), '0x616263')
    assert.equal(valueFromStorageProof(leafRoot, [leaf], key.map((b, i) => (i === 159 ? b ^ 1 : b))), null)
    // 64 nibbles: 63, then one extra length byte of 1.
    const short = new Uint8Array(32).map((_, i) => i + 1)
    const leaf64 = new Uint8Array([0x7f, 0x01, ...short, ...compactToU8a(1), 0x2a])
    assert.equal(u8aToHex(valueFromStorageProof(hexToU8a(blake2AsHex(leaf64, 256)), [leaf64], short)!), '0x2a')
  })

  test('garbage where a node should be is BAD_PROOF, not a crash', () => {
    const entry = fixture.modules[0]
    // A "root" node that is no trie node: header byte 0b0000_1xxx matches no node kind.
    const junk = '0x08'
    assert.throws(() => valueFromStorageProof(hexToU8a(blake2AsHex(hexToU8a(junk), 256)), [hexToU8a(junk)], hexToU8a(entry.storageKey)), badProof('not a trie node (header byte 0x8)'))
    // A leaf cut short inside its partial key.
    const cut = entry.proof.find((n) => n.startsWith('0x3f'))!.slice(0, 20)
    assert.throws(() => valueFromStorageProof(hexToU8a(blake2AsHex(hexToU8a(cut), 256)), [hexToU8a(cut)], hexToU8a(entry.storageKey)), badProof('truncated data'))
    // The empty trie proves every key absent.
    assert.equal(valueFromStorageProof(hexToU8a(blake2AsHex(new Uint8Array([0]), 256)), [new Uint8Array([0])], hexToU8a(entry.storageKey)), null)
  })
})

describe('Reader', () => {
  test('compact integers of every mode, as polkadot-js encodes them', () => {
    const values = [0, 1, 63, 64, 255, 16_383, 16_384, 65_535, 2 ** 22, 2 ** 30 - 1, 2 ** 30, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7, 2 ** 48, 2 ** 53 - 1]
    const modes = new Set<number>()
    for (const value of values) {
      const encoded = compactToU8a(value)
      modes.add(encoded[0] & 0b11)
      const reader = new Reader(encoded)
      assert.equal(reader.compact(), value, `${value} from ${u8aToHex(encoded)}`)
      assert.equal(reader.remaining, 0, `${value}: all ${encoded.length} bytes read`)
    }
    assert.deepEqual([...modes].sort(), [0, 1, 2, 3], 'single-byte, two-byte, four-byte and big-integer modes')
  })

  test('compact integers at the mode boundaries, byte for byte', () => {
    const cases: [string, number][] = [
      ['0x00', 0], ['0xfc', 63], ['0x0101', 64], ['0xfdff', 16_383],
      ['0x02000100', 16_384], ['0xfeffffff', 2 ** 30 - 1], ['0x0300000040', 2 ** 30], ['0x03ffffffff', 2 ** 32 - 1], ['0x070000000001', 2 ** 32],
    ]
    for (const [hex, value] of cases) assert.equal(new Reader(hexToU8a(hex)).compact(), value, hex)
  })

  test('u32 and u128 are little-endian and unsigned', () => {
    const r = new Reader(hexToU8a('0x04030201ffffffff'))
    assert.equal(r.u32(), 0x01020304)
    assert.equal(r.u32(), 2 ** 32 - 1, 'the high bit set is not negative')
    for (const value of [0n, 1n, 1_680_000_000_000n, 2n ** 64n + 5n, 2n ** 127n, 2n ** 128n - 1n]) {
      assert.equal(new Reader(bnToU8a(value, { bitLength: 128, isLe: true })).u128(), value, value.toString())
    }
  })

  test('bytes and byte read in sequence, and remaining counts down', () => {
    const r = new Reader(hexToU8a('0x0a0b0c0d0e'))
    assert.equal(r.remaining, 5)
    assert.equal(r.byte(), 0x0a)
    assert.equal(u8aToHex(r.bytes(0)), '0x')
    assert.equal(u8aToHex(r.bytes(3)), '0x0b0c0d')
    assert.equal(r.remaining, 1)
    assert.equal(r.byte(), 0x0e)
    assert.equal(r.remaining, 0)
  })

  test('reading past the end is BAD_PROOF "truncated data", in every read', () => {
    const at = (hex: string, skip = 0) => { const r = new Reader(hexToU8a(hex)); if (skip) r.bytes(skip); return r }
    assert.throws(() => at('0x0102').bytes(3), badProof('truncated data: wanted 3 bytes at offset 0 of 2'))
    assert.throws(() => at('0x010203', 2).bytes(2), badProof('truncated data: wanted 2 bytes at offset 2 of 3'))
    assert.throws(() => at('0x').byte(), badProof('truncated data: wanted 1 bytes at offset 0 of 0'))
    assert.throws(() => at('0x010203').u32(), badProof('wanted 4 bytes'))
    assert.throws(() => at('0x' + '00'.repeat(15)).u128(), badProof('wanted 16 bytes'))
    assert.throws(() => at('0x01').compact(), badProof('truncated data'), 'two-byte mode with one byte')
    assert.throws(() => at('0x020000').compact(), badProof('truncated data'), 'four-byte mode with three bytes')
    assert.throws(() => at('0x07000000').compact(), badProof('wanted 5 bytes'), 'big-integer mode promising five bytes')
  })
})
