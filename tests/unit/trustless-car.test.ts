/**
 * The trustless gateway's DAG work over an in-memory Helia: the block reader
 * (verification, identity CIDs, budget, time limit), path resolution (UnixFS
 * directories, HAMT shards, DAG-JSON links) and the CAR walk (dag-scope,
 * entity-bytes, dups, missing blocks).
 */
import { before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { exporter } from 'ipfs-unixfs-exporter'
import { importer, type ImportCandidate } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { HttpError } from '../../gateway/http/http-error.ts'
import { BlockReader, type ReadBudget } from '../../gateway/trustless/block-reader.ts'
import { carBlocks, planCar } from '../../gateway/trustless/car-blocks.ts'
import { decodeNode } from '../../gateway/trustless/dag-node.ts'
import { parseEntityBytes } from '../../gateway/trustless/entity-bytes.ts'
import type { CarOptions } from '../../gateway/trustless/negotiate.ts'
import { resolvePath } from '../../gateway/trustless/resolve-path.ts'
import type { IPFSClient } from '../../lib/ipfs/client.ts'
import { EmbeddedIpfs, IPFSError, memoryStorage, type EmbeddedStorage, type RetryOptions } from '../../lib/ipfs/index.ts'

const BIG: ReadBudget = { maxBlocks: 100_000, maxBytes: 1 << 30 }
const ALL: CarOptions = { scope: 'all', order: 'dfs', dups: false }

let storage: EmbeddedStorage
let ipfs: EmbeddedIpfs

before(async () => {
  storage = memoryStorage()
  ipfs = await EmbeddedIpfs.open(storage)
})

/** Imports files (CIDv1, raw leaves, `chunk`-byte chunks); returns the CID of each path. */
async function importFiles(files: ImportCandidate[], options: { chunk?: number; maxChildren?: number; shardAt?: number } = {}): Promise<Map<string, CID>> {
  const cids = new Map<string, CID>()
  for await (const entry of importer(files, storage.blockstore, {
    cidVersion: 1,
    rawLeaves: true,
    chunker: fixedSize({ chunkSize: options.chunk ?? 256 }),
    layout: balanced({ maxChildrenPerNode: options.maxChildren ?? 174 }),
    shardSplitThresholdBytes: options.shardAt ?? 262_144,
  })) cids.set(entry.path ?? entry.cid.toString(), entry.cid)
  return cids
}

async function rawCid(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes))
}

async function putBlock(codec: number, bytes: Uint8Array): Promise<CID> {
  const cid = CID.createV1(codec, await sha256.digest(bytes))
  await storage.blockstore.put(cid, bytes)
  return cid
}

function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7 + (i >> 8)) & 0xff)
}

function reader(budget: ReadBudget = BIG, client: IPFSClient = ipfs): BlockReader {
  return new BlockReader(client, { budget, timeoutMs: 5_000, signal: new AbortController().signal })
}

/** The CIDs of the CAR for `root`/`segments` with `options`, in order. */
async function car(root: CID, segments: string[], options: Partial<CarOptions> = {}, budget: ReadBudget = BIG): Promise<string[]> {
  const read = reader(budget)
  const plan = await planCar(await resolvePath(root, segments, read), { ...ALL, ...options }, read, budget)
  const out: string[] = []
  for await (const block of carBlocks(plan, read)) out.push(block.cid.toString())
  return out
}

/** Depth-first, pre-order, every link followed (dups=y), read with the exporter: the expected order. */
async function dfs(cid: CID): Promise<string[]> {
  if (cid.code === raw.code) return [cid.toString()]
  const entry = await exporter(cid, storage.blockstore)
  const links = entry.type === 'file' || entry.type === 'directory' ? entry.node.Links.map((link) => link.Hash) : []
  const out = [cid.toString()]
  for (const link of links) out.push(...await dfs(link))
  return out
}

