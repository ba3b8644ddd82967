/**
 * Links within the app: relative query strings on the one page (`./?view=…`),
 * so they work under any base path.
 */
import type { ReactNode } from 'react'

/** The href of a view, e.g. `viewHref('module', { key })`; `viewHref('browse')` is the home page. */
export function viewHref(view: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(view === 'browse' ? params : { view, ...params }).toString()
  return query === '' ? './' : `./?${query}`
}

export function SiteLink({ href, className, children, ...rest }: { href: string; className?: string; title?: string; children: ReactNode; 'aria-current'?: 'page' }) {
  return <a href={href} className={className} {...rest}>{children}</a>
}
