/**
 * A 4-validator network on loopback (real modnet-node processes, the chain
 * spec from chain-spec/new-network.ts), broken on purpose, in order:
 * 1. one validator stopped: blocks and finality go on; a registration made
 *    meanwhile is finalized and read back through the light client;
 * 2. a second one stopped: finality stalls (GRANDPA needs more than 2/3) while
 *    blocks go on; both back: finality resumes and the registration made
 *    during the stall is finalized;
 * 3. a full node started later warp-syncs and serves the same records and
 *    count; smoldot booted from the chain spec reads them at a finalized block;
 * 4. every node restarted on its data: every module is still there and
 *    finality continues;
 * 5. one validator cut off the network (its peers dropped, process running)
 *    rejoins and converges on the finalized chain;
 * 6. governance adds a fifth validator (keys rotated on its node, set with
 *    session.setKeys, added by sudo, all with scripts/validator.ts as an
 *    operator would): it authors after the next session; once one is
 *    removed, finality no longer needs it; a removal below the minimum is
 *    refused; a light client from the original chain spec follows the
 *    authority-set changes and reads finalized state;
 * 7. a module card made then carries both set changes and proves its block
 *    final from the original chain spec, offline; without them it is refused.
 * Sessions last 10 blocks (10 s) so set changes land in seconds.
 *
 * The tests run as one sequence, in this order, on the one network `before`
 * starts: each starts from the network the one before left (the second brings
 * back Dave, whom the first stopped; the warp-sync, restart and light-client
 * checks expect every module registered so far), since building a
 * 4-validator network per test would take most of the run. Run alone, a later
 * test fails.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'
import { chainAnchor } from '../../lib/chain/chain-spec.ts'
import { computeCid, EmbeddedIpfs, memoryStorage } from '../../lib/ipfs/index.ts'
import { makeCard, rpcFinalityProofs, rpcStorageProofs, verifyCard, type ModuleCard } from '../../lib/registry/index.ts'
import { LocalNetwork } from '../../scripts/network/local-network.ts'
import { sleep, waitUntil } from '../../scripts/child-process.ts'
import type { NodeProcess } from '../../scripts/network/node-process.ts'
import { authorsOf } from '../support/aura.ts'
import { modnet } from '../support/cli.ts'
import { freePort } from '../support/ports.ts'

const LIGHT_CLIENT_READ = join(import.meta.dirname, '..', 'support', 'light-client-modules.ts')
const VALIDATOR_SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'validator.ts')
const DEV_CHAIN_SPEC = join(import.meta.dirname, '..', '..', 'chain-spec', 'modnet-dev.raw.json')
let dir: string
let network: LocalNetwork
let sr: Keyring
const registered = new Map<string, string>() // module key -> cid

async function ports(): Promise<{ rpc: number; p2p: number }> {
  return { rpc: await freePort(), p2p: await freePort() }
}

/** A node of the network that is running, to submit through. */
function liveNode(): NodeProcess {
  const node = network.nodes.find((n) => n.running)
  if (node === undefined) throw new Error('no node is running')
  return node
}

async function withClient<T>(node: NodeProcess, use: (client: ModuleRegistryClient) => Promise<T>): Promise<T> {
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  try {
    return await use(client)
  } finally {
    await client.disconnect()
  }
}

/** Registers a fresh module (its own key, a unique CID), signed by //Ferdie. */
async function registerModule(label: string, waitFor: 'inBlock' | 'finalized' = 'finalized'): Promise<{ key: string; cid: string; blockNumber: number; blockHash: string }> {
  const moduleKey = sr.addFromUri(`//network-test/${label}/${Date.now()}`)
  const cid = (await computeCid(new TextEncoder().encode(`network test ${label} ${Date.now()} ${Math.random()}`))).toString()
  const key = u8aToHex(moduleKey.publicKey)
  const result = await withClient(liveNode(), (client) =>
    client.register(key, cid, sr.addFromUri('//Ferdie'), { moduleSigner: moduleKey, waitFor, timeoutMs: 60_000 }))
  registered.set(key, cid)
  return { key, cid, blockNumber: result.blockNumber, blockHash: result.blockHash }
}

interface LightRead { blockNumber: number; verifiedBy: string; count: number; cids: Record<string, string | null> }

