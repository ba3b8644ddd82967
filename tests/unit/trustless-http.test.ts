/**
 * GET/HEAD /ipfs through the gateway's HTTP server over an in-memory Helia:
 * raw blocks (paths, ranges, conditional requests), CARs (negotiation,
 * headers, verified blocks), content, refusals in words, the cut of a CAR
 * whose block goes missing, and a CAR walk that follows the client: it
 * pauses while the client does not read and stops when it leaves.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { CarBlockIterator } from '@ipld/car/iterator'
import { importer, type ImportCandidate } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { jsonLogger } from '../../gateway/log.ts'
import { createMetrics } from '../../gateway/metrics.ts'
import { createGateway, DEFAULT_CONFIG, type GatewayDeps } from '../../gateway/server.ts'
import type { IPFSClient } from '../../lib/ipfs/client.ts'
import { EmbeddedIpfs, IPFSError, memoryStorage, verifyBlock, type EmbeddedStorage, type RetryOptions } from '../../lib/ipfs/index.ts'

let storage: EmbeddedStorage
let ipfs: EmbeddedIpfs
let cids: Map<string, CID>
let smallFile: Uint8Array
let reads = 0
/** Replaces the IPFS client's getBlock for one test. */
let getBlockHook: ((cid: CID, options?: RetryOptions) => Promise<Uint8Array>) | undefined
let server: Server
let url: string
let deps: GatewayDeps
/** The gateway's log lines. */
const logs: Array<Record<string, unknown>> = []

const CAR = 'application/vnd.ipld.car'
const RAW = 'application/vnd.ipld.raw'

async function importFiles(files: ImportCandidate[], chunk = 256): Promise<Map<string, CID>> {
  const out = new Map<string, CID>()
  for await (const entry of importer(files, storage.blockstore, { cidVersion: 1, rawLeaves: true, chunker: fixedSize({ chunkSize: chunk }) })) {
    out.set(entry.path ?? entry.cid.toString(), entry.cid)
  }
  return out
}

async function rawCid(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes))
}

async function carBlocks(response: Response): Promise<{ roots: string[]; blocks: string[] }> {
  const iterator = await CarBlockIterator.fromBytes(new Uint8Array(await response.arrayBuffer()))
  const blocks: string[] = []
  for await (const { cid, bytes } of iterator) {
    verifyBlock(cid, bytes)
    blocks.push(cid.toString())
  }
  return { roots: (await iterator.getRoots()).map(String), blocks }
}

before(async () => {
  storage = memoryStorage()
  ipfs = await EmbeddedIpfs.open(storage)
  smallFile = new Uint8Array(randomBytes(1000))
  cids = await importFiles([
    { path: 'site/index.json', content: new TextEncoder().encode('{"name":"hello"}') },
    { path: 'site/sub/data.bin', content: smallFile },
  ])
  const counting = new Proxy(ipfs, {
    get(target, property) {
      if (property === 'getBlock') {
        return async (cid: CID, options?: RetryOptions) => {
          reads++
          return await (getBlockHook ?? target.getBlock.bind(target))(cid, options)
        }
      }
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  }) as IPFSClient
  // These tests count and fail backend reads: no block cache in between (it has its own test below).
  const config = { ...DEFAULT_CONFIG, readLimit: { perMinute: 100_000, burst: 10_000 }, blockCacheBytes: 0 }
  deps = { ipfs: counting, keeper: {}, index: {}, chain: {}, storage: {}, metrics: createMetrics(), log: jsonLogger((line) => void logs.push(JSON.parse(line))) } as unknown as GatewayDeps
  ;({ server, url } = await listen(config, deps))
})

async function listen(config: typeof DEFAULT_CONFIG, gatewayDeps: GatewayDeps): Promise<{ server: Server; url: string }> {
  const gateway = createGateway(config, gatewayDeps)
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve))
  return { server: gateway, url: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}` }
}

async function close(gateway: Server): Promise<void> {
  gateway.closeAllConnections()
  await new Promise((resolve) => gateway.close(resolve))
}

after(async () => {
  await close(server)
  await ipfs.close()
})

describe('the verified-block cache', () => {
  test('a block read again comes from memory, not the backend; the metrics count hits and misses', async () => {
    const metrics = createMetrics()
    const cached = await listen({ ...DEFAULT_CONFIG, readLimit: { perMinute: 100_000, burst: 10_000 } }, { ...deps, metrics })
    try {
      const leaf = cids.get('site/index.json')!
      const before = reads
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${cached.url}/ipfs/${leaf}?format=raw`)
        assert.equal(response.status, 200)
        assert.equal(new TextDecoder().decode(await response.arrayBuffer()), '{"name":"hello"}')
      }
      assert.equal(reads - before, 1, 'one backend read for five answers')
      const page = await metrics.registry.metrics()
      assert.match(page, /modnet_gateway_block_cache_lookups_total\{result="hit"\} 4/)
      assert.match(page, /modnet_gateway_block_cache_lookups_total\{result="miss"\} 1/)
      assert.match(page, /modnet_gateway_block_cache_bytes 16/)
    } finally {
      await close(cached.server)
    }
  })
})

