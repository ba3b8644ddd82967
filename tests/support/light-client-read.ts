/**
 * Boots smoldot from a chain spec, waits until its finalized block reaches
 * `minBlock`, then reads one storage key at that block and prints
 * `{ "finalizedHash", "finalizedNumber", "value" }` as JSON.
 *
 *   node tests/support/light-client-read.ts SPEC_FILE STORAGE_KEY MIN_BLOCK
 *
 * Runs in its own process: smoldot 3.4 keeps a Node process alive after
 * `terminate()`, which would hang the test runner.
 */
import { readFileSync } from 'node:fs'
import { start } from 'smoldot'

const [specFile, storageKey, minBlock] = process.argv.slice(2)
const client = start({ maxLogLevel: 1 })
const chain = await client.addChain({ chainSpec: readFileSync(specFile, 'utf8') })
let nextId = 1

async function request(method: string, params: unknown[] = []): Promise<any> {
  const id = nextId++
  chain.sendJsonRpc(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
  for (;;) {
    const message = JSON.parse(await chain.nextJsonRpcResponse())
    if (message.id !== id) continue
    if (message.error) throw new Error(`${method}: ${message.error.message}`)
    return message.result
  }
}

const deadline = Date.now() + 90_000
for (;;) {
  const finalizedHash = await request('chain_getFinalizedHead')
  const finalizedNumber = parseInt((await request('chain_getHeader', [finalizedHash])).number, 16)
  if (finalizedNumber >= Number(minBlock)) {
    const value = await request('state_getStorage', [storageKey, finalizedHash])
    console.log(JSON.stringify({ finalizedHash, finalizedNumber, value }))
    process.exit(0)
  }
  if (Date.now() > deadline) {
    console.error(`light client did not reach finalized block ${minBlock} (at ${finalizedNumber})`)
    process.exit(1)
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
}
