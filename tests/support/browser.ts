/**
 * Debian's Chromium driven by playwright-core (Playwright cannot download a
 * browser here), headless; Playwright gives each launch a fresh profile.
 */
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = process.env.MODNET_CHROMIUM ?? '/usr/bin/chromium'

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  })
  return { browser, close: () => browser.close() }
}

/** tests/support/fake-substrate-connect.ts as one script for `page.addInitScript` (smoldot's browser build inlined). */
export async function fakeSubstrateConnectScript(): Promise<string> {
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [new URL('./fake-substrate-connect.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
  })
  return result.outputFiles[0].text
}
