/**
 * Module cards checked offline (`verifyCard`, lib/registry/card.ts), built
 * from what a real dev node gave (tests/fixtures/storage-proofs.json): a good
 * card verifies; one nibble changed anywhere that matters (at the same length,
 * so the hex still parses) is caught, with the reason for that part.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { hexToU8a, u8aToHex } from '@polkadot/util'
import { base64Decode, base64Encode, blake2AsHex, cryptoWaitReady, decodeAddress, encodeAddress } from '@polkadot/util-crypto'
import { CID } from 'multiformats/cid'
import { ChainError } from '../../lib/chain/errors.ts'
import { moduleStorageKey } from '../../lib/chain/storage-keys.ts'
import { buildCard, CARD_FORMAT, verifyCard, type ModuleCard } from '../../lib/registry/card.ts'

await cryptoWaitReady()

interface FixtureModule { kind: string; moduleKey: string; storageKey: string; proof: string[]; value: string; record: ModuleCard['record']; metadata: string }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/storage-proofs.json', import.meta.url), 'utf8')) as {
  genesisHash: string
  blockHash: string
  blockNumber: number
  header: string
  modules: FixtureModule[]
  absent: { moduleKey: string; storageKey: string; proof: string[] }
}
const genesisHash = fixture.genesisHash

function cardOf(module: FixtureModule): ModuleCard {
  return buildCard({
    genesisHash,
    blockHash: fixture.blockHash,
    blockNumber: fixture.blockNumber,
    header: fixture.header,
    storageKey: module.storageKey,
    proof: module.proof,
    record: { ...module.record, deposit: BigInt(module.record.deposit) },
    metadata: new TextEncoder().encode(module.metadata),
    finalizedBy: 'rpc',
  })
}

/** `hex` with the nibble at `index` (counting after 0x) changed, same length. */
function flipNibble(hex: string, index: number): string {
  const at = 2 + index
  return hex.slice(0, at) + (Number.parseInt(hex[at], 16) ^ 0x8).toString(16) + hex.slice(at + 1)
}

const copy = (card: ModuleCard): ModuleCard => JSON.parse(JSON.stringify(card)) as ModuleCard
const why = (reason: string) => `the module card does not check out: ${reason}`

/** Asserts that `verifyCard` refuses `card` with BAD_PROOF and exactly `message`. */
function refused(card: ModuleCard, message: string, name: string, options: { genesisHash?: string } = { genesisHash }): void {
  assert.throws(() => verifyCard(card, options), (error: unknown) => {
    assert.ok(error instanceof ChainError, `${name}: a ChainError, not ${String(error)}`)
    assert.equal(error.code, 'BAD_PROOF', name)
    assert.equal(error.message, message, name)
    return true
  }, name)
}

