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
