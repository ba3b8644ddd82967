/**
 * A runtime upgrade enacted by governance on a running 4-validator network.
 * The network starts on the spec-100 runtime (runtime/releases/, the last
 * one without an on-chain validator set). Modules are registered on it, then:
 * - try-runtime (scripts/try-upgrade.ts) checks this repo's runtime against the
 *   live chain's state: the migration's pre/post checks, every pallet's
 *   try_state, a decode of all storage;
 * - sudo enacts `system.setCode` with this build's runtime (spec 103);
 * - every node runs spec 103, the migration turned the authorities into the
 *   validator set with their session keys, and finality never stops;
 * - listing pages the same modules before (storage keys) and after (the
 *   paged runtime API) the upgrade;
 * - the registry's storage moved to version 2 with every record unchanged:
 *   the modules registered before have an empty history that the next change
 *   starts, and a key proof of the old format no longer registers;
 * - a light client booted from the original (spec 100) chain spec reads the
 *   modules registered before the upgrade;
 * - governance then adds a validator, which authors: the migrated state works.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { buildRawSpec, embeddedRuntimeCode, setSessionLength, SPEC_PROPERTIES } from '../../chain-spec/new-network.ts'
import { specJson } from '../../chain-spec/network-config.ts'
import { cidToChain, EMPTY_HISTORY, keyOwnershipProof, ModuleRegistryClient, replayHistory, submit } from '../../lib/chain/index.ts'
import { computeCid } from '../../lib/ipfs/index.ts'
import { DEV_NAMES, LocalNetwork } from '../../scripts/network/local-network.ts'
import { waitUntil } from '../../scripts/child-process.ts'
import type { NodeProcess } from '../../scripts/network/node-process.ts'
import { checkUpgrade, takeSnapshot } from '../../scripts/try-upgrade.ts'
import { authorsOf } from '../support/aura.ts'
import { freePort } from '../support/ports.ts'

const OLD_RUNTIME = new URL('../../runtime/releases/modnet-runtime-100.compact.compressed.wasm', import.meta.url)
const LIGHT_CLIENT_READ = join(import.meta.dirname, '..', 'support', 'light-client-modules.ts')
const VALIDATOR_SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'validator.ts')
let dir: string
let network: LocalNetwork
let sr: Keyring
const registered = new Map<string, string>()

function run(script: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { env: { ...process.env, ...env }, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${script} failed: ${stderr || error.message}`))
      else resolve(stdout)
    })
  })
}

/** The spec-100 genesis: Aura and GRANDPA authorities in their own pallets, as that runtime had it. */
async function spec100(rpcPeerId: string, ports: { ws: number; p2p: number }): Promise<string> {
  const ed = new Keyring({ type: 'ed25519', ss58Format: 42 })
  const validators = DEV_NAMES.slice(0, 4)
  const raw = buildRawSpec({
    name: 'Mod-Net Upgrade Test', id: 'modnet_upgrade_test', chainType: 'Local',
    bootNodes: [`/ip4/127.0.0.1/tcp/${ports.ws}/ws/p2p/${rpcPeerId}`, `/ip4/127.0.0.1/tcp/${ports.p2p}/p2p/${rpcPeerId}`],
    telemetryEndpoints: null, protocolId: 'modnet-upgrade', properties: SPEC_PROPERTIES, codeSubstitutes: {},
    genesis: { runtimeGenesis: {
      code: u8aToHex(readFileSync(OLD_RUNTIME)),
      patch: {
        balances: { balances: DEV_NAMES.map((name) => [sr.addFromUri(`//${name}`).address, 1n << 60n]) },
        aura: { authorities: validators.map((name) => sr.addFromUri(`//${name}`).address) },
        grandpa: { authorities: validators.map((name) => [ed.addFromUri(`//${name}`).address, 1]) },
        sudo: { key: sr.addFromUri('//Alice').address },
      },
    } },
  })
  // Read by spec 101 once it runs (spec 100 ignores the key): 10-block sessions after the upgrade.
  setSessionLength(raw, 10)
  return specJson(raw)
}

