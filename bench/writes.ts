/**
 * Sustained registrations into one dev node over RPC: accounts funded for it
 * (each may own 1024 modules) submit `register_module` calls for `--seconds`, one per transaction and in
 * `utility.batch_all` batches, keeping the pool fed. Then every module
 * submitted is read back at a finalized block: "lost" must be 0. Prints
 * registrations per second (submitted, finalized) per batch size, beside the
 * chain's limit from the runtime's own numbers: the block weight left for
 * normal transactions divided by register_module's benchmarked weight.
 *
 *   node bench/writes.ts [--seconds 20] [--batches 1,25,100] [--in-flight 64]
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ApiPromise, WsProvider } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { cidToChain, keyOwnershipProof } from '../lib/chain/index.ts'
import { computeCid } from '../lib/ipfs/index.ts'
import { startDevNode } from '../tests/support/node.ts'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    batches: { type: 'string', default: '1,25,100' },
    'in-flight': { type: 'string', default: '64' },
  },
})
const seconds = Number(values.seconds)
const batchSizes = values.batches.split(',').map(Number)
const maxInFlight = Number(values['in-flight'])

interface Outcome { batch: number; submitted: number; finalized: number; lost: number; failed: number; submittedPerSecond: number; finalizedPerSecond: number }

await cryptoWaitReady()
const dir = mkdtempSync(join(tmpdir(), 'modnet-bench-writes-'))
const node = await startDevNode(join(dir, 'chain'))
const api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true })
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice') // DEV key
const modules = new Keyring({ type: 'ed25519' })
const genesis = api.genesisHash.toHex()
// One CID for every module: the chain stores it per module either way.
/** The first few reasons transactions failed, printed with the table. */
const failures = new Set<string>()
const cid = cidToChain((await computeCid(new TextEncoder().encode('bench writes'))).toString())

function registration(owner: KeyringPair): { key: string; call: SubmittableExtrinsic<'promise'> } {
  const moduleKey: KeyringPair = modules.addFromSeed(randomBytes(32))
  const key = u8aToHex(moduleKey.publicKey)
  return { key, call: api.tx.moduleRegistry.registerModule(key, cid, keyOwnershipProof(genesis, owner.address, key, 0, moduleKey)) }
}

/**
 * Owners, funded by Alice in one batch: an account may own at most
 * `MaxModulesPerOwner` (1024) modules, each holding a deposit of about 1.7 UNIT.
 */
const MODULES_PER_OWNER = 1000
async function fundedOwners(count: number): Promise<KeyringPair[]> {
  const owners = Array.from({ length: count }, () => new Keyring({ type: 'sr25519' }).addFromSeed(randomBytes(32)))
  const amount = 2_000n * 10n ** BigInt(api.registry.chainDecimals[0])
  const funding = api.tx.utility.batchAll(owners.map((owner) => api.tx.balances.transferKeepAlive(owner.address, amount)))
  await new Promise<void>((resolve, reject) => {
    funding.signAndSend(alice, ({ status, dispatchError }) => {
      if (dispatchError !== undefined) reject(new Error(`funding the owners failed: ${dispatchError.toString()}`))
      else if (status.isFinalized) resolve()
    }).catch(reject)
  })
  return owners
}

/** Hands out owners in turn, each until it holds MODULES_PER_OWNER, with their nonces. */
class Owners {
  readonly #owners: KeyringPair[]
  #current = 0
  #used = 0
  readonly #nonces = new Map<string, number>()

  constructor(owners: KeyringPair[]) {
    this.#owners = owners
  }

  next(modules: number): { owner: KeyringPair; nonce: number } {
    if (this.#used + modules > MODULES_PER_OWNER) {
      this.#current++
      this.#used = 0
    }
    const owner = this.#owners[this.#current]
    if (owner === undefined) throw new Error('out of funded owners: raise the count in fundedOwners')
    this.#used += modules
    const nonce = this.#nonces.get(owner.address) ?? 0
    this.#nonces.set(owner.address, nonce + 1)
    return { owner, nonce }
  }
}

