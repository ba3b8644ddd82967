/**
 * Module cards against a real dev node: a card made from a real storage proof
 * checks out offline, and every kind of tampering is caught.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { base64Encode, cryptoWaitReady } from '@polkadot/util-crypto'
import { ModuleRegistryClient, moduleStorageKey, valueFromStorageProof } from '../../lib/chain/index.ts'
import { makeCard, registerModule, rpcStorageProofs, verifyCard, type ModuleCard } from '../../lib/registry/index.ts'
import { EmbeddedIpfs, memoryStorage, type IPFSClient } from '../../lib/ipfs/index.ts'
import { hexToU8a } from '@polkadot/util'
import { startDevNode, type DevNode } from '../support/node.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
let node: DevNode
let ipfs: IPFSClient
let client: ModuleRegistryClient
let dir: string
let card: ModuleCard

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-card-'))
  node = await startDevNode(join(dir, 'chain'))
  ipfs = await EmbeddedIpfs.open(memoryStorage())
  client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice')
  await registerModule({ chain: client, ipfs }, example, alice)
  card = await makeCard({ chain: client, ipfs }, client.accountKey(alice), rpcStorageProofs(client))
})

after(async () => {
  await client?.disconnect()
  await ipfs?.close()
  await node?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a card made from a real storage proof verifies offline', () => {
  const check = verifyCard(JSON.parse(JSON.stringify(card)), { genesisHash: client.api.genesisHash.toHex() })
  assert.equal(check.cid, card.record.cid)
  assert.equal(check.blockHash, card.blockHash)
  assert.ok(check.metadataBytes > 0)
})

test('the proof shows an unregistered key as absent', async () => {
  const other = '0x' + '11'.repeat(32)
  const header = await client.api.rpc.chain.getHeader(card.blockHash)
  const proof = (await client.api.rpc.state.getReadProof([moduleStorageKey(other)], card.blockHash)).proof.map((n) => n.toU8a(true))
  assert.equal(valueFromStorageProof(header.stateRoot.toU8a(), proof, hexToU8a(moduleStorageKey(other))), null)
})

test('every kind of tampering is caught', async () => {
  const { CID } = await import('multiformats/cid')
  const { u8aToHex } = await import('@polkadot/util')
  const { base64Decode, blake2AsHex, decodeAddress, encodeAddress } = await import('@polkadot/util-crypto')
  const genesis = client.api.genesisHash.toHex()
  // One nibble (or one bit) changed at the same length, so every field still parses; each part has its own reason.
  const flip = (hex: string, index: number): string => hex.slice(0, 2 + index) + (Number.parseInt(hex[2 + index], 16) ^ 0x8).toString(16) + hex.slice(3 + index)
  const why = (reason: string) => `the module card does not check out: ${reason}`
  const differs = why('the record in the card differs from the proved one')
  const cidHex = u8aToHex(CID.parse(card.record.cid).bytes)
  const tampered: [string, (c: ModuleCard) => void, string][] = [
    ['a nibble of the CID', (c) => { c.record.cid = CID.decode(hexToU8a(flip(cidHex, cidHex.length - 3))).toString() }, differs],
    ['a nibble of the owner', (c) => { c.record.owner = encodeAddress(flip(u8aToHex(decodeAddress(c.record.owner)), 20), 42) }, differs],
    ['a nibble of the revision', (c) => { c.record.revision ^= 1 }, differs],
    ['a nibble of the deposit', (c) => { c.record.deposit = (BigInt(c.record.deposit) ^ 1n).toString() }, differs],
    ...card.proof.map((node, i): [string, (c: ModuleCard) => void, string] => [`a nibble of proof node ${i}`, (c) => { c.proof[i] = flip(node, node.length - 3) }, `the storage proof is incomplete: it lacks node ${blake2AsHex(hexToU8a(node), 256)}`]),
    ['a nibble of the header', (c) => { c.header = flip(c.header, 100) }, why('the header does not hash to the block hash')],
    ['a bit of the metadata', (c) => { const bytes = base64Decode(c.metadata); bytes[bytes.length >> 1] ^= 1; c.metadata = base64Encode(bytes) }, why(`the metadata bytes do not match the CID ${card.record.cid}`)],
    ['another chain', (c) => { c.genesisHash = flip(c.genesisHash, 0) }, why(`it is for chain ${flip(genesis, 0)}, not ${genesis}`)],
  ]
  for (const [name, change, reason] of tampered) {
    const copy = JSON.parse(JSON.stringify(card)) as ModuleCard
    change(copy)
    assert.throws(() => verifyCard(copy, { genesisHash: genesis }), (error: Error) => (error as { code?: string }).code === 'BAD_PROOF' && error.message === reason, name)
  }
})
