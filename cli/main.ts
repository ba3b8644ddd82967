/**
 * `modnet`: the Mod-Net command line.
 *
 *   modnet register --metadata FILE --key-uri //Alice
 *   modnet get KEY [--json]
 *
 * Reads go through the smoldot light client by default (the generated dev
 * chain spec) or a node with --rpc; metadata goes to and comes from IPFS
 * through --ipfs (default: the local Mod-Net gateway). Exit codes: see exit.ts.
 */
import { Command, CommanderError, Option } from 'commander'
import { cardCommands } from './commands/card.ts'
import { readCommands } from './commands/read.ts'
import { resolveCommand } from './commands/resolve.ts'
import { watchCommand } from './commands/watch.ts'
import { writeCommands } from './commands/write.ts'
import { saveLightClients } from './context.ts'
import { describeError, EXIT, exitCodeFor } from './exit.ts'
import { DEFAULT_GATEWAY_URL } from './paths.ts'

const program = new Command('modnet')
  .description('Mod-Net: a decentralized module registry (Substrate chain + IPFS)')
  .option('--rpc <url>', 'JSON-RPC WebSocket of a node (trusted); default: the smoldot light client (or $MODNET_RPC)')
  .option('--chain-spec <file>', 'chain spec for the light client (default chain-spec/modnet-dev.raw.json, or $MODNET_CHAIN_SPEC)')
  .option('--ipfs <backend>', `embedded | kubo:URL | gateway:URL (default gateway:${DEFAULT_GATEWAY_URL}, or $MODNET_IPFS)`)
  .option('--json', 'machine-readable output on stdout')
  .option('--timeout <seconds>', 'how long to wait to connect to the chain')
  .addOption(new Option('--debug', 'print stack traces').env('MODNET_DEBUG').hideHelp())
  .showHelpAfterError('(run modnet --help for usage)')
  .exitOverride()

// @polkadot/api logs failed RPC calls to console.error; the CLI reports errors itself.
const consoleError = console.error
console.error = (...args: unknown[]) => { if (process.env.MODNET_DEBUG) consoleError(...args) }

readCommands(program)
resolveCommand(program)
writeCommands(program)
cardCommands(program)
watchCommand(program)

let code: number = EXIT.ok
try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander printed the message already; --help and --version exit 0.
    code = error.exitCode === 0 ? EXIT.ok : EXIT.badInput
  } else {
    code = exitCodeFor(error)
    const message = describeError(error)
    process.stderr.write(`modnet: ${message}\n`)
    // A stack trace only for the unexpected (a bug), or when asked for.
    if ((program.opts().debug || code === EXIT.failure) && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`)
    }
  }
}
await saveLightClients()
// smoldot and open sockets would keep the process alive: the command is done.
process.exit(code)