/** What smoldot, booted from the network's chain spec, proves at a finalized block at or above `minFinalized`. */
async function lightClientRead(minFinalized: number, keys: string[]): Promise<LightRead> {
  return await new Promise((resolve, reject) => {
    execFile(process.execPath, [LIGHT_CLIENT_READ, network.specFile, String(minFinalized), ...keys], { timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`light client read failed: ${stderr || error.message}`))
      else resolve(JSON.parse(stdout) as LightRead)
    })
  })
}

async function assertAllRegisteredVisibleToLightClient(minFinalized: number): Promise<void> {
  const keys = [...registered.keys()]
  const read = await lightClientRead(minFinalized, keys)
  assert.equal(read.verifiedBy, 'light-client')
  assert.ok(read.blockNumber >= minFinalized)
  assert.equal(read.count, registered.size, 'the module count counts every registration')
  for (const key of keys) assert.equal(read.cids[key], registered.get(key), `module ${key} is there`)
}

/** Waits until `node`'s finalized block passes `number` (finality moves). */
async function finalizedPast(node: NodeProcess, number: number, timeoutMs = 60_000): Promise<void> {
  await waitUntil(`${node.name} to finalize past #${number}`, async () => (await node.heads()).finalized > number, timeoutMs)
}

before(async () => {
  await cryptoWaitReady()
  sr = new Keyring({ type: 'sr25519', ss58Format: 42 })
  dir = mkdtempSync(join(tmpdir(), 'modnet-network-'))
  network = await LocalNetwork.create({
    home: dir,
    sessionLength: 10,
    ports: { rpc: await freePort(), p2p: await freePort(), ws: await freePort(), validators: [await ports(), await ports(), await ports(), await ports()] },
  })
  await network.start(2)
})

after(async () => {
  await network?.stop()
  if (process.env.MODNET_KEEP_TEST_DIR === undefined) rmSync(dir, { recursive: true, force: true })
  else console.log(`network test state kept in ${dir}`)
})

