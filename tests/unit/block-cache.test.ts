/** The gateway's cache of verified blocks: shared fetches, bounds, failures and aborts. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { computeCid } from '../../lib/ipfs/cid.ts'
import { VerifiedBlockCache } from '../../gateway/trustless/block-cache.ts'

const bytesOf = (text: string, size = text.length) => new TextEncoder().encode(text.padEnd(size, '.'))
const cidOf = async (bytes: Uint8Array) => await computeCid(bytes)

test('a block fetched once is served from memory after', async () => {
  const cache = new VerifiedBlockCache({ maxBytes: 1024, maxBlockBytes: 512 })
  const block = bytesOf('hello')
  const cid = await cidOf(block)
  let fetches = 0
  const fetch = async () => { fetches++; return block }
  assert.equal(await cache.get(cid, fetch), block)
  assert.equal(await cache.get(cid, fetch), block)
  assert.equal(fetches, 1)
  assert.deepEqual(cache.stats, { hits: 1, misses: 1, blocks: 1, bytes: 5 })
})

test('concurrent misses for one CID share one fetch', async () => {
  const cache = new VerifiedBlockCache()
  const block = bytesOf('crowd')
  const cid = await cidOf(block)
  let fetches = 0
  let release!: () => void
  const fetch = () => { fetches++; return new Promise<Uint8Array>((resolve) => { release = () => resolve(block) }) }
  const waiting = Array.from({ length: 50 }, () => cache.get(cid, fetch))
  release()
  for (const bytes of await Promise.all(waiting)) assert.equal(bytes, block)
  assert.equal(fetches, 1)
})

test('the least recently used blocks leave first once the bytes run over; large blocks are not kept', async () => {
  const cache = new VerifiedBlockCache({ maxBytes: 300, maxBlockBytes: 150 })
  const blocks = ['a', 'b', 'c'].map((name) => bytesOf(name, 100))
  const cids = await Promise.all(blocks.map(cidOf))
  for (let i = 0; i < 3; i++) await cache.get(cids[i], async () => blocks[i])
  await cache.get(cids[0], async () => assert.fail('a is cached'))
  const d = bytesOf('d', 100)
  await cache.get(await cidOf(d), async () => d)
  // b was the least recently used.
  assert.equal(cache.peek(cids[1]), undefined)
  assert.equal(cache.peek(cids[0]), blocks[0])
  assert.equal(cache.stats.bytes, 300)
  const large = bytesOf('large', 200)
  await cache.get(await cidOf(large), async () => large)
  assert.equal(cache.peek(await cidOf(large)), undefined)
  assert.equal(cache.stats.bytes, 300)
})

test('a failed fetch is not cached: the next request tries again', async () => {
  const cache = new VerifiedBlockCache()
  const block = bytesOf('flaky')
  const cid = await cidOf(block)
  await assert.rejects(cache.get(cid, async () => { throw new Error('backend down') }), /backend down/)
  assert.equal(await cache.get(cid, async () => block), block)
})

test('a client that leaves stops its own wait, not the fetch others wait for', async () => {
  const cache = new VerifiedBlockCache()
  const block = bytesOf('shared')
  const cid = await cidOf(block)
  let release!: () => void
  const fetch = () => new Promise<Uint8Array>((resolve) => { release = () => resolve(block) })
  const gone = new AbortController()
  const leaving = cache.get(cid, fetch, gone.signal)
  const staying = cache.get(cid, fetch)
  gone.abort(new Error('client left'))
  await assert.rejects(leaving, /client left/)
  release()
  assert.equal(await staying, block)
  assert.equal(cache.peek(cid), block)
})
