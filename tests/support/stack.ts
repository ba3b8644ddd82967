/**
 * A test stack for suites in other languages (the Python client's pytest):
 * a real `modnet-node --dev`, a chain spec whose bootnode is that node (for
 * light clients), the real gateway following it, and a tampering proxy in
 * front of the gateway. Prints one JSON line with their addresses, then runs
 * until its stdin closes or it gets SIGTERM/SIGINT, and stops everything.
 *
 *   node tests/support/stack.ts   →   {"rpcUrl":"ws://127.0.0.1:…","rpcHttpUrl":…,"gatewayUrl":…,"tamperingGatewayUrl":…,"chainSpec":"/tmp/…/modnet-dev.raw.json","cli":"…/bin/modnet"}
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateChainSpecs } from '../../chain-spec/generate.ts'
import { startGateway } from './gateway.ts'
import { startDevNode } from './node.ts'
import { tamperingProxy } from './tamper.ts'

const dir = mkdtempSync(join(tmpdir(), 'modnet-stack-'))
const node = await startDevNode(join(dir, 'chain'))
const gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl])
const tampering = await tamperingProxy(gateway.url)
const chainSpec = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev

let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  tampering.server.close()
  await gateway.stop()
  await node.stop()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
process.stdin.on('end', () => void stop())
process.stdin.on('close', () => void stop())
process.stdin.resume()

process.stdout.write(`${JSON.stringify({
  rpcUrl: node.rpcUrl,
  rpcHttpUrl: node.rpcHttpUrl,
  gatewayUrl: gateway.url,
  tamperingGatewayUrl: tampering.url,
  chainSpec,
  cli: fileURLToPath(new URL('../../bin/modnet', import.meta.url)),
  dataDir: dir,
})}\n`)