describe('raw blocks', () => {
  test('the block at the end of a path, with the trustless headers', async () => {
    const root = cids.get('site')!
    const leaf = cids.get('site/index.json')!
    const path = `/ipfs/${root}/index.json`
    const response = await fetch(`${url}${path}?format=raw`)
    assert.equal(response.status, 200)
    assert.equal(await response.text(), '{"name":"hello"}')
    const h = response.headers
    assert.equal(h.get('content-type'), RAW)
    assert.equal(h.get('content-length'), '16')
    assert.equal(h.get('etag'), `"${leaf}.raw"`)
    assert.equal(h.get('cache-control'), 'public, max-age=29030400, immutable')
    assert.equal(h.get('x-content-type-options'), 'nosniff')
    assert.equal(h.get('vary'), 'Accept')
    assert.equal(h.get('x-ipfs-path'), path)
    assert.equal(h.get('x-ipfs-roots'), `${root},${leaf}`)
    assert.equal(h.get('content-disposition'), `attachment; filename="${leaf}.bin"`)
    assert.equal(h.get('access-control-allow-origin'), '*')
    assert.equal(h.get('content-location'), null, '?format= already names the format')
  })

  test('Accept chooses raw too, and Content-Location names the format; ?filename= names the download', async () => {
    const root = cids.get('site')!
    const response = await fetch(`${url}/ipfs/${root}?filename=site.bin`, { headers: { accept: RAW } })
    assert.equal(response.status, 200)
    assert.deepEqual(verifyBlock(root, new Uint8Array(await response.arrayBuffer())).length > 0, true)
    assert.equal(response.headers.get('content-location'), `/ipfs/${root}?filename=site.bin&format=raw`)
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="site.bin"')
  })

  test('HEAD: the same headers, no body', async () => {
    const leaf = cids.get('site/index.json')!
    const response = await fetch(`${url}/ipfs/${leaf}?format=raw`, { method: 'HEAD' })
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-length'), '16')
    assert.equal(response.headers.get('etag'), `"${leaf}.raw"`)
    assert.equal((await response.arrayBuffer()).byteLength, 0)
  })

  test('If-None-Match with the ETag is a 304; another ETag is not', async () => {
    const leaf = cids.get('site/index.json')!
    const notModified = await fetch(`${url}/ipfs/${leaf}?format=raw`, { headers: { 'if-none-match': `"${leaf}.raw"` } })
    assert.equal(notModified.status, 304)
    assert.equal(notModified.headers.get('etag'), `"${leaf}.raw"`)
    assert.equal(notModified.headers.get('access-control-allow-origin'), '*')
    assert.equal(notModified.headers.get('cache-control'), 'public, max-age=29030400, immutable')
    assert.equal(notModified.headers.get('content-type'), null, 'a 304 carries no representation headers')
    assert.equal((await fetch(`${url}/ipfs/${leaf}?format=raw`, { headers: { 'if-none-match': `"${leaf}"` } })).status, 200)
    const missing = await rawCid(new Uint8Array([1, 2, 3]))
    assert.equal((await fetch(`${url}/ipfs/${missing}?format=raw`, { headers: { 'if-none-match': `"${missing}.raw"` } })).status, 404, 'no 304 for a block that is not there')
  })

  test('a single Range is a 206; several ranges get the whole block; a range past the end is a 416 in words', async () => {
    const leaf = cids.get('site/index.json')!
    const part = await fetch(`${url}/ipfs/${leaf}?format=raw`, { headers: { range: 'bytes=2-5' } })
    assert.equal(part.status, 206)
    assert.equal(part.headers.get('content-range'), 'bytes 2-5/16')
    assert.equal(await part.text(), 'name')
    const several = await fetch(`${url}/ipfs/${leaf}?format=raw`, { headers: { range: 'bytes=0-1,4-5' } })
    assert.equal(several.status, 200)
    assert.equal((await several.arrayBuffer()).byteLength, 16)
    const past = await fetch(`${url}/ipfs/${leaf}?format=raw`, { headers: { range: 'bytes=16-' } })
    assert.equal(past.status, 416)
    assert.equal(past.headers.get('content-range'), 'bytes */16')
    assert.match(((await past.json()) as { error: string }).error, /outside the 16-byte block/)
  })

  test('the empty identity block answers the trustless gateway probe', async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(`${url}/ipfs/bafkqaaa?format=raw`, { method })
      assert.equal(response.status, 200, method)
      assert.equal((await response.arrayBuffer()).byteLength, 0)
    }
  })
})

