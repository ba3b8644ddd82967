/**
 * `modnet watch KEY | --owner ACCOUNT`: follows finalized blocks and reports
 * every registry event of a module, or of every module an account owns,
 * offers or receives, as it happens (and, with --webhook, POSTs each one),
 * so an owner learns at once when their module changes hands or content.
 */
import type { Command } from 'commander'
import { decodeAddress } from '@polkadot/util-crypto'
import { u8aEq } from '@polkadot/util'
import { parseAccount, parseModuleKey } from '../../lib/chain/keys.ts'
import type { RegistryEvent } from '../../lib/types/chain.ts'
import { openChain, type GlobalOptions } from '../context.ts'
import { UsageError } from '../exit.ts'
import { describeEvent } from './read.ts'

interface WatchOptions {
  owner?: string
  webhook?: string
}

/** Webhook deliveries give up after this many tries (1 s, 2 s, 4 s apart). */
const WEBHOOK_TRIES = 4
const WEBHOOK_TIMEOUT_MS = 10_000

export function watchCommand(program: Command): void {
  program.command('watch')
    .description('follow finalized blocks and print every change to a module, or to the modules an account owns, as it happens')
    .argument('[key]', 'module key to watch (0x-hex or SS58)')
    .option('--owner <account>', 'watch every event naming this account: its modules, offers to and from it')
    .option('--webhook <url>', 'also POST each event as JSON to this http(s) URL')
    .action(async (key: string | undefined, options: WatchOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      if ((key === undefined) === (options.owner === undefined)) throw new UsageError('watch a module KEY or an --owner ACCOUNT (one of the two)')
      const matches = key !== undefined ? byKey(parseModuleKey(key)) : byAccount(parseAccount(options.owner!))
      const webhook = options.webhook === undefined ? undefined : webhookUrl(options.webhook)
      const client = await openChain(globals)
      const what = key !== undefined ? `module ${parseModuleKey(key)}` : `account ${options.owner}`
      process.stderr.write(`watching ${what} at finalized blocks (${client.verifiedBy === 'light-client' ? 'light client' : 'RPC node, trusted'}); Ctrl-C to stop\n`)
      let deliveries = Promise.resolve()
      const stop = await client.watchEvents((events) => {
        for (const event of events.filter(matches)) {
          process.stdout.write(globals.json === true ? `${JSON.stringify(event)}\n` : `#${event.blockNumber}  ${event.type.padEnd(20)}  ${event.key}  ${describeEvent(event)}\n`)
          if (webhook !== undefined) deliveries = deliveries.then(() => deliver(webhook, event))
        }
      }, (error) => process.stderr.write(`modnet: following finalized blocks failed (${error.message}); still trying\n`))
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      stop()
      await Promise.race([deliveries, new Promise((resolve) => setTimeout(resolve, 2_000).unref())])
    })
}

function byKey(key: string): (event: RegistryEvent) => boolean {
  return (event) => event.key.toLowerCase() === key.toLowerCase()
}

/** Events whose owner, sender or recipient is `account`. */
function byAccount(account: string): (event: RegistryEvent) => boolean {
  const id = decodeAddress(account)
  const names = (event: RegistryEvent): string[] =>
    [(event as { owner?: string }).owner, (event as { from?: string }).from, (event as { to?: string }).to].filter((a): a is string => a !== undefined)
  return (event) => names(event).some((address) => u8aEq(decodeAddress(address), id))
}

function webhookUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--webhook must be an http(s) URL, not "${value.slice(0, 80)}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--webhook must be an http(s) URL, not "${value.slice(0, 80)}"`)
  return url.href
}

/** POSTs `event`; retried with backoff, then reported on stderr (the watch goes on). */
async function deliver(url: string, event: RegistryEvent): Promise<void> {
  let problem = ''
  for (let attempt = 0; attempt < WEBHOOK_TRIES; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (attempt - 1)))
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event), signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) })
      await response.body?.cancel().catch(() => {})
      if (response.ok) return
      problem = `HTTP ${response.status}`
    } catch (error) {
      problem = (error as Error).message
    }
  }
  process.stderr.write(`modnet: the webhook did not take the ${event.type} event of block #${event.blockNumber} after ${WEBHOOK_TRIES} tries (${problem})\n`)
}
