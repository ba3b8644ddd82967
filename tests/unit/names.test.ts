/** Look-alike module names: confusable spellings, near misses, the same name under another key. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { describeLookAlike, editDistance, lookAlikes, nameSkeleton } from '../../lib/types/names.ts'

const key = (n: number) => `0x${n.toString(16).padStart(64, '0')}`

test('confusable spellings fold to one skeleton', () => {
  for (const [a, b] of [['hello-world', 'he11o_w0rld'], ['modnet', 'rnodnet'], ['wallet', 'vvallet'], ['dapp', 'clapp'], ['signer', 's1gner'], ['a.b_c-d', 'a-b-c-d'], ['bz2', '8z2']]) {
    assert.equal(nameSkeleton(a!), nameSkeleton(b!), `${a} / ${b}`)
  }
  assert.notEqual(nameSkeleton('hello'), nameSkeleton('help'))
})

test('edit distance counts insertions, deletions, substitutions and swaps, and stops past the limit', () => {
  assert.equal(editDistance('indexer', 'indexer'), 0)
  assert.equal(editDistance('indexer', 'idnexer'), 1, 'a swap is one edit')
  assert.equal(editDistance('indexer', 'indexr'), 1)
  assert.equal(editDistance('indexer', 'index-er'), 1)
  assert.equal(editDistance('indexer', 'indexes'), 1)
  assert.equal(editDistance('kitten', 'sitting'), 3)
  assert.equal(editDistance('kitten', 'sitting', 1), 2, 'limit + 1 once past it')
  assert.equal(editDistance('a', 'abcdef', 2), 3)
})

test('look-alikes: the same name under another key first, then confusable, then near misses; the module itself is not one', () => {
  const known = [
    { name: 'search-indexer', key: key(1) },
    { name: 'search-indexer', key: key(2) },
    { name: 'search_1ndexer', key: key(3) },
    { name: 'search-indexes', key: key(4) },
    { name: 'search-index', key: key(5) },
    { name: 'unrelated-thing', key: key(6) },
  ]
  const found = lookAlikes('search-indexer', known, key(1))
  assert.deepEqual(found.map((a) => [a.key, a.why, a.distance]), [[key(2), 'same-name', 0], [key(3), 'confusable', 0], [key(4), 'near', 1], [key(5), 'near', 2]])
  assert.match(describeLookAlike(found[0]!), /^"search-indexer" \(module 0x0+2\) has the same name$/)
  assert.match(describeLookAlike(found[3]!), /has a name 2 edits away$/)
})

test('short names match only when they read the same', () => {
  const known = [{ name: 'cl1', key: key(1) }, { name: 'cat', key: key(2) }, { name: 'c1i', key: key(3) }]
  assert.deepEqual(lookAlikes('cli', known).map((a) => [a.name, a.why]), [['c1i', 'confusable'], ['cl1', 'confusable']])
  assert.deepEqual(lookAlikes('ab', [{ name: 'ac', key: key(4) }]), [])
})
