/** Small labels: `code` for block numbers and hashes, `tag` for keywords. */
import type { ReactNode } from 'react'

const VARIANT = {
  code: 'rounded bg-slate-100 px-2 py-0.5 font-mono text-xs dark:bg-slate-800',
  tag: 'rounded-full bg-slate-200 px-2.5 py-0.5 text-xs dark:bg-slate-800',
}

export function Badge({ variant = 'code', children }: { variant?: keyof typeof VARIANT; children: ReactNode }) {
  return <span className={VARIANT[variant]}>{children}</span>
}

/** A block number as the feed and the audit trail show it: `#123`. */
export function BlockBadge({ number }: { number: number }) {
  return <Badge>#{number}</Badge>
}
