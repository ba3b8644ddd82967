/**
 * Reads modules through the smoldot light client (lib/chain, as the CLI and
 * the web app do) and prints, as JSON, what it proved at one finalized block:
 * `{ blockNumber, verifiedBy, count, cids: { key: cid | null } }`.
 *
 *   node tests/support/light-client-modules.ts SPEC_FILE MIN_FINALIZED [KEY...]
 *
 * It waits until its finalized block reaches MIN_FINALIZED. Runs in its own
 * process: smoldot keeps a Node process alive after it is terminated.
 */
import { readFileSync } from 'node:fs'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'

const [specFile, minFinalized, ...keys] = process.argv.slice(2)
const client = await ModuleRegistryClient.connect({ kind: 'light-client', chainSpec: readFileSync(specFile, 'utf8') }, { timeoutMs: 90_000 })
const deadline = Date.now() + 120_000
for (;;) {
  const point = await client.readPoint('finalized')
  if (point.blockNumber >= Number(minFinalized)) {
    const at = point.blockHash as `0x${string}`
    const { count } = await client.count(at)
    const cids: Record<string, string | null> = {}
    for (const key of keys) cids[key] = (await client.getModule(key, at)).record?.cid ?? null
    console.log(JSON.stringify({ blockNumber: point.blockNumber, verifiedBy: point.verifiedBy, count, cids }))
    process.exit(0)
  }
  if (Date.now() > deadline) {
    console.error(`the light client's finalized block stayed at ${point.blockNumber}, below ${minFinalized}`)
    process.exit(1)
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
}
