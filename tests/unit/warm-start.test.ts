/**
 * The CLI's light-client warm start on disk: saved per chain spec, read back,
 * and anything damaged, oversized or from another chain spec ignored (a cold
 * start, never an error).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModuleRegistryClient, WarmStart } from '../../lib/chain/client.ts'
import { loadWarmStart, saveWarmStart } from '../../cli/warm-start.ts'

function withHome(run: (home: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const home = mkdtempSync(join(tmpdir(), 'modnet-warm-'))
    const before = process.env.MODNET_HOME
    process.env.MODNET_HOME = home
    try {
      await run(home)
    } finally {
      if (before === undefined) delete process.env.MODNET_HOME
      else process.env.MODNET_HOME = before
      rmSync(home, { recursive: true, force: true })
    }
  }
}

const state: WarmStart = { databaseContent: '{"finalized":"…"}', metadata: { '0xabc-101': '0x6d657461' } }
const client = (warm: WarmStart | undefined) => ({ warmStart: async () => warm }) as unknown as ModuleRegistryClient

test('a saved warm start is read back for the same chain spec only', withHome(async () => {
  assert.deepEqual(loadWarmStart('spec A'), { databaseContent: undefined, metadata: undefined })
  await saveWarmStart(client(state), 'spec A')
  assert.deepEqual(loadWarmStart('spec A'), state)
  assert.deepEqual(loadWarmStart('spec B'), { databaseContent: undefined, metadata: undefined })
}))

test('the files are readable by the user only', withHome(async (home) => {
  await saveWarmStart(client(state), 'spec A')
  const [dir] = readdirSync(join(home, 'cli', 'light-client'))
  for (const file of ['database.json', 'metadata.json']) assert.equal(statSync(join(home, 'cli', 'light-client', dir, file)).mode & 0o777, 0o600)
}))

test('an RPC client (no warm start) saves nothing', withHome(async (home) => {
  await saveWarmStart(client(undefined), 'spec A')
  assert.deepEqual(readdirSync(home), [])
}))

test('damaged or foreign metadata files mean a cold start', withHome(async (home) => {
  await saveWarmStart(client(state), 'spec A')
  const dir = join(home, 'cli', 'light-client', readdirSync(join(home, 'cli', 'light-client'))[0])
  for (const bad of ['{not json', '[1,2]', '{"k": 5}', '{"k": "not hex"}']) {
    writeFileSync(join(dir, 'metadata.json'), bad)
    assert.equal(loadWarmStart('spec A').metadata, undefined, bad)
  }
  assert.equal(loadWarmStart('spec A').databaseContent, state.databaseContent)
}))