for (const module of fixture.modules) {
  describe(`a card for the ${module.kind} module (${(module.moduleKey.length - 2) / 2}-byte key)`, () => {
    const card = cardOf(module)

    test('verifies, after a round trip through JSON, and says what it checked', () => {
      assert.equal(card.format, CARD_FORMAT)
      const check = verifyCard(copy(card), { genesisHash })
      assert.deepEqual(check, {
        key: module.moduleKey,
        cid: module.record.cid,
        blockNumber: fixture.blockNumber,
        blockHash: fixture.blockHash,
        genesisHash,
        metadataBytes: new TextEncoder().encode(module.metadata).length,
        finality: { status: 'unchecked', reason: 'the card carries no finality proof (its source had no GRANDPA justification to give)' },
      })
      assert.deepEqual(verifyCard(copy(card)), check, 'without the genesis option too')
      assert.deepEqual(verifyCard({ ...copy(card), format: 'modnet/module-card/v1' }), check, 'a card in the first format (no finality field) still verifies')
    })

    test('a record field with one nibble changed differs from the proved one', () => {
      const differs = why('the record in the card differs from the proved one')
      const owner = u8aToHex(decodeAddress(module.record.owner))
      const cid = CID.parse(module.record.cid)
      const cidHex = u8aToHex(cid.bytes)
      const changes: [string, (c: ModuleCard) => void][] = [
        // The owner's public key with one nibble changed, as an SS58 address again.
        ...[0, 31, 63].map((at): [string, (c: ModuleCard) => void] => [`owner, nibble ${at}`, (c) => { c.record.owner = encodeAddress(flipNibble(owner, at), 42) }]),
        // The CID's digest with one nibble changed (still a well-formed CID of the same length).
        ...[8, (cidHex.length - 2) / 2, cidHex.length - 3].map((at): [string, (c: ModuleCard) => void] => [`cid, nibble ${at}`, (c) => { c.record.cid = CID.decode(hexToU8a(flipNibble(cidHex, at))).toString() }]),
        ['revision', (c) => { c.record.revision ^= 1 }],
        ['registeredAt', (c) => { c.record.registeredAt ^= 1 }],
        ['updatedAt', (c) => { c.record.updatedAt ^= 0x10 }],
        ['deposit, low nibble', (c) => { c.record.deposit = (BigInt(c.record.deposit) ^ 0x1n).toString() }],
        ['deposit, high nibble', (c) => { c.record.deposit = (BigInt(c.record.deposit) ^ (1n << 40n)).toString() }],
      ]
      for (const [name, change] of changes) {
        const tampered = copy(card)
        change(tampered)
        assert.notDeepEqual(tampered.record, card.record, name)
        refused(tampered, differs, name)
      }
    })

    test('another module key, or another storage key, is not the key the proof is for', () => {
      const key = copy(card)
      key.record.key = flipNibble(key.record.key, 10)
      refused(key, why('the storage key is not the module key\'s'), 'record key')
      const storageKey = copy(card)
      storageKey.storageKey = flipNibble(storageKey.storageKey, storageKey.storageKey.length - 3)
      refused(storageKey, why('the storage key is not the module key\'s'), 'storage key')
    })

    test('any proof node with one nibble changed leaves the proof without that node', () => {
      for (const [i, node] of card.proof.entries()) {
        for (const at of [0, node.length - 3]) {
          const tampered = copy(card)
          tampered.proof[i] = flipNibble(node, at)
          // valueFromStorageProof's own reason: the node the walk needs is not in the proof.
          refused(tampered, `the storage proof is incomplete: it lacks node ${blake2AsHex(hexToU8a(node), 256)}`, `node ${i}, nibble ${at}`)
        }
      }
    })

    test('the header or the block hash with one nibble changed do not match', () => {
      const header = card.header.length - 2
      // Parent hash, block number, state root, digest: wherever the change is.
      for (const at of [0, 64, 66, 100, header - 1]) {
        const tampered = copy(card)
        tampered.header = flipNibble(card.header, at)
        refused(tampered, why('the header does not hash to the block hash'), `header nibble ${at}`)
      }
      const tampered = copy(card)
      tampered.blockHash = flipNibble(card.blockHash, 17)
      refused(tampered, why('the header does not hash to the block hash'), 'block hash')
    })

    test('metadata with one bit flipped does not match the CID', () => {
      const bytes = base64Decode(card.metadata)
      for (const at of [0, bytes.length >> 1, bytes.length - 1]) {
        const tampered = copy(card)
        const flipped = bytes.slice()
        flipped[at] ^= 0x01
        tampered.metadata = base64Encode(flipped)
        assert.equal(tampered.metadata.length, card.metadata.length)
        refused(tampered, why(`the metadata bytes do not match the CID ${module.record.cid}`), `metadata byte ${at}`)
      }
    })

    test('another block number is not the header\'s', () => {
      const tampered = copy(card)
      tampered.blockNumber = card.blockNumber ^ 1
      refused(tampered, why(`the header is block #${card.blockNumber}, the card says #${card.blockNumber ^ 1}`), 'block number')
    })

    test('another genesis hash is another chain, when the caller names the chain', () => {
      const other = flipNibble(genesisHash, 40)
      const tampered = copy(card)
      tampered.genesisHash = other
      refused(tampered, why(`it is for chain ${other}, not ${genesisHash}`), 'card genesis')
      refused(copy(card), why(`it is for chain ${genesisHash}, not ${other}`), 'expected genesis', { genesisHash: other })
      // Without the option, the genesis hash is only reported, not checked (nothing offline could check it).
      assert.equal(verifyCard(tampered).genesisHash, other)
    })

    test('an unknown format is refused', () => {
      const tampered = copy(card) as unknown as Record<string, unknown>
      tampered.format = 'modnet/module-card/v0'
      refused(tampered as unknown as ModuleCard, why(`unknown format "modnet/module-card/v0" (expected ${CARD_FORMAT})`), 'format')
    })
  })
}

