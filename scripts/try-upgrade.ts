/**
 * Before enacting a runtime upgrade: checks this repo's runtime against a live
 * chain's state, as try-runtime does. Takes a snapshot of every storage key at
 * a block (default: the finalized head) from a node's JSON-RPC, then runs
 * `try_upgrade` (runtime/examples/try_upgrade.rs, built by `make build` with
 * the try-runtime feature): the migrations with their pre/post checks, every
 * pallet's try_state and a decode of all storage. Exit 0 when all pass.
 *
 *   node scripts/try-upgrade.ts --rpc ws://127.0.0.1:9944 [--at 0xBLOCKHASH] [--snapshot FILE]
 *
 * The node must keep state at that block (an archive node, or a recent block).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { WsProvider } from '@polkadot/api'

export interface Snapshot {
  block: string
  pairs: [string, string][]
}

/** Every top-level storage pair at `at` (default: the finalized head). */
export async function takeSnapshot(rpcUrl: string, at?: string): Promise<Snapshot> {
  const provider = new WsProvider(rpcUrl, false)
  await provider.connect()
  await provider.isReady
  try {
    const block: string = at ?? (await provider.send('chain_getFinalizedHead', []))
    const keys: string[] = []
    for (;;) {
      const page: string[] = await provider.send('state_getKeysPaged', ['0x', 1000, keys.at(-1) ?? null, block])
      keys.push(...page)
      if (page.length < 1000) break
    }
    const pairs: [string, string][] = []
    for (let i = 0; i < keys.length; i += 500) {
      const [result] = (await provider.send('state_queryStorageAt', [keys.slice(i, i + 500), block])) as { changes: [string, string | null][] }[]
      for (const [key, value] of result.changes) if (value !== null) pairs.push([key, value])
    }
    return { block, pairs }
  } finally {
    await provider.disconnect()
  }
}

export function tryUpgradeBinary(): string {
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'modnet', 'target')
  const bin = join(targetDir, 'release', 'examples', 'try_upgrade')
  if (!existsSync(bin)) throw new Error(`${bin} not found: run \`make build\` (it builds the try-runtime checker)`)
  return bin
}

/** Runs the checker on `snapshot`; resolves with its report, rejects with it when a check fails. */
export async function checkUpgrade(snapshot: Snapshot): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'modnet-try-upgrade-'))
  const file = join(dir, 'snapshot.json')
  writeFileSync(file, JSON.stringify(snapshot))
  try {
    return await new Promise((resolve, reject) => {
      execFile(tryUpgradeBinary(), [file], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error((stderr || stdout || error.message).trim()))
        else resolve(stdout.trim())
      })
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rpc: { type: 'string' }, at: { type: 'string' }, snapshot: { type: 'string' } } })
  if (values.rpc === undefined) {
    console.error('usage: node scripts/try-upgrade.ts --rpc WS_URL [--at BLOCK_HASH] [--snapshot FILE]')
    process.exit(2)
  }
  try {
    const snapshot = await takeSnapshot(values.rpc, values.at)
    if (values.snapshot !== undefined) writeFileSync(values.snapshot, JSON.stringify(snapshot))
    console.log(await checkUpgrade(snapshot))
    process.exit(0)
  } catch (error) {
    console.error((error as Error).message)
    process.exit(1)
  }
}
