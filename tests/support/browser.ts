/**
 * Debian's Chromium driven by playwright-core (Playwright cannot download a
 * browser here), headless; Playwright gives each launch a fresh profile.
 */
import { AssertionError } from 'node:assert/strict'
import { chromium, type Browser, type Page } from 'playwright-core'

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

export interface WatchOptions {
  /** Our servers (static site, gateway, node ports, …), as URLs: their host:port is what counts, any scheme. */
  ownOrigins: string[]
  /** Servers the page must never contact at all (say why), e.g. the node's JSON-RPC port: any request or WebSocket fails the test. */
  forbidden?: { origin: string; why: string }[]
}

/** What went wrong in one page, as lines; see {@link watchPage}. */
export interface PageWatch {
  readonly page: Page
  /** Every URL the page (or its workers) requested or opened a WebSocket to, in order. */
  urls(): string[]
  /**
   * Declares the errors this test provokes on purpose: each pattern is matched
   * against the problem lines (`page error: …`, `HTTP 404 GET <url>`,
   * `request failed: GET <url> (net::…)`); a pattern that matches none of them fails the test too.
   */
  expect(...patterns: RegExp[]): void
  /** Problems no expected pattern covers, then expected patterns that never matched. */
  problems(): string[]
  /** Throws an AssertionError listing {@link problems}, if any. */
  assertClean(): void
}

/**
 * Records, from the moment it is called, what goes wrong in `page`: uncaught
 * exceptions and unhandled rejections (`pageerror`), HTTP responses >= 400
 * from our own servers, requests to our own servers that fail (refused,
 * reset, blocked by CORS…), and any request or WebSocket to a forbidden
 * origin. `net::ERR_ABORTED` is not a failure: a navigation, a closed page,
 * an AbortSignal or a cancelled body causes it (the app's gateway status
 * check cancels the /healthz body of every answer, so each check "fails").
 * Requests from the page's workers count too. A WebSocket that cannot
 * connect is not recorded; a request Playwright does not report (Chromium's
 * own /favicon.ico) cannot be.
 */
export function watchPage(page: Page, options: WatchOptions): PageWatch {
  const own = new Set(options.ownOrigins.map((origin) => new URL(origin).host))
  const forbidden = new Map((options.forbidden ?? []).map(({ origin, why }) => [new URL(origin).host, why]))
  const hostOf = (url: string) => { try { return new URL(url).host } catch { return '' } }
  const seen: string[] = []
  const urls: string[] = []
  const expected: RegExp[] = []
  const contacted = (url: string) => {
    urls.push(url)
    const why = forbidden.get(hostOf(url))
    if (why !== undefined) seen.push(`contacted ${why}: ${url}`)
  }
  page.on('request', (request) => contacted(request.url()))
  page.on('websocket', (socket) => contacted(socket.url()))
  page.on('pageerror', (error) => seen.push(`page error: ${error.stack ?? error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400 && own.has(hostOf(response.url()))) seen.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`)
  })
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'unknown'
    if (reason !== 'net::ERR_ABORTED' && own.has(hostOf(request.url()))) seen.push(`request failed: ${request.method()} ${request.url()} (${reason})`)
  })
  const watch: PageWatch = {
    page,
    urls: () => [...urls],
    expect: (...patterns) => void expected.push(...patterns),
    problems: () => [
      ...seen.filter((line) => !expected.some((pattern) => line.search(pattern) >= 0)),
      ...expected.filter((pattern) => !seen.some((line) => line.search(pattern) >= 0)).map((pattern) => `expected but did not happen: ${pattern}`),
    ],
    assertClean() {
      const problems = watch.problems()
      if (problems.length > 0) throw new AssertionError({ message: describe(page, problems) })
    },
  }
  return watch
}

function describe(page: Page, problems: string[]): string {
  return `${page.url()}:\n  ${problems.join('\n  ')}`
}

/**
 * For an `afterEach` hook: closes the test's pages and fails the test with
 * every page's problems. When the test already failed, the problems are
 * printed instead (node:test keeps the first error), as they may explain it.
 */
export async function checkPages(watches: PageWatch[], testPassed: boolean): Promise<void> {
  await Promise.all(watches.map((watch) => watch.page.close().catch(() => {})))
  const failures = watches.map((watch) => ({ page: watch.page, problems: watch.problems() })).filter(({ problems }) => problems.length > 0)
  if (failures.length === 0) return
  const message = `browser pages had problems:\n${failures.map(({ page, problems }) => describe(page, problems)).join('\n')}`
  if (!testPassed) return void console.error(message)
  throw new AssertionError({ message })
}
