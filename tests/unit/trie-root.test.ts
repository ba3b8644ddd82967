/**
 * Trie roots (lib/chain/trie-root.ts). The strong check is against a real
 * node: tests/integration/card.test.ts recomputes a whole state's root and a
 * chain spec's genesis hash. Here: the properties that do not need one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { u8aToHex } from '@polkadot/util'
import { trieRoot } from '../../lib/chain/trie-root.ts'

const bytes = (...values: number[]) => Uint8Array.from(values)

test('the empty trie\'s root is blake2b-256 of the empty node', () => {
  assert.equal(u8aToHex(trieRoot([])), '0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314')
})

test('the root does not depend on the order entries come in, and changes with any key or value', () => {
  const entries: [Uint8Array, Uint8Array][] = [
    [bytes(1, 2, 3), bytes(9)],
    [bytes(1, 2), bytes(8)], // a key that is a prefix of another: a branch with a value
    [bytes(1, 0x23), new Uint8Array(40).fill(5)], // 33 bytes or more: stored by hash
    [bytes(0xff), bytes()],
  ]
  const root = u8aToHex(trieRoot(entries))
  assert.equal(u8aToHex(trieRoot([...entries].reverse())), root)
  assert.notEqual(u8aToHex(trieRoot(entries.map(([k, v], i) => [k, i === 2 ? new Uint8Array(40).fill(6) : v]))), root)
  assert.notEqual(u8aToHex(trieRoot(entries.map(([k, v], i) => [i === 0 ? bytes(1, 2, 4) : k, v]))), root)
  assert.notEqual(u8aToHex(trieRoot(entries.slice(1))), root)
})

test('a key given twice is refused', () => {
  assert.throws(() => trieRoot([[bytes(1), bytes(1)], [bytes(1), bytes(2)]]), /the same key twice/)
})
