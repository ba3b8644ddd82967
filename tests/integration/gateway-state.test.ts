/**
 * The gateway's state when things go wrong, with real processes:
 * - the follower never skips a finalized block: a registration made while
 *   the gateway was down, more than 300 blocks (past the node's 256-block
 *   state pruning) before it comes back, is pinned once it is back, and so
 *   is one made inside utility.batchAll;
 * - a gateway killed (SIGKILL) in the middle of a burst of uploads keeps
 *   every upload it acknowledged;
 * - a truncated JSON ledger from an older gateway does not stop the start:
 *   it is set aside and the pins IPFS still holds are kept.
 * The three run side by side: the first mostly waits for blocks.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { ModuleRegistryClient, cidToChain, keyOwnershipProof, submit } from '../../lib/chain/index.ts'
import { computeCid } from '../../lib/ipfs/index.ts'
import { canonicalBytes } from '../../lib/types/index.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { rpc, startDevNode, waitFor, type DevNode } from '../support/node.ts'
import { freePort } from '../support/ports.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
let node: DevNode
let dir: string

function document(label: string): Uint8Array<ArrayBuffer> {
  return canonicalBytes({ ...example, name: `state-${label}`, description: `gateway state test ${label} ${Date.now()} ${Math.random()}` })
}

async function upload(url: string, bytes: Uint8Array<ArrayBuffer>): Promise<Response> {
  return await fetch(`${url}/api/v1/metadata`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes })
}

async function pin(url: string, cid: string): Promise<{ state: string; status?: string }> {
  return (await (await fetch(`${url}/api/v1/pins/${cid}`)).json()) as { state: string; status?: string }
}

async function finalizedNumber(): Promise<number> {
  const hash = await rpc(node, 'chain_getFinalizedHead')
  return parseInt((await rpc(node, 'chain_getHeader', [hash])).number, 16)
}

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-gateway-state-'))
  node = await startDevNode(join(dir, 'chain'))
})

after(async () => {
  await node?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('gateway state', { concurrency: true }, () => {
  test('a registration made while the gateway was down, 300+ blocks ago (state pruned), is pinned when it comes back', { timeout: 15 * 60_000 }, async () => {
    const args = ['--data-dir', join(dir, 'follower'), '--rpc', node.rpcUrl]
    let gateway: RunningGateway | undefined = await startGateway(args)
    try {
      const bytes = document('while-down')
      const { cid } = (await (await upload(gateway.url, bytes)).json()) as { cid: string }
      await waitFor(async () => ((await (await fetch(`${gateway!.url}/healthz`)).json()) as { chain: { processed: number | null } }).chain.processed !== null, 60_000)
      await gateway.stop()
      gateway = undefined

      // While it is down: one plain registration, and one inside utility.batchAll (found by walking nested calls).
      const batchedBytes = document('while-down-batched')
      const batched = (await computeCid(batchedBytes)).toString()
      const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
      const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob')
      const dave = new Keyring({ type: 'sr25519' }).addFromUri('//Dave')
      let registeredAt: number
      try {
        registeredAt = (await client.register(client.accountKey(bob), cid, bob)).blockNumber
        const daveKey = client.accountKey(dave)
        const proof = keyOwnershipProof(client.api.genesisHash.toHex(), dave.address, daveKey, 0)
        const batch = client.api.tx.utility.batchAll([client.api.tx.moduleRegistry.registerModule(daveKey, cidToChain(batched), proof)])
        const { events } = await submit(client.api, batch, dave)
        assert.deepEqual(events.map((event) => event.type), ['ModuleRegistered'])
        registeredAt = Math.max(registeredAt, (await client.requireModule(daveKey)).record.registeredAt)
      } finally {
        await client.disconnect()
      }
      // The node keeps 256 blocks of state: wait until the registration's state is gone.
      await waitFor(async () => (await finalizedNumber()) > registeredAt + 300, 10 * 60_000)

      gateway = await startGateway(args)
      const url = gateway.url
      await waitFor(async () => (await pin(url, cid)).state === 'registered', 60_000)
      assert.equal((await pin(url, cid)).status, 'pinned')
      // Never uploaded here: registered, and reported as unavailable (the embedded store has no network).
      await waitFor(async () => {
        const batchedPin = await pin(url, batched)
        return batchedPin.state === 'registered' && batchedPin.status === 'unavailable'
      }, 60_000)
      // The catch-up goes on past the registration's block: then it says it read pruned blocks from their bodies.
      const logs = gateway.logs
      await waitFor(async () => logs.some((entry) => /pruned the state/.test(String(entry.msg))), 60_000)
      const health = (await (await fetch(`${url}/healthz`)).json()) as { chain: { processed: number; finalized: number } }
      assert.ok(health.chain.processed >= registeredAt + 300, 'every block since was processed')
    } finally {
      await gateway?.stop()
    }
  })

  test('a gateway killed in the middle of a burst of uploads keeps every upload it acknowledged', async () => {
    const args = ['--data-dir', join(dir, 'killed'), '--rpc', `ws://127.0.0.1:${await freePort()}`, '--upload-burst', '1000', '--upload-rate', '100000']
    const gateway = await startGateway(args)
    const acknowledged = new Map<string, Uint8Array>()
    const uploads = Array.from({ length: 300 }, (_, i) => document(`burst-${i}`))
    let sent = 0
    const workers = Array.from({ length: 8 }, async () => {
      while (sent < uploads.length) {
        const bytes = uploads[sent++]
        const response = await upload(gateway.url, bytes).catch(() => undefined)
        if (response?.status === 201) acknowledged.set(((await response.json()) as { cid: string }).cid, bytes)
      }
    })
    await waitFor(async () => acknowledged.size >= 40, 60_000)
    gateway.kill()
    await Promise.all(workers)
    assert.ok(acknowledged.size < uploads.length, 'killed before the burst ended')

    const restarted = await startGateway(args)
    try {
      for (const [cid, bytes] of acknowledged) {
        assert.equal((await pin(restarted.url, cid)).state, 'provisional', cid)
        const block = await fetch(`${restarted.url}/ipfs/${cid}?format=raw`)
        assert.equal(block.status, 200, cid)
        assert.deepEqual(new Uint8Array(await block.arrayBuffer()), bytes)
      }
    } finally {
      await restarted.stop()
    }
  })

  test('a truncated JSON ledger is set aside; pins IPFS holds are kept provisionally', async () => {
    const data = join(dir, 'truncated')
    const args = ['--data-dir', data, '--rpc', `ws://127.0.0.1:${await freePort()}`]
    const first = await startGateway(args)
    const bytes = document('truncated')
    const { cid } = (await (await upload(first.url, bytes)).json()) as { cid: string }
    await first.stop()
    // An older gateway's ledger, cut off mid-write; the database is gone.
    for (const file of ['gateway.sqlite', 'gateway.sqlite-wal', 'gateway.sqlite-shm']) rmSync(join(data, file), { force: true })
    writeFileSync(join(data, 'pins.json'), `{"version":1,"pins":{"${cid}":{"state":"provisio`)

    const second = await startGateway(args)
    try {
      assert.ok(second.logs.some((entry) => entry.msg === 'a JSON state file was unreadable'), 'reported')
      assert.ok(existsSync(join(data, 'pins.json.corrupt')))
      await waitFor(async () => (await pin(second.url, cid)).state === 'provisional', 10_000)
      assert.deepEqual(new Uint8Array(await (await fetch(`${second.url}/ipfs/${cid}?format=raw`)).arrayBuffer()), bytes)
    } finally {
      await second.stop()
    }
  })
})