/** Submits batches of `batch` registrations for `seconds`, then waits for all of them to be finalized or to fail. */
async function run(batch: number, owners: Owners): Promise<Outcome> {
  const keys: string[] = []
  let inFlight = 0
  let failed = 0
  let finalizedRegistrations = 0
  let lastFinalized = 0
  const settled: Promise<void>[] = []
  const started = performance.now()
  while (performance.now() - started < seconds * 1000) {
    if (inFlight >= maxInFlight) {
      await new Promise((resolve) => setTimeout(resolve, 5))
      continue
    }
    const { owner, nonce } = owners.next(batch)
    const made = Array.from({ length: batch }, () => registration(owner))
    const tx = batch === 1 ? made[0].call : api.tx.utility.batchAll(made.map((m) => m.call))
    // Immortal, nonce given: signing needs nothing from the chain.
    await tx.signAsync(owner, { nonce, era: 0, blockHash: api.genesisHash })
    inFlight++
    keys.push(...made.map((m) => m.key))
    settled.push(new Promise<void>((resolve) => {
      const done = (ok: boolean) => {
        inFlight--
        if (ok) {
          finalizedRegistrations += batch
          lastFinalized = performance.now()
        } else {
          failed += batch
        }
        resolve()
      }
      tx.send(({ status, dispatchError }) => {
        if (dispatchError !== undefined && failures.size < 5) failures.add(dispatchError.isModule ? JSON.stringify(api.registry.findMetaError(dispatchError.asModule).name) : dispatchError.toString())
        if (status.isFinalized) done(dispatchError === undefined)
        else if (status.isInvalid || status.isDropped || status.isUsurped) done(false)
      }).catch(() => done(false))
    }))
  }
  const submittedIn = (performance.now() - started) / 1000
  await Promise.all(settled)
  // Read back every module at the finalized head: nothing submitted and finalized may be missing.
  const head = await api.rpc.chain.getFinalizedHead()
  const at = await api.at(head)
  let present = 0
  for (let i = 0; i < keys.length; i += 500) {
    const records = await at.query.moduleRegistry.modules.multi(keys.slice(i, i + 500))
    present += records.filter((record) => !record.isEmpty).length
  }
  return {
    batch,
    submitted: keys.length,
    finalized: finalizedRegistrations,
    lost: finalizedRegistrations - present,
    failed,
    submittedPerSecond: keys.length / submittedIn,
    finalizedPerSecond: finalizedRegistrations / ((lastFinalized - started) / 1000),
  }
}

/**
 * Registrations per second the chain itself allows with batches of `batch`:
 * the block weight normal transactions may use, over one such transaction's
 * weight (the runtime's own benchmarked numbers), times `batch`, per 1 s block.
 */
async function chainLimitPerSecond(batch: number): Promise<number> {
  const made = Array.from({ length: batch }, () => registration(alice))
  const tx = batch === 1 ? made[0].call : api.tx.utility.batchAll(made.map((m) => m.call))
  const { weight } = await tx.paymentInfo(alice)
  // Not augmented for this chain: FrameSystemLimitsBlockWeights.
  const limits = api.consts.system.blockWeights as any
  const normal = limits.perClass.normal.maxTotal.unwrapOr(limits.maxBlock).refTime.toBigInt()
  return Number(normal / weight.refTime.toBigInt()) * batch
}

try {
  const outcomes: Outcome[] = []
  // Enough owners for the fastest rate the chain allows, for every run.
  const owners = new Owners(await fundedOwners(Math.ceil((batchSizes.length * seconds * 600) / MODULES_PER_OWNER) + 1))
  for (const batch of batchSizes) outcomes.push(await run(batch, owners))
  console.log(`Mod-Net sustained registrations, ${new Date().toISOString()}, modnet-node --dev (1 s blocks), owners funded by Alice, ${seconds} s of submissions, at most ${maxInFlight} transactions in flight`)
  console.log('batch | submitted | finalized | failed | lost | submitted/s | finalized/s | chain limit/s (by weight) | finalized / limit')
  for (const o of outcomes) {
    const limit = await chainLimitPerSecond(o.batch)
    console.log(`${String(o.batch).padStart(5)} | ${String(o.submitted).padStart(9)} | ${String(o.finalized).padStart(9)} | ${String(o.failed).padStart(6)} | ${String(o.lost).padStart(4)} | ${o.submittedPerSecond.toFixed(1).padStart(11)} | ${o.finalizedPerSecond.toFixed(1).padStart(11)} | ${String(limit).padStart(25)} | ${(o.finalizedPerSecond / limit).toFixed(2).padStart(17)}`)
  }
  if (failures.size > 0) console.log(`failed because: ${[...failures].join('; ')}`)
} finally {
  await api.disconnect()
  await node.stop()
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
