/** `modnet card` (export a module card) and `modnet verify-card` (check one offline). */
import { readFileSync, writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { parseModuleKey } from '../../lib/chain/keys.ts'
import { openChain, openIpfs, type GlobalOptions } from '../context.ts'
import { UsageError } from '../exit.ts'
import { createOutput, jsonReplacer } from '../output.ts'
import { DEFAULT_GATEWAY_URL } from '../paths.ts'

export function cardCommands(program: Command): void {
  program.command('card')
    .description('export a module card: record, storage proof, finalized header and metadata, checkable offline')
    .argument('<key>', 'module key')
    .option('--out <file>', 'write the card here (default: stdout)')
    .action(async (key: string, options: { out?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      parseModuleKey(key)
      const [{ makeCard }, { rpcStorageProofs, gatewayStorageProofs }] = await Promise.all([import('../../lib/registry/card.ts'), import('../../lib/registry/storage-proofs.ts')])
      const ipfs = await openIpfs(globals)
      const client = await openChain(globals)
      // A light client has no proofs to hand out: ask the node (--rpc) or the gateway, and check the answer.
      const gateway = ipfs.kind === 'gateway' ? ipfs.location : DEFAULT_GATEWAY_URL
      const source = client.connection.kind === 'rpc' ? rpcStorageProofs(client) : gatewayStorageProofs(gateway)
      const card = await makeCard({ chain: client, ipfs }, key, source)
      const text = `${JSON.stringify(card, jsonReplacer, 2)}\n`
      if (options.out === undefined) return void process.stdout.write(text)
      writeFileSync(options.out, text)
      out.result({ file: options.out, blockNumber: card.blockNumber, cid: card.record.cid }, () => [`card for ${card.record.key} at finalized block #${card.blockNumber} written to ${options.out} (verified)`])
    })

  program.command('verify-card')
    .description('check a module card offline: header hash, storage proof, record and metadata CID (no network)')
    .argument('<file>', 'the card (JSON)')
    .option('--genesis <hash>', 'also require the card to be for this chain')
    .action(async (file: string, options: { genesis?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      let card: unknown
      try {
        card = JSON.parse(readFileSync(file, 'utf8'))
      } catch (error) {
        throw new UsageError(`cannot read the card ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
      }
      const { verifyCard } = await import('../../lib/registry/card.ts')
      const check = verifyCard(card as Parameters<typeof verifyCard>[0], { genesisHash: options.genesis })
      out.result({ valid: true, ...check }, () => [
        `valid: module ${check.key} pointed at ${check.cid} in block #${check.blockNumber} (${check.blockHash})`,
        `  header hashes to the block hash; storage proof checked against its state root;`,
        `  ${check.metadataBytes} metadata bytes match the CID. Chain ${check.genesisHash}.`,
        `  (Offline, finality is not re-checked: compare the block hash with a light client or a node you trust.)`,
      ])
    })
}
