/**
 * A stand-in for the Substrate Connect extension in e2e tests, run in the
 * page before its own scripts: a real smoldot (the browser build) announced
 * through the discovery protocol (`substrateDiscovery:requestProvider`), as
 * the extension announces its shared light client. It counts the chains the
 * page adds in `window.__fakeSubstrateConnect.chainsAdded`.
 * Bundled by `fakeSubstrateConnectScript()` (tests/support/browser.ts).
 */
import { start, type Client } from 'smoldot'

const page = globalThis as any
const record = { chainsAdded: 0 }
page.__fakeSubstrateConnect = record
let client: Client | undefined

page.addEventListener('substrateDiscovery:requestProvider', (event: { detail: { onProvider(detail: unknown): void } }) => {
  event.detail.onProvider({
    kind: 'smoldot-v1',
    info: { uuid: '00000000-0000-4000-8000-000000000001', name: 'Fake Substrate Connect (test)', icon: 'data:,', rdns: 'test.modnet.fake-substrate-connect' },
    provider: Promise.resolve({
      addChain: async (chainSpec: string, options?: { databaseContent?: string }) => {
        record.chainsAdded++
        client ??= start({ maxLogLevel: 1 })
        return client.addChain({ chainSpec, databaseContent: options?.databaseContent })
      },
      addWellKnownChain: async () => { throw new Error('the fake extension knows no well-known chains') },
    }),
  })
})
