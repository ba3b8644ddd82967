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

test('every kind of tampering is caught', () => {
  const tampered: [string, (c: ModuleCard) => void, RegExp][] = [
    ['another CID', (c) => { c.record.cid = 'bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq' }, /differs from the proved one/],
    ['another owner', (c) => { c.record.owner = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty' }, /differs/],
    ['other metadata', (c) => { c.metadata = base64Encode(new TextEncoder().encode('{"forged":true}')) }, /do not match the CID/],
    ['a flipped proof byte', (c) => { const n = c.proof[0]; c.proof[0] = n.slice(0, -2) + (n.endsWith('0') ? '1' : '0') }, /incomplete|not a trie node|differs|no module/],
    ['another header', (c) => { c.header = c.header.slice(0, -2) + (c.header.endsWith('0') ? '1' : '0') }, /does not hash to the block hash/],
    ['another chain', (c) => { c.genesisHash = '0x' + '00'.repeat(32) }, /is for chain/],
  ]
  for (const [name, change, reason] of tampered) {
    const copy = JSON.parse(JSON.stringify(card)) as ModuleCard
    change(copy)
    assert.throws(() => verifyCard(copy, { genesisHash: client.api.genesisHash.toHex() }), (error: Error) => (error as { code?: string }).code === 'BAD_PROOF' && reason.test(error.message), name)
  }
})