describe('CARs', () => {
  test('the path blocks then the terminal DAG, verified, with the CAR headers; Accept parameters are honoured', async () => {
    const root = cids.get('site')!
    const sub = cids.get('site/sub')!
    const file = cids.get('site/sub/data.bin')!
    const leaves = await Promise.all([0, 256, 512, 768].map(async (start) => (await rawCid(smallFile.subarray(start, start + 256))).toString()))
    const response = await fetch(`${url}/ipfs/${root}/sub/data.bin`, { headers: { accept: `${CAR}; version=1; order=dfs; dups=y` } })
    assert.equal(response.status, 200)
    const h = response.headers
    assert.equal(h.get('content-type'), `${CAR}; version=1; order=dfs; dups=y`)
    assert.equal(h.get('accept-ranges'), 'none')
    assert.equal(h.get('content-disposition'), `attachment; filename="${file}.car"`)
    assert.match(h.get('etag') ?? '', new RegExp(`^"${root}\\.car\\.`))
    assert.equal(h.get('x-ipfs-roots'), `${root},${sub},${file}`)
    assert.equal(h.get('content-location'), `/ipfs/${root}/sub/data.bin?format=car&car-order=dfs&car-dups=y`)
    assert.equal(h.get('x-content-type-options'), 'nosniff')
    assert.equal(h.get('access-control-allow-origin'), '*')
    const car = await carBlocks(response)
    assert.deepEqual(car.roots, [file.toString()])
    assert.deepEqual(car.blocks, [root.toString(), sub.toString(), file.toString(), ...leaves])
  })

  test('dag-scope=block, entity-bytes, and ETags that differ with them', async () => {
    const root = cids.get('site')!
    const block = await fetch(`${url}/ipfs/${root}/sub?format=car&dag-scope=block`)
    assert.deepEqual((await carBlocks(block)).blocks, [root, cids.get('site/sub')].map(String))
    const file = cids.get('site/sub/data.bin')!
    const ranged = await fetch(`${url}/ipfs/${file}?format=car&entity-bytes=300:400`)
    assert.deepEqual((await carBlocks(ranged)).blocks, [file.toString(), (await rawCid(smallFile.subarray(256, 512))).toString()])
    assert.notEqual(block.headers.get('etag'), ranged.headers.get('etag'))
    const whole = await fetch(`${url}/ipfs/${file}?format=car`)
    assert.notEqual(whole.headers.get('etag'), ranged.headers.get('etag'))
    await whole.arrayBuffer()
  })

  test('HEAD and 304 answer without walking the DAG', async () => {
    const file = cids.get('site/sub/data.bin')!
    const head = await fetch(`${url}/ipfs/${file}?format=car`, { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal((await head.arrayBuffer()).byteLength, 0)
    const etag = head.headers.get('etag')!
    const before = reads
    const cached = await fetch(`${url}/ipfs/${file}?format=car`, { headers: { 'if-none-match': etag } })
    assert.equal(cached.status, 304)
    assert.equal(reads - before, 1, 'only the root block is read')
  })

  test('a CAR whose inner block is missing starts, then is cut (the client sees a broken body, not a short CAR)', async () => {
    const content = new Uint8Array(randomBytes(2000))
    const file = (await importFiles([{ content }])).values().next().value!
    await storage.blockstore.delete(await rawCid(content.subarray(1024, 1280)))
    const response = await fetch(`${url}/ipfs/${file}?format=car`)
    assert.equal(response.status, 200)
    await assert.rejects(response.arrayBuffer())
    const missingRoot = await fetch(`${url}/ipfs/${await rawCid(content)}?format=car`)
    assert.equal(missingRoot.status, 404, 'a missing root is a 404 before anything is sent')
  })
})

describe('content and refusals', () => {
  test('without a format: the file at the path', async () => {
    const response = await fetch(`${url}/ipfs/${cids.get('site')}/sub/data.bin`)
    assert.equal(response.status, 200)
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), smallFile)
    assert.equal(response.headers.get('etag'), `"${cids.get('site/sub/data.bin')}"`)
    const directory = await fetch(`${url}/ipfs/${cids.get('site')}`)
    assert.equal(directory.status, 422)
  })

  test('refusals are in words with the right status', async () => {
    const root = cids.get('site')!
    const missing = await rawCid(new Uint8Array([9, 9, 9]))
    const cases: Array<[string, RequestInit, number, RegExp]> = [
      ['/ipfs/not-a-cid?format=raw', {}, 400, /not a valid CID/],
      [`/ipfs/${root}?format=tar`, {}, 406, /format "tar" is not served here/],
      [`/ipfs/${root}?format=car&car-version=2`, {}, 406, /only CAR version 1/],
      [`/ipfs/${root}`, { headers: { accept: 'application/vnd.ipld.dag-json' } }, 406, /none of the accepted types/],
      [`/ipfs/${root}?format=car&dag-scope=deep`, {}, 400, /dag-scope must be/],
      [`/ipfs/${root}?format=car&entity-bytes=x`, {}, 400, /entity-bytes must be/],
      [`/ipfs/${missing}?format=raw`, {}, 404, /not in the embedded IPFS store/],
      [`/ipfs/${missing}?format=car`, {}, 404, /not in the embedded IPFS store/],
      [`/ipfs/${missing}`, {}, 404, /not in the embedded IPFS store/],
      [`/ipfs/${root}/nope.txt?format=raw`, {}, 404, /does not exist/],
      [`/ipfs/${root}/nope.txt?format=car`, {}, 404, /does not exist/],
      [`/ipfs/${missing}?format=raw`, { headers: { 'cache-control': 'only-if-cached' } }, 412, /only-if-cached/],
    ]
    for (const [path, init, status, words] of cases) {
      const response = await fetch(`${url}${path}`, init)
      assert.equal(response.status, status, path)
      assert.equal(response.headers.get('access-control-allow-origin'), '*', path)
      assert.match(((await response.json()) as { error: string }).error, words, path)
    }
    const cached = await fetch(`${url}/ipfs/${root}?format=raw`, { headers: { 'cache-control': 'only-if-cached' } })
    assert.equal(cached.status, 200, 'only-if-cached with the block at hand')
    await cached.arrayBuffer()
  })

  test('a block fetch that runs out of time is a 504', async () => {
    getBlockHook = async (cid) => { throw new IPFSError('IPFS_TIMEOUT', `reading block ${cid} took longer than 10 ms`) }
    try {
      const response = await fetch(`${url}/ipfs/${cids.get('site')}?format=raw`)
      assert.equal(response.status, 504)
      assert.match(((await response.json()) as { error: string }).error, /took longer/)
    } finally {
      getBlockHook = undefined
    }
  })
})

