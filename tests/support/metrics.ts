/**
 * Reads a Prometheus text page (the gateway's GET /metrics) into sample
 * values, so tests assert how much a counter moved during the test (a delta
 * from a reading taken before), never a count that depends on what earlier
 * tests in the same process did.
 */
import assert from 'node:assert/strict'

/** Sample values by series: `name{label="value",…}` with the labels sorted, or just `name`. */
export type Samples = Map<string, number>

function seriesKey(name: string, labels: Record<string, string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return entries.length === 0 ? name : `${name}{${entries.map(([label, value]) => `${label}="${value}"`).join(',')}}`
}

/** Every sample of a Prometheus text page; a line that is not a sample or a comment fails the test. */
export function parseSamples(page: string): Samples {
  const samples: Samples = new Map()
  for (const line of page.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line)
    assert.ok(match, `not a Prometheus sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const label of (match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[label[1]] = label[2]
    samples.set(seriesKey(match[1], labels), Number(match[3]))
  }
  return samples
}

export async function scrape(baseUrl: string): Promise<Samples> {
  const response = await fetch(`${baseUrl}/metrics`)
  assert.equal(response.status, 200, `GET ${baseUrl}/metrics`)
  return parseSamples(await response.text())
}

/**
 * One series' value; 0 when the page has no such sample (prom-client prints
 * a labelled counter only once it has been counted).
 */
export function sample(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  return samples.get(seriesKey(name, labels)) ?? 0
}

/** How much one series moved from the `before` reading to the `after` one. */
export function delta(before: Samples, after: Samples, name: string, labels: Record<string, string> = {}): number {
  return sample(after, name, labels) - sample(before, name, labels)
}
