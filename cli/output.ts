/**
 * Human and machine output. `--json` prints one JSON document on stdout and
 * nothing else; human output goes to stdout, progress to stderr.
 */
import type { TxProgress } from '../lib/types/chain.ts'

export interface Output {
  json: boolean
  /** Prints the result: `data` as JSON, or `human()` lines. */
  result(data: unknown, human: () => string[]): void
  /** A progress line on stderr (human mode only). */
  progress(line: string): void
  txProgress(progress: TxProgress): void
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(data, human) {
      process.stdout.write(json ? `${JSON.stringify(data, jsonReplacer, 2)}\n` : `${human().join('\n')}\n`)
    },
    progress(line) {
      if (!json) process.stderr.write(`${line}\n`)
    },
    txProgress({ stage, blockHash }) {
      if (json) return
      const text = {
        signing: 'signing and submitting…',
        ready: 'in the transaction pool, waiting for a block…',
        inBlock: `in block ${blockHash}, waiting for finality…`,
        finalized: `finalized in block ${blockHash}`,
      }[stage]
      process.stderr.write(`  ${text}\n`)
    },
  }
}

/** bigint (balances) as decimal strings, Uint8Array as hex. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`
  return value
}

/** Aligned `label  value` lines. */
export function table(rows: [string, string | number | undefined][]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.filter(([, value]) => value !== undefined).map(([label, value]) => `${label.padEnd(width)}  ${value}`)
}
