/**
 * `make network`'s script as a user runs it: on the ports given it starts
 * four validators and the RPC/bootnode, prints the endpoints, publishes the
 * chain spec, which `modnet status` then uses through the light client, and
 * Ctrl-C (SIGINT to the process group) stops every node.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { modnet } from '../support/cli.ts'
import { waitFor } from '../support/node.ts'
import { freePort } from '../support/ports.ts'

const SCRIPT = fileURLToPath(new URL('../../scripts/network.ts', import.meta.url))
const PUBLISHED = fileURLToPath(new URL('../../chain-spec/modnet-network.raw.json', import.meta.url))
let home: string

before(() => { home = mkdtempSync(join(tmpdir(), 'modnet-network-script-')) })
after(() => rmSync(home, { recursive: true, force: true }))

async function listening(port: number): Promise<boolean> {
  return await fetch(`http://127.0.0.1:${port}`, { method: 'POST' }).then(() => true, () => false)
}

test('make network starts 4 validators and an RPC/bootnode, publishes the spec, and stops on Ctrl-C', { timeout: 5 * 60_000 }, async () => {
  const rpc = await freePort()
  // Validators take MODNET_RPC_PORT+1…+4 and MODNET_P2P_TCP_PORT+1…+4: a block of ports from one free one.
  const ws = await freePort()
  const env = { ...process.env, MODNET_HOME: home, MODNET_RPC_PORT: String(rpc), MODNET_P2P_WS_PORT: String(ws), MODNET_P2P_TCP_PORT: String(ws + 10), MODNET_PROMETHEUS_PORT: String(await freePort()) }
  const child = spawn(process.execPath, [SCRIPT], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  try {
    await waitFor(async () => output.includes('Ctrl-C stops every node'), 180_000, child)
    assert.match(output, new RegExp(`RPC/bootnode JSON-RPC +ws://127\\.0\\.0\\.1:${rpc}`))
    assert.match(output, new RegExp(`p2p for light clients +/ip4/127\\.0\\.0\\.1/tcp/${ws}/ws/p2p/12D3KooW`))
    for (let i = 1; i <= 4; i++) assert.match(output, new RegExp(`validator \\w+ +ws://127\\.0\\.0\\.1:${rpc + i}`))
    assert.equal(readFileSync(PUBLISHED, 'utf8'), readFileSync(join(home, 'network', 'modnet-network.raw.json'), 'utf8'))

    const status = await modnet(['status', '--json'], { MODNET_CHAIN_SPEC: PUBLISHED, MODNET_IPFS: 'embedded' })
    assert.equal(status.code, 0, status.stderr)
    assert.equal(status.json.chain.chain, 'Mod-Net Local Network')
    assert.equal(status.json.chain.connection, 'light-client')
    assert.ok(status.json.chain.finalized >= 1)
    assert.equal(status.json.modules, 0)
  } finally {
    process.kill(-child.pid!, 'SIGINT')
  }
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000)
  assert.equal(await exited, 130, output)
  clearTimeout(timer)
  assert.match(output, /\[network\] stopping/)
  for (const port of [rpc, rpc + 1, rpc + 2, rpc + 3, rpc + 4]) assert.equal(await listening(port), false, `port ${port} closed`)
})