/** Every module key, listed a page of one at a time; `paged` says which listing the runtime must offer. */
async function listedKeys(client: ModuleRegistryClient, paged: boolean): Promise<string[]> {
  const at = (await client.api.rpc.chain.getFinalizedHead()).toHex()
  assert.equal(typeof ((await client.api.at(at)).call as any).moduleRegistryApi?.modulesPage, paged ? 'function' : 'undefined')
  const keys: string[] = []
  let startKey: string | undefined
  do {
    const page = await client.listModules({ pageSize: 1, startKey, at })
    keys.push(...page.modules.map((module) => module.key))
    startKey = page.nextKey
  } while (startKey !== undefined)
  return keys.sort()
}

async function specVersion(node: NodeProcess): Promise<number> {
  return (await node.rpc<{ specVersion: number }>('state_getRuntimeVersion')).specVersion
}

async function withClient<T>(use: (client: ModuleRegistryClient) => Promise<T>): Promise<T> {
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: network.rpcNode.rpcUrl })
  try {
    return await use(client)
  } finally {
    await client.disconnect()
  }
}

before(async () => {
  await cryptoWaitReady()
  sr = new Keyring({ type: 'sr25519', ss58Format: 42 })
  dir = mkdtempSync(join(tmpdir(), 'modnet-upgrade-'))
  const ports = { rpc: await freePort(), p2p: await freePort(), ws: await freePort(), validators: [] as { rpc: number; p2p: number }[] }
  for (let i = 0; i < 4; i++) ports.validators.push({ rpc: await freePort(), p2p: await freePort() })
  network = await LocalNetwork.create({ home: dir, ports, spec: (peerId) => spec100(peerId, ports) })
  await network.start(2)
})

after(async () => {
  await network?.stop()
  if (process.env.MODNET_KEEP_TEST_DIR === undefined) rmSync(dir, { recursive: true, force: true })
  else console.log(`upgrade test state kept in ${dir}`)
})

