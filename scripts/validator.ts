/**
 * Validator-set operations for a network's operators (docs/operators.md).
 *
 *   node scripts/validator.ts set-keys --node ws://127.0.0.1:9945 [--rpc URL] --account-uri SURI
 *       New session keys in the validator's own keystore (author_rotateKeysWithOwner,
 *       so --node must be that validator's loopback RPC), then session.setKeys
 *       with the proof, signed by the validator's account, submitted through
 *       --rpc (default: the same node).
 *   node scripts/validator.ts add|remove ACCOUNT --rpc URL --sudo-uri SURI
 *       Governance through the sudo key: validatorSet.addMember / removeMember.
 *   node scripts/validator.ts status --rpc URL
 *       The set, who has keys, the current authorities and the session.
 *
 * SURI is a secret URI (a seed phrase, optionally with a derivation path);
 * prefer $MODNET_ACCOUNT_URI / $MODNET_SUDO_URI over the command line, which
 * other users of the machine can read.
 */
import { parseArgs } from 'node:util'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto'
import type { ApiPromise } from '@polkadot/api'
import { blockEvents, connectApi, submit } from '../lib/chain/index.ts'

const usage = `usage:
  node scripts/validator.ts set-keys --node WS_URL [--rpc WS_URL] --account-uri SURI
  node scripts/validator.ts add ACCOUNT --rpc WS_URL --sudo-uri SURI
  node scripts/validator.ts remove ACCOUNT --rpc WS_URL --sudo-uri SURI
  node scripts/validator.ts status --rpc WS_URL`

class UsageError extends Error {}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`${what} is required`)
  return value
}

function pair(uri: string, what: string) {
  try {
    return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(uri)
  } catch {
    throw new UsageError(`${what} is not a valid secret URI (a seed phrase or //Name)`)
  }
}

/**
 * New keys in the validator's keystore (its own node, `nodeUrl`), proved to belong
 * to its account, then set on chain through `rpcUrl` (default: the same node).
 */
async function setKeys(nodeUrl: string, rpcUrl: string, accountUri: string): Promise<void> {
  const account = pair(accountUri, '--account-uri')
  const node = await connectApi({ kind: 'rpc', url: nodeUrl })
  let generated: { keys: string; proof: string }
  try {
    // A node still syncing would make the keys with an old runtime, and its transaction
    // pool checks transactions against the block it last saw.
    await waitForSync(node, nodeUrl)
    generated = (await node.rpc('author_rotateKeysWithOwner' as never, u8aToHex(decodeAddress(account.address)) as never)) as unknown as { keys: string; proof: string }
  } finally {
    await node.disconnect()
  }
  const api = await connectApi({ kind: 'rpc', url: rpcUrl })
  try {
    const result = await submit(api, api.tx.session.setKeys(generated.keys, generated.proof), account)
    console.log(`session keys of ${account.address} set in block #${result.blockNumber}: ${generated.keys}`)
    console.log('next: governance adds the account to the validator set; it authors from the second session boundary after that')
  } finally {
    await api.disconnect()
  }
}

