/** Where the CLI and the local stack keep things by default. */
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The local stack's data directory (`make start` uses the same). */
export function modnetHome(): string {
  return resolve(process.env.MODNET_HOME ?? join(REPO_ROOT, '.modnet'))
}

/** The chain spec the light client boots from unless told otherwise. */
export function defaultChainSpec(): string {
  return process.env.MODNET_CHAIN_SPEC ?? join(REPO_ROOT, 'chain-spec', 'modnet-dev.raw.json')
}

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8088'