test('governance upgrades a running network from spec 100 to this runtime; nothing is lost', { timeout: 15 * 60_000 }, async () => {
  assert.equal(await specVersion(network.rpcNode), 100)
  const ferdie = sr.addFromUri('//Ferdie')
  await withClient(async (client) => {
    for (const label of ['one', 'two']) {
      const moduleKey = sr.addFromUri(`//upgrade-test/${label}`)
      const cid = (await computeCid(new TextEncoder().encode(`upgrade test ${label} ${Date.now()}`))).toString()
      const key = u8aToHex(moduleKey.publicKey)
      await client.register(key, cid, ferdie, { moduleSigner: moduleKey })
      registered.set(key, cid)
    }
  })

  const listedBefore = await withClient((client) => listedKeys(client, false))
  assert.deepEqual(listedBefore, [...registered.keys()].sort())

  // try-runtime against the live state, before anything is enacted.
  const before = await checkUpgrade(await takeSnapshot(network.rpcNode.rpcUrl))
  assert.match(before, /upgrade to spec 103 checked against \d+ keys .* pass/)

  const upgradedAt = await withClient(async ({ api }) => {
    const code = embeddedRuntimeCode()
    const alice = sr.addFromUri('//Alice')
    // set_code weighs a whole block; sudo_unchecked_weight is how governance submits it.
    const result = await submit(api, api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(code), { refTime: 1, proofSize: 0 }), alice)
    return result.blockNumber
  })
  for (const node of network.nodes) await waitUntil(`${node.name} to run spec 103`, async () => (await specVersion(node)) === 103, 60_000)
  const after = await network.rpcNode.heads()
  await waitUntil('finality past the upgrade', async () => (await network.rpcNode.heads()).finalized > Math.max(upgradedAt, after.finalized) + 3, 60_000)

  const account = (name: string) => sr.addFromUri(`//${name}`).address
  await withClient(async ({ api }) => {
    const members = (await api.query.validatorSet.members()).toJSON() as string[]
    assert.deepEqual([...members].sort(), DEV_NAMES.slice(0, 4).map(account).sort(), 'the authorities became the validator set')
    assert.deepEqual((await api.query.session.validators()).toJSON(), members)
    for (const who of members) assert.ok((await api.query.session.nextKeys(who)).toJSON() !== null, `${who} has session keys`)
    assert.equal(((await api.query.aura.authorities()).toJSON() as string[]).length, 4)
  })
  assert.deepEqual(await withClient((client) => listedKeys(client, true)), listedBefore)
  await withClient(async (client) => {
    const [first] = [...registered.keys()]
    assert.deepEqual((await client.getHistory(first!)).history, EMPTY_HISTORY, 'a module from before the upgrade has an empty history')
    const newCid = (await computeCid(new TextEncoder().encode(`after the upgrade ${Date.now()}`))).toString()
    const updated = await client.update(first!, newCid, ferdie)
    assert.deepEqual((await client.getHistory(first!)).history, replayHistory(updated.events), 'the next change starts it')
    // A proof in the old format (v1 domain, no nonce) no longer registers.
    const fresh = sr.addFromUri('//upgrade-test/after')
    const freshKey = u8aToHex(fresh.publicKey)
    const legacy = keyOwnershipProof(client.genesisHash, ferdie.address, freshKey, 'legacy', fresh)
    await assert.rejects(submit(client.api, client.api.tx.moduleRegistry.registerModule(freshKey, cidToChain(newCid), legacy), ferdie), { error: 'BadKeyProof' })
    await client.register(freshKey, newCid, ferdie, { moduleSigner: fresh })
    registered.set(first!, newCid)
    registered.set(freshKey, newCid)
  })
  // Nothing left to migrate, and every pallet's try_state holds on the upgraded chain.
  assert.match(await checkUpgrade(await takeSnapshot(network.rpcNode.rpcUrl)), /pass/)

  // The light client from the spec-100 chain spec follows the upgrade and proves the old modules.
  const read = JSON.parse(await run(LIGHT_CLIENT_READ, [network.specFile, String(upgradedAt + 1), ...registered.keys()])) as { count: number; cids: Record<string, string | null>; verifiedBy: string }
  assert.equal(read.verifiedBy, 'light-client')
  assert.equal(read.count, registered.size)
  for (const [key, cid] of registered) assert.equal(read.cids[key], cid)

  // The migrated validator set works: governance adds Eve, and she authors.
  const eve = await network.addNode('eve', 'validator', { rpc: await freePort(), p2p: await freePort() })
  await run(VALIDATOR_SCRIPT, ['set-keys', '--node', eve.rpcUrl, '--rpc', network.rpcNode.rpcUrl], { MODNET_ACCOUNT_URI: '//Eve' })
  await run(VALIDATOR_SCRIPT, ['add', account('Eve'), '--rpc', network.rpcNode.rpcUrl], { MODNET_SUDO_URI: '//Alice' })
  await withClient(async ({ api }) => {
    const eveAura = ((await api.query.session.nextKeys(account('Eve'))).toJSON() as { aura: string }).aura
    await waitUntil('Eve to join the Aura authorities', async () => ((await api.query.aura.authorities()).toJSON() as string[]).includes(eveAura), 90_000)
    const joined = (await api.rpc.chain.getHeader()).number.toNumber()
    await waitUntil('finality 12 blocks on', async () => (await network.rpcNode.heads()).finalized > joined + 12, 60_000)
    assert.ok((await authorsOf(api, joined, joined + 12)).includes(eveAura), 'Eve authored a block')
  })
  assert.ok(eve.running)
})
