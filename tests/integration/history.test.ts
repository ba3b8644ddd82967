/**
 * A module's whole history proved after the node pruned its blocks: a dev
 * node that keeps 32 blocks of state, a gateway indexing its events, a module
 * registered, updated twice, yanked, offered and the offer cancelled. Once
 * the node can no longer read the first events' blocks (checked: reading them
 * fails), `modnet history` through the light client proves every entry by
 * the key's history commitment; a gateway that drops or alters an event
 * proves nothing, and says so.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { generateChainSpecs } from '../../chain-spec/generate.ts'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'
import type { RegistryEvent } from '../../lib/types/chain.ts'
import { modnet } from '../support/cli.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { rpc, startDevNode, waitFor, type DevNode } from '../support/node.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
const PRUNING = 32
let dir: string
let node: DevNode
let gateway: RunningGateway
let client: ModuleRegistryClient
let chainSpec: string
let key: string
const events: RegistryEvent[] = []

async function finalizedNumber(): Promise<number> {
  const hash = await rpc(node, 'chain_getFinalizedHead')
  return parseInt((await rpc(node, 'chain_getHeader', [hash])).number, 16)
}

function metadataFile(name: string, document: unknown): string {
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify(document))
  return file
}

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-history-'))
  node = await startDevNode(join(dir, 'chain'), undefined, ['--state-pruning', String(PRUNING), '--blocks-pruning', String(PRUNING)])
  chainSpec = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev
  gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl])
  client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })

  const rpcArgs = ['--rpc', node.rpcUrl, '--ipfs', `gateway:${gateway.url}`, '--json']
  const charlie = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie') // DEV key
  for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
    const command = version === '1.0.0' ? 'register' : 'update'
    const result = await modnet([...rpcArgs, command, '--metadata', metadataFile(version, { ...example, name: 'history-test', version }), '--key-uri', '//Charlie'])
    assert.equal(result.code, 0, result.stderr)
    key = result.json.key
    events.push(...result.json.events)
  }
  events.push(...(await client.setYanked(key, 1, true, charlie)).events)
  events.push(...(await client.transferOwnership(key, new Keyring({ type: 'sr25519' }).addFromUri('//Dave').address, charlie)).events)
  events.push(...(await client.cancelTransfer(key, charlie)).events)
  assert.deepEqual(events.map((e) => e.type), ['ModuleRegistered', 'ModuleUpdated', 'ModuleUpdated', 'RevisionYanked', 'TransferOffered', 'TransferCancelled'])
})

after(async () => {
  await client?.disconnect()
  await gateway?.stop()
  await node?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('after the node pruned the blocks, every entry of the history is proved by the commitment', { timeout: 10 * 60_000 }, async () => {
  const last = Math.max(...events.map((e) => e.blockNumber))
  await waitFor(async () => (await finalizedNumber()) > last + PRUNING + 8, 5 * 60_000)
  // The blocks of the first events are beyond the node's state now: no block-by-block proof is possible.
  await assert.rejects(client.eventsAt(events[0]!.blockHash))

  const result = await modnet(['--chain-spec', chainSpec, '--ipfs', `gateway:${gateway.url}`, 'history', key, '--json'])
  assert.equal(result.code, 0, result.stderr)
  const history = result.json
  assert.equal(history.commitment.history.length, events.length)
  assert.equal(history.commitment.at.verifiedBy, 'light-client')
  assert.equal(history.problem, undefined)
  assert.deepEqual(history.entries.map((entry: { state: string; by: string; event: RegistryEvent }) => [entry.state, entry.by, entry.event.type, entry.event.blockNumber]),
    events.map((event) => ['proved', 'commitment', event.type, event.blockNumber]))

  const human = await modnet(['--chain-spec', chainSpec, '--ipfs', `gateway:${gateway.url}`, 'history', key])
  assert.equal(human.code, 0, human.stderr)
  assert.match(human.stdout, /ModuleUpdated\s+revision 2, metadata \S+\s+\[proved by the history commitment\]/)
  assert.match(human.stdout, /RevisionYanked\s+revision 1 yanked/)
  assert.match(human.stdout, /the chain commits to 6 event\(s\) for this key \(head 0x[0-9a-f]{64}, storage proof checked by the light client/)
  assert.match(human.stdout, /6 of 6 event\(s\) proved$/m)
})

/** A gateway whose event list is rewritten by `tamper` before the client sees it. */
async function lyingGateway(tamper: (events: Record<string, any>[]) => Record<string, any>[]): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const upstream = await fetch(`${gateway.url}${req.url}`)
    const body = await upstream.json() as { events: Record<string, any>[] }
    res.writeHead(upstream.status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ ...body, events: tamper(body.events) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, server }
}

test('a gateway that drops or alters an event proves nothing, and the CLI says why', { timeout: 5 * 60_000 }, async () => {
  const tampers: Record<string, (events: Record<string, any>[]) => Record<string, any>[]> = {
    dropped: (list) => list.filter((_, i) => i !== 1),
    altered: (list) => list.map((hint, i) => (i === 3 ? { ...hint, event: { ...hint.event, revision: 0 } } : hint)),
  }
  for (const [name, tamper] of Object.entries(tampers)) {
    const liar = await lyingGateway(tamper)
    try {
      const result = await modnet(['--rpc', node.rpcUrl, 'history', key, '--gateway', liar.url, '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.json.problem, /chain commits to 6 events|do not hash to the chain's commitment/, name)
      assert.equal(result.json.entries.filter((e: { state: string }) => e.state === 'proved').length, 0, `${name}: the pruned blocks cannot vouch either`)
    } finally {
      liar.server.close()
    }
  }
})
