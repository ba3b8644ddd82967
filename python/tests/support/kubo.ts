/**
 * A throwaway offline Kubo daemon for the Python client's tests (tests/support/kubo.ts
 * starts it): prints {"apiUrl","gatewayUrl"} as one JSON line, then runs until
 * its stdin closes (or SIGTERM/SIGINT) and stops the daemon, removing its repo.
 */
import { startKubo } from '../../../tests/support/kubo.ts'

const kubo = await startKubo()
let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  await kubo.stop()
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
process.stdin.on('end', () => void stop())
process.stdin.on('close', () => void stop())
process.stdin.resume()
process.stdout.write(`${JSON.stringify({ apiUrl: kubo.apiUrl, gatewayUrl: kubo.gatewayUrl })}\n`)
