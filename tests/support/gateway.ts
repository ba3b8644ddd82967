/**
 * Runs the real gateway (gateway/main.ts) as a child process on a free
 * loopback port and stops it.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { stopChild } from '../../scripts/child-process.ts'

const MAIN = fileURLToPath(new URL('../../gateway/main.ts', import.meta.url))

export interface RunningGateway {
  url: string
  /** The gateway process's id (e.g. to sample its memory). */
  pid: number
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[]
  stop(): Promise<void>
  /** SIGKILL: no clean shutdown (a crash, a power cut to the process). */
  kill(): void
}

export async function startGateway(args: string[]): Promise<RunningGateway> {
  const child = spawn(process.execPath, [MAIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const logs: Record<string, unknown>[] = []
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  // A crash after start-up would otherwise only show as refused connections.
  child.once('exit', (code, signal) => {
    if (code !== 0 && code !== null && signal === null) process.stderr.write(`gateway exited with ${code}:\n${stderr}\n`)
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in 30 s\n${stderr}`)), 30_000)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited with ${code}\n${stderr}`)) })
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line)
      } catch {
        entry = { level: 'raw', msg: line }
      }
      logs.push(entry)
      if (entry.msg === 'listening') {
        clearTimeout(timer)
        resolve(entry.url as string)
      }
    })
  })
  return { url, pid: child.pid!, logs, stop: () => stopChild(child), kill: () => void child.kill('SIGKILL') }
}
