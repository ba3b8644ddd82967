/**
 * Helpers for the processes scripts, tests and benches start (nodes, Kubo,
 * gateways): stop one, wait for a condition, read a log's end, ask a node's
 * JSON-RPC over loopback HTTP. One copy, used by scripts/network/ and
 * tests/support/.
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Stops a child process: SIGINT, then SIGKILL after `graceMs`. Resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGINT')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** The last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/**
 * Polls `condition` every 250 ms until it holds; the error names `what` and
 * the condition's last error. With `child`, fails at once if it exits.
 */
export async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    if (child !== undefined && child.exitCode !== null) throw new Error(`the process exited with code ${child.exitCode} while waiting for ${what}`)
    try {
      if (await condition()) return
    } catch (error) {
      last = error
    }
    await sleep(250)
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`)
}

/** One JSON-RPC call over HTTP (a node's RPC port on loopback); the error names the method. */
export async function httpRpc<T = any>(url: string, method: string, params: unknown[] = [], timeoutMs = 10_000): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const body = (await response.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}
