/**
 * Node smoke test against the real `modnet-node` binary: blocks and GRANDPA
 * finality, a real `register_module` extrinsic read back by storage and by the
 * runtime API, a bad key proof refused, Prometheus metrics, the generated
 * chain spec followed by the smoldot light client, and the module surviving a
 * restart on the same base path.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import type { KeyringPair } from '@polkadot/keyring/types'
import { stringToU8a, u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { generateChainSpecs } from '../chain-spec/generate.ts'
import { keyOwnershipPayload, rawCidHex } from './support/registry.ts'
import { rpc, startDevNode, waitFor, type DevNode } from './support/node.ts'

const run = promisify(execFile)

interface Outcome {
  blockHash: string
  events: { section: string; method: string; data: any }[]
  error?: string
}

/** Signs and submits `tx`, resolving once its block is finalized. */
async function submitFinalized(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair): Promise<Outcome> {
  return await new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) reject(new Error(`transaction ${status.type}`))
      if (!status.isFinalized) return
      let error: string | undefined
      if (dispatchError?.isModule) {
        const meta = api.registry.findMetaError(dispatchError.asModule)
        error = `${meta.section}.${meta.name}`
      } else if (dispatchError) {
        error = dispatchError.toString()
      }
      resolve({
        blockHash: status.asFinalized.toHex(),
        events: events.map(({ event }) => ({ section: event.section, method: event.method, data: event.data.toJSON() })),
        error,
      })
    }).catch(reject)
  })
}

let basePath: string
let node: DevNode
let api: ApiPromise
let alice: KeyringPair
let bob: KeyringPair
const metadataCid = rawCidHex(stringToU8a('{"name":"smoke","version":"0.1.0"}'))

before(async () => {
  await cryptoWaitReady()
  const keyring = new Keyring({ type: 'sr25519' })
  alice = keyring.addFromUri('//Alice') // DEV key
  bob = keyring.addFromUri('//Bob') // DEV key
  basePath = mkdtempSync(join(tmpdir(), 'modnet-smoke-'))
  node = await startDevNode(basePath)
  api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true })
})

after(async () => {
  await api?.disconnect()
  await node?.stop()
  if (basePath) rmSync(basePath, { recursive: true, force: true })
})

test('the dev chain produces blocks and GRANDPA finalizes them', { timeout: 90_000 }, async () => {
  await waitFor(async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() >= 3, 60_000)
  const best = (await api.rpc.chain.getHeader()).number.toNumber()
  assert.ok(best >= 3, `best block ${best}`)
  assert.equal(api.runtimeVersion.specName.toString(), 'modnet')
})

test('register_module with the signer’s own key lands and reads back by storage and runtime API', { timeout: 60_000 }, async () => {
  const key = u8aToHex(alice.publicKey)
  const outcome = await submitFinalized(
    api,
    api.tx.moduleRegistry.registerModule(key, metadataCid, { SignerIsKey: null }),
    alice,
  )
  assert.equal(outcome.error, undefined)
  const registered = outcome.events.find((e) => e.section === 'moduleRegistry' && e.method === 'ModuleRegistered')
  assert.ok(registered, 'ModuleRegistered event')
  assert.equal(registered.data[2], metadataCid)

  const atFinalized = await api.at(outcome.blockHash)
  const stored = (await atFinalized.query.moduleRegistry.modules(key)) as any
  assert.ok(stored.isSome, 'record in storage')
  const record = stored.unwrap()
  assert.equal(record.owner.toString(), alice.address)
  assert.equal(record.cid.toHex(), metadataCid)
  assert.equal(record.revision.toNumber(), 0)
  assert.ok(record.deposit.toBigInt() > 0n, 'a deposit is held')

  const viaApi = (await api.call.moduleRegistryApi.getModule(key)) as any
  assert.ok(viaApi.isSome, 'record via runtime API')
  assert.equal(viaApi.unwrap().cid.toHex(), metadataCid)
  assert.equal(((await api.call.moduleRegistryApi.moduleCount()) as any).toNumber(), 1)
  const owned = (await api.call.moduleRegistryApi.modulesOf(alice.address)) as any
  assert.deepEqual(owned.map((k: any) => k.toHex()), [key])
})

test('a key-ownership proof works for its account and is refused for another', { timeout: 60_000 }, async () => {
  const moduleKey = new Keyring({ type: 'sr25519' }).addFromUri('//smoke-module') // DEV key
  const payload = keyOwnershipPayload(api.genesisHash.toU8a(), alice.publicKey, moduleKey.publicKey, 0)
  const proof = { Signature: { Sr25519: moduleKey.sign(payload) } }
  const otherCid = rawCidHex(stringToU8a('other'))
  const moduleKeyHex = u8aToHex(moduleKey.publicKey)

  const replay = await submitFinalized(api, api.tx.moduleRegistry.registerModule(moduleKeyHex, otherCid, proof), bob)
  assert.equal(replay.error, 'moduleRegistry.BadKeyProof')
  assert.ok(((await api.query.moduleRegistry.modules(moduleKeyHex)) as any).isNone, 'nothing stored')

  const ok = await submitFinalized(api, api.tx.moduleRegistry.registerModule(moduleKeyHex, otherCid, proof), alice)
  assert.equal(ok.error, undefined)
  assert.equal(((await api.query.moduleRegistry.moduleCount()) as any).toNumber(), 2)
})

test('Prometheus exposes block heights', { timeout: 10_000 }, async () => {
  const metrics = await (await fetch(node.prometheusUrl)).text()
  assert.match(metrics, /substrate_block_height\{status="finalized"/)
})

test('smoldot boots from the generated chain spec, dials the ws address and reads the same record', { timeout: 120_000 }, async () => {
  const outDir = join(basePath, 'specs')
  const specs = generateChainSpecs({ outDir, bootnodeAddr: node.wsListenAddr, publish: false })
  const chainSpec = readFileSync(specs.dev, 'utf8')
  const parsed = JSON.parse(chainSpec)
  assert.ok(parsed.genesis.raw, 'raw genesis')
  assert.match(parsed.bootNodes[0], /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\/12D3Koo/)
  const peerId = parsed.bootNodes[0].split('/p2p/')[1]
  assert.equal((await api.rpc.system.localPeerId()).toString(), peerId, 'bootNodes names the running node')

  const registeredAt = ((await api.query.moduleRegistry.modules(u8aToHex(alice.publicKey))) as any).unwrap().registeredAt.toNumber()
  const storageKey = api.query.moduleRegistry.modules.key(u8aToHex(alice.publicKey))
  const reader = join(import.meta.dirname, 'support', 'light-client-read.ts')
  const { stdout } = await run(process.execPath, [reader, specs.dev, storageKey, String(registeredAt)], { timeout: 110_000 })
  const light = JSON.parse(stdout)
  assert.ok(light.value, 'light client found the record')
  const full = await rpc(node, 'state_getStorage', [storageKey, light.finalizedHash])
  assert.equal(light.value, full, 'same bytes as the full node')
})

test('the module survives a restart on the same base path', { timeout: 120_000 }, async () => {
  await api.disconnect()
  await node.stop()
  node = await startDevNode(basePath)
  api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true })
  const stored = (await api.query.moduleRegistry.modules(u8aToHex(alice.publicKey))) as any
  assert.ok(stored.isSome, 'record still there')
  assert.equal(stored.unwrap().cid.toHex(), metadataCid)
  assert.equal(((await api.query.moduleRegistry.moduleCount()) as any).toNumber(), 2)
  // And the chain goes on finalizing after the restart.
  const before = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber()
  await waitFor(async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() > before + 1, 60_000)
})
