/** Which key signs: the wallet's accounts (or the dev accounts), with a warning when a dev key is chosen. */
import type { Async } from '../../hooks/useAsync.ts'
import type { AccountChoice } from '../../hooks/useAccountChoice.ts'
import type { WalletAccount } from '../../lib/web/wallet.ts'
import { ErrorText } from '../ui/Alert.tsx'
import { LabeledControl, Select } from '../ui/FormControls.tsx'

export function AccountSelect({ accounts, choice }: { accounts: Async<WalletAccount[]>; choice: AccountChoice }) {
  const list = accounts.state === 'ready' ? accounts.value : undefined
  return (
    <LabeledControl label="Account">
      <Select value={choice.index} onChange={(e) => choice.choose(Number(e.target.value))} disabled={list === undefined || list.length === 0} data-testid="account">
        {list === undefined && <option>{accounts.state === 'error' ? 'Accounts unavailable' : 'Looking for wallet accounts…'}</option>}
        {list?.length === 0 && <option>No wallet extension found</option>}
        {list?.map((a, i) => <option key={a.address} value={i}>{a.name} — {a.address.slice(0, 8)}…</option>)}
      </Select>
      {accounts.state === 'error' && <ErrorText className="mt-1 block text-xs">{accounts.error}</ErrorText>}
      {choice.account?.dev && <span className="mt-1 block text-xs text-amber-700 dark:text-amber-400">Development account: its secret is public. Dev chains only.</span>}
    </LabeledControl>
  )
}
