/** The white card every section of the app sits in. */
import type { ComponentPropsWithoutRef, ElementType, ReactNode } from 'react'

type PanelTag = 'div' | 'section' | 'form' | 'details' | 'ol'

const PADDING = { none: '', normal: 'p-5', wide: 'p-6' }

export type PanelProps<T extends PanelTag> = { as?: T; padding?: keyof typeof PADDING } & ComponentPropsWithoutRef<T>

export function Panel<T extends PanelTag = 'div'>({ as, padding = 'normal', className = '', ...rest }: PanelProps<T>) {
  const Tag = (as ?? 'div') as ElementType
  return <Tag className={`rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900 ${PADDING[padding]} ${className}`} {...rest} />
}

/** A panel's heading; `id` is what its section's `aria-labelledby` names. */
export function PanelTitle({ id, className = 'mb-3', children }: { id?: string; className?: string; children: ReactNode }) {
  return <h2 id={id} className={`text-lg font-semibold ${className}`}>{children}</h2>
}

/** A titled panel as a labelled landmark: `<section aria-labelledby="<id>-title">`. */
export function PanelSection({ id, title, titleClassName, children, ...rest }: { id: string; title: ReactNode; titleClassName?: string; children: ReactNode } & Omit<ComponentPropsWithoutRef<'section'>, 'id' | 'title'>) {
  return (
    <Panel as="section" aria-labelledby={`${id}-title`} {...rest}>
      <PanelTitle id={`${id}-title`} className={titleClassName}>{title}</PanelTitle>
      {children}
    </Panel>
  )
}
