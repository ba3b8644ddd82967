/**
 * The client library against a real `modnet-node --dev` and a real embedded
 * Helia store on disk: the register → retrieve round trip, update with a
 * hash-linked `previous`, transfer (offer, accept), remove, yank, deprecate,
 * the history commitment, and refusals that change nothing.
 *
 * The tests run as one sequence, in file order: they follow one module
 * through its life as a user would (the first registers //Alice's module;
 * the update, stranger and transfer/remove tests take it as the one before
 * left it). Run alone, those three fail. The key-proof and listing tests make
 * what they need themselves.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { u8aToHex } from '@polkadot/util'
import { ChainError, checkHistory, cidToChain, keyOwnershipProof, ModuleRegistryClient, replayHistory, submit } from '../../lib/chain/index.ts'
import { computeCid, EmbeddedIpfs, type IPFSClient } from '../../lib/ipfs/index.ts'
import { fileStorage } from '../../lib/ipfs/node-storage.ts'
import type { RegistryEvent, TxProgress, TxResult } from '../../lib/types/index.ts'
import { startDevNode, waitFor, type DevNode } from '../support/node.ts'
import { registerModule, retrieveModule } from '../../lib/registry/index.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
let node: DevNode
let ipfs: IPFSClient
let client: ModuleRegistryClient
let dataDir: string
const keyring = new Keyring({ type: 'sr25519' })

before(async () => {
  await cryptoWaitReady()
  dataDir = mkdtempSync(join(tmpdir(), 'modnet-lib-'))
  node = await startDevNode(join(dataDir, 'chain'))
  ipfs = await EmbeddedIpfs.open(fileStorage(join(dataDir, 'ipfs')))
  client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
})

after(async () => {
  await client?.disconnect()
  await ipfs?.close()
  await node?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

test('register → retrieve: the record is read at a finalized block and the metadata matches its CID', async () => {
  const alice = keyring.addFromUri('//Alice')
  const countBefore = (await client.count()).count
  const stages: TxProgress['stage'][] = []
  const result = await registerModule({ chain: client, ipfs }, example, alice, { signMetadata: false, onProgress: (p) => stages.push(p.stage) })
  assert.equal(result.action, 'registered')
  assert.equal(result.key, client.accountKey(alice))
  assert.deepEqual(stages.filter((s, i) => stages.indexOf(s) === i), ['signing', 'ready', 'inBlock', 'finalized'])
  assert.deepEqual(result.tx?.events.map((e) => e.type), ['ModuleRegistered'])

  const retrieved = await retrieveModule({ chain: client, ipfs }, result.key)
  assert.equal(retrieved.record.cid, result.cid)
  assert.equal(retrieved.record.owner, alice.address)
  assert.equal(retrieved.record.revision, 0)
  assert.ok(retrieved.readAt.finalized)
  assert.ok(retrieved.readAt.blockNumber >= result.blockNumber!)
  assert.equal(retrieved.readAt.verifiedBy, 'rpc')
  assert.deepEqual(retrieved.metadata, example)
  assert.deepEqual(retrieved.verification.schema, { valid: true })
  assert.equal(retrieved.verification.signature.status, 'absent')
  assert.equal((await client.count()).count, countBefore + 1)
  assert.deepEqual((await client.modulesOf(alice.address)).keys, [result.key])
})

test('update links the previous CID, signs with the module key (the account\'s own, by default) and bumps the revision', async () => {
  const alice = keyring.addFromUri('//Alice')
  const before = (await client.requireModule(client.accountKey(alice))).record
  const next = { ...example, version: '1.1.0' }
  const result = await registerModule({ chain: client, ipfs }, next, alice)
  assert.equal(result.action, 'updated')
  assert.equal(result.metadata.previous, before.cid)
  const retrieved = await retrieveModule({ chain: client, ipfs }, result.key)
  assert.equal(retrieved.record.revision, 1)
  assert.equal((retrieved.metadata as { previous: string }).previous, before.cid)
  assert.equal(retrieved.verification.signature.status, 'valid')
  assert.deepEqual(result.tx?.events.map((e) => e.type), ['ModuleUpdated'])

  const again = await registerModule({ chain: client, ipfs }, retrieved.metadata, alice)
  assert.equal(again.action, 'unchanged')
})

test('a module key other than the signer needs its proof; a wrong proof is refused and stores nothing', async () => {
  const bob = keyring.addFromUri('//Bob')
  const moduleKeyPair = new Keyring({ type: 'ed25519' }).addFromUri('//module-one')
  const moduleKey = `0x${Buffer.from(moduleKeyPair.publicKey).toString('hex')}`
  await assert.rejects(client.register(moduleKey, 'bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq', bob), { code: 'BAD_SIGNER' })

  const stranger = new Keyring({ type: 'ed25519' }).addFromUri('//not-the-module-key')
  const forged = { ...moduleKeyPair, type: moduleKeyPair.type, publicKey: moduleKeyPair.publicKey, sign: (m: Uint8Array) => stranger.sign(m) }
  const countBefore = (await client.count('best')).count
  await assert.rejects(client.register(moduleKey, 'bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq', bob, { moduleSigner: forged }),
    (error: ChainError) => error.code === 'CHAIN_DISPATCH' && error.error === 'BadKeyProof' && /moduleRegistry\.BadKeyProof/.test(error.message))
  assert.equal((await client.count('best')).count, countBefore)
  assert.equal((await client.getModule(moduleKey, 'best')).record, null)

  const ok = await registerModule({ chain: client, ipfs }, { ...example, name: 'module-one' }, bob, { moduleKey, moduleSigner: moduleKeyPair })
  assert.equal(ok.action, 'registered')
  const retrieved = await retrieveModule({ chain: client, ipfs }, moduleKey)
  assert.equal(retrieved.record.owner, bob.address)
  assert.equal(retrieved.verification.signature.status, 'valid')
})

test('wrong owner: update, remove and transfer by a stranger fail with NotOwner and change nothing', async () => {
  const alice = keyring.addFromUri('//Alice')
  const charlie = keyring.addFromUri('//Charlie')
  const key = client.accountKey(alice)
  const before = (await client.requireModule(key, 'best')).record
  for (const attempt of [
    () => client.update(key, 'bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq', charlie, { waitFor: 'inBlock' }),
    () => client.remove(key, charlie, { waitFor: 'inBlock' }),
    () => client.transferOwnership(key, charlie.address, charlie, { waitFor: 'inBlock' }),
  ]) {
    await assert.rejects(attempt(), (error: ChainError) => error.code === 'CHAIN_DISPATCH' && error.error === 'NotOwner')
  }
  await assert.rejects(registerModule({ chain: client, ipfs }, { ...example, version: '9.9.9' }, charlie, { moduleKey: key }), { error: 'NotOwner' })
  assert.deepEqual((await client.requireModule(key, 'best')).record, before)
})

test('transfer is an offer the recipient accepts; a third account cannot; remove deletes it', async () => {
  const alice = keyring.addFromUri('//Alice')
  const dave = keyring.addFromUri('//Dave')
  const charlie = keyring.addFromUri('//Charlie')
  const key = client.accountKey(alice)
  const offer = await client.transferOwnership(key, dave.address, alice)
  assert.deepEqual(offer.events.map((e) => e.type), ['TransferOffered'])
  assert.equal((await client.requireModule(key)).record.owner, alice.address, 'nothing moves on the offer')
  const { status } = await client.getModuleStatus(key)
  assert.equal(status.transferOffer?.to, dave.address)
  assert.ok(status.transferOffer!.expiresAt > offer.blockNumber)
  await assert.rejects(client.acceptOwnership(key, charlie, { waitFor: 'inBlock' }), { code: 'CHAIN_DISPATCH', error: 'NotOfferRecipient' })

  const accepted = await client.acceptOwnership(key, dave)
  assert.deepEqual(accepted.events.map((e) => e.type), ['OwnershipTransferred'])
  assert.equal((await client.requireModule(key)).record.owner, dave.address)
  assert.deepEqual((await client.getModuleStatus(key)).status, { yanked: [] }, 'the offer is used up')
  assert.deepEqual((await client.modulesOf(dave.address)).keys, [key])
  assert.deepEqual((await client.modulesOf(alice.address)).keys, [])

  const removal = await client.remove(key, dave)
  assert.deepEqual(removal.events.map((e) => e.type), ['ModuleRemoved'])
  assert.equal((await client.getModule(key)).record, null)
  await assert.rejects(retrieveModule({ chain: client, ipfs }, key), { code: 'MODULE_NOT_FOUND' })
})

test('yank, deprecate and a cancelled offer show in the status; the history commitment replays every event of the key', async () => {
  const ferdie = keyring.addFromUri('//Ferdie')
  const moduleKeyPair = new Keyring({ type: 'ed25519' }).addFromUri('//library-history-module') // DEV key
  const key = u8aToHex(moduleKeyPair.publicKey)
  const events: RegistryEvent[] = []
  const record = async (tx: Promise<TxResult>) => { events.push(...(await tx).events) }
  await record(client.register(key, 'bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq', ferdie, { moduleSigner: moduleKeyPair }))
  await record(client.update(key, (await computeCid(new TextEncoder().encode('history, revision 1'))).toString(), ferdie))
  await record(client.setYanked(key, 0, true, ferdie))
  await record(client.setDeprecation(key, 'superseded — use «module-two»', ferdie))
  await record(client.transferOwnership(key, keyring.addFromUri('//Bob').address, ferdie))
  await record(client.cancelTransfer(key, ferdie))
  assert.deepEqual((await client.getModuleStatus(key)).status, { yanked: [0], deprecation: 'superseded — use «module-two»' })
  await assert.rejects(client.setYanked(key, 2, true, ferdie, { waitFor: 'inBlock' }), { error: 'NoSuchRevision' })
  await assert.rejects(client.setDeprecation(key, '  ', ferdie), /cannot be empty/)

  const { history } = await client.getHistory(key)
  assert.equal(history.length, 6)
  assert.deepEqual(replayHistory(events), history, 'the chain hashed exactly these events')
  assert.deepEqual(checkHistory(events, history).proved, events)
  assert.deepEqual(checkHistory(events.slice(0, -1), history).proved, [], 'a missing event proves nothing')

  // Removed, the key's proof is spent: the same signature cannot register it again.
  await record(client.remove(key, ferdie))
  const stale = keyOwnershipProof(client.genesisHash, ferdie.address, key, 0, moduleKeyPair)
  await assert.rejects(
    submit(client.api, client.api.tx.moduleRegistry.registerModule(key, cidToChain('bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq'), stale), ferdie, { waitFor: 'inBlock' }),
    { error: 'BadKeyProof' },
  )
  assert.equal((await client.getHistory(key, 'best')).history.length, 7, 'the commitment outlives the module')
})

test('listModules pages through every module in a stable order', async () => {
  const all = []
  let startKey: string | undefined
  do {
    const page = await client.listModules({ pageSize: 1, startKey })
    all.push(...page.modules)
    startKey = page.nextKey
  } while (startKey !== undefined)
  assert.equal(all.length, (await client.count()).count)
})

test('an AbortSignal stops the flow: aborted before, nothing is stored or sent; aborted while waiting, the caller is freed at once', async () => {
  const eve = keyring.addFromUri('//Eve')
  const key = client.accountKey(eve)
  const reason = new Error('the user cancelled')
  await assert.rejects(registerModule({ chain: client, ipfs }, { ...example, name: 'aborted' }, eve, { signal: AbortSignal.abort(reason) }), (error) => error === reason)
  assert.equal((await client.getModule(key, 'best')).record, null)

  const controller = new AbortController()
  const started = Date.now()
  const pending = registerModule({ chain: client, ipfs }, { ...example, name: 'abort-while-waiting' }, eve, {
    signal: controller.signal,
    onProgress: ({ stage }) => { if (stage === 'inBlock') controller.abort(reason) },
  })
  await assert.rejects(pending, (error) => error === reason)
  assert.ok(Date.now() - started < 10_000, 'freed at inclusion, not after finality')
  // The transaction was already in a block: it stands (the signal stops waiting, not the chain).
  await waitFor(async () => (await client.getModule(key)).record !== null, 30_000)
})