describe('a 4-validator network survives faults', { timeout: 20 * 60_000 }, () => {
  test('one validator down: blocks and finality go on, and a registration is finalized and proved', async () => {
    const [, , , dave] = network.validators
    await dave.stop()
    const before = (await network.rpcNode.heads()).finalized
    const module = await registerModule('one-down')
    await finalizedPast(network.rpcNode, before + 5)
    await assertAllRegisteredVisibleToLightClient(module.blockNumber)
  })

  test('two validators down: finality stalls while blocks go on; both back: it resumes and nothing is lost', async () => {
    const [, , charlie, dave] = network.validators
    await charlie.stop()
    // Let any vote already under way settle, then watch finality stand still while blocks grow.
    await sleep(3_000)
    const stalled = await network.rpcNode.heads()
    const module = await registerModule('stalled', 'inBlock')
    await waitUntil('blocks to go on', async () => (await network.rpcNode.heads()).best >= stalled.best + 4, 30_000)
    const during = await network.rpcNode.heads()
    assert.equal(during.finalized, stalled.finalized, `finality stalled with 2 of 4 validators (was #${stalled.finalized}, now #${during.finalized})`)
    assert.ok(module.blockNumber > stalled.finalized, 'the registration landed in a block finality has not reached')

    const resumedFrom = Date.now()
    await Promise.all([charlie.start(), dave.start()])
    await finalizedPast(network.rpcNode, module.blockNumber, 90_000)
    console.log(`finality resumed ${((Date.now() - resumedFrom) / 1000).toFixed(1)} s after the two validators were started again`)
    await assertAllRegisteredVisibleToLightClient(module.blockNumber)
  })

  test('a full node started later warp-syncs and serves the same modules and count', async () => {
    const late = await network.addNode('late-full', 'full', await ports())
    const target = (await network.rpcNode.heads()).finalized
    await finalizedPast(late, target, 90_000)
    // Warp sync lands on a finalized block without its ancestors (they are filled in later);
    // reads at a block need its parent, so read at one imported after the landing.
    await finalizedPast(late, (await late.heads()).finalized + 1, 30_000)
    await withClient(late, async (client) => {
      const at = (await client.readPoint('finalized')).blockHash as `0x${string}`
      assert.equal((await client.count(at)).count, registered.size)
      for (const [key, cid] of registered) assert.equal((await client.getModule(key, at)).record?.cid, cid)
    })
    await assertAllRegisteredVisibleToLightClient(target)
  })

  test('every node restarted on its data: every module is still there and finality continues', async () => {
    const before = (await network.rpcNode.heads()).finalized
    await network.stop()
    await network.start()
    await finalizedPast(network.rpcNode, before + 3, 90_000)
    const module = await registerModule('after-restart')
    await assertAllRegisteredVisibleToLightClient(module.blockNumber)
  })

  test('a validator cut off the network rejoins and converges on the finalized chain', async () => {
    const bob = network.validators[1]
    const peers = () => network.nodes.filter((n) => n !== bob && n.running)
    // Reserved-only, so that dropping its reserved peers cuts it off (outgoing and incoming)
    // while the process runs on. On the libp2p backend: litep2p, the default, keeps the
    // connections of a removed reserved peer (checked with stable2609; cf. substrate#7704).
    const usual = { extraArgs: bob.spec.extraArgs, bootnodes: bob.spec.bootnodes }
    await bob.stop()
    bob.spec.extraArgs = ['--network-backend', 'libp2p', '--reserved-only', ...peers().flatMap((n) => ['--reserved-nodes', n.p2pAddr])]
    bob.spec.bootnodes = []
    await bob.start()
    await finalizedPast(bob, (await network.rpcNode.heads()).finalized, 60_000)

    for (const peer of peers()) await bob.rpc('system_removeReservedPeer', [peer.peerId])
    await waitUntil('Bob to have no peers', async () => (await bob.rpc('system_health')).peers === 0, 30_000)
    const cutAt = (await bob.heads()).finalized
    await finalizedPast(network.rpcNode, cutAt + 5, 60_000)
    assert.ok((await bob.heads()).finalized <= cutAt + 1, 'cut off, Bob finalizes nothing new')

    for (const peer of peers()) await bob.rpc('system_addReservedPeer', [peer.p2pAddr])
    const target = (await network.rpcNode.heads()).finalized
    await finalizedPast(bob, target, 90_000)
    const [ours, theirs] = await Promise.all([
      bob.rpc<string>('chain_getBlockHash', [target]),
      network.rpcNode.rpc<string>('chain_getBlockHash', [target]),
    ])
    assert.equal(ours, theirs, 'Bob is on the same finalized chain')
    await bob.stop()
    Object.assign(bob.spec, usual)
    await bob.start()
  })

  test('governance adds a fifth validator, which authors after the next session, and removes one, which then is not needed', async () => {
    const account = (name: string) => sr.addFromUri(`//${name}`).address
    // The operator's steps (docs/operators.md): a node with an empty keystore, keys made on it
    // and set on chain with their proof, then governance adds the account.
    const eve = await network.addNode('eve', 'validator', await ports())
    await validatorScript(['set-keys', '--node', eve.rpcUrl, '--rpc', network.rpcNode.rpcUrl], { MODNET_ACCOUNT_URI: '//Eve' })
    await validatorScript(['add', account('Eve'), '--rpc', network.rpcNode.rpcUrl], { MODNET_SUDO_URI: '//Alice' })
    const [alice, bob, charlie, dave] = network.validators
    await withClient(network.rpcNode, async (client) => {
      const { api } = client
      const eveAura = ((await api.query.session.nextKeys(account('Eve'))).toJSON() as { aura: string }).aura
      await waitUntil('Eve to join the Aura authorities', async () => ((await api.query.aura.authorities()).toJSON() as string[]).includes(eveAura), 60_000)
      const joined = (await api.rpc.chain.getHeader()).number.toNumber()
      await finalizedPast(network.rpcNode, joined + 12, 60_000)
      assert.ok((await authorsOf(api, joined, joined + 12)).includes(eveAura), 'Eve authored a block')

      const bobAura = u8aToHex(sr.addFromUri('//Bob').publicKey)
      await validatorScript(['remove', account('Bob'), '--rpc', network.rpcNode.rpcUrl], { MODNET_SUDO_URI: '//Alice' })
      await waitUntil('Bob to leave the Aura authorities', async () => !((await api.query.aura.authorities()).toJSON() as string[]).includes(bobAura), 60_000)
      // Let the GRANDPA set change that came with it be finalized, then check it took.
      await finalizedPast(network.rpcNode, (await api.rpc.chain.getHeader()).number.toNumber() + 2, 60_000)
      assert.equal((await api.query.grandpa.currentSetId()).toJSON(), 2, 'two GRANDPA authority-set changes: Eve in, Bob out')
    })
    // Four is the minimum (runtime MIN_VALIDATORS): one more removal is refused, in words.
    await assert.rejects(validatorScript(['remove', account('Dave'), '--rpc', network.rpcNode.rpcUrl], { MODNET_SUDO_URI: '//Alice' }), /minimum size/)
    // With Bob out, Alice, Charlie and Eve are 3 of 4: finality goes on without Bob and Dave.
    // (Had Bob stayed in, 3 of 5 would stall it.)
    await Promise.all([bob.stop(), dave.stop()])
    await finalizedPast(network.rpcNode, (await network.rpcNode.heads()).finalized + 3, 60_000)
    assert.ok(alice.running && charlie.running && eve.running)
    // A light client from the original spec follows both set changes (warp sync over them).
    await assertAllRegisteredVisibleToLightClient((await network.rpcNode.heads()).finalized)
  })

  test('a module card made after both set changes proves its block final from the original chain spec, offline', async () => {
    // Its metadata in an IPFS of its own: the card carries the bytes, checked against the CID.
    const ipfs = await EmbeddedIpfs.open(memoryStorage())
    try {
      const bytes = new TextEncoder().encode(JSON.stringify({ name: 'card-after-set-changes', at: Date.now() }))
      const cid = await ipfs.add(bytes)
      const moduleKey = sr.addFromUri(`//network-test/card/${Date.now()}`)
      const key = u8aToHex(moduleKey.publicKey)
      const anchor = chainAnchor(JSON.parse(readFileSync(network.specFile, 'utf8')))
      const card = await withClient(liveNode(), async (client) => {
        await client.register(key, cid.toString(), sr.addFromUri('//Ferdie'), { moduleSigner: moduleKey, waitFor: 'finalized', timeoutMs: 60_000 })
        registered.set(key, cid.toString())
        return await makeCard({ chain: client, ipfs }, key, rpcStorageProofs(client), rpcFinalityProofs(client), { anchor })
      })
      assert.equal(card.finality?.setChanges.length, 2, 'Eve in, Bob out: two set changes since genesis')
      const check = verifyCard(JSON.parse(JSON.stringify(card)), { anchor })
      assert.equal(check.finality.status, 'proved')
      assert.deepEqual(check.finality.status === 'proved' && [check.finality.setId, check.finality.authorities, check.finality.setChanges], ['2', 4, 2])

      // Without the changes (or only the first, or out of order) the block is checked against an old set, and refused.
      const refusedWith = (change: (c: ModuleCard) => void, reason: RegExp, name: string) => {
        const copy = JSON.parse(JSON.stringify(card)) as ModuleCard
        change(copy)
        assert.throws(() => verifyCard(copy, { anchor }), (error: Error) => reason.test(error.message), name)
      }
      refusedWith((c) => { c.finality!.setChanges = [] }, /its finality proof: the justification does not finalize block #\d+: \d of 4 authorities of set 0 signed/, 'no set changes')
      refusedWith((c) => { c.finality!.setChanges.pop() }, /its finality proof: the justification does not finalize block #\d+: \d of 5 authorities of set 1 signed/, 'the second change left out')
      refusedWith((c) => { c.finality!.setChanges.reverse() }, /its finality proof: set change 1 \(block #\d+\): the justification does not finalize/, 'out of order')

      // The CLI says the same from the file, and refuses the card against another chain's spec.
      const file = join(dir, 'network-card.json')
      writeFileSync(file, JSON.stringify(card))
      const checked = await modnet(['verify-card', file, '--chain-spec', network.specFile, '--require-finality'])
      assert.equal(checked.code, 0, checked.stderr)
      assert.match(checked.stdout, /finality: PROVED, block #\d+ signed by [34] of 4 authorities of set 2 .* through 2 change\(s\)\./)
      const otherChain = await modnet(['verify-card', file, '--chain-spec', DEV_CHAIN_SPEC])
      assert.equal(otherChain.code, 6)
      assert.match(otherChain.stderr, /it is for chain 0x[0-9a-f]{64}, not the chain spec's/)
    } finally {
      await ipfs.close()
    }
  })
})

/** Runs scripts/validator.ts; rejects with its stderr when it fails. */
async function validatorScript(args: string[], env: Record<string, string>): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile(process.execPath, [VALIDATOR_SCRIPT, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`validator.ts ${args[0]} failed (${error.code}): ${stderr}`))
      else resolve(stdout)
    })
  })
}
