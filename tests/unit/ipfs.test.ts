/**
 * Unit tests of lib/ipfs's pure parts: CID computation, block verification,
 * backend spec parsing, retries.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { computeCid, createIPFSClient, IPFSError, parseCid, verifyBlock, withRetry } from '../../lib/ipfs/index.ts'

const hello = new TextEncoder().encode('hello from mod-net\n')

test('a single-chunk document gets the CIDv1 raw sha2-256 CID of its bytes', async () => {
  const cid = await computeCid(hello)
  assert.equal(cid.toString(), 'bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq')
  assert.ok(cid.equals(CID.createV1(raw.code, await sha256.digest(hello))))
})

test('content over one chunk gets a dag-pb root', async () => {
  const cid = await computeCid(new Uint8Array(1_048_577))
  assert.equal(cid.version, 1)
  assert.equal(cid.code, 0x70)
})

test('verifyBlock accepts the right bytes and rejects a flipped bit', async () => {
  const cid = await computeCid(hello)
  assert.equal(verifyBlock(cid, hello), hello)
  const tampered = hello.slice()
  tampered[3] ^= 1
  assert.throws(() => verifyBlock(cid, tampered), (error: IPFSError) => error.code === 'IPFS_VERIFICATION_FAILED' && /do not match/.test(error.message))
  assert.throws(() => verifyBlock(cid, hello.subarray(1)), { code: 'IPFS_VERIFICATION_FAILED' })
})

test('parseCid names what is wrong', () => {
  assert.throws(() => parseCid('bafy-not-a-cid'), (error: IPFSError) => error.code === 'IPFS_BAD_CID' && error.message.includes('"bafy-not-a-cid" is not a valid CID'))
  assert.equal(parseCid(' bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq ').version, 1)
})

test('backend specs are checked', async () => {
  await assert.rejects(createIPFSClient('ipfs://x'), /unknown IPFS backend "ipfs:\/\/x"/)
  await assert.rejects(createIPFSClient('kubo:127.0.0.1:5001'), /needs an http\(s\) URL/)
  assert.equal((await createIPFSClient('gateway:http://127.0.0.1:1')).kind, 'gateway')
})

test('withRetry retries transient failures with backoff and stops on others', async () => {
  let calls = 0
  const value = await withRetry('flaky', async () => {
    if (++calls < 3) throw new IPFSError('IPFS_UNAVAILABLE', 'down')
    return 'ok'
  }, { baseDelayMs: 1 })
  assert.equal(value, 'ok')
  assert.equal(calls, 3)

  calls = 0
  await assert.rejects(withRetry('bad', async () => {
    calls++
    throw new IPFSError('IPFS_VERIFICATION_FAILED', 'tampered')
  }, { baseDelayMs: 1 }), { code: 'IPFS_VERIFICATION_FAILED' })
  assert.equal(calls, 1)

  await assert.rejects(withRetry('slow', (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))), { attempts: 2, timeoutMs: 20, baseDelayMs: 1 }),
    (error: IPFSError) => error.code === 'IPFS_TIMEOUT' && error.message === 'slow took longer than 20 ms')
})

test('importCar stores a CAR\'s blocks and pins its roots; a block that does not match its CID is refused', async () => {
  const { CarWriter } = await import('@ipld/car/writer')
  const { EmbeddedIpfs, memoryStorage } = await import('../../lib/ipfs/index.ts')
  const car = async (blocks: { cid: CID; bytes: Uint8Array }[], root: CID) => {
    const { writer, out } = CarWriter.create([root])
    const chunks: Uint8Array[] = []
    const reading = (async () => { for await (const chunk of out) chunks.push(chunk) })()
    for (const block of blocks) await writer.put(block)
    await writer.close()
    await reading
    return (async function * () { yield * chunks })()
  }
  const source = await EmbeddedIpfs.open(memoryStorage())
  const target = await EmbeddedIpfs.open(memoryStorage())
  try {
    const content = new Uint8Array(3 * 1_048_576 + 5).map((_, i) => i % 251)
    const root = await source.add(content)
    const blocks = [{ cid: root, bytes: await source.getBlock(root) }]
    // The leaves: raw blocks named in the dag-pb root.
    const { exporter } = await import('ipfs-unixfs-exporter')
    const entry = await exporter(root, { async * get(cid: CID) { yield await source.getBlock(cid) } })
    assert.equal(entry.type, 'file')
    for (const link of (entry.node as { Links: { Hash: CID }[] }).Links) blocks.push({ cid: link.Hash, bytes: await source.getBlock(link.Hash) })
    assert.deepEqual((await target.importCar(await car(blocks, root))).map(String), [root.toString()])
    assert.equal(await target.isPinned(root), true)
    assert.deepEqual(await target.cat(root), content)

    const lie = await computeCid(hello)
    await assert.rejects(target.importCar(await car([{ cid: lie, bytes: new TextEncoder().encode('not hello') }], lie)), { code: 'IPFS_VERIFICATION_FAILED' })
    assert.equal(await target.isPinned(lie), false)
  } finally {
    await source.close()
    await target.close()
  }
})
