/**
 * The gateway's pieces on their own: rate limits (fake clock, bounded
 * memory), client addresses behind trusted proxies, request targets, the
 * store lock, and the SQLite state (pin ledger, chain index, retention,
 * legacy JSON import) with the pin keeper over an in-memory Helia.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EmbeddedIpfs, memoryStorage, type IPFSClient } from '../../lib/ipfs/index.ts'
import type { RegistryEvent } from '../../lib/types/chain.ts'
import { clientAddress, clientKey, TrustedProxies } from '../../gateway/http/client-address.ts'
import { parseRequestTarget, decodePathSegment } from '../../gateway/http/request-target.ts'
import { jsonLogger } from '../../gateway/log.ts'
import { createMetrics } from '../../gateway/metrics.ts'
import { PinKeeper } from '../../gateway/pin-keeper.ts'
import { RateLimiter } from '../../gateway/rate-limit.ts'
import { StorageHealth } from '../../gateway/storage-health.ts'
import { StoreLock } from '../../gateway/store-lock.ts'
import { ChainIndex } from '../../gateway/store/chain-index.ts'
import { openDatabase, SCHEMA_VERSION } from '../../gateway/store/database.ts'
import { importLegacyJson } from '../../gateway/store/import-json.ts'
import { PinStore } from '../../gateway/store/pins.ts'

describe('rate limits', () => {
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

  test('memory stays bounded whatever the number of clients; the busiest recent client keeps its bucket', () => {
    const limiter = new RateLimiter({ perMinute: 1, burst: 1 }, () => 0, 1000)
    assert.equal(limiter.take('busy'), 0)
    for (let i = 0; i < 50_000; i++) {
      limiter.take(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)
      if (i % 100 === 0) assert.ok(limiter.take('busy') > 0, 'still limited: a recent client is not evicted')
    }
    assert.equal(limiter.trackedClients, 1000)
  })

  test('IPv6 clients are counted by /64; IPv4-mapped addresses are IPv4', () => {
    assert.equal(clientKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64')
    assert.equal(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64')
    assert.equal(clientKey('2001:0db8:0001:0002::'), '2001:db8:1:2::/64')
    assert.equal(clientKey('::1'), '0:0:0:0::/64')
    assert.equal(clientKey('203.0.113.9'), '203.0.113.9')
    const limiter = new RateLimiter({ perMinute: 1, burst: 2 }, () => 0)
    const taken = ['2001:db8::1', '2001:db8::2', '2001:db8::ffff:3'].map((address) => limiter.take(clientKey(address)))
    assert.deepEqual(taken.map((wait) => wait > 0), [false, false, true], 'one /64 shares one bucket')
  })
})

describe('client address behind proxies', () => {
  const request = (peer: string, forwarded?: string | string[]) =>
    ({ socket: { remoteAddress: peer }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage

  test('without trusted proxies X-Forwarded-For is ignored', () => {
    assert.equal(clientAddress(request('198.51.100.7', '1.2.3.4'), new TrustedProxies([])), '198.51.100.7')
  })

  test('the client is the right-most address that is not a trusted proxy; spoofed entries on the left are ignored', () => {
    const trusted = new TrustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8'])
    assert.equal(clientAddress(request('127.0.0.1', '6.6.6.6, 198.51.100.7'), trusted), '198.51.100.7')
    assert.equal(clientAddress(request('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.1.2.3'), trusted), '198.51.100.7', 'a chain of trusted proxies')
    assert.equal(clientAddress(request('127.0.0.1', ['6.6.6.6', '198.51.100.7']), trusted), '198.51.100.7', 'repeated headers')
    assert.equal(clientAddress(request('::ffff:127.0.0.1', '2001:db8::5'), trusted), '2001:db8::5')
    assert.equal(clientAddress(request('198.51.100.7', '1.2.3.4'), trusted), '198.51.100.7', 'an untrusted peer cannot forward')
    assert.equal(clientAddress(request('127.0.0.1', 'garbage, 10.0.0.9'), trusted), '10.0.0.9', 'garbage stops the walk')
    assert.equal(clientAddress(request('127.0.0.1'), trusted), '127.0.0.1', 'no header: the proxy itself')
  })

  test('bad proxy entries are refused', () => {
    assert.throws(() => new TrustedProxies(['not-an-ip']), /not an IP address/)
    assert.throws(() => new TrustedProxies(['10.0.0.0/33']), /prefix length/)
  })
})

describe('request targets', () => {
  test('odd but valid targets parse; malformed ones are a 400 in words', () => {
    assert.equal(parseRequestTarget('//').pathname, '//')
    assert.equal(parseRequestTarget('//[').pathname, '//[')
    assert.equal(parseRequestTarget('/ipfs/x?format=raw').query.get('format'), 'raw')
    assert.equal(parseRequestTarget('http://example.org/healthz').pathname, '/healthz')
    for (const bad of ['http://', '*', 'ftp://x/y', '']) {
      assert.throws(() => parseRequestTarget(bad), (error: { status?: number; message: string }) => error.status === 400 && /target/.test(error.message), bad)
    }
    assert.throws(() => parseRequestTarget(`/${'a'.repeat(9000)}`), { status: 414 })
    assert.throws(() => decodePathSegment('%E0'), { status: 400, message: /percent-encoding/ })
  })
})

test('the store lock lets uploads run together and a sweep alone, without starving it', async () => {
  const lock = new StoreLock()
  const order: string[] = []
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20))
  const a = lock.shared(async () => { order.push('a+'); await pause(); order.push('a-') })
  const b = lock.shared(async () => { order.push('b+'); await pause(); order.push('b-') })
  const sweep = lock.exclusive(async () => { order.push('sweep+'); await pause(); order.push('sweep-') })
  const c = lock.shared(async () => { order.push('c+'); order.push('c-') })
  await Promise.all([a, b, sweep, c])
  assert.deepEqual(order.slice(0, 2), ['a+', 'b+'], 'uploads share the lock')
  assert.ok(order.indexOf('sweep+') > order.indexOf('a-') && order.indexOf('sweep+') > order.indexOf('b-'), 'the sweep waits for uploads in flight')
  assert.ok(order.indexOf('c+') > order.indexOf('sweep-'), 'a later upload waits behind the sweep')
})

describe('gateway state (SQLite)', () => {
  const ALICE = '0x' + 'aa'.repeat(32)
  const BOB = '0x' + 'bb'.repeat(32)
  const event = (e: Partial<RegistryEvent> & { type: RegistryEvent['type'] }, block: number): RegistryEvent =>
    ({ owner: '5F', blockHash: `0x${block.toString(16).padStart(64, '0')}`, blockNumber: block, key: ALICE, ...e }) as RegistryEvent
  const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`

  async function fixture(keepRevisions = 2) {
    const dir = mkdtempSync(join(tmpdir(), 'modnet-state-'))
    const db = openDatabase(join(dir, 'gateway.sqlite'))
    const ipfs = await EmbeddedIpfs.open(memoryStorage())
    const metrics = createMetrics()
    const log = jsonLogger(() => undefined)
    const pins = new PinStore(db)
    const index = new ChainIndex(db, pins, keepRevisions)
    let now = 1_000_000
    /** A pin keeper over this state; tests may swap its IPFS client or storage health. */
    const keeperWith = (swap: { ipfs?: IPFSClient; storage?: StorageHealth } = {}) =>
      new PinKeeper({ ipfs: swap.ipfs ?? ipfs, db, pins, log, metrics, storage: swap.storage ?? new StorageHealth(dir, log, metrics), now: () => now }, {
        provisionalTtlMs: 10_000, maxPinBytes: 1024, pinTimeoutMs: 2_000, pinConcurrency: 2,
        retention: { keepRevisions, removedRetentionMs: 60_000 },
      })
    const keeper = keeperWith()
    const add = async (text: string) => (await ipfs.add(new TextEncoder().encode(text))).toString()
    return {
      dir, db, ipfs, pins, index, keeper, keeperWith, add, metrics,
      advance: (ms: number) => { now += ms },
      now: () => now,
      async close() { keeper.stop(); db.close(); await ipfs.close(); rmSync(dir, { recursive: true, force: true }) },
    }
  }

  test('the schema is created once, at the newest version, in WAL mode', async () => {
    const f = await fixture()
    try {
      assert.equal((f.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, SCHEMA_VERSION)
      assert.equal((f.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal')
      const other = join(f.dir, 'other.sqlite')
      openDatabase(other).close()
      const again = openDatabase(other)
      assert.equal((again.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, SCHEMA_VERSION, 'reopening migrates nothing')
      again.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
      again.close()
      assert.throws(() => openDatabase(other), /newer than this gateway/)
    } finally {
      await f.close()
    }
  })

  test('uploads are provisional, and uploading again does not extend the pin', async () => {
    const f = await fixture()
    try {
      const cid = await f.add('doc')
      const first = f.pins.uploaded(cid, f.now(), 10_000)
      assert.equal(first.state, 'provisional')
      assert.equal(first.expiresAt, f.now() + 10_000)
      f.advance(5_000)
      assert.equal(f.pins.uploaded(cid, f.now(), 10_000).expiresAt, first.expiresAt)
    } finally {
      await f.close()
    }
  })

  test('a finalized block is stored with the cursor in one transaction; a failure stores none of it', async () => {
    const f = await fixture()
    try {
      const cid = await f.add('v1')
      f.index.applyBlock({ number: 5, hash: hash(5) }, { events: [event({ type: 'ModuleRegistered', cid }, 5)] }, f.now())
      assert.deepEqual(f.index.cursor(), { number: 5, hash: hash(5) })
      assert.deepEqual(f.pins.status(cid), { cid, state: 'registered', status: 'pending', keys: [ALICE], attempts: 0, lastError: undefined, nextAttemptAt: f.now() })
      assert.deepEqual(f.index.eventsOf(ALICE.toUpperCase().replace('0X', '0x')).map((e) => e.type), ['ModuleRegistered'])

      const bad = { type: 'ModuleUpdated', key: ALICE, newCid: null } as unknown as RegistryEvent
      assert.throws(() => f.index.applyBlock({ number: 6, hash: hash(6) }, { events: [event({ type: 'ModuleRegistered', key: BOB, cid }, 6), bad] }, f.now()))
      assert.deepEqual(f.index.cursor(), { number: 5, hash: hash(5) }, 'the cursor did not move')
      assert.deepEqual(f.index.eventsOf(BOB), [], 'no part of the failed block was stored')
    } finally {
      await f.close()
    }
  })

  test('events are kept whole, in the order the chain emitted them; rows from schema 1 come back without the event', async () => {
    const f = await fixture()
    try {
      const cid = await f.add('whole')
      const registered = event({ type: 'ModuleRegistered', cid }, 7)
      const yanked = event({ type: 'RevisionYanked', revision: 0, yanked: true } as Partial<RegistryEvent> & { type: 'RevisionYanked' }, 7)
      f.index.applyBlock({ number: 7, hash: hash(7) }, { events: [registered, yanked] }, f.now())
      assert.deepEqual(f.index.eventsOf(ALICE), [
        { type: 'ModuleRegistered', blockNumber: 7, blockHash: hash(7), event: registered },
        { type: 'RevisionYanked', blockNumber: 7, blockHash: hash(7), event: yanked },
      ])
      // As a gateway indexed it before schema 2: no event column value.
      f.db.prepare('INSERT INTO events (block_hash, position, block_number, key, type) VALUES (?, 0, 3, ?, ?)').run(hash(3), ALICE, 'ModuleUpdated')
      assert.deepEqual(f.index.eventsOf(ALICE)[0], { type: 'ModuleUpdated', blockNumber: 3, blockHash: hash(3) })
    } finally {
      await f.close()
    }
  })

  test('retention: current + keepRevisions previous CIDs are kept, removed modules go after the grace period, then the sweep unpins', async () => {
    const f = await fixture(1)
    try {
      const cids = [await f.add('r1'), await f.add('r2'), await f.add('r3')]
      f.index.applyBlock({ number: 1, hash: hash(1) }, { events: [event({ type: 'ModuleRegistered', cid: cids[0] }, 1)] }, f.now())
      f.index.applyBlock({ number: 2, hash: hash(2) }, { events: [event({ type: 'ModuleUpdated', oldCid: cids[0], newCid: cids[1], revision: 1 }, 2)] }, f.now())
      f.index.applyBlock({ number: 3, hash: hash(3) }, { events: [event({ type: 'ModuleUpdated', oldCid: cids[1], newCid: cids[2], revision: 2 }, 3)] }, f.now())
      assert.deepEqual(await f.keeper.sweep(), [cids[0]], 'the oldest revision is past the policy')
      assert.equal(await f.ipfs.isPinned(cids[0]), false)
      await assert.rejects(f.ipfs.cat(cids[0]), { code: 'IPFS_NOT_FOUND' })
      assert.equal(f.pins.status(cids[1]).state, 'registered')

      f.index.applyBlock({ number: 4, hash: hash(4) }, { events: [event({ type: 'ModuleRemoved' }, 4)] }, f.now())
      assert.deepEqual(await f.keeper.sweep(), [], 'a removed module is kept for the grace period')
      f.advance(60_001)
      assert.deepEqual((await f.keeper.sweep()).sort(), [cids[1], cids[2]].sort())
      assert.equal(f.pins.status(cids[2]).state, 'none')
    } finally {
      await f.close()
    }
  })

  test('calls from pruned blocks only add; the current state then tells removals', async () => {
    const f = await fixture()
    try {
      const cid = await f.add('from-call')
      f.index.applyBlock({ number: 9, hash: hash(9) }, { events: [], calls: [{ key: BOB, cid }] }, f.now())
      assert.equal(f.pins.status(cid).state, 'registered')
      f.index.applyCurrentState({ number: 10, hash: hash(10) }, [], f.now(), false)
      assert.deepEqual(f.index.cursor(), { number: 9, hash: hash(9) }, 'reading the state did not move the cursor')
      assert.equal(f.index.moduleCount(), 0, 'BOB is gone from the current state: removed')
    } finally {
      await f.close()
    }
  })

  test('the pin worker pins registered CIDs it holds, reports the ones it cannot get or that are too large, and retries', async () => {
    const f = await fixture()
    try {
      const held = await f.add('held')
      await f.ipfs.unpin(held)
      const missing = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
      const large = (await f.ipfs.add(new Uint8Array(4096).fill(7))).toString()
      await f.ipfs.unpin(large)
      f.index.applyBlock({ number: 1, hash: hash(1) }, { events: [held, missing, large].map((cid, i) => event({ type: 'ModuleRegistered', key: `0x${String(i).repeat(64)}`, cid }, 1)) }, f.now())
      f.keeper.start()
      const settled = async () => { while (f.pins.counts().pending > 0) await new Promise((resolve) => setTimeout(resolve, 20)) }
      await settled()
      assert.equal(f.pins.status(held).status, 'pinned')
      assert.equal(await f.ipfs.isPinned(held), true)
      const unavailable = f.pins.status(missing)
      assert.equal(unavailable.status, 'unavailable')
      assert.match(unavailable.lastError ?? '', /not in the embedded IPFS store/)
      assert.equal(unavailable.nextAttemptAt, f.now() + 5_000, 'retried after a backoff')
      assert.match(f.pins.status(large).lastError ?? '', /4096 bytes, more than the 1024-byte pin limit/)
      assert.deepEqual(f.pins.counts(), { provisional: 0, pinned: 1, pending: 0, unavailable: 2 })
      assert.match(await f.metrics.registry.metrics(), /modnet_gateway_pins\{state="unavailable"\} 2/)

      // The content arrives (uploaded here): the pin is held at once.
      await f.keeper.upload(new TextEncoder().encode('late'))
      const late = await f.add('late')
      f.index.applyBlock({ number: 2, hash: hash(2) }, { events: [event({ type: 'ModuleRegistered', key: BOB, cid: late }, 2)] }, f.now())
      assert.equal(f.pins.status(late).status, 'pinned', 'an uploaded CID stays pinned when registered')
    } finally {
      await f.close()
    }
  })

  test('an upload racing a sweep is never acknowledged for bytes the sweep deletes', async () => {
    const f = await fixture()
    try {
      // A slow unpin opens the window: without the lock, the upload would find
      // the bytes still pinned, record them, and the sweep's GC would delete them.
      const slowUnpin = new Proxy(f.ipfs, {
        get(target, name, receiver) {
          if (name === 'unpin') return async (cid: string) => { await new Promise((resolve) => setTimeout(resolve, 100)); await target.unpin(cid) }
          const value = Reflect.get(target, name, receiver)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
      const keeper = f.keeperWith({ ipfs: slowUnpin })
      const bytes = new TextEncoder().encode('raced')
      const { cid } = await keeper.upload(bytes)
      f.advance(10_001) // expired
      const sweeping = keeper.sweep()
      await new Promise((resolve) => setTimeout(resolve, 10)) // the sweep is inside its slow unpin
      const view = await keeper.upload(bytes)
      assert.deepEqual(await sweeping, [cid])
      assert.equal(view.state, 'provisional', 'the upload was acknowledged')
      assert.equal(await f.ipfs.isPinned(cid), true, 'acknowledged: pinned')
      assert.deepEqual(await f.ipfs.cat(cid), bytes, 'acknowledged: the bytes are there')
    } finally {
      await f.close()
    }
  })

  test('a failed write is not acknowledged: the upload fails in words, health says why, and recovers', async () => {
    const f = await fixture()
    try {
      const logged: string[] = []
      const storage = new StorageHealth(f.dir, jsonLogger((line) => void logged.push(line)), f.metrics)
      const keeper = f.keeperWith({ storage })
      // The disk refuses writes (as SQLite reports a full disk).
      f.db.exec(`CREATE TRIGGER full BEFORE INSERT ON pins BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`)
      await assert.rejects(keeper.upload(new TextEncoder().encode('not stored')), { name: 'StorageFailure', message: /cannot store its state \(recording an upload\): database or disk is full/ })
      const status = storage.status()
      assert.equal(status.ok, false)
      assert.match(status.detail, /recording an upload.*disk is full/)
      assert.match(logged.join(''), /"level":"error","msg":"storage write failed"/)
      assert.match(await f.metrics.registry.metrics(), /modnet_gateway_storage_errors_total\{operation="recording an upload"\} 1/)
      f.db.exec('DROP TRIGGER full')
      assert.equal((await keeper.upload(new TextEncoder().encode('stored'))).state, 'provisional')
      assert.equal(storage.status().ok, true, 'healthy again after a write succeeds')
    } finally {
      await f.close()
    }
  })

  test('reconcile: pins IPFS holds that the ledger lacks become provisional', async () => {
    const f = await fixture()
    try {
      const orphan = await f.add('orphan') // pinned by add, never recorded
      assert.equal(await f.keeper.reconcile(), 1)
      assert.equal(f.pins.status(orphan).state, 'provisional')
      assert.equal(await f.keeper.reconcile(), 0)
    } finally {
      await f.close()
    }
  })

  test('legacy JSON files are imported once; a truncated one is set aside and reported', async () => {
    const f = await fixture()
    try {
      const cid = await f.add('legacy')
      writeFileSync(join(f.dir, 'pins.json'), JSON.stringify({ version: 1, pins: { [cid]: { state: 'registered', key: ALICE, blockNumber: 3 }, bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy: { state: 'provisional', expiresAt: 123 } } }))
      const text = JSON.stringify({ version: 1, byKey: { [ALICE]: [{ type: 'ModuleRegistered', blockNumber: 3, blockHash: hash(3) }] } })
      writeFileSync(join(f.dir, 'events.json'), text.slice(0, text.length - 7))
      const reports = importLegacyJson(f.db, f.dir, f.now())
      assert.deepEqual(reports.map((r) => [r.outcome, r.entries]), [['imported', 2], ['corrupt', 0]])
      assert.match(reports[1].detail ?? '', /set aside/)
      assert.equal(f.pins.status(cid).state, 'registered')
      assert.equal(f.pins.status('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy').expiresAt, 123)
      assert.ok(existsSync(join(f.dir, 'pins.json.imported')) && existsSync(join(f.dir, 'events.json.corrupt')))
      assert.equal(readFileSync(join(f.dir, 'events.json.corrupt'), 'utf8'), text.slice(0, text.length - 7))
      assert.deepEqual(importLegacyJson(f.db, f.dir, f.now()), [], 'nothing left to import')
    } finally {
      await f.close()
    }
  })
})