describe('a CAR follows its client', () => {
  let file: CID
  const LEAVES = 2048

  before(async () => {
    // 32 MiB: well beyond what socket buffers hold on loopback (a few MiB).
    file = (await importFiles([{ content: new Uint8Array(randomBytes(LEAVES * 16_384)) }], 16_384)).values().next().value!
  })

  /** Starts a CAR download that reads nothing; resolves once the headers are in. */
  function stalledDownload(): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${url}/ipfs/${file}?format=car`, (response) => {
        response.pause()
        resolve(response)
      })
      request.on('error', reject)
      request.end()
    })
  }

  async function settle(): Promise<number> {
    let last = -1
    while (last !== reads) {
      last = reads
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    return reads
  }

  test('a client that does not read holds the walk back; one that leaves stops it', async (t) => {
    const start = reads
    const logged = logs.length
    const response = await stalledDownload()
    const whilePaused = await settle() - start
    t.diagnostic(`blocks read while the client read nothing: ${whilePaused}`)
    assert.ok(whilePaused < LEAVES / 2, `${whilePaused} of ${LEAVES + 1} blocks read while the client read nothing`)
    response.destroy()
    const afterLeaving = await settle() - start
    assert.ok(afterLeaving <= whilePaused + 2, `the walk went on after the client left (${whilePaused} -> ${afterLeaving})`)
    assert.deepEqual(logs.slice(logged).filter((entry) => entry.level === 'error'), [], 'a client leaving is not logged as a failure')
    // The same CAR read in full, for comparison.
    const full = await fetch(`${url}/ipfs/${file}?format=car`)
    const all = (await carBlocks(full)).blocks.length
    assert.ok(all > LEAVES, `${all} blocks in the whole CAR`)
  })
})
