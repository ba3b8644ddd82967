/**
 * The web app's static export deployed the way a deployer would: a copy whose
 * config.json and chain spec point at a given stack, served on loopback.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveStatic } from '../../scripts/serve-static.ts'

export const EXPORT_DIR = fileURLToPath(new URL('../../out', import.meta.url))

/** Copies the export to `target` with a config for `gatewayUrl` and the chain spec in `chainSpecFile`. */
export function deploySite(target: string, chainSpecFile: string, gatewayUrl: string): string {
  if (!existsSync(join(EXPORT_DIR, 'index.html'))) throw new Error(`no static export in ${EXPORT_DIR}: run \`make web\` first`)
  cpSync(EXPORT_DIR, target, { recursive: true })
  mkdirSync(join(target, 'chain-specs'), { recursive: true })
  cpSync(chainSpecFile, join(target, 'chain-specs', 'modnet-dev.raw.json'))
  writeFileSync(join(target, 'config.json'), JSON.stringify({ chainSpec: 'chain-specs/modnet-dev.raw.json', gateway: gatewayUrl, devAccounts: true }))
  return target
}

export async function serveSite(directory: string): Promise<{ server: Server; url: string }> {
  const server = serveStatic(directory)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` }
}
