/**
 * The `modnet` CLI as a user runs it, against a real dev node and a real
 * gateway (embedded Helia): register → get through the light client and the
 * RPC path, update, transfer, remove, refusals with the pallet's error and
 * exit codes, a tampering gateway detected, and bad input named in words.
 *
 * The tests run as one sequence, in file order: they follow one module
 * through its life as a user would (the first registers //Alice's module; the
 * next six, warm start, bundle, update, stranger, card and transfer/remove,
 * take it as the one before left it). Run alone, those six fail. The tests
 * after them (tampering gateway, bad input, embedded store, listing) make
 * what they need themselves.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { ApiPromise, WsProvider } from '@polkadot/api'
import { generateChainSpecs } from '../../chain-spec/generate.ts'
import { cidToChain, keyOwnershipProof, submit } from '../../lib/chain/index.ts'
import { BUNDLE, modnet } from '../support/cli.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { startDevNode, type DevNode } from '../support/node.ts'
import { tamperingProxy } from '../support/tamper.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
let node: DevNode
let gateway: RunningGateway
let dir: string
let chainSpec: string
let localChainSpec: string
let rpcArgs: string[]
let lightArgs: string[]
const keyring = new Keyring({ type: 'sr25519' })
let aliceKey: string

function metadataFile(name: string, document: unknown): string {
  const file = join(dir, `${name}.json`)
  writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document, null, 2))
  return file
}

before(async () => {
  await cryptoWaitReady()
  aliceKey = u8aToHex(keyring.addFromUri('//Alice').publicKey)
  dir = mkdtempSync(join(tmpdir(), 'modnet-cli-'))
  node = await startDevNode(join(dir, 'chain'))
  const specs = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false })
  chainSpec = specs.dev
  localChainSpec = specs.local
  gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl])
  rpcArgs = ['--rpc', node.rpcUrl, '--ipfs', `gateway:${gateway.url}`]
  lightArgs = ['--chain-spec', chainSpec, '--ipfs', `gateway:${gateway.url}`]
})

after(async () => {
  await gateway?.stop()
  await node?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('register through the light client, then get: record proved by smoldot, metadata matching its CID', async () => {
  const registered = await modnet([...lightArgs, 'register', '--metadata', metadataFile('hello', example), '--key-uri', '//Alice', '--json'])
  assert.equal(registered.code, 0, registered.stderr)
  assert.equal(registered.json.action, 'registered')
  assert.equal(registered.json.key, aliceKey)
  assert.match(registered.json.cid, /^bafkrei/)
  assert.deepEqual(registered.json.events.map((e: { type: string }) => e.type), ['ModuleRegistered'])

  const light = await modnet([...lightArgs, 'get', aliceKey, '--json'])
  assert.equal(light.code, 0, light.stderr)
  assert.equal(light.json.record.cid, registered.json.cid)
  assert.equal(light.json.readAt.verifiedBy, 'light-client')
  assert.equal(light.json.readAt.finalized, true)
  assert.deepEqual(light.json.verification.schema, { valid: true })
  assert.equal(light.json.verification.signature.status, 'valid')
  assert.equal(light.json.metadata.name, example.name)

  // The RPC path reads the same record.
  const rpc = await modnet([...rpcArgs, 'get', aliceKey, '--json'])
  assert.equal(rpc.code, 0, rpc.stderr)
  assert.equal(rpc.json.readAt.verifiedBy, 'rpc')
  assert.deepEqual(rpc.json.record, light.json.record)
  assert.deepEqual(rpc.json.metadata, light.json.metadata)

  const human = await modnet([...rpcArgs, 'get', aliceKey])
  assert.equal(human.code, 0)
  assert.match(human.stdout, /hash matches/)
  assert.match(human.stdout, /signature valid, by the module key/)
})

test('the light client starts warm from what the last command saved under $MODNET_HOME; a damaged save means a cold start, not an error', async () => {
  const env = { MODNET_HOME: join(dir, 'warm-home') }
  const cold = await modnet([...lightArgs, 'get', aliceKey, '--json'], env)
  assert.equal(cold.code, 0, cold.stderr)
  const saved = join(env.MODNET_HOME, 'cli', 'light-client')
  const [chainDir] = readdirSync(saved)
  const database = readFileSync(join(saved, chainDir, 'database.json'), 'utf8')
  assert.ok(database.length > 100, 'smoldot database saved')
  assert.match(readFileSync(join(saved, chainDir, 'metadata.json'), 'utf8'), /^\{"0x[0-9a-f]{64}-\d+":"0x/)
  const warm = await modnet([...lightArgs, 'get', aliceKey, '--json'], env)
  assert.equal(warm.code, 0, warm.stderr)
  assert.deepEqual(warm.json.record, cold.json.record)
  assert.equal(warm.json.readAt.verifiedBy, 'light-client')

  writeFileSync(join(saved, chainDir, 'database.json'), '{"not": "smoldot"}')
  writeFileSync(join(saved, chainDir, 'metadata.json'), '{broken')
  const damaged = await modnet([...lightArgs, 'get', aliceKey, '--json'], env)
  assert.equal(damaged.code, 0, damaged.stderr)
  assert.deepEqual(damaged.json.record, cold.json.record)
})

test('the bundle bin/modnet runs (dist/modnet.mjs) answers like the sources, through the light client and RPC', async () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run \`make cli\``)
  for (const args of [lightArgs, rpcArgs]) {
    const fromSources = await modnet([...args, 'get', aliceKey, '--json'])
    const fromBundle = await modnet([...args, 'get', aliceKey, '--json'], {}, BUNDLE)
    assert.equal(fromBundle.code, 0, fromBundle.stderr)
    assert.deepEqual({ ...fromBundle.json, readAt: undefined }, { ...fromSources.json, readAt: undefined })
    assert.equal(fromBundle.json.readAt.verifiedBy, fromSources.json.readAt.verifiedBy)
  }
  const refused = await modnet(['get', 'not-a-key'], {}, BUNDLE)
  assert.equal(refused.code, 2)
  assert.match(refused.stderr, /not-a-key/)
})

test('update links the previous version; list and status show the registry', async () => {
  const before = await modnet([...rpcArgs, 'get', aliceKey, '--json'])
  const listedBefore = await modnet([...rpcArgs, 'list', '--json'])
  const updated = await modnet([...rpcArgs, 'update', '--metadata', metadataFile('hello-2', { ...example, version: '1.1.0' }), '--key-uri', '//Alice', '--json'])
  assert.equal(updated.code, 0, updated.stderr)
  assert.equal(updated.json.action, 'updated')
  const after = await modnet([...rpcArgs, 'get', aliceKey, '--json'])
  assert.equal(after.json.record.revision, 1)
  assert.equal(after.json.metadata.previous, before.json.record.cid)
  assert.equal(after.json.metadata.version, '1.1.0')

  const list = await modnet([...rpcArgs, 'list', '--json'])
  assert.equal(list.code, 0, list.stderr)
  const keys = (listed: typeof list) => listed.json.modules.map((m: { key: string }) => m.key)
  assert.equal(list.json.count, listedBefore.json.count, 'an update adds no module')
  assert.deepEqual(keys(list), keys(listedBefore))
  assert.ok(keys(list).includes(aliceKey))

  const status = await modnet([...lightArgs, 'status', '--json'])
  assert.equal(status.code, 0, status.stderr)
  assert.equal(status.json.chain.connection, 'light-client')
  assert.ok(status.json.chain.finalized > 0)
  assert.equal(status.json.ipfs.ok, true)
  assert.equal(status.json.modules, list.json.count)
})

test('a stranger cannot update, remove or transfer: the pallet says NotOwner, exit 4, nothing changes', async () => {
  const before = await modnet([...rpcArgs, 'get', aliceKey, '--json'])
  const attempts = [
    ['update', '--metadata', metadataFile('stranger', { ...example, version: '6.6.6' }), '--module-key', aliceKey],
    ['remove', aliceKey],
    ['transfer', aliceKey, keyring.addFromUri('//Charlie').address],
  ]
  for (const attempt of attempts) {
    const result = await modnet([...rpcArgs, ...attempt, '--key-uri', '//Charlie', '--wait', 'inBlock'])
    assert.equal(result.code, 4, `${attempt[0]}: ${result.stderr}`)
    assert.match(result.stderr, /^modnet: moduleRegistry\.NotOwner: Only the module's owner may do this/m)
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
  }
  const after = await modnet([...rpcArgs, 'get', aliceKey, '--json'])
  assert.deepEqual(after.json.record, before.json.record)

  const again = await modnet([...rpcArgs, 'register', '--metadata', metadataFile('again', example), '--key-uri', '//Alice'])
  assert.equal(again.code, 4)
  assert.match(again.stderr, /ModuleAlreadyExists/)
})

test('a module card exported through the light client verifies offline; a tampered one does not', async () => {
  const file = join(dir, 'card.json')
  const exported = await modnet([...lightArgs, 'card', aliceKey, '--out', file, '--json'])
  assert.equal(exported.code, 0, exported.stderr)
  assert.match(exported.stderr, /^$/, 'the card carries its finality proof (no warning)')
  const checked = await modnet(['verify-card', file, '--json'])
  assert.equal(checked.code, 0, checked.stderr)
  assert.equal(checked.json.valid, true)
  assert.equal(checked.json.key, aliceKey)
  assert.deepEqual(checked.json.finality.status, 'unchecked', 'no chain spec: finality unchecked')
  const plain = await modnet(['verify-card', file])
  assert.match(plain.stdout, /finality: UNCHECKED, no trust anchor: give the chain spec/)
  const required = await modnet(['verify-card', file, '--require-finality'])
  assert.equal(required.code, 6, required.stderr)
  assert.match(required.stderr, /^modnet: finality not proved: no trust anchor.*\(pass --chain-spec SPEC\)$/m)

  // The chain spec the light client trusts is the anchor: the dev chain's one authority signed the block.
  const anchored = await modnet(['verify-card', file, '--chain-spec', chainSpec, '--require-finality'])
  assert.equal(anchored.code, 0, anchored.stderr)
  assert.match(anchored.stdout, /finality: PROVED, block #\d+ signed by 1 of 1 authorities of set 0 \(weight 1, 1 needed\), the set followed from .*'s genesis through 0 change\(s\)\./)
  // Another chain of the same runtime (the local testnet: Alice and Bob) is not the card's.
  const other = await modnet(['verify-card', file, '--chain-spec', localChainSpec])
  assert.equal(other.code, 6, other.stderr)
  assert.match(other.stderr, /^modnet: the module card does not check out: it is for chain 0x[0-9a-f]{64}, not the chain spec's 0x[0-9a-f]{64} \(/)
  const card = JSON.parse(readFileSync(file, 'utf8'))
  assert.equal(card.format, 'modnet/module-card/v2')
  assert.equal(card.finalizedBy, 'justification')
  card.record.cid = 'bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq'
  writeFileSync(file, JSON.stringify(card))
  const forged = await modnet(['verify-card', file])
  assert.equal(forged.code, 6, forged.stderr)
  assert.match(forged.stderr, /^modnet: the module card does not check out: the record in the card differs from the proved one/)
})

test('transfer is an offer: accepted by the recipient, then removed by them', async () => {
  const bob = keyring.addFromUri('//Bob')
  const transfer = await modnet([...rpcArgs, 'transfer', aliceKey, bob.address, '--key-uri', '//Alice'])
  assert.equal(transfer.code, 0, transfer.stderr)
  assert.match(transfer.stdout, new RegExp(`offered module ${aliceKey} to ${bob.address} until block #\\d+: it passes to them when they run \`modnet accept ${aliceKey}\``))
  const stranger = await modnet([...rpcArgs, 'accept', aliceKey, '--key-uri', '//Charlie'])
  assert.equal(stranger.code, 4, stranger.stderr)
  assert.match(stranger.stderr, /NotOfferRecipient/)
  const accept = await modnet([...rpcArgs, 'accept', aliceKey, '--key-uri', '//Bob', '--json'])
  assert.equal(accept.code, 0, accept.stderr)
  assert.deepEqual(accept.json.events.map((e: { type: string }) => e.type), ['OwnershipTransferred'])
  const owned = await modnet([...rpcArgs, 'list', '--owner', bob.address, '--json'])
  assert.deepEqual(owned.json.modules.map((m: { key: string }) => m.key), [aliceKey])
  assert.equal(owned.json.modules[0].owner, bob.address)

  const yank = await modnet([...rpcArgs, 'yank', aliceKey, '0', '--key-uri', '//Bob', '--json'])
  assert.equal(yank.code, 0, yank.stderr)
  assert.deepEqual(yank.json.events.map((e: { type: string; revision: number; yanked: boolean }) => [e.type, e.revision, e.yanked]), [['RevisionYanked', 0, true]])
  const deprecate = await modnet([...rpcArgs, 'deprecate', aliceKey, 'use the new one', '--key-uri', '//Bob'])
  assert.equal(deprecate.code, 0, deprecate.stderr)
  assert.match(deprecate.stdout, /^deprecated module 0x[0-9a-f]+ in block #\d+/)

  const removal = await modnet([...rpcArgs, 'remove', aliceKey, '--key-uri', '//Bob', '--json'])
  assert.equal(removal.code, 0, removal.stderr)
  const gone = await modnet([...rpcArgs, 'get', aliceKey])
  assert.equal(gone.code, 3)
  assert.match(gone.stderr, /^modnet: no module is registered under key 0x/)
})

test('a gateway that returns tampered bytes is caught: exit 6, tampered content never printed', async () => {
  const registered = await modnet([...rpcArgs, 'register', '--metadata', metadataFile('tamper', { ...example, name: 'tamper-target' }), '--key-uri', '//Dave', '--json'])
  assert.equal(registered.code, 0, registered.stderr)
  const tampering = await tamperingProxy(gateway.url)
  try {
    const result = await modnet(['--rpc', node.rpcUrl, '--ipfs', `gateway:${tampering.url}`, 'get', registered.json.key, '--json'])
    assert.equal(result.code, 6, result.stderr)
    assert.match(result.stderr, /do not match its sha2-256 hash; they were discarded/)
    assert.equal(result.stdout, '')
    assert.ok(tampering.tampered() > 0)
  } finally {
    tampering.server.close()
  }
})

test('bad input is named in words, with its own exit code, before anything is sent', async () => {
  const cases: [string[], number, RegExp][] = [
    [['get', '0x1234'], 2, /module key 0x1234 is 2 bytes/],
    [['get', 'not-a-key'], 2, /neither 0x-hex nor an SS58 address/],
    [['register', '--metadata', join(dir, 'missing.json'), '--key-uri', '//Alice'], 2, /cannot read metadata file .*missing\.json: no such file/],
    [['register', '--metadata', metadataFile('broken', '{"name": '), '--key-uri', '//Alice'], 2, /not valid JSON|invalid JSON|JSON/],
    [['register', '--metadata', metadataFile('invalid', { ...example, version: 'v1', license: 'Not-A-License' }), '--key-uri', '//Alice'], 2, /2 problems\):\n\/version: .*SemVer.*\n\/license: .*SPDX/],
    [['register', '--metadata', metadataFile('ok', example)], 2, /pass --key-uri/],
    [['register', '--metadata', metadataFile('ok', example), '--key-uri', '//Alice', '--key-type', 'rsa'], 2, /key type "rsa"/],
    [['transfer', aliceKey, 'nobody', '--key-uri', '//Alice'], 2, /"nobody" is not an account/],
    [['yank', aliceKey, 'first', '--key-uri', '//Alice'], 2, /revision must be a whole number from 0 to 4294967295, not "first"/],
    [['deprecate', aliceKey, '--key-uri', '//Alice'], 2, /give a deprecation note saying why and what to use instead/],
    [['deprecate', aliceKey, 'why', '--lift', '--key-uri', '//Alice'], 2, /give a note or --lift, not both/],
    [['frobnicate'], 2, /unknown command/],
    [['--rpc', 'http://127.0.0.1:9', 'count'], 2, /unknown command/],
    [['--rpc', 'http://127.0.0.1:9', 'list'], 5, /not a WebSocket URL/],
    [['--rpc', 'ws://127.0.0.1:9', 'list'], 5, /cannot reach the node at ws:\/\/127\.0\.0\.1:9/],
    [['--chain-spec', join(dir, 'nope.json'), 'list'], 2, /no chain spec at/],
    [['--rpc', 'ws://127.0.0.1:9', 'list', '--start', '0x2600ffee'], 2, /--start takes the cursor a previous page printed/],
  ]
  for (const [args, code, message] of cases) {
    const result = await modnet(args)
    assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`)
    assert.match(result.stderr, message, args.join(' '))
    assert.doesNotMatch(result.stderr, /\n\s+at /, `no stack trace for ${args.join(' ')}`)
  }
})

test('with --ipfs embedded the CLI keeps metadata in its own Helia store under $MODNET_HOME', async () => {
  const env = { MODNET_HOME: join(dir, 'home') }
  const args = ['--rpc', node.rpcUrl, '--ipfs', 'embedded']
  const registered = await modnet([...args, 'register', '--metadata', metadataFile('embedded', { ...example, name: 'embedded-store' }), '--key-uri', '//Eve', '--json'], env)
  assert.equal(registered.code, 0, registered.stderr)
  const got = await modnet([...args, 'get', registered.json.key, '--json'], env)
  assert.equal(got.code, 0, got.stderr)
  assert.equal(got.json.record.cid, registered.json.cid)
  assert.equal(got.json.metadata.name, 'embedded-store')
  // Another store does not have it: not found, exit 3.
  const elsewhere = await modnet([...args, 'get', registered.json.key], { MODNET_HOME: join(dir, 'other-home') })
  assert.equal(elsewhere.code, 3, elsewhere.stderr)
  assert.match(elsewhere.stderr, /is not in the embedded IPFS store/)
})

test('list pages through the light client in key order, without repeats, like the RPC path', async () => {
  // A dozen more modules in one batch, so paging has something to get wrong.
  const api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true })
  try {
    const ferdie = keyring.addFromUri('//Ferdie')
    const calls = Array.from({ length: 12 }, (_, i) => {
      const moduleKey = new Keyring({ type: 'ed25519' }).addFromUri(`//list-module-${i}`)
      const key = u8aToHex(moduleKey.publicKey)
      return api.tx.moduleRegistry.registerModule(key, cidToChain('bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq'), keyOwnershipProof(api.genesisHash.toHex(), ferdie.address, key, 0, moduleKey))
    })
    await submit(api, api.tx.utility.batchAll(calls), ferdie)
  } finally {
    await api.disconnect()
  }
  const viaRpc = await modnet([...rpcArgs, 'list', '--all', '--page-size', '5', '--json'])
  const viaLight = await modnet([...lightArgs, 'list', '--all', '--page-size', '5', '--json'])
  assert.equal(viaRpc.code, 0, viaRpc.stderr)
  assert.equal(viaLight.code, 0, viaLight.stderr)
  const rpcKeys = viaRpc.json.modules.map((m: { key: string }) => m.key)
  const lightKeys = viaLight.json.modules.map((m: { key: string }) => m.key)
  assert.equal(new Set(lightKeys).size, lightKeys.length, 'no repeats')
  assert.equal(lightKeys.length, viaLight.json.count)
  assert.deepEqual(lightKeys, rpcKeys)
  const owned = await modnet([...lightArgs, 'list', '--owner', keyring.addFromUri('//Ferdie').address, '--json'])
  assert.equal(owned.json.modules.length, 12)
  assert.equal(owned.json.at.verifiedBy, 'light-client')
})

test('get --name finds a module by its metadata name, refuses an ambiguous one, and warns of look-alikes', async () => {
  const register = async (name: string, moduleKeyUri: string) => {
    const result = await modnet([...rpcArgs, 'register', '--metadata', metadataFile(name + moduleKeyUri.replace(/\W/g, ''), { ...example, name }), '--key-uri', '//Ferdie', '--module-key-uri', moduleKeyUri, '--json'])
    assert.equal(result.code, 0, result.stderr)
    return result.json.key as string
  }
  const twinA = await register('twin-module', '//twin-a')
  const twinB = await register('twin-module', '//twin-b')
  const lookalike = await register('tw1n_module', '//twin-c')

  const ambiguous = await modnet([...rpcArgs, 'get', '--name', 'twin-module'])
  assert.equal(ambiguous.code, 2, ambiguous.stderr)
  assert.match(ambiguous.stderr, /2 modules are named "twin-module" — names are claims in metadata, not unique/)
  assert.ok(ambiguous.stderr.includes(twinA) && ambiguous.stderr.includes(twinB))

  const found = await modnet([...rpcArgs, 'get', '--name', 'tw1n_module'])
  assert.equal(found.code, 0, found.stderr)
  assert.match(found.stdout, new RegExp(`key\\s+${lookalike}`))
  assert.match(found.stderr, /warning: "twin-module" \(module 0x[0-9a-f]+\) has a name that reads the same: make sure 0x[0-9a-f]+ is the module you mean/)
  const json = await modnet([...rpcArgs, 'get', '--name', 'tw1n_module', '--json'])
  assert.deepEqual(json.json.lookAlikes.map((a: { key: string; why: string }) => [a.why, a.key]).sort(), [['confusable', twinA], ['confusable', twinB]].sort())

  const missing = await modnet([...rpcArgs, 'get', '--name', 'twin-modul'])
  assert.equal(missing.code, 3, missing.stderr)
  assert.match(missing.stderr, /no module's verified metadata is named "twin-modul" .*names that look like it: "t/)
  const neither = await modnet([...rpcArgs, 'get'])
  assert.equal(neither.code, 2)
  assert.match(neither.stderr, /get a module by KEY or by --name NAME \(one of the two\)/)
})
