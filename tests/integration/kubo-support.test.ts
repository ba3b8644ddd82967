/**
 * A real Kubo daemon (tests/support/kubo.ts, installed by
 * scripts/install-kubo.sh) stores what we add under the CIDs Helia computes
 * for the same bytes, given the right add options.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { test } from 'node:test'
import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { importFile } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { create } from 'kubo-rpc-client'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { startKubo } from '../support/kubo.ts'

/**
 * Kubo add options for the CIDs `@helia/unixfs` addBytes gives by default
 * (CIDv1, raw leaves, 1 MiB chunks, balanced DAG of up to 1024 links per
 * node). Kubo's stock defaults are CIDv0, 256 KiB chunks and 174 links.
 * `maxFileLinks` is not in kubo-rpc-client's AddOptions type but is passed
 * through as `max-file-links`; it only matters above 174 leaves.
 */
const HELIA_ADD_OPTIONS = { cidVersion: 1, rawLeaves: true, chunker: 'size-1048576', maxFileLinks: 1024 } as const

test('Kubo adds, cats and pins under the CIDs Helia computes', async () => {
  const kubo = await startKubo()
  try {
    const ipfs = create({ url: kubo.apiUrl })

    // A small document is one raw block: its CID is the hash of its bytes.
    const doc = new TextEncoder().encode(JSON.stringify({ name: 'hello', version: '1.0.0' }))
    const added = await ipfs.add(doc, { cidVersion: 1, rawLeaves: true })
    assert.equal(added.cid.toString(), CID.createV1(raw.code, await sha256.digest(doc)).toString())
    assert.deepEqual(await bytes(ipfs.cat(added.cid)), doc)
    const pins = await collect(ipfs.pin.ls({ paths: added.cid }))
    assert.deepEqual(pins.map(({ cid, type }) => [cid.toString(), type]), [[added.cid.toString(), 'recursive']])

    // 3 MiB: three 1 MiB leaves under one dag-pb root.
    const big = pattern(3 * 1024 * 1024)
    const heliaCid = await unixfs({ blockstore: new MemoryBlockstore() }).addBytes(big)
    assert.equal((await ipfs.add(big, HELIA_ADD_OPTIONS)).cid.toString(), heliaCid.toString())
    // ipfs-unixfs-importer's own defaults are not Helia's: 256 KiB chunks and
    // 174 links, which is Kubo's stock DAG shape with CIDv1 + raw leaves.
    const { cid: importerCid } = await importFile({ content: big }, new MemoryBlockstore())
    assert.notEqual(importerCid.toString(), heliaCid.toString())
    assert.equal((await ipfs.add(big, { cidVersion: 1, rawLeaves: true })).cid.toString(), importerCid.toString())

    // 200 leaves (1 KiB chunks) is past Kubo's 174-link default: only
    // maxFileLinks: 1024 keeps Kubo's DAG the same shape as Helia's.
    const wide = pattern(200 * 1024)
    const wideCid = await unixfs({ blockstore: new MemoryBlockstore() }).addBytes(wide, {
      chunker: fixedSize({ chunkSize: 1024 }),
    })
    const wideOptions = { ...HELIA_ADD_OPTIONS, chunker: 'size-1024' }
    assert.equal((await ipfs.add(wide, wideOptions)).cid.toString(), wideCid.toString())
    const stockLinks = { ...wideOptions, maxFileLinks: undefined }
    assert.notEqual((await ipfs.add(wide, stockLinks)).cid.toString(), wideCid.toString())
  } finally {
    await kubo.stop()
  }
  assert.equal(existsSync(kubo.repo), false, 'stop() removes the temporary repo')
})

/** Deterministic bytes, so a failing CID can be reproduced. */
function pattern(length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (i * 31) % 251
  return out
}

/** Array.fromAsync, which the ES2023 lib in tsconfig does not declare. */
async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of source) all.push(item)
  return all
}

async function bytes(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(Buffer.concat(await collect(source)))
}
