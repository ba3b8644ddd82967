/**
 * Module cards against a real dev node: a card made from a real storage proof
 * and the node's GRANDPA justification checks out offline, its finality proved
 * against the chain spec (whose genesis hash and state root are computed here
 * as the node computes them), and every kind of tampering is caught, forged
 * finality included.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { base64Encode, cryptoWaitReady } from '@polkadot/util-crypto'
import { ModuleRegistryClient, moduleStorageKey, valueFromStorageProof } from '../../lib/chain/index.ts'
import { chainAnchor, type ChainAnchor } from '../../lib/chain/chain-spec.ts'
import { decodeJustification, precommitPayload } from '../../lib/chain/grandpa.ts'
import { trieRoot } from '../../lib/chain/trie-root.ts'
import { makeCard, registerModule, rpcStorageProofs, verifyCard, type ModuleCard } from '../../lib/registry/index.ts'
import { rpcFinalityProofs } from '../../lib/registry/finality-proofs.ts'
import { generateChainSpecs } from '../../chain-spec/generate.ts'
import { EmbeddedIpfs, memoryStorage, type IPFSClient } from '../../lib/ipfs/index.ts'
import { hexToU8a, u8aToHex } from '@polkadot/util'
import { rpc, startDevNode, type DevNode } from '../support/node.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
let node: DevNode
let ipfs: IPFSClient
let client: ModuleRegistryClient
let dir: string
let card: ModuleCard
let dev: ChainAnchor
let local: ChainAnchor

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-card-'))
  node = await startDevNode(join(dir, 'chain'))
  ipfs = await EmbeddedIpfs.open(memoryStorage())
  client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice')
  await registerModule({ chain: client, ipfs }, example, alice)
  const specs = generateChainSpecs({ outDir: join(dir, 'specs'), publish: false })
  dev = chainAnchor(JSON.parse(readFileSync(specs.dev, 'utf8')))
  local = chainAnchor(JSON.parse(readFileSync(specs.local, 'utf8')))
  card = await makeCard({ chain: client, ipfs }, client.accountKey(alice), rpcStorageProofs(client), rpcFinalityProofs(client), { anchor: dev })
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

test('the genesis hash computed from the chain spec alone is the node\'s', () => {
  assert.equal(dev.genesisHash, client.genesisHash)
  assert.notEqual(local.genesisHash, dev.genesisHash)
  assert.deepEqual(dev.genesisAuthorities.authorities.map(({ weight }) => weight), [1n], 'one authority at genesis')
})

test('the state root computed from every key and value at a block is its header\'s', async () => {
  const at = card.blockHash
  const keys: string[] = []
  for (;;) {
    const page: string[] = await rpc(node, 'state_getKeysPaged', ['0x', 1000, keys.at(-1) ?? null, at])
    keys.push(...page)
    if (page.length < 1000) break
  }
  const values = await Promise.all(keys.map(async (key) => hexToU8a(await rpc(node, 'state_getStorage', [key, at]))))
  assert.ok(keys.length > 20 && values.some((v) => v.length >= 33) && values.some((v) => v.length < 33), `a state with short and hashed values (${keys.length} keys)`)
  const header = await client.api.rpc.chain.getHeader(at)
  assert.equal(u8aToHex(trieRoot(keys.map((key, i) => [hexToU8a(key), values[i]]))), header.stateRoot.toHex())
})

test('a card carries its block\'s GRANDPA justification, proved against the chain spec', () => {
  assert.equal(card.finalizedBy, 'justification')
  assert.deepEqual(card.finality?.setChanges, [], 'the dev chain never changed its authority set')
  const check = verifyCard(JSON.parse(JSON.stringify(card)), { anchor: dev })
  assert.deepEqual(check.finality, { status: 'proved', chain: dev.name, setId: '0', signers: 1, authorities: 1, signedWeight: '1', threshold: '1', setChanges: 0 })
  assert.equal(verifyCard(card).finality.status, 'unchecked', 'without an anchor nothing is said about finality')
})

test('forged finality is refused: a bit of a signature, the wrong set, another set id, another block, a fake set change, another chain', async () => {
  const { Keyring } = await import('@polkadot/keyring')
  const { ed25519PairFromSeed, ed25519Sign, ed25519Verify } = await import('@polkadot/util-crypto')
  const { keyExtractSuri, keyFromPath, mnemonicToMiniSecret } = await import('@polkadot/util-crypto')
  // The dev accounts' ed25519 pairs (//Alice is the dev chain's GRANDPA authority, //Bob is not).
  const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk'
  const devPair = (uri: string) => {
    const { path } = keyExtractSuri(`${DEV_PHRASE}${uri}`)
    return keyFromPath(ed25519PairFromSeed(mnemonicToMiniSecret(DEV_PHRASE)), path, 'ed25519')
  }
  const [aliceEd, bobEd] = [devPair('//Alice'), devPair('//Bob')]
  assert.equal(u8aToHex(aliceEd.publicKey), u8aToHex(new Keyring({ type: 'ed25519' }).addFromUri('//Alice').publicKey))
  const justification = decodeJustification(hexToU8a(card.finality!.justification))
  assert.equal(justification.precommits.length, 1)
  assert.equal(justification.precommits[0].id, u8aToHex(aliceEd.publicKey))
  const round = justification.round
  const n = card.blockNumber
  // The first precommit: target hash and number, then its signature (64 bytes) and signer (32).
  const SIGNATURE = 8 + 32 + 4 + 1 + 32 + 4
  const payload = (setId: bigint) => precommitPayload(justification.precommits[0].targetHash, justification.precommits[0].targetNumber, round, setId)
  const resigned = (pair: typeof aliceEd, setId: bigint): string => {
    const bytes = hexToU8a(card.finality!.justification).slice()
    const signature = ed25519Sign(payload(setId), pair)
    assert.ok(ed25519Verify(payload(setId), signature, pair.publicKey), 'the re-signing itself is right')
    bytes.set(signature, SIGNATURE)
    bytes.set(pair.publicKey, SIGNATURE + 64)
    return u8aToHex(bytes)
  }
  let later = await client.finalityProof(n + 1)
  for (let i = 0; (later === null || later.number <= n) && i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    later = await client.finalityProof(n + 1)
  }
  assert.ok(later !== null && later.number > n, 'a justification of a later block')
  const flipped = hexToU8a(card.finality!.justification).slice()
  flipped[SIGNATURE + 5] ^= 1
  const why = (reason: string) => `the module card does not check out: its finality proof: ${reason}`
  const notFinal = (signed: number, total: number, needed: number, extra?: string) =>
    why(`the justification does not finalize block #${n}: ${signed} of ${total} authorities of set 0 signed for it (weight ${signed} of the ${needed} needed)${extra === undefined ? '' : `; ${extra}`}`)
  const wrongSet: ChainAnchor = { ...dev, genesisAuthorities: { setId: 0n, authorities: [{ id: u8aToHex(bobEd.publicKey), weight: 1n }] } }
  const forged: [string, (c: ModuleCard) => void, string, ChainAnchor][] = [
    ['a bit of the signature', (c) => { c.finality!.justification = u8aToHex(flipped) }, notFinal(0, 1, 1, `1 signature(s) that do not verify for round ${round} of set 0`), dev],
    ['signed by Alice for set 1', (c) => { c.finality!.justification = resigned(aliceEd, 1n) }, notFinal(0, 1, 1, `1 signature(s) that do not verify for round ${round} of set 0`), dev],
    ['signed by Bob, who is not in the set', (c) => { c.finality!.justification = resigned(bobEd, 0n) }, notFinal(0, 1, 1, '1 precommit(s) by keys outside that set'), dev],
    ['the justification of another block', (c) => { c.finality!.justification = later!.justification }, why(`the justification is for block #${later!.number} (${later!.block}), not #${n} (${card.blockHash})`), dev],
    ['the block itself passed off as a set change', (c) => { c.finality!.setChanges = [{ header: c.header, justification: c.finality!.justification }] }, why(`set change 1 (block #${n}) carries no authority-set change`), dev],
    ['a trust anchor whose set has another authority (the wrong set)', () => undefined, notFinal(0, 1, 1, '1 precommit(s) by keys outside that set'), wrongSet],
    ['another chain of the same runtime, its genesis claimed', (c) => { c.genesisHash = local.genesisHash }, notFinal(1, 2, 2), local],
  ]
  for (const [name, change, reason, anchor] of forged) {
    const copy = JSON.parse(JSON.stringify(card)) as ModuleCard
    change(copy)
    assert.throws(() => verifyCard(copy, { anchor }), (error: Error) => {
      assert.equal((error as { code?: string }).code, 'BAD_PROOF', name)
      assert.equal(error.message, reason, name)
      return true
    }, name)
  }
  assert.throws(() => verifyCard(JSON.parse(JSON.stringify(card)), { anchor: local }), (error: Error) => error.message === `the module card does not check out: it is for chain ${dev.genesisHash}, not the chain spec's ${local.genesisHash} (${local.name})`, 'another chain, honestly named')
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
