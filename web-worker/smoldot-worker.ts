/**
 * The web app's light client, off the page's thread: smoldot's WebAssembly
 * (inlined in this bundle) compiled and run in a dedicated worker. The page
 * starts it with `new Worker(new URL('smoldot-worker.js', document.baseURI))`
 * and keeps only smoldot's small JSON-RPC front end (`startWithBytecode`).
 * Built outside Next by scripts/build-web-worker.ts, so it is one plain file
 * that loads from any base path, an IPFS path gateway's `/ipfs/<cid>/` too.
 *
 * Protocol: the worker posts the compiled bytecode once; the page posts the
 * MessagePort smoldot's front end talks to.
 */
import { compileBytecode } from 'smoldot/bytecode'
import { run } from 'smoldot/worker'

const scope = globalThis as unknown as { postMessage(message: unknown): void; onmessage: ((event: MessageEvent) => void) | null }

void compileBytecode().then((bytecode) => scope.postMessage(bytecode))
scope.onmessage = (event: MessageEvent) => {
  if (event.data instanceof MessagePort) void run(event.data)
}
