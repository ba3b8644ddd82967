/**
 * Follows a chain with SmoldotProvider until told (a line on stdin) that its
 * node is gone, then subscribes to a storage key as `api.query` does and
 * watches its own event loop for 20 s. Prints `{ "outcome", "longestGapMs" }`.
 *
 *   node tests/support/light-client-no-peer.ts SPEC_FILE STORAGE_KEY
 *
 * Its own process, so that a light client that spins (smoldot 3.4.1 with a
 * storage subscription and no peer) is a timeout for the test, not a hang.
 */
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { SmoldotProvider } from '../../lib/chain/smoldot-provider.ts'

const [specFile, storageKey] = process.argv.slice(2)
const provider = new SmoldotProvider(readFileSync(specFile, 'utf8'))
await provider.connect()
// Synced: the key has a value at the finalized block.
for (let tries = 0; ; tries++) {
  try {
    const head = await provider.send<string>('chain_getFinalizedHead', [])
    if (await provider.send('state_getStorage', [storageKey, head]) !== null) break
  } catch (error) {
    if (tries > 60) throw error
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
}
console.log('ready')

await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve))
let longestGapMs = 0
let last = performance.now()
setInterval(() => {
  longestGapMs = Math.max(longestGapMs, performance.now() - last)
  last = performance.now()
}, 50)
const outcome = await new Promise<string>((resolve) => {
  setTimeout(() => resolve('no answer within 20 s'), 20_000)
  provider.subscribe('state_storage', 'state_subscribeStorage', [[storageKey]], (error, value) => {
    resolve(error ? `error: ${error.message}` : `value: ${JSON.stringify(value)}`)
  }).catch((error: Error) => resolve(`error: ${error.message}`))
})
console.log(JSON.stringify({ outcome, longestGapMs: Math.round(longestGapMs) }))
process.exit(0)