async function rejectsWith(run: () => Promise<unknown>, check: (error: unknown) => boolean): Promise<void> {
  await assert.rejects(run, (error) => {
    assert.ok(check(error), `unexpected error: ${error}`)
    return true
  })
}

describe('block reader', () => {
  test('reads verified blocks, answers identity CIDs from the CID, and reuses recent blocks', async () => {
    const bytes = bytesOf(100, 1)
    const cid = await putBlock(raw.code, bytes)
    const calls: Array<RetryOptions | undefined> = []
    const counting = { getBlock: async (c: CID, options?: RetryOptions) => { calls.push(options); return await ipfs.getBlock(c, options) } } as unknown as IPFSClient
    const signal = new AbortController().signal
    const read = new BlockReader(counting, { budget: BIG, timeoutMs: 1234, signal })
    assert.deepEqual(await read.get(cid), bytes)
    assert.deepEqual(await read.get(cid), bytes)
    assert.equal(calls.length, 1, 'the second read is served from memory')
    assert.equal(calls[0]?.timeoutMs, 1234, 'each fetch has the time limit')
    assert.equal(calls[0]?.attempts, 1)
    assert.equal(calls[0]?.signal, signal, 'and stops when the client goes away')
    const inline = CID.createV1(raw.code, identity.digest(new TextEncoder().encode('hi')))
    assert.deepEqual(new TextDecoder().decode(await read.get(inline)), 'hi')
    assert.equal(calls.length, 1, 'identity CIDs are not fetched')
  })

  test('a missing block is IPFS_NOT_FOUND; going over the budget is IPFS_TOO_LARGE', async () => {
    const missing = await rawCid(bytesOf(10, 99))
    await rejectsWith(() => reader().get(missing), (error) => error instanceof IPFSError && error.code === 'IPFS_NOT_FOUND')
    const cid = await putBlock(raw.code, bytesOf(100, 2))
    const small = reader({ maxBlocks: 2, maxBytes: 1000 })
    await small.get(cid)
    await small.get(cid)
    await rejectsWith(() => small.get(cid), (error) => error instanceof IPFSError && error.code === 'IPFS_TOO_LARGE' && /2 blocks/.test(error.message))
    const bytesBudget = reader({ maxBlocks: 100, maxBytes: 150 })
    await bytesBudget.get(cid)
    await rejectsWith(() => bytesBudget.get(cid), (error) => error instanceof IPFSError && error.code === 'IPFS_TOO_LARGE')
  })

  test('an aborted request reads nothing more', async () => {
    const cid = await putBlock(raw.code, bytesOf(10, 3))
    const gone = new AbortController()
    const read = new BlockReader(ipfs, { budget: BIG, timeoutMs: 5_000, signal: gone.signal })
    gone.abort()
    await assert.rejects(() => read.get(cid))
  })
})

