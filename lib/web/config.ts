/**
 * The web app's runtime configuration: `config.json` at the site root, which a
 * deployer edits without rebuilding (chain spec, gateway). URLs in it are
 * relative to the site root, so the export works from any base path, such as
 * an IPFS gateway's /ipfs/<cid>/.
 */
import { readBoundedJson } from '../http/bounded-body.ts'
import { WebError } from './errors.ts'

/** `config.json` is a few lines a deployer writes: 64 KiB is far more, and still small if the host serves something else. */
export const MAX_CONFIG_BYTES = 64 * 1024

export interface WebConfig {
  /** Chain spec the light client boots from: a URL, or a path relative to the site root. */
  chainSpec: string
  /** The Mod-Net gateway: uploads and trustless reads. */
  gateway: string
  /** Offer the well-known dev accounts (Alice, Bob…) when no wallet extension is present. */
  devAccounts: boolean
}

/**
 * The site root as an absolute URL ending in '/'. The app is one page,
 * `index.html` at the root, with views picked by the query string: the root
 * is the page's directory. It is read from the export's own scripts
 * (`<root>_next/static/…`) first, which name it whatever the page's URL looks
 * like; the page's directory is the fallback.
 */
export function siteRoot(): string {
  for (const script of Array.from(document.scripts)) {
    const at = script.src.indexOf('_next/')
    if (at >= 0) return script.src.slice(0, at)
  }
  return new URL('./', document.baseURI).href
}

/** A file of the site (e.g. `config.json`, `chain-specs/…`) as an absolute URL, whatever the base path. */
export function sitePath(path: string): string {
  return new URL(path, siteRoot()).href
}

export async function loadConfig(): Promise<WebConfig> {
  const url = sitePath('config.json')
  const response = await fetch(url, { cache: 'no-store' })
  if (!response.ok) {
    await response.body?.cancel().catch(() => {})
    throw new WebError('SITE_CONFIG', `cannot load ${url}: HTTP ${response.status}`)
  }
  const raw = ((await readBoundedJson(response, MAX_CONFIG_BYTES, url)) ?? {}) as Partial<WebConfig>
  if (typeof raw.chainSpec !== 'string' || typeof raw.gateway !== 'string') {
    throw new WebError('SITE_CONFIG', `${url} must name "chainSpec" and "gateway"`)
  }
  return { chainSpec: new URL(raw.chainSpec, siteRoot()).href, gateway: raw.gateway.replace(/\/+$/, ''), devAccounts: raw.devAccounts === true }
}
