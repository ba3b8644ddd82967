/** What the benchmarks print about a set of samples: mean, p50, p95 and max. */
export interface Summary {
  mean: number
  p50: number
  p95: number
  p99: number
  max: number
  n: number
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1], n: sorted.length }
}

/** Mean, p50, p95 and max as right-aligned columns; `digits: 'auto'` shows two decimals below 10. */
export function columns(summary: Summary, { digits = 0, width = 8 }: { digits?: number | 'auto'; width?: number } = {}): string {
  const format = (value: number) => (digits === 'auto' ? value.toFixed(value < 10 ? 2 : 0) : value.toFixed(digits)).padStart(width)
  return [summary.mean, summary.p50, summary.p95, summary.max].map(format).join(' ')
}
