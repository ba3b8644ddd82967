/** A view's title (`<h1 id>`, which the view's section is labelled by) and a line about where its data comes from. */
import type { ReactNode } from 'react'

export function PageHeading({ id, title, description, children }: { id: string; title: ReactNode; description?: ReactNode; children?: ReactNode }) {
  return (
    <div>
      <h1 id={id} className="text-2xl font-semibold tracking-tight">{title}</h1>
      {description !== undefined && <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{description}</p>}
      {children}
    </div>
  )
}
