/** `modnet card` (export a module card) and `modnet verify-card` (check one offline). */
import { readFileSync, writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { parseModuleKey } from '../../lib/chain/keys.ts'
import { ChainError } from '../../lib/chain/errors.ts'
import { chainAnchorOf, connection, openChain, openIpfs, type GlobalOptions } from '../context.ts'
import { UsageError } from '../exit.ts'
import { createOutput, jsonReplacer } from '../output.ts'
import { DEFAULT_GATEWAY_URL, defaultChainSpec } from '../paths.ts'

export function cardCommands(program: Command): void {
  program.command('card')
    .description('export a module card: record, storage proof, finalized header, GRANDPA justification and metadata, checkable offline')
    .argument('<key>', 'module key')
    .option('--out <file>', 'write the card here (default: stdout)')
    .action(async (key: string, options: { out?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      parseModuleKey(key)
      const [{ makeCard }, { rpcStorageProofs, gatewayStorageProofs }, { rpcFinalityProofs, gatewayFinalityProofs }] = await Promise.all([
        import('../../lib/registry/card.ts'),
        import('../../lib/registry/storage-proofs.ts'),
        import('../../lib/registry/finality-proofs.ts'),
      ])
      const ipfs = await openIpfs(globals)
      const target = connection(globals)
      // The chain spec the light client trusts checks the card's finality before it is written.
      const anchor = target.kind === 'light-client' ? await chainAnchorOf(globals.chainSpec ?? defaultChainSpec()) : globals.chainSpec === undefined ? undefined : await chainAnchorOf(globals.chainSpec)
      const client = await openChain(globals)
      // A light client has no proofs to hand out: ask the node (--rpc) or the gateway, and check the answer.
      const gateway = ipfs.kind === 'gateway' ? ipfs.location : DEFAULT_GATEWAY_URL
      const rpc = client.connection.kind === 'rpc'
      const card = await makeCard({ chain: client, ipfs }, key, rpc ? rpcStorageProofs(client) : gatewayStorageProofs(gateway), rpc ? rpcFinalityProofs(client) : gatewayFinalityProofs(gateway), { anchor })
      const text = `${JSON.stringify(card, jsonReplacer, 2)}\n`
      const finality = card.finality === undefined ? 'no finality proof (the source had no justification)' : anchor === undefined ? 'with its GRANDPA justification (not checked here: no chain spec)' : 'with its GRANDPA justification (checked against the chain spec)'
      if (options.out === undefined) {
        process.stdout.write(text)
        if (card.finality === undefined) process.stderr.write(`warning: ${finality}\n`)
        return
      }
      writeFileSync(options.out, text)
      out.result({ file: options.out, blockNumber: card.blockNumber, cid: card.record.cid, finality: card.finality !== undefined }, () => [`card for ${card.record.key} at finalized block #${card.blockNumber} written to ${options.out} (verified), ${finality}`])
    })

  program.command('verify-card')
    .description('check a module card offline: header hash, storage proof, record, metadata CID, and with --chain-spec who finalized its block (no network)')
    .argument('<file>', 'the card (JSON)')
    .option('--genesis <hash>', 'also require the card to be for this chain')
    .option('--require-finality', 'fail unless the block is proved final against --chain-spec')
    .addHelpText('after', '\nThe global --chain-spec SPEC is the trust anchor: the card must be for that chain, and its GRANDPA\njustification must be signed by a supermajority of the authority set followed from SPEC\'s genesis.')
    .action(async (file: string, options: { genesis?: string; requireFinality?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      let card: unknown
      try {
        card = JSON.parse(readFileSync(file, 'utf8'))
      } catch (error) {
        throw new UsageError(`cannot read the card ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
      }
      const anchor = globals.chainSpec === undefined ? undefined : await chainAnchorOf(globals.chainSpec)
      const { verifyCard } = await import('../../lib/registry/card.ts')
      const check = verifyCard(card as Parameters<typeof verifyCard>[0], { genesisHash: options.genesis, anchor })
      const { finality } = check
      if (options.requireFinality === true && finality.status !== 'proved') {
        throw new ChainError('BAD_PROOF', `finality not proved: ${finality.reason}${anchor === undefined ? ' (pass --chain-spec SPEC)' : ''}`)
      }
      out.result({ valid: true, ...check }, () => [
        `valid: module ${check.key} pointed at ${check.cid} in block #${check.blockNumber} (${check.blockHash})`,
        `  header hashes to the block hash; storage proof checked against its state root;`,
        `  ${check.metadataBytes} metadata bytes match the CID. Chain ${check.genesisHash}.`,
        finality.status === 'proved'
          ? `  finality: PROVED, block #${check.blockNumber} signed by ${finality.signers} of ${finality.authorities} authorities of set ${finality.setId} (weight ${finality.signedWeight}, ${finality.threshold} needed), the set followed from ${finality.chain}'s genesis through ${finality.setChanges} change(s).`
          : `  finality: UNCHECKED, ${finality.reason}. Nothing here shows the chain's validators finalized this block.`,
      ])
    })
}