describe('path resolution', () => {
  test('through UnixFS directories: the blocks on the way, one root per segment, the terminal', async () => {
    const cids = await importFiles([
      { path: 'site/a.txt', content: bytesOf(50, 1) },
      { path: 'site/sub/b.txt', content: bytesOf(60, 2) },
    ])
    const root = cids.get('site')!
    const resolved = await resolvePath(root, ['sub', 'b.txt'], reader())
    assert.deepEqual(resolved.pathBlocks.map((block) => block.cid.toString()), [root, cids.get('site/sub')].map(String))
    assert.deepEqual(resolved.segmentRoots.map(String), [root, cids.get('site/sub'), cids.get('site/sub/b.txt')].map(String))
    assert.equal(resolved.terminal.toString(), cids.get('site/sub/b.txt')!.toString())
    const bare = await resolvePath(root, [], reader())
    assert.deepEqual([bare.pathBlocks, bare.segmentRoots.map(String), bare.terminal.toString()], [[], [root.toString()], root.toString()])
  })

  test('a name that is not there, or a path into a file, is a 404 in words', async () => {
    const cids = await importFiles([{ path: 'p/f.txt', content: bytesOf(10, 3) }])
    for (const segments of [['nope'], ['f.txt', 'deeper']]) {
      await rejectsWith(() => resolvePath(cids.get('p')!, segments, reader()), (error) => error instanceof HttpError && error.status === 404 && error.message.includes('does not exist'))
    }
  })

  test('segments with "/" or too many segments are refused before anything is read', async () => {
    const root = await rawCid(bytesOf(5, 5))
    await rejectsWith(() => resolvePath(root, ['a/b'], reader()), (error) => error instanceof HttpError && error.status === 400)
    await rejectsWith(() => resolvePath(root, Array(65).fill('x'), reader()), (error) => error instanceof HttpError && error.status === 400)
  })

  test('through a HAMT-sharded directory: the shards on the way are path blocks, not segment roots', async () => {
    const files = Array.from({ length: 400 }, (_, i) => ({ path: `hamt/file-${i}.txt`, content: bytesOf(20, i) }))
    const cids = await importFiles(files, { shardAt: 1 })
    const root = cids.get('hamt')!
    const resolved = await resolvePath(root, ['file-123.txt'], reader())
    assert.equal(resolved.terminal.toString(), cids.get('hamt/file-123.txt')!.toString())
    assert.ok(resolved.pathBlocks.length >= 2, 'the root shard and at least one sub-shard')
    assert.equal(resolved.pathBlocks[0].cid.toString(), root.toString())
    for (const shard of resolved.pathBlocks) assert.equal((await decodeNode(shard.cid, shard.bytes)).kind, 'hamt')
    assert.deepEqual(resolved.segmentRoots.map(String), [root.toString(), resolved.terminal.toString()])
  })

  test('through DAG-JSON links into UnixFS', async () => {
    const cids = await importFiles([{ path: 'd/x.txt', content: bytesOf(30, 7) }])
    const json = await putBlock(0x0129, new TextEncoder().encode(JSON.stringify({ files: { site: { '/': cids.get('d')!.toString() } }, name: 'doc' })))
    const resolved = await resolvePath(json, ['files', 'site', 'x.txt'], reader())
    assert.deepEqual(resolved.pathBlocks.map((block) => block.cid.toString()), [json, cids.get('d')].map(String))
    assert.equal(resolved.terminal.toString(), cids.get('d/x.txt')!.toString())
    const inside = await resolvePath(json, ['name'], reader())
    assert.deepEqual([inside.pathBlocks, inside.terminal.toString()], [[], json.toString()], 'a path ending inside the node ends at the node')
  })
})

