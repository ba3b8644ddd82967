/** Structured logs: one JSON object per line on stdout. */
export type Level = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  log(level: Level, msg: string, fields?: Record<string, unknown>): void
}

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  return {
    log(level, msg, fields = {}) {
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`)
    },
  }
}
