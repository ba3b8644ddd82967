/** Label/value rows (a `<dl>` in two columns), as on a module's record. */
import type { ReactNode } from 'react'

export function KeyValueList({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">{children}</dl>
}

export function KeyValue({ label, children }: { label: string; children: ReactNode }) {
  return <><dt className="text-slate-500">{label}</dt><dd>{children}</dd></>
}
