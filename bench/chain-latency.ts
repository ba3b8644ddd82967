/**
 * Measures the dev chain's block interval, finality lag and how long a
 * `register_module` takes to get into a block and to be finalized, against a
 * real `modnet-node --dev` on free loopback ports. Prints a table.
 *
 *   node bench/chain-latency.ts [--registrations N] [--blocks N]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api'
import { stringToU8a, u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { startDevNode } from '../tests/support/node.ts'
import { columns, summarize } from './stats.ts'
import { keyOwnershipPayload, rawCidHex } from '../tests/support/registry.ts'

const { values } = parseArgs({
  options: { registrations: { type: 'string', default: '10' }, blocks: { type: 'string', default: '30' } },
})
const registrations = Number(values.registrations)
const blocks = Number(values.blocks)

const stats = (samples: number[]) => columns(summarize(samples), { width: 6 })

await cryptoWaitReady()
const basePath = mkdtempSync(join(tmpdir(), 'modnet-bench-'))
const node = await startDevNode(basePath)
const api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true })
try {
  // Block interval and finality lag, seen as new-head notifications arrive.
  const intervals: number[] = []
  const lags: number[] = []
  let last = 0
  await new Promise<void>((resolve) => {
    let seen = 0
    const unsubscribe = api.rpc.chain.subscribeNewHeads(async (header) => {
      const now = performance.now()
      if (last) intervals.push(now - last)
      last = now
      const finalized = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())
      lags.push(header.number.toNumber() - finalized.number.toNumber())
      if (++seen > blocks) {
        ;(await unsubscribe)()
        resolve()
      }
    })
  })

  // register_module latency: submit -> in a block -> finalized.
  const keyring = new Keyring({ type: 'sr25519' })
  const alice = keyring.addFromUri('//Alice') // DEV key
  const inBlock: number[] = []
  const finalized: number[] = []
  for (let i = 0; i < registrations; i++) {
    const moduleKey = keyring.addFromUri(`//bench-${Date.now()}-${i}`)
    const payload = keyOwnershipPayload(api.genesisHash.toU8a(), alice.publicKey, moduleKey.publicKey, 0)
    const cid = rawCidHex(stringToU8a(`bench ${i}`))
    const tx = api.tx.moduleRegistry.registerModule(u8aToHex(moduleKey.publicKey), cid, { Signature: { Sr25519: moduleKey.sign(payload) } })
    const started = performance.now()
    await new Promise<void>((resolve, reject) => {
      tx.signAndSend(alice, ({ status, dispatchError }) => {
        if (dispatchError) reject(new Error(dispatchError.toString()))
        if (status.isInBlock) inBlock.push(performance.now() - started)
        if (status.isFinalized) {
          finalized.push(performance.now() - started)
          resolve()
        }
      }).catch(reject)
    })
  }

  console.log(`modnet-node --dev, ${new Date().toISOString()}, ${blocks} blocks, ${registrations} registrations`)
  console.log('metric                              mean    p50    p95    max')
  console.log(`block interval (ms)              ${stats(intervals)}`)
  console.log(`finality lag (blocks)            ${stats(lags)}`)
  console.log(`register_module -> in block (ms) ${stats(inBlock)}`)
  console.log(`register_module -> finalized (ms)${stats(finalized)}`)
} finally {
  await api.disconnect()
  await node.stop()
  rmSync(basePath, { recursive: true, force: true })
}
