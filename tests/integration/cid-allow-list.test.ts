/**
 * The chain's CID allow-list, asked of the real runtime: generated CIDs
 * (tests/support/cids.ts: valid ones from pallet/src/cid.rs's allow-list,
 * and each class of malformed or unsupported one) are put in a
 * `registerModule` call that `system_dryRun` applies on top of the best
 * block, and the pallet must answer each class as expected: accepted, or
 * MalformedCid, UnsupportedCidVersion, UnsupportedCodec, UnsupportedHash.
 * (The pallet's own proptest feeds random bytes, which are almost never a
 * CID; here both branches are counted and the counts asserted.) One of the
 * generated CIDs is then registered for real and read back.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ApiPromise, WsProvider } from '@polkadot/api'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { cidFromChain, keyOwnershipProof, ModuleRegistryClient } from '../../lib/chain/index.ts'
import { binaryCases, CID_CLASSES, cidV1, hex, MAX_CHAIN_CID_BYTES, palletAllowList, seededRandom, type ChainOutcome, type CidClass } from '../support/cids.ts'
import { startDevNode, waitFor, type DevNode } from '../support/node.ts'

const SEED = Number(process.env.MODNET_PROPERTY_SEED || 0xc1d_a11)
const CASES = 330
let node: DevNode
let api: ApiPromise
let dir: string
const alice = () => new Keyring({ type: 'sr25519' }).addFromUri('//Alice')

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-cid-allow-list-'))
  node = await startDevNode(join(dir, 'chain'))
  api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true })
  // Until block #1, the state holds FRAME's placeholder for the genesis hash (BlockHash[0] is set
  // when block #1 starts): a transaction signed for this chain would dry-run as BadProof there.
  await waitFor(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 1, 60_000)
})

after(async () => {
  await api?.disconnect()
  await node?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** What the runtime would do with `registerModule(Alice's key, cid)` signed by Alice, without doing it. */
async function dryRunRegister(cid: Uint8Array, nonce: number): Promise<string> {
  const signer = alice()
  const key = `0x${hex(signer.publicKey)}`
  // A hex string for `Bytes` is the bytes themselves (a Uint8Array would be read as SCALE).
  const call = api.tx.moduleRegistry.registerModule(key, `0x${hex(cid)}`, keyOwnershipProof(api.genesisHash.toHex(), signer.address, key, 0))
  // Immortal: a mortal era names a recent block, which the dry run's state may not hold yet (AncientBirthBlock).
  const signed = await call.signAsync(signer, { nonce, era: 0 })
  const result = await api.rpc.system.dryRun(signed.toHex())
  if (result.isErr) return `invalid transaction: ${result.asErr.toString()}`
  const outcome = result.asOk
  if (outcome.isOk) return 'accepted'
  const error = outcome.asErr
  return error.isModule ? api.registry.findMetaError(error.asModule).name : error.toString()
}

test('the runtime answers every class of generated CID as pallet/src/cid.rs says, many times each', { timeout: 300_000 }, async () => {
  const cases = binaryCases(seededRandom(SEED), palletAllowList(), CASES)
  const nonce = (await api.rpc.system.accountNextIndex(alice().address)).toNumber()
  const counts = Object.fromEntries(CID_CLASSES.map((kind) => [kind, 0])) as Record<CidClass, number>
  const outcomes: Partial<Record<ChainOutcome, number>> = {}
  const wrong: string[] = []
  const queue = [...cases]
  // Two at a time: each is a runtime call of its own on the node.
  await Promise.all(Array.from({ length: 2 }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      assert.ok(item.bytes.length <= MAX_CHAIN_CID_BYTES, `${item.class} ${hex(item.bytes)} is longer than the runtime's MaxCidLength`)
      const answer = await dryRunRegister(item.bytes, nonce)
      counts[item.class]++
      outcomes[answer as ChainOutcome] = (outcomes[answer as ChainOutcome] ?? 0) + 1
      if (answer !== item.chain) wrong.push(`${item.class} 0x${hex(item.bytes)}: expected ${item.chain}, the runtime says ${answer}`)
    }
  }))
  process.stdout.write(`# ${cases.length} CIDs (seed ${SEED}: MODNET_PROPERTY_SEED=${SEED} reproduces it): ${JSON.stringify(outcomes)}; by class ${JSON.stringify(counts)}\n`)
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${cases.length} answered otherwise`)
  // Both branches, many times; every class was asked.
  assert.ok((outcomes.accepted ?? 0) >= 100, JSON.stringify(outcomes))
  assert.ok(cases.length - (outcomes.accepted ?? 0) >= 150, JSON.stringify(outcomes))
  for (const kind of CID_CLASSES) assert.ok(counts[kind] >= 10, `${kind} asked ${counts[kind]} times`)
})

test('a generated CID outside the sha2-256/raw family is registered for real and read back byte for byte', async () => {
  // dag-json with blake2b-256: multi-byte varints for both codes.
  const cid = cidV1(0x0129, 0xb220, Uint8Array.from({ length: 32 }, (_, i) => i * 7))
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  try {
    const signer = new Keyring({ type: 'sr25519' }).addFromUri('//Ferdie')
    const key = client.accountKey(signer)
    const text = cidFromChain(`0x${hex(cid)}`)
    const result = await client.register(key, text, signer, { waitFor: 'inBlock' })
    assert.deepEqual(result.events.map((event) => event.type), ['ModuleRegistered'])
    const { record } = await client.getModule(key, 'best')
    assert.equal(record?.cid, text)
    const stored = (await api.query.moduleRegistry.modules(key)).toJSON() as { cid: string }
    assert.equal(stored.cid, `0x${hex(cid)}`)
  } finally {
    await client.disconnect()
  }
})
