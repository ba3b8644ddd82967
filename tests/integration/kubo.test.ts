/**
 * Mod-Net with a real Kubo daemon as its IPFS (tests/support/kubo.ts) and a
 * real `modnet-node --dev`: the same CIDs as embedded Helia, pins and garbage
 * collection, the library and CLI round trips with `kubo:` storage, Kubo's own
 * HTTP gateway read as an untrusted trustless gateway, and the Mod-Net gateway
 * storing uploads in Kubo.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'
import { EmbeddedIpfs, KuboIpfs, UNIXFS_CHUNK_SIZE, computeCid, createIPFSClient, type IPFSClient } from '../../lib/ipfs/index.ts'
import { fileStorage } from '../../lib/ipfs/node-storage.ts'
import { canonicalBytes } from '../../lib/types/index.ts'
import { modnet } from '../support/cli.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { startKubo, type KuboDaemon } from '../support/kubo.ts'
import { startDevNode, waitFor, type DevNode } from '../support/node.ts'
import { registerModule, retrieveModule } from '../../lib/registry/index.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
const keyring = new Keyring({ type: 'sr25519' })
let dir: string
let node: DevNode
let kubo: KuboDaemon
let kuboIpfs: KuboIpfs

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-kubo-it-'))
  // Started together; if one fails, the other is still stopped in after().
  const [started, kuboStarted] = await Promise.allSettled([startDevNode(join(dir, 'chain')), startKubo()])
  if (started.status === 'fulfilled') node = started.value
  if (kuboStarted.status === 'fulfilled') kubo = kuboStarted.value
  for (const outcome of [started, kuboStarted]) if (outcome.status === 'rejected') throw outcome.reason
  kuboIpfs = new KuboIpfs(kubo.apiUrl)
})

after(async () => {
  await Promise.all([kubo?.stop(), node?.stop()])
  rmSync(dir, { recursive: true, force: true })
})

test('embedded Helia and Kubo store the same bytes under the same CID, pin, unpin and collect garbage alike', async () => {
  const embedded = await EmbeddedIpfs.open(fileStorage(join(dir, 'embedded')))
  try {
    // Past 174 leaves Kubo's stock DAG shape differs from Helia's unless
    // KuboIpfs passes max-file-links 1024. With 1 MiB chunks that takes
    // > 174 MiB of content; all zeros keeps it cheap: every leaf is the same
    // block, so each store holds one 1 MiB leaf plus the root (180 links).
    const wide = new Uint8Array(180 * UNIXFS_CHUNK_SIZE)
    const contents: [string, Uint8Array][] = [
      ['hello-module.json, canonical', canonicalBytes(example)],
      ['3 MiB', pattern(3 * 1024 * 1024)],
      ['180 MiB of zeros (180 leaves)', wide],
    ]
    for (const [label, bytes] of contents) {
      const expected = (await computeCid(bytes)).toString()
      const fromEmbedded = (await embedded.add(bytes)).toString()
      const fromKubo = (await kuboIpfs.add(bytes)).toString()
      assert.equal(fromEmbedded, expected, `${label}: embedded`)
      assert.equal(fromKubo, expected, `${label}: kubo`)
      for (const ipfs of [embedded, kuboIpfs] as IPFSClient[]) {
        const what = `${label}: ${ipfs.kind}`
        assert.ok(equalBytes(await ipfs.cat(expected, { maxBytes: bytes.length }), bytes), `${what}: cat returns the bytes`)
        assert.equal(await ipfs.isPinned(expected), true, `${what}: pinned after add`)
        await ipfs.unpin(expected)
        assert.equal(await ipfs.isPinned(expected), false, `${what}: unpinned`)
        await ipfs.gc()
        await assert.rejects(ipfs.cat(expected, { maxBytes: bytes.length }), { code: 'IPFS_NOT_FOUND' }, `${what}: gone after gc`)
      }
    }
    assert.match((await computeCid(contents[0][1])).toString(), /^bafkrei/, 'one chunk: a raw-codec CID')
    assert.match((await computeCid(wide)).toString(), /^bafybei/, 'many chunks: a dag-pb root')
  } finally {
    await embedded.close()
  }
})

test('library round trip with Kubo as the IPFS: register, retrieve, update links the previous CID', async () => {
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  try {
    const alice = keyring.addFromUri('//Alice')
    // Unsigned, so the stored bytes are the example's own canonical bytes.
    const registered = await registerModule({ chain: client, ipfs: kuboIpfs }, example, alice, { signMetadata: false })
    assert.equal(registered.action, 'registered')
    assert.equal(registered.key, client.accountKey(alice))
    assert.equal(registered.cid, (await computeCid(canonicalBytes(example))).toString())
    assert.equal(await kuboIpfs.isPinned(registered.cid), true)

    const retrieved = await retrieveModule({ chain: client, ipfs: kuboIpfs }, registered.key)
    assert.equal(retrieved.record.cid, registered.cid)
    assert.equal(retrieved.record.owner, alice.address)
    assert.equal(retrieved.record.revision, 0)
    assert.deepEqual(retrieved.metadata, example)
    assert.deepEqual(retrieved.verification.schema, { valid: true })
    assert.equal(retrieved.verification.signature.status, 'absent')

    const updated = await registerModule({ chain: client, ipfs: kuboIpfs }, { ...example, version: '1.1.0' }, alice, { signMetadata: false })
    assert.equal(updated.action, 'updated')
    assert.equal(updated.metadata.previous, registered.cid)
    const again = await retrieveModule({ chain: client, ipfs: kuboIpfs }, registered.key)
    assert.equal(again.record.revision, 1)
    assert.equal(again.record.cid, updated.cid)
    assert.deepEqual(again.metadata, { ...example, version: '1.1.0', previous: registered.cid })
    assert.deepEqual(again.verification.schema, { valid: true })
  } finally {
    await client.disconnect()
  }
})

test('CLI round trip with --ipfs kubo: register as //Bob, get the signed document back', async () => {
  const bobKey = u8aToHex(keyring.addFromUri('//Bob').publicKey)
  const file = join(dir, 'bob-module.json')
  const document = { ...example, name: 'kubo-cli-module', description: 'Registered through the CLI with Kubo storage.' }
  writeFileSync(file, JSON.stringify(document, null, 2))
  const globals = ['--ipfs', `kubo:${kubo.apiUrl}`, '--rpc', node.rpcUrl, '--json']

  const registered = await modnet([...globals, 'register', '--metadata', file, '--key-uri', '//Bob'])
  assert.equal(registered.code, 0, registered.stderr)
  assert.equal(registered.json.action, 'registered')
  assert.equal(registered.json.key, bobKey)
  assert.equal(await kuboIpfs.isPinned(registered.json.cid), true)

  const got = await modnet([...globals, 'get', bobKey])
  assert.equal(got.code, 0, got.stderr)
  assert.equal(got.json.record.cid, registered.json.cid)
  assert.deepEqual(got.json.verification.schema, { valid: true })
  assert.equal(got.json.verification.signature.status, 'valid')
  assert.equal(got.json.metadata.name, 'kubo-cli-module')
})

test("Kubo's HTTP gateway works as a read-only trustless gateway", async () => {
  const bytes = pattern(2 * 1024 * 1024 + 12_345)
  const cid = await kuboIpfs.add(bytes)
  const gateway = await createIPFSClient(`gateway:${kubo.gatewayUrl}`)
  assert.equal(gateway.kind, 'gateway')
  assert.ok(equalBytes(await gateway.cat(cid), bytes), 'three verified blocks reassembled')
  assert.ok(equalBytes(await gateway.getBlock(cid), await kuboIpfs.getBlock(cid)), 'the root block')

  // Content Kubo lacks (offline, NoFetch): a 404, so not found, not retried as unavailable.
  const missing = await computeCid(pattern(1000).reverse())
  await assert.rejects(gateway.cat(missing), { code: 'IPFS_NOT_FOUND' })

  // Kubo's gateway has no Mod-Net upload endpoint.
  const post = await fetch(`${kubo.gatewayUrl}/api/v1/metadata`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  await post.body?.cancel()
  assert.ok([404, 405].includes(post.status), `Kubo answered POST /api/v1/metadata with HTTP ${post.status}`)
  await assert.rejects(gateway.add(canonicalBytes({ ...example, name: 'never-stored' })), { code: 'IPFS_READ_ONLY' })
})

test('the Mod-Net gateway backed by Kubo stores uploads in Kubo and serves them', async () => {
  let gateway: RunningGateway | undefined
  try {
    gateway = await startGateway(['--ipfs', `kubo:${kubo.apiUrl}`, '--rpc', node.rpcUrl, '--data-dir', join(dir, 'gateway')])
    const bytes = canonicalBytes({ ...example, name: 'kubo-gateway-module', description: `uploaded through the gateway ${Date.now()}` })
    const response = await fetch(`${gateway.url}/api/v1/metadata`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes })
    assert.equal(response.status, 201)
    const { cid } = (await response.json()) as { cid: string }
    assert.equal(cid, (await computeCid(bytes)).toString())
    assert.equal(await kuboIpfs.isPinned(cid), true, 'pinned in Kubo')
    assert.ok(equalBytes(await kuboIpfs.cat(cid), bytes))

    const block = await fetch(`${gateway.url}/ipfs/${cid}?format=raw`)
    assert.equal(block.status, 200)
    assert.ok(equalBytes(new Uint8Array(await block.arrayBuffer()), bytes))

    await waitFor(async () => (await fetch(`${gateway!.url}/healthz`)).status === 200, 30_000)
    const health = (await (await fetch(`${gateway.url}/healthz`)).json()) as any
    assert.equal(health.ipfs.kind, 'kubo')
    assert.equal(health.ipfs.ok, true)
    assert.match(health.ipfs.detail, /Kubo/)
  } finally {
    await gateway?.stop()
  }
})

/** Deterministic, non-repeating-per-chunk bytes, so a failing CID can be reproduced. */
function pattern(length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (i * 31 + (i >>> 20)) % 251
  return out
}

/** Byte equality without deepEqual's per-element diff (slow and unreadable for MiBs). */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}
