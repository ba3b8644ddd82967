/**
 * The gateway's pieces on their own: token-bucket rate limits (with a fake
 * clock) and the pin ledger (with an in-memory Helia), including a reload.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EmbeddedIpfs, memoryStorage } from '../../lib/ipfs/index.ts'
import { PinLedger } from '../../gateway/pins.ts'
import { RateLimiter } from '../../gateway/rate-limit.ts'

test('a client gets its burst at once, then one request per refill interval', () => {
  let now = 0
  const limiter = new RateLimiter({ perMinute: 60, burst: 3 }, () => now)
  assert.deepEqual([1, 2, 3].map(() => limiter.take('a')), [0, 0, 0])
  assert.equal(limiter.take('a'), 1, 'wait one second for the next token')
  assert.equal(limiter.take('b'), 0, 'clients have separate buckets')
  now += 1000
  assert.equal(limiter.take('a'), 0)
  assert.equal(limiter.take('a'), 1)
  now += 60_000
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [0, 0, 0, 1], 'refill stops at the burst size')
})

test('the pin ledger keeps registered CIDs, expires provisional ones, and reloads from disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modnet-ledger-'))
  const ipfs = await EmbeddedIpfs.open(memoryStorage())
  try {
    const file = join(dir, 'pins.json')
    const ledger = new PinLedger(file, ipfs)
    const kept = (await ipfs.add(new TextEncoder().encode('kept'))).toString()
    const dropped = (await ipfs.add(new TextEncoder().encode('dropped'))).toString()
    await ledger.provisional(kept, 1_000)
    await ledger.provisional(dropped, 1_000)
    assert.equal(await ledger.registered(kept, '0x01', 7), true)
    await ledger.provisional(kept, 5_000)
    assert.deepEqual(ledger.status(kept), { state: 'registered', key: '0x01', blockNumber: 7 }, 'a registered CID stays registered')
    assert.equal(await ledger.registered('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', '0x02', 8), false, 'content held elsewhere is recorded but not pinned')

    assert.deepEqual(await ledger.expire(999), [])
    assert.deepEqual(await ledger.expire(1_000), [dropped])
    assert.deepEqual(ledger.status(dropped), { state: 'none' })
    assert.equal(await ipfs.isPinned(dropped), false)
    await assert.rejects(ipfs.cat(dropped), { code: 'IPFS_NOT_FOUND' })
    assert.equal(await ipfs.isPinned(kept), true)
    assert.deepEqual(ledger.counts(), { provisional: 0, registered: 2 })

    const reloaded = new PinLedger(file, ipfs)
    assert.deepEqual(reloaded.status(kept), ledger.status(kept))
    assert.deepEqual(reloaded.counts(), ledger.counts())
  } finally {
    await ipfs.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
