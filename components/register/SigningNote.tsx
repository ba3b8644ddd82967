/** Whether the document will be signed by the module key, and by whom, or why not (lib/web/wallet.ts `signingNote`). */
import type { SigningNote as Note } from '../../lib/web/wallet.ts'

export function SigningNote({ note }: { note: Note | undefined }) {
  if (note === undefined) return null
  return (
    <p data-testid="signing-note" data-signed={note.signed}
      className={`text-xs ${note.signed ? 'text-slate-600 dark:text-slate-400' : 'text-amber-700 dark:text-amber-400'}`}>
      {note.text}
    </p>
  )
}
