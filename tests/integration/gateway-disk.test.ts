/**
 * The gateway on a disk that fills up or turns read-only (a small tmpfs it
 * runs on, remounted under it): uploads are refused in words with 503,
 * /healthz says why, nothing acknowledged is lost, and it recovers by
 * itself once it can write again. Mounting needs root; without it the test
 * says so and is skipped.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { canonicalBytes } from '../../lib/types/index.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { startDevNode, waitFor, type DevNode } from '../support/node.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
let dir: string
let data: string
let node: DevNode | undefined
let mounted = false
let cannotMount = ''

function mount(options: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', data], { stdio: 'pipe' })
}

function remount(options: string): void {
  execFileSync('mount', ['-o', `remount,${options}`, data], { stdio: 'pipe' })
}

/**
 * Read-only from now on: a read-only bind mount over the data directory (a
 * tmpfs with files open for writing refuses a plain remount). New files and
 * access checks fail with EROFS, as on a disk remounted read-only.
 */
let readOnlyLayer = false
function makeReadOnly(): void {
  execFileSync('mount', ['--bind', data, data], { stdio: 'pipe' })
  readOnlyLayer = true
  execFileSync('mount', ['-o', 'remount,bind,ro', data], { stdio: 'pipe' })
}

function makeWritable(): void {
  execFileSync('umount', [data], { stdio: 'pipe' })
  readOnlyLayer = false
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'modnet-disk-'))
  data = join(dir, 'data')
  mkdirSync(data)
  try {
    mount('size=6m')
    mounted = true
  } catch (error) {
    cannotMount = `cannot mount a tmpfs here (${(error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message}): needs root`
    return
  }
  node = await startDevNode(join(dir, 'chain'))
})

after(async () => {
  await node?.stop()
  if (readOnlyLayer) execFileSync('umount', [data])
  if (mounted) execFileSync('umount', [data])
  rmSync(dir, { recursive: true, force: true })
})

/** A distinct valid document of about 60 KB. */
function bigDocument(i: number): Uint8Array<ArrayBuffer> {
  return canonicalBytes({ ...example, name: `disk-${i}`, description: `disk test ${i} ${Date.now()}`, 'x-padding': 'p'.repeat(60_000) })
}

async function upload(url: string, bytes: Uint8Array<ArrayBuffer>): Promise<Response> {
  return await fetch(`${url}/api/v1/metadata`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes })
}

async function health(url: string): Promise<{ code: number; storage: { ok: boolean; detail: string } }> {
  const response = await fetch(`${url}/healthz`)
  return { code: response.status, storage: ((await response.json()) as { storage: { ok: boolean; detail: string } }).storage }
}

test('a full disk, then a read-only one: refusals in words, health says why, nothing acknowledged lost, recovery by itself', async (t) => {
  if (!mounted) return t.skip(cannotMount)
  const args = ['--data-dir', data, '--rpc', node!.rpcUrl, '--upload-burst', '10000', '--upload-rate', '1000000', '--min-free-mb', '0.25']
  let gateway: RunningGateway = await startGateway(args)
  const acknowledged = new Map<string, Uint8Array>()
  try {
    const url = gateway.url
    await waitFor(async () => (await health(url)).code === 200, 60_000).catch(async (error) => {
      throw new Error(`${(error as Error).message}: ${JSON.stringify(await health(url))}`)
    })

    // Fill the disk.
    let refusal: Response | undefined
    for (let i = 0; i < 400 && refusal === undefined; i++) {
      const bytes = bigDocument(i)
      const response = await upload(url, bytes)
      if (response.status === 201) acknowledged.set(((await response.json()) as { cid: string }).cid, bytes)
      else refusal = response
    }
    assert.ok(refusal, 'the disk filled up')
    assert.equal(refusal.status, 503)
    assert.match(((await refusal.json()) as { error: string }).error, /cannot store its state \(.+\): .*(space|full)/i)
    const full = await health(url)
    assert.equal(full.code, 503)
    assert.equal(full.storage.ok, false)
    assert.match(full.storage.detail, /space|full|free/i)
    assert.ok(gateway.logs.some((entry) => entry.msg === 'storage write failed'), 'a log line says so')
    for (const [cid, bytes] of acknowledged) {
      const block = await fetch(`${url}/ipfs/${cid}?format=raw`)
      assert.equal(block.status, 200, `acknowledged ${cid} still served`)
      assert.deepEqual(new Uint8Array(await block.arrayBuffer()), bytes)
    }

    // Space again: the next write succeeds and health comes back by itself.
    remount('size=32m')
    const after = bigDocument(1000)
    const stored = await upload(url, after)
    assert.equal(stored.status, 201)
    acknowledged.set(((await stored.json()) as { cid: string }).cid, after)
    await waitFor(async () => (await health(url)).code === 200, 10_000)

    // Read-only.
    makeReadOnly()
    const readOnly = await upload(url, bigDocument(2000))
    assert.equal(readOnly.status, 503, JSON.stringify(gateway.logs.filter((entry) => entry.level === 'error').slice(-3)))
    assert.match(((await readOnly.json()) as { error: string }).error, /read-only|EROFS|readonly/i)
    const frozen = await health(url)
    assert.equal(frozen.code, 503)
    assert.match(frozen.storage.detail, /not writable|read-only|readonly/i)
    makeWritable()
    const writable = bigDocument(3000)
    const again = await upload(url, writable)
    assert.equal(again.status, 201)
    acknowledged.set(((await again.json()) as { cid: string }).cid, writable)
    await waitFor(async () => (await health(url)).code === 200, 10_000)
  } finally {
    await gateway.stop()
  }

  // After a restart, every acknowledged upload is still there.
  gateway = await startGateway(args)
  try {
    for (const [cid, bytes] of acknowledged) {
      assert.equal(((await (await fetch(`${gateway.url}/api/v1/pins/${cid}`)).json()) as { state: string }).state, 'provisional', cid)
      assert.deepEqual(new Uint8Array(await (await fetch(`${gateway.url}/ipfs/${cid}?format=raw`)).arrayBuffer()), bytes)
    }
  } finally {
    await gateway.stop()
  }
})
