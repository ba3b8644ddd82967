/** Runs the real `modnet` CLI (cli/main.ts) as a child process. */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const MAIN = fileURLToPath(new URL('../../cli/main.ts', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed, when it is JSON. */
  json?: any
}

/** dist/modnet.mjs, the bundle bin/modnet runs (`make cli`). */
export const BUNDLE = fileURLToPath(new URL('../../dist/modnet.mjs', import.meta.url))

/** Runs the CLI from its sources, or from `entry` (e.g. {@link BUNDLE}). */
export async function modnet(args: string[], env: Record<string, string> = {}, entry = MAIN): Promise<CliResult> {
  return await new Promise((resolve) => {
    execFile(process.execPath, [entry, ...args], { env: { ...process.env, ...env }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch { /* human output */ }
      resolve({ code, stdout, stderr, json })
    })
  })
}
