/**
 * `modnet resolve` and the yanked-revision view of `modnet get`, against a
 * real dev node and a real gateway (embedded Helia, with its event index):
 * modules A → B → C named by key (B pinned by CID, B also naming a module by
 * name only), resolved through the light client with every node proved;
 * C's current revision yanked → resolve fails naming C and the latest
 * revision not yanked (proved by C's history commitment), and `get` says so;
 * a dependency on an unregistered key fails naming it; a cycle is reported.
 *
 * The tests run in file order: the yank test takes the tree the first one checked.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { generateChainSpecs } from '../../chain-spec/generate.ts'
import { modnet } from '../support/cli.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { startDevNode, waitFor, type DevNode } from '../support/node.ts'

let dir: string
let node: DevNode
let gateway: RunningGateway
let rpcArgs: string[]
let lightArgs: string[]
const keyring = new Keyring({ type: 'sr25519' })
const keys: Record<string, string> = {}
const cids: Record<string, string> = {}
const GHOST = `0x${'77'.repeat(32)}` // nobody registered it

function metadataFile(name: string, document: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify({ schema: 'modnet/module-metadata/v1', description: `test module ${name}`, ...document }))
  return file
}

async function publish(command: 'register' | 'update', file: string, account: string): Promise<string> {
  const result = await modnet([...rpcArgs, command, '--metadata', file, '--key-uri', `//${account}`, '--json'])
  assert.equal(result.code, 0, result.stderr)
  return result.json.cid
}

before(async () => {
  await cryptoWaitReady()
  for (const account of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) keys[account] = u8aToHex(keyring.addFromUri(`//${account}`).publicKey) // DEV keys
  dir = mkdtempSync(join(tmpdir(), 'modnet-resolve-'))
  node = await startDevNode(join(dir, 'chain'))
  const chainSpec = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev
  gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl])
  rpcArgs = ['--rpc', node.rpcUrl, '--ipfs', `gateway:${gateway.url}`]
  lightArgs = ['--chain-spec', chainSpec, '--ipfs', `gateway:${gateway.url}`]

  // C (Charlie's key): two revisions. B (Bob's) depends on C by key and on a module by name only.
  // A (Alice's) depends on B by key, pinned to B's current CID, with a version range.
  cids.c0 = await publish('register', metadataFile('c0', { name: 'dep-c', version: '1.0.0' }), 'Charlie')
  cids.c1 = await publish('update', metadataFile('c1', { name: 'dep-c', version: '1.1.0' }), 'Charlie')
  cids.b = await publish('register', metadataFile('b', { name: 'dep-b', version: '1.2.0', dependencies: { 'dep-c': { key: keys.Charlie }, 'left-pad': '^1.0.0' } }), 'Bob')
  cids.a = await publish('register', metadataFile('a', { name: 'app-a', version: '0.1.0', dependencies: { 'dep-b': { key: keys.Bob, version: '^1.0.0', cid: cids.b } } }), 'Alice')
})

after(async () => {
  await gateway?.stop()
  await node?.stop()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

test('resolve A through the light client: A → B (pinned) → C, every record proved at one finalized block and every document hash-checked', { timeout: 5 * 60_000 }, async () => {
  const result = await modnet([...lightArgs, 'resolve', keys.Alice!, '--json'])
  assert.equal(result.code, 0, result.stderr)
  const tree = result.json
  assert.equal(tree.ok, true)
  assert.equal(tree.modules, 3)
  assert.equal(tree.at.verifiedBy, 'light-client')
  const a = tree.root
  const b = a.children[0]
  const [c, leftPad] = b.children
  assert.deepEqual([a.key, b.key, c.key], [keys.Alice, keys.Bob, keys.Charlie])
  for (const [node, cid] of [[a, cids.a], [b, cids.b], [c, cids.c1]] as const) {
    assert.equal(node.state, 'ok')
    assert.equal(node.readAt.verifiedBy, 'light-client')
    assert.equal(node.readAt.blockHash, tree.at.blockHash, 'every node is read at the same block')
    assert.equal(node.record.cid, cid)
    assert.equal(node.metadata.cid, cid)
    assert.equal(node.metadata.hashChecked, true)
  }
  assert.deepEqual(b.pin, { cid: cids.b, state: 'current' })
  assert.equal(b.metadata.version, '1.2.0')
  assert.deepEqual([leftPad.name, leftPad.state, leftPad.wanted], ['left-pad', 'named-only', '^1.0.0'])

  const human = await modnet([...lightArgs, 'resolve', keys.Alice!])
  assert.equal(human.code, 0, human.stderr)
  assert.equal(human.stdout.match(/record {4}storage proof checked by the light client at finalized block #\d+/g)?.length, 3, human.stdout)
  assert.equal(human.stdout.match(/metadata {2}\d+ bytes, hash-checked against bafkrei/g)?.length, 3, human.stdout)
  assert.match(human.stdout, /^└─ dep-b 1\.2\.0 {2}0x[0-9a-f]{64} {2}revision 0 {2}\[pinned: current\]$/m)
  assert.match(human.stdout, /^app-a 0\.1\.0 {2}0x[0-9a-f]{64} {2}revision 0$/m)
  assert.match(human.stdout, /left-pad \^1\.0\.0 {2}not resolved: named only/)
  assert.match(human.stdout, /^resolved: no missing, yanked or unverified dependency$/m)
})

test('C\'s current revision yanked: resolve fails naming C and the latest revision not yanked; get says the current revision is yanked', { timeout: 5 * 60_000 }, async () => {
  const yank = await modnet([...rpcArgs, 'yank', keys.Charlie!, '1', '--key-uri', '//Charlie', '--json'])
  assert.equal(yank.code, 0, yank.stderr)
  // The gateway's event index must have C's three events before it can help prove revision 0's CID.
  await waitFor(async () => {
    const response = await fetch(`${gateway.url}/api/v1/modules/${keys.Charlie}/events`)
    return response.ok && ((await response.json()) as { events: unknown[] }).events.length >= 3
  }, 60_000)

  const result = await modnet([...rpcArgs, 'resolve', keys.Alice!, '--json'])
  assert.equal(result.code, 3, result.stderr)
  assert.equal(result.json.ok, false)
  assert.deepEqual(result.json.failures.map((f: { kind: string; path: string[] }) => [f.kind, f.path]), [['yanked', [keys.Alice, keys.Bob, keys.Charlie]]])
  assert.match(result.stderr, new RegExp(`^modnet: dependency "dep-c" \\(${keys.Charlie}\\): its current revision 1 is yanked; the latest revision not yanked is 0 \\(${cids.c0}, proved by the history commitment\\)`))
  assert.deepEqual(result.json.root.children[0].children[0].latest.state, 'earlier')
  assert.equal(result.json.root.children[0].readAt.finalized, true, 'read at the root\'s finalized block')

  const human = await modnet([...rpcArgs, 'resolve', keys.Alice!])
  assert.equal(human.code, 3)
  assert.match(human.stdout, /FAILED {4}\(yanked\) dependency "dep-c"/)
  assert.match(human.stdout, /^NOT RESOLVED: 1 problem\(s\)$/m)

  const get = await modnet([...rpcArgs, 'get', keys.Charlie!, '--json'])
  assert.equal(get.code, 0, get.stderr)
  assert.equal(get.json.currentYanked, true)
  assert.deepEqual(get.json.latest, { state: 'earlier', revision: 0, cid: cids.c0, blockNumber: get.json.latest.blockNumber })
  const getHuman = await modnet([...rpcArgs, 'get', keys.Charlie!])
  assert.equal(getHuman.code, 0, getHuman.stderr)
  assert.match(getHuman.stdout, /^YANKED +the current revision 1 is yanked: "latest" skips it/m)
  assert.match(getHuman.stdout, new RegExp(`^latest not yanked +the latest revision not yanked is 0: ${cids.c0} \\(proved by the key's history commitment`, 'm'))
  assert.match(getHuman.stderr, /warning: the current revision 1 of 0x[0-9a-f]{64} is yanked/)

  // Without an event index, an earlier revision's CID cannot be proved: resolve says so rather than guess.
  const noIndex = await modnet(['--rpc', node.rpcUrl, '--ipfs', `gateway:${gateway.url}`, 'resolve', keys.Alice!, '--gateway', 'http://127.0.0.1:9', '--json'])
  assert.equal(noIndex.code, 3)
  assert.equal(noIndex.json.root.children[0].children[0].latest.state, 'unproved')
  assert.match(noIndex.stderr, /the latest revision not yanked cannot be proved \(the key's history could not be read/)
})

test('a dependency on an unregistered key fails, naming the key and the path to it', { timeout: 5 * 60_000 }, async () => {
  await publish('register', metadataFile('d', { name: 'needs-ghost', version: '1.0.0', dependencies: { ghost: { key: GHOST } } }), 'Dave')
  const result = await modnet([...rpcArgs, 'resolve', keys.Dave!, '--json'])
  assert.equal(result.code, 3, result.stderr)
  assert.deepEqual(result.json.failures.map((f: { kind: string; path: string[] }) => [f.kind, f.path]), [['missing', [keys.Dave, GHOST]]])
  assert.match(result.stderr, new RegExp(`^modnet: dependency "ghost" \\(${GHOST}\\) is not registered \\(at finalized block #\\d+\\); path: `))
})

test('a cycle E → F → E is reported, not followed', { timeout: 5 * 60_000 }, async () => {
  await publish('register', metadataFile('e', { name: 'cycle-e', version: '1.0.0', dependencies: { 'cycle-f': { key: keys.Ferdie } } }), 'Eve')
  await publish('register', metadataFile('f', { name: 'cycle-f', version: '1.0.0', dependencies: { 'cycle-e': { key: keys.Eve } } }), 'Ferdie')
  const result = await modnet([...rpcArgs, 'resolve', keys.Eve!, '--json'])
  assert.equal(result.code, 2, result.stderr)
  assert.deepEqual(result.json.failures.map((f: { kind: string; path: string[] }) => [f.kind, f.path]), [['cycle', [keys.Eve, keys.Ferdie, keys.Eve]]])
  assert.match(result.stderr, /^modnet: dependency cycle: 0x[0-9a-f]{6}…[0-9a-f]{4} → 0x[0-9a-f]{6}…[0-9a-f]{4} → 0x[0-9a-f]{6}…[0-9a-f]{4} \(dependency "cycle-e"/)
  assert.equal(result.json.modules, 2)
})

test('bad input is refused before connecting', async () => {
  for (const [args, pattern] of [
    [['resolve', '0x1234'], /module key 0x1234 is 2 bytes/],
    [['resolve', keys.Alice!, '--max-depth', '0'], /--max-depth must be a whole number from 1 to 64/],
  ] as const) {
    const result = await modnet(['--rpc', 'ws://127.0.0.1:9', ...args])
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, pattern)
  }
})