describe('CAR walk', () => {
  let file: CID
  let leaves: string[]
  const content = bytesOf(1026, 42)

  before(async () => {
    file = (await importFiles([{ content }])).values().next().value!
    leaves = await Promise.all([0, 256, 512, 768, 1024].map(async (start) => (await rawCid(content.subarray(start, start + 256))).toString()))
  })

  test('a chunked file: root then leaves for all and entity; the root only for block', async () => {
    assert.deepEqual(await car(file, []), [file.toString(), ...leaves])
    assert.deepEqual(await car(file, [], { scope: 'entity' }), [file.toString(), ...leaves])
    assert.deepEqual(await car(file, [], { scope: 'block' }), [file.toString()])
  })

  test('entity-bytes selects the leaves holding the bytes (the spec examples)', async () => {
    const cases: Array<[string, number[]]> = [
      ['0:*', [0, 1, 2, 3, 4]], ['512:*', [2, 3, 4]], ['512:1023', [2, 3]], ['512:-256', [2, 3]], ['-5:*', [3, 4]],
      ['-9999:*', [0, 1, 2, 3, 4]], ['-9999:-3', [0, 1, 2, 3]], ['0:0', [0]], ['255:256', [0, 1]], ['600:-500', []],
    ]
    for (const [range, wanted] of cases) {
      const blocks = await car(file, [], { scope: 'entity', entityBytes: parseEntityBytes(range) })
      assert.deepEqual(blocks, [file.toString(), ...wanted.map((i) => leaves[i])], range)
    }
    await rejectsWith(() => car(file, [], { scope: 'entity', entityBytes: parseEntityBytes('1026:*') }), (error) => error instanceof HttpError && error.status === 400)
  })

  test('entity-bytes in a deep file: the blocks sent are enough to read the range, and no leaf outside it is sent', async () => {
    // Random, so no two leaves share a CID.
    const big = new Uint8Array(randomBytes(20_000))
    const root = (await importFiles([{ content: big }], { chunk: 100, maxChildren: 4 })).values().next().value!
    const leafRanges = new Map<string, [number, number]>()
    for (let start = 0; start < big.length; start += 100) leafRanges.set((await rawCid(big.subarray(start, start + 100))).toString(), [start, Math.min(start + 100, big.length) - 1])
    for (const [first, last] of [[0, 0], [99, 100], [5_000, 5_099], [12_345, 17_890], [19_999, 19_999], [0, 19_999]]) {
      const read = reader()
      const plan = await planCar(await resolvePath(root, [], read), { ...ALL, scope: 'entity', entityBytes: { from: first, to: last } }, read, BIG)
      const sent = new Map<string, Uint8Array>()
      for await (const block of carBlocks(plan, read)) sent.set(block.cid.toString(), block.bytes)
      for (const cid of sent.keys()) {
        const span = leafRanges.get(cid)
        if (span !== undefined) assert.ok(span[1] >= first && span[0] <= last, `leaf ${cid} (${span}) is outside ${first}-${last}`)
      }
      // The exporter also reads a leaf that starts right after the range (and uses none of it): allow that, note the rest.
      const unsent: string[] = []
      const only = {
        async * get(cid: CID) {
          const bytes = sent.get(cid.toString())
          if (bytes === undefined) unsent.push(cid.toString())
          yield bytes ?? await reader().get(cid)
        },
      }
      const entry = await exporter(root, only)
      assert.equal(entry.type, 'file')
      const chunks: Uint8Array[] = []
      for await (const chunk of entry.content({ offset: first, length: last - first + 1 })) chunks.push(chunk)
      assert.deepEqual(Buffer.concat(chunks), Buffer.from(big.subarray(first, last + 1)), `${first}-${last}`)
      for (const cid of unsent) {
        const span = leafRanges.get(cid)
        assert.ok(span !== undefined && (span[0] > last || span[1] < first), `${cid}, needed for ${first}-${last}, was not sent`)
      }
    }
  })

  test('a directory: the path blocks, then depth-first; dups=n sends a repeated block once, dups=y every time', async () => {
    const same = bytesOf(40, 5)
    const cids = await importFiles([
      { path: 'dups/a.txt', content: same },
      { path: 'dups/sub/b.txt', content: bytesOf(700, 6) },
      { path: 'dups/sub/c.txt', content: same },
      { path: 'dups/z.txt', content: same },
    ])
    const root = cids.get('dups')!
    const everything = await dfs(root)
    assert.deepEqual(await car(root, [], { dups: true }), everything)
    const once = await car(root, [])
    assert.deepEqual(once, [...new Set(everything)])
    assert.ok(once.length < everything.length, 'the fixture does repeat a block')
    assert.deepEqual(await car(root, [], { scope: 'entity' }), [root.toString()], 'a directory entity is its block')
    assert.deepEqual(await car(root, ['sub'], { scope: 'all' }), [root.toString(), ...await dfs(cids.get('dups/sub')!)])
    assert.deepEqual(await car(root, ['sub', 'b.txt'], { scope: 'block' }), [root, cids.get('dups/sub'), cids.get('dups/sub/b.txt')].map(String))
  })

  test('a HAMT directory entity: the root shard, then every sub-shard, each after its parent, no entries', async () => {
    const cids = await importFiles(Array.from({ length: 500 }, (_, i) => ({ path: `shards/n${i}`, content: bytesOf(10, i) })), { shardAt: 1 })
    const root = cids.get('shards')!
    const sent = await car(root, [], { scope: 'entity' })
    assert.equal(sent[0], root.toString())
    const position = new Map(sent.map((cid, i) => [cid, i]))
    let subShards = 0
    const visit = async (cid: CID): Promise<void> => {
      const node = await decodeNode(cid, await reader().get(cid))
      if (node.kind !== 'hamt') return
      assert.ok(position.has(cid.toString()), `shard ${cid} is sent`)
      for (const shard of node.shards ?? []) {
        subShards++
        assert.ok(position.get(shard.toString())! > position.get(cid.toString())!, 'a shard comes after its parent')
        await visit(shard)
      }
    }
    await visit(root)
    assert.ok(subShards > 0, 'the fixture has sub-shards')
    assert.equal(sent.length, subShards + 1, 'only shards are sent')
  })

  test('DAG-JSON: entity is the block; all follows its links; identity CIDs are never sent', async () => {
    const leaf = await putBlock(raw.code, bytesOf(33, 8))
    const inline = CID.createV1(raw.code, identity.digest(bytesOf(8, 9)))
    const json = await putBlock(0x0129, new TextEncoder().encode(JSON.stringify({ a: { '/': leaf.toString() }, b: [{ '/': inline.toString() }, { '/': leaf.toString() }] })))
    assert.deepEqual(await car(json, [], { scope: 'entity' }), [json.toString()])
    assert.deepEqual(await car(json, []), [json.toString(), leaf.toString()])
    assert.deepEqual(await car(json, [], { dups: true }), [json.toString(), leaf.toString(), leaf.toString()])
    assert.deepEqual(await car(inline, [], { dups: true }), [], 'an identity root gives an empty CAR')
  })

  test('a missing root fails before anything is sent; a missing inner block fails the walk where it is met', async () => {
    const content2 = bytesOf(1000, 77)
    const root = (await importFiles([{ content: content2 }])).values().next().value!
    const third = await rawCid(content2.subarray(512, 768))
    await storage.blockstore.delete(third)
    const read = reader()
    const plan = await planCar(await resolvePath(root, [], read), ALL, read, BIG)
    const sent: string[] = []
    await rejectsWith(async () => {
      for await (const block of carBlocks(plan, read)) sent.push(block.cid.toString())
    }, (error) => error instanceof IPFSError && error.code === 'IPFS_NOT_FOUND')
    assert.equal(sent.length, 3, 'the root and the two leaves before the missing one')
    assert.deepEqual(await car(root, [], { scope: 'entity', entityBytes: { from: 0, to: 511 } }), [root.toString(), ...await Promise.all([0, 256].map(async (s) => (await rawCid(content2.subarray(s, s + 256))).toString()))], 'a range before the gap still works')
    const absent = await rawCid(bytesOf(3, 3))
    await rejectsWith(() => car(absent, []), (error) => error instanceof IPFSError && error.code === 'IPFS_NOT_FOUND')
  })

  test('the budget: a file larger than it is refused up front; a walk that outgrows it stops', async () => {
    await rejectsWith(() => car(file, [], {}, { maxBlocks: 100, maxBytes: 1000 }), (error) => error instanceof IPFSError && error.code === 'IPFS_TOO_LARGE' && /entity-bytes/.test(error.message))
    assert.equal((await car(file, [], { scope: 'entity', entityBytes: { from: 0, to: 511 } }, { maxBlocks: 100, maxBytes: 1000 })).length, 3, 'a part of it fits')
    await rejectsWith(() => car(file, [], {}, { maxBlocks: 4, maxBytes: 1 << 20 }), (error) => error instanceof IPFSError && error.code === 'IPFS_TOO_LARGE')
  })
})
