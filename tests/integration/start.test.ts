/**
 * `make start`'s script as a user runs it: the node and the gateway come up
 * on the ports given, `modnet register` / `modnet get` work against them from
 * "another terminal", Ctrl-C (SIGINT to the process group) stops everything,
 * a restart on the same $MODNET_HOME still has the module and its pin, a
 * child that dies on its own is reported as a crash with its log, and a dev
 * chain made by an older build is set aside with a message, not crash-looped on.
 *
 * The tests share one $MODNET_HOME and run as a sequence, in file order: the
 * last one sets aside the dev chain the earlier ones made (with //Alice's
 * module in it, which the new chain must not have). Run alone, it fails.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { modnet } from '../support/cli.ts'
import { waitFor } from '../support/node.ts'
import { freePort } from '../support/ports.ts'

const START = fileURLToPath(new URL('../../scripts/start.sh', import.meta.url))
const EXAMPLE = fileURLToPath(new URL('../../examples/hello-module.json', import.meta.url))
const ALICE_KEY = '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d'
let home: string
let env: Record<string, string>
let ports: Record<string, number>

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'modnet-start-'))
  ports = { rpc: await freePort(), ws: await freePort(), tcp: await freePort(), prometheus: await freePort(), gateway: await freePort(), web: await freePort() }
  env = {
    MODNET_HOME: home,
    MODNET_RPC_PORT: String(ports.rpc),
    MODNET_P2P_WS_PORT: String(ports.ws),
    MODNET_P2P_TCP_PORT: String(ports.tcp),
    MODNET_PROMETHEUS_PORT: String(ports.prometheus),
    MODNET_GATEWAY_PORT: String(ports.gateway),
    MODNET_WEB_PORT: String(ports.web),
  }
})

after(() => rmSync(home, { recursive: true, force: true }))

async function startStack(): Promise<{ child: ChildProcess; output: () => string }> {
  // Its own process group, as in a terminal: Ctrl-C reaches every process in it.
  const child = spawn('bash', [START], { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const gateway = `http://127.0.0.1:${ports.gateway}`
  await waitFor(async () => (await fetch(`${gateway}/healthz`).catch(() => undefined))?.status === 200, 60_000, child)
  return { child, output: () => output }
}

async function ctrlC(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  process.kill(-child.pid!, 'SIGINT')
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000)
  const code = await exited
  clearTimeout(timer)
  return code
}

async function portsClosed(): Promise<boolean> {
  for (const url of [`http://127.0.0.1:${ports.gateway}/healthz`, `http://127.0.0.1:${ports.rpc}`, `http://127.0.0.1:${ports.web}/`]) {
    if (await fetch(url).then(() => true, () => false)) return false
  }
  return true
}

test('the stack serves register and get, stops on Ctrl-C, and keeps state across a restart', async () => {
  const cli = { MODNET_CHAIN_SPEC: join(home, 'chain-spec', 'modnet-dev.raw.json'), MODNET_IPFS: `gateway:http://127.0.0.1:${ports.gateway}` }
  const first = await startStack()
  try {
    assert.match(first.output(), new RegExp(`gateway +http://127\\.0\\.0\\.1:${ports.gateway}`))
    // The web app is served, configured for this stack's gateway.
    const web = `http://127.0.0.1:${ports.web}/`
    assert.match(await (await fetch(web)).text(), /<html/)
    assert.equal(((await (await fetch(`${web}config.json`)).json()) as { gateway: string }).gateway, `http://127.0.0.1:${ports.gateway}`)
    assert.equal((await fetch(`${web}chain-specs/modnet-dev.raw.json`)).status, 200)
    const registered = await modnet(['register', '--metadata', EXAMPLE, '--key-uri', '//Alice', '--json'], cli)
    assert.equal(registered.code, 0, registered.stderr)
    const got = await modnet(['get', ALICE_KEY, '--json'], cli)
    assert.equal(got.code, 0, got.stderr)
    assert.equal(got.json.record.cid, registered.json.cid)
    assert.equal(got.json.readAt.verifiedBy, 'light-client')
  } finally {
    assert.equal(await ctrlC(first.child), 130, first.output())
  }
  assert.ok(await portsClosed(), 'node and gateway stopped')

  const second = await startStack()
  try {
    const got = await modnet(['get', ALICE_KEY, '--json', '--rpc', `ws://127.0.0.1:${ports.rpc}`], cli)
    assert.equal(got.code, 0, got.stderr)
    assert.equal(got.json.metadata.name, 'hello-module')
    const pin = await (await fetch(`http://127.0.0.1:${ports.gateway}/api/v1/pins/${got.json.record.cid}`)).json() as { state: string }
    assert.equal(pin.state, 'registered')
  } finally {
    await ctrlC(second.child)
  }
})

/** The pid of the running process whose command line contains every one of `parts`. */
function findProcess(...parts: string[]): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let command = ''
    try {
      command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')
    } catch { continue }
    if (parts.every((part) => command.includes(part))) return Number(entry)
  }
  throw new Error(`no process running ${parts.join(' ')}`)
}

test('a child that dies is reported as a crash with its log, not as Ctrl-C, and the rest is stopped', async () => {
  const stack = await startStack()
  const exited = new Promise<number | null>((resolve) => stack.child.once('exit', (code) => resolve(code)))
  process.kill(findProcess('gateway/main.ts', `${home}/gateway`), 'SIGKILL')
  const timer = setTimeout(() => process.kill(-stack.child.pid!, 'SIGKILL'), 30_000)
  const code = await exited
  clearTimeout(timer)
  assert.equal(code, 1, stack.output())
  assert.match(stack.output(), /CRASH: the gateway process \(pid \d+\) was killed by SIGKILL; the last lines of .*gateway\.log:/)
  assert.match(stack.output(), /  \| \{"time":/, 'the log tail is shown')
  assert.ok(await portsClosed(), 'the node and the web server were stopped too')
})

test('a dev chain made by an older build is set aside with a message and a new one starts', async () => {
  // What an older build leaves: chain data whose genesis is not this build's (its mark says so;
  // builds before the mark left none, which counts the same).
  assert.ok(existsSync(join(home, 'chain', 'chains')), 'the earlier tests left a dev chain')
  writeFileSync(join(home, 'chain', 'genesis.sha256'), 'the genesis of an older build')
  const stack = await startStack()
  try {
    assert.match(stack.output(), /the dev chain in .* was made by an older build .* moved to .*chain\.old-\d{8}-\d{6} and a new dev chain starts/)
    const aside = readdirSync(home).filter((name) => name.startsWith('chain.old-'))
    assert.equal(aside.length, 1)
    assert.ok(existsSync(join(home, aside[0], 'chains')), 'the old chain data is kept, not deleted')
    const got = await modnet(['get', ALICE_KEY, '--json', '--rpc', `ws://127.0.0.1:${ports.rpc}`])
    assert.notEqual(got.code, 0, 'the new chain does not have the old chain\'s module')
    assert.match(got.stderr, /not registered|no module/i)
  } finally {
    await ctrlC(stack.child)
  }
})