async function waitForSync(api: ApiPromise, nodeUrl: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [health, sync] = await Promise.all([api.rpc.system.health(), api.rpc.system.syncState()])
    const behind = (sync.highestBlock.unwrapOr(sync.currentBlock).toNumber()) - sync.currentBlock.toNumber()
    if (!health.isSyncing.isTrue && health.peers.toNumber() > 0 && behind <= 2) break
    if (Date.now() > deadline) throw new Error(`the node at ${nodeUrl} is still syncing (or has no peers) after ${timeoutMs / 1000} s: try again once it has caught up`)
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  // Two blocks imported in the normal way since: its pool follows the chain again.
  const synced = (await api.rpc.chain.getHeader()).number.toNumber()
  while ((await api.rpc.chain.getHeader()).number.toNumber() < synced + 2) {
    if (Date.now() > deadline) throw new Error(`the node at ${nodeUrl} imports no new blocks`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

async function changeSet(rpcUrl: string, sudoUri: string, action: 'add' | 'remove', account: string): Promise<void> {
  const sudo = pair(sudoUri, '--sudo-uri')
  let who: string
  try {
    who = new Keyring({ ss58Format: 42 }).encodeAddress(decodeAddress(account))
  } catch {
    throw new UsageError(`"${account}" is not an SS58 account`)
  }
  const api = await connectApi({ kind: 'rpc', url: rpcUrl })
  try {
    const call = action === 'add' ? api.tx.validatorSet.addMember(who) : api.tx.validatorSet.removeMember(who)
    const result = await submit(api, api.tx.sudo.sudo(call), sudo)
    // sudo succeeds as a call even when the inner call fails: its outcome is in Sudid.
    const { records } = await blockEvents(api, result.blockHash)
    const sudid = records.map(({ event }) => event).find((event) => api.events.sudo.Sudid.is(event))
    const outcome = sudid?.data[0] as { isErr: boolean; asErr: any } | undefined
    if (outcome?.isErr) {
      const error = outcome.asErr
      const reason = error.isModule ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(error.asModule)) : error.toString()
      const why = reason.includes('BadOrigin') && action === 'remove'
        ? 'the set is at its minimum size (runtime MIN_VALIDATORS), or the sudo key is not the chain\'s'
        : reason
      throw new Error(`validatorSet.${action === 'add' ? 'addMember' : 'removeMember'} failed: ${why}`)
    }
    console.log(`${who} ${action === 'add' ? 'added to' : 'removed from'} the validator set in block #${result.blockNumber}; it takes effect at the second session boundary from now`)
  } finally {
    await api.disconnect()
  }
}

async function status(rpcUrl: string): Promise<void> {
  const api: ApiPromise = await connectApi({ kind: 'rpc', url: rpcUrl })
  try {
    const [members, validators, queued, index, aura, setId] = await Promise.all([
      api.query.validatorSet.members(),
      api.query.session.validators(),
      api.query.session.queuedKeys(),
      api.query.session.currentIndex(),
      api.query.aura.authorities(),
      api.query.grandpa.currentSetId(),
    ])
    const active = new Set((validators.toJSON() as string[]))
    const next = new Set((queued.toJSON() as [string, unknown][]).map(([who]) => who))
    console.log(`session ${index.toString()}, GRANDPA set ${setId.toString()}, ${(aura.toJSON() as string[]).length} Aura authorities`)
    for (const who of members.toJSON() as string[]) {
      const keys = await api.query.session.nextKeys(who)
      console.log(`  ${who}  ${active.has(who) ? 'active' : 'not active'}${next.has(who) ? ', in the next session' : ''}${(keys as unknown as { isSome: boolean }).isSome ? '' : ', NO SESSION KEYS'}`)
    }
  } finally {
    await api.disconnect()
  }
}

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { node: { type: 'string' }, rpc: { type: 'string' }, 'account-uri': { type: 'string' }, 'sudo-uri': { type: 'string' } },
  })
  await cryptoWaitReady()
  const [command, account] = positionals
  if (command === 'set-keys') {
    const nodeUrl = required(values.node, '--node')
    await setKeys(nodeUrl, values.rpc ?? nodeUrl, required(values['account-uri'] ?? process.env.MODNET_ACCOUNT_URI, '--account-uri'))
  } else if (command === 'add' || command === 'remove') {
    await changeSet(required(values.rpc, '--rpc'), required(values['sudo-uri'] ?? process.env.MODNET_SUDO_URI, '--sudo-uri'), command, required(account, 'ACCOUNT'))
  } else if (command === 'status') {
    await status(required(values.rpc, '--rpc'))
  } else {
    throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`)
  }
  process.exit(0)
} catch (error) {
  console.error(`validator: ${(error as Error).message}${error instanceof UsageError ? `\n${usage}` : ''}`)
  process.exit(error instanceof UsageError ? 2 : 1)
}