describe('cards mixing modules', () => {
  test('another module\'s record, key and proof with this metadata: the metadata does not match', () => {
    const [a, b] = fixture.modules
    const mixed = cardOf(b)
    mixed.metadata = cardOf(a).metadata
    refused(mixed, why(`the metadata bytes do not match the CID ${b.record.cid}`), 'metadata of another module')
  })

  test('another module\'s proof for this key is incomplete', () => {
    const [a, b] = fixture.modules
    const mixed = cardOf(a)
    mixed.proof = b.proof
    assert.throws(() => verifyCard(mixed, { genesisHash }), (error: unknown) => error instanceof ChainError && error.code === 'BAD_PROOF' && /^the storage proof is incomplete: it lacks node 0x[0-9a-f]{64}$/.test(error.message))
  })

  test('a card for a key nobody registered: the proof shows no module there', () => {
    const card = cardOf(fixture.modules[0])
    card.record.key = fixture.absent.moduleKey
    card.storageKey = moduleStorageKey(fixture.absent.moduleKey)
    assert.equal(card.storageKey, fixture.absent.storageKey)
    card.proof = fixture.absent.proof
    refused(card, why('the proof shows no module under this key at that block'), 'absent key')
  })
})

const FINALITY_SHAPE = 'its field finality is not { justification, setChanges: [{ header, justification }] } in 0x-hex'

describe('a card of the wrong shape (a file from anywhere) is refused in words, never with a TypeError', () => {
  const good = cardOf(fixture.modules[0])
  const cases: [string, (card: any) => void, string][] = [
    ['no header', (card) => { delete card.header }, 'its field header is not 0x-hex'],
    ['header not hex', (card) => { card.header = 'zz' }, 'its field header is not 0x-hex'],
    ['proof not a list', (card) => { card.proof = '0x00' }, 'its field proof is not a list of 0x-hex trie nodes'],
    ['a proof node not hex', (card) => { card.proof = [...card.proof, 42] }, 'its field proof is not a list of 0x-hex trie nodes'],
    ['block number a string', (card) => { card.blockNumber = '7' }, 'its field blockNumber is not a whole number'],
    ['no record', (card) => { delete card.record }, 'its field record is missing'],
    ['deposit a number', (card) => { card.record.deposit = 5 }, 'its field record.deposit is not a decimal string'],
    ['metadata not base64', (card) => { card.metadata = '{"name":1}' }, 'its field metadata is not base64'],
    ['block hash too short', (card) => { card.blockHash = '0x1234' }, 'its field blockHash is not a 32-byte 0x-hex hash'],
    ['finality not an object', (card) => { card.finality = 'final' }, FINALITY_SHAPE],
    ['finality without set changes', (card) => { card.finality = { justification: '0x00' } }, FINALITY_SHAPE],
    ['a set change without a header', (card) => { card.finality = { justification: '0x00', setChanges: [{ justification: '0x00' }] } }, FINALITY_SHAPE],
    ['a set change null', (card) => { card.finality = { justification: '0x00', setChanges: [null] } }, FINALITY_SHAPE],
  ]
  for (const [name, damage, reason] of cases) {
    test(name, () => {
      const card = copy(good)
      damage(card)
      refused(card, why(reason), name)
    })
  }
  test('not an object at all', () => refused(null as unknown as ModuleCard, why('unknown format undefined (expected modnet/module-card/v2)'), 'null'))
})
